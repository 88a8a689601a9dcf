//! `cargo bench --bench perf`: the numbers the issues ask for.
//!
//! 1. time to first frame of the real binary in demo mode (in a pty);
//! 2. render time of one frame of a 10,000-row table;
//! 3. idle CPU (% of one core) and peak RSS of the running demo over
//!    PIPEDECK_BENCH_IDLE_SECS seconds (default 60) with default intervals.
//!
//! Targets: first frame < 100 ms, frame < 2 ms, idle CPU < 0.1 %, RSS < 25 MB.

mod common;

use chrono::{TimeZone, Utc};
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::{GlueJob, JobRun, RunState};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    // `cargo bench` passes --bench; filters are not supported, run all.
    let first = first_frame_ms(10);
    let (mean, p99) = table_frame_us(10_000, 300);
    let secs: u64 = std::env::var("PIPEDECK_BENCH_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let (cpu, rss_kb) = idle_cpu_and_rss(secs);
    println!();
    println!(
        "time to first frame (demo, pty)  median {:.1} ms   max {:.1} ms   target < 100 ms",
        first.0, first.1
    );
    println!(
        "10,000-row table frame (200x50)  mean {:.0} µs   p99 {:.0} µs   target < 2,000 µs",
        mean, p99
    );
    println!(
        "idle CPU over {secs} s                {:.3} % of one core   target < 0.1 %",
        cpu
    );
    println!(
        "peak RSS (VmHWM)                 {:.1} MB   target < 25 MB",
        rss_kb as f64 / 1024.0
    );
}

struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Arc<Mutex<String>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    writer: Box<dyn std::io::Write + Send>,
}

fn spawn_demo(dir: &std::path::Path) -> Pty {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 140,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.arg("--demo");
    cmd.env("XDG_CONFIG_HOME", dir.join("c"));
    cmd.env("XDG_STATE_HOME", dir.join("s"));
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let writer = pair.master.take_writer().expect("writer");
    let screen = Arc::new(Mutex::new(String::new()));
    let sink = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    Pty {
        child,
        screen,
        _master: pair.master,
        writer,
    }
}

fn wait_for(p: &Pty, needle: &str, limit: Duration) -> Duration {
    let start = Instant::now();
    while !p.screen.lock().unwrap().contains(needle) {
        assert!(start.elapsed() < limit, "no '{needle}' within {limit:?}");
        std::thread::sleep(Duration::from_micros(200));
    }
    start.elapsed()
}

fn quit(mut p: Pty) {
    let _ = p.writer.write_all(b"q");
    let _ = p.writer.flush();
    let _ = p.child.wait();
}

/// From spawn to the first frame that shows the demo's failing job.
fn first_frame_ms(runs: usize) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let p = spawn_demo(dir.path());
            wait_for(&p, "raw-to-silver-transform", Duration::from_secs(30));
            let t = start.elapsed().as_secs_f64() * 1000.0;
            quit(p);
            t
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    (times[times.len() / 2], times[times.len() - 1])
}

fn table_frame_us(rows: usize, frames: usize) -> (f64, f64) {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
    let jobs: Vec<GlueJob> = (0..rows)
        .map(|i| GlueJob {
            name: format!("job-{i:05}-orders-bronze-to-silver"),
            max_concurrent_runs: 1,
            worker_type: Some("G.1X".into()),
            number_of_workers: Some(10),
            max_capacity: None,
            glue_version: Some("4.0".into()),
            execution_class: None,
            default_arguments: Default::default(),
            runs: vec![JobRun {
                id: format!("jr_{i:064}"),
                job_name: format!("job-{i:05}"),
                state: if i % 7 == 0 {
                    RunState::Failed
                } else {
                    RunState::Succeeded
                },
                attempt: 0,
                started_on: Some(now - chrono::Duration::seconds(i as i64 * 37)),
                completed_on: Some(now),
                execution_time_s: Some(300),
                dpu_seconds: None,
                worker_type: Some("G.1X".into()),
                number_of_workers: Some(10),
                max_capacity: None,
                arguments: Default::default(),
                error_message: (i % 7 == 0)
                    .then(|| "AnalysisException: Path does not exist".into()),
                trigger_name: None,
                log_group_name: None,
                glue_version: Some("4.0".into()),
                security_configuration: None,
                job_arguments: Default::default(),
            }],
        })
        .collect();
    let mut state = common::state(now);
    update(
        &mut state,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now,
            result: Ok(Data::GlueJobs(jobs)),
            next_in: None,
        },
    );
    // Scroll to the middle so windowing is exercised, not just the top.
    for _ in 0..5000 {
        update(
            &mut state,
            Msg::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Down,
                crossterm::event::KeyModifiers::NONE,
            )),
        );
    }
    common::frame_us(&state, frames)
}

fn proc_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may contain spaces): utime is
    // the 14th field overall, stime the 15th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    f.get(11).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
}

fn vm_hwm_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn idle_cpu_and_rss(secs: u64) -> (f64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let p = spawn_demo(dir.path());
    wait_for(&p, "raw-to-silver-transform", Duration::from_secs(30));
    let pid = p.child.process_id().expect("pid");
    // Let start-up work (first polls) finish before measuring idle.
    std::thread::sleep(Duration::from_secs(2));
    let t0 = proc_ticks(pid);
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let ticks = proc_ticks(pid) - t0;
    let elapsed = start.elapsed().as_secs_f64();
    let hz = 100.0; // USER_HZ on Linux
    let cpu = ticks as f64 / hz / elapsed * 100.0;
    let rss = vm_hwm_kb(pid);
    quit(p);
    (cpu, rss)
}
