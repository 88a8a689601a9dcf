//! Insights: keystroke-to-frame time in the editor while a query is
//! polling, the frame time of a 10,000-row result table, the memory those
//! rows take (10 fields each), and a 10,000-row `stats … by bin()` answer:
//! the poll that lays out its chart and the chart's frame.
//!
//! `cargo bench --bench insights`

mod common;

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::{QueryResults, QueryStats, QueryStatus};
use pipedeck::config::Theme;
use pipedeck::panes::insights::memory::ProfileMemory;
use std::time::Instant;

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn key(code: KeyCode, m: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, m))
}

fn main() {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
    let mut state = common::state(now);
    state.panes.insights.load_memory(ProfileMemory {
        profile: "bench".into(),
        groups: vec!["/aws-glue/jobs/error".into()],
        history: vec![],
    });
    state.active = pipedeck::panes::PaneId::Insights;
    let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let (run, query) = common::insights_start(&fx).unwrap();
    let loaded = |resource, data| Msg::Loaded {
        resource,
        at: now,
        result: Ok(data),
        next_in: None,
    };
    update(
        &mut state,
        loaded(
            Resource::InsightsStart { run, query },
            Data::QueryStarted("q".into()),
        ),
    );

    let before = rss_kb();
    let rows: Vec<Vec<(String, String)>> = (0..10_000)
        .map(|i| {
            (0..10)
                .map(|f| {
                    (
                        format!("field{f}"),
                        format!("value {i} of field {f} with some text"),
                    )
                })
                .collect()
        })
        .collect();
    let running = QueryResults {
        status: QueryStatus::Running,
        rows,
        stats: QueryStats::default(),
    };
    update(
        &mut state,
        loaded(
            Resource::InsightsResults {
                query_id: "q".into(),
            },
            Data::QueryResults(running),
        ),
    );
    let after = rss_kb();

    // Scroll into the middle so windowing is exercised.
    for _ in 0..5_000 {
        update(&mut state, key(KeyCode::Down, KeyModifiers::NONE));
    }
    let (tm, tp) = common::frame_us(&state, 300);

    let theme = Theme::preset("dark").unwrap();
    let tz = chrono::FixedOffset::east_opt(0).unwrap();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)).unwrap();

    // Typing while the query is still polling: each key is update + frame.
    update(&mut state, key(KeyCode::Char('e'), KeyModifiers::NONE));
    let mut keys: Vec<f64> = (0..500)
        .map(|i| {
            let c = (b'a' + (i % 26) as u8) as char;
            let t = Instant::now();
            update(&mut state, key(KeyCode::Char(c), KeyModifiers::NONE));
            term.draw(|f| pipedeck::ui::render(&state, f, &theme, tz))
                .unwrap();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    assert!(state
        .subscriptions()
        .iter()
        .any(|(r, _)| matches!(r, Resource::InsightsResults { .. })));

    // A `stats … by bin(5m), group` answer of 10,000 rows (200 bins × 50
    // groups): the poll that lays out the chart, then the chart's frame.
    update(&mut state, key(KeyCode::Esc, KeyModifiers::NONE));
    update(&mut state, key(KeyCode::Char('b'), KeyModifiers::NONE));
    update(
        &mut state,
        loaded(
            Resource::QueryDefinitions,
            Data::QueryDefinitions(vec![pipedeck::cloud::QueryDefinition {
                id: Some("d".into()),
                name: "errors by group".into(),
                query: "stats count(*) as errors by bin(5m), @log".into(),
                groups: vec!["/aws-glue/jobs/error".into()],
                last_modified: None,
                language: Default::default(),
            }]),
        ),
    );
    update(&mut state, key(KeyCode::Enter, KeyModifiers::NONE));
    let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let (run, query) = common::insights_start(&fx).unwrap();
    update(
        &mut state,
        loaded(
            Resource::InsightsStart { run, query },
            Data::QueryStarted("q2".into()),
        ),
    );
    let bins = QueryResults {
        status: QueryStatus::Running,
        rows: (0..10_000)
            .map(|i| {
                let t = now - chrono::Duration::minutes(5 * (i / 50) as i64);
                vec![
                    (
                        "bin(5m)".into(),
                        t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
                    ),
                    ("@log".into(), format!("123456789012:/group/{}", i % 50)),
                    ("errors".into(), ((i * 7) % 113).to_string()),
                ]
            })
            .collect(),
        stats: QueryStats::default(),
    };
    let mut polls: Vec<f64> = (0..20)
        .map(|_| {
            let msg = loaded(
                Resource::InsightsResults {
                    query_id: "q2".into(),
                },
                Data::QueryResults(bins.clone()),
            );
            let t = Instant::now();
            update(&mut state, msg);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    assert!(state.panes.insights.chart().is_some(), "drawn as a chart");
    let table = bins.table();
    let mut models: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let chart = pipedeck::panes::insights::chart::Chart::from_results(
                "stats count(*) as errors by bin(5m), @log",
                &table,
            );
            assert!(chart.is_some());
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    let (mm, mp) = common::mean_p99(&mut models);
    let (pm, pp) = common::mean_p99(&mut polls);
    let (cm, cp) = common::frame_us(&state, 300);

    let (km, kp) = common::mean_p99(&mut keys);
    println!();
    println!("editor keystroke → frame while polling (200x50, 10k rows below)  mean {km:.0} µs   p99 {kp:.0} µs");
    println!("10,000-row result table frame (200x50)                         mean {tm:.0} µs   p99 {tp:.0} µs   target < 2,000 µs");
    println!("10,000-row bin() poll → table + chart laid out                mean {pm:.0} µs   p99 {pp:.0} µs");
    println!("  of which the chart model (series, top 7 + other)             mean {mm:.0} µs   p99 {mp:.0} µs");
    println!("time-series chart frame, 8 series from 10,000 rows (200x50)    mean {cm:.0} µs   p99 {cp:.0} µs   target < 2,000 µs");
    println!(
        "10,000 rows × 10 fields in memory                              {:.1} MB (RSS growth)",
        after.saturating_sub(before) as f64 / 1024.0
    );
}
