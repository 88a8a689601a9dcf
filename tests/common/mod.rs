//! Shared test helpers: a fixed clock, the demo account at that instant,
//! key presses, and buffer-to-text.
#![allow(dead_code)]

pub mod localstack;
pub mod mocks;
pub mod moto;
pub mod pty;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pipedeck::app::{update, Data, Effect, Msg, Resource, Settings, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{CloudRead, ConnInfo, GlueJob, JobRun, RunState};
use pipedeck::config::{Keymap, Theme};
use ratatui::buffer::Buffer;
use std::collections::BTreeMap;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap()
}

pub fn demo_conn() -> ConnInfo {
    ConnInfo {
        profile: "demo".into(),
        region: "eu-west-1".into(),
        endpoint: None,
        demo: true,
        env_keys_set_aside: false,
    }
}

pub fn settings(read_only: bool) -> Settings {
    Settings {
        read_only,
        // The shipped defaults, so tests see what users get.
        typed_confirm: pipedeck::config::Config::default().safety.typed_confirm,
        dlq: Default::default(),
        alarms: Default::default(),
        insights: Default::default(),
        athena: Default::default(),
        audit: Default::default(),
        config_file: None,
    }
}

pub fn empty_state(read_only: bool) -> State {
    let mut s = State::new(
        demo_conn(),
        Keymap::preset("default").unwrap(),
        settings(read_only),
        now(),
    );
    // The event loop tells `update` the terminal's size before anything
    // else; a confirmation is only answered on a known, big enough screen.
    update(
        &mut s,
        Msg::Resize {
            width: 200,
            height: 60,
        },
    );
    s
}

pub fn demo_jobs() -> Vec<GlueJob> {
    futures::executor::block_on(DemoCloud::new(Clock::Fixed(now())).glue_jobs()).unwrap()
}

pub fn loaded(resource: Resource, data: Data) -> Msg {
    loaded_at(resource, data, now())
}

/// As [`loaded`], read at `at`.
pub fn loaded_at(resource: Resource, data: Data, at: DateTime<Utc>) -> Msg {
    Msg::Loaded {
        resource,
        at,
        result: Ok(data),
        next_in: Some(std::time::Duration::from_secs(30)),
    }
}

/// A state with the demo account loaded, identity included.
pub fn demo_state(read_only: bool) -> State {
    let mut s = empty_state(read_only);
    let id = futures::executor::block_on(DemoCloud::new(Clock::Fixed(now())).identity()).unwrap();
    update(&mut s, loaded(Resource::Identity, Data::Identity(id)));
    update(
        &mut s,
        loaded(Resource::GlueJobs, Data::GlueJobs(demo_jobs())),
    );
    update(
        &mut s,
        loaded(Resource::EmrClusters, Data::EmrClusters(demo_clusters())),
    );
    let demo = DemoCloud::new(Clock::Fixed(now()));
    load_demo_dlqs(&mut s, &demo);
    let alarms = futures::executor::block_on(demo.alarms()).unwrap();
    update(&mut s, loaded(Resource::Alarms, Data::Alarms(alarms)));
    s
}

/// The DLQ list and its CloudWatch figures, as the pollers would bring them.
pub fn load_demo_dlqs(s: &mut State, demo: &DemoCloud) {
    let dlqs = futures::executor::block_on(demo.dlqs(&[])).unwrap();
    let names: Vec<String> = dlqs.iter().map(|d| d.name.clone()).collect();
    let metrics = futures::executor::block_on(demo.dlq_metrics(&names)).unwrap();
    update(
        s,
        loaded(Resource::Dlqs { configured: vec![] }, Data::Dlqs(dlqs)),
    );
    update(
        s,
        loaded(
            Resource::DlqMetrics { queues: names },
            Data::DlqMetrics(metrics),
        ),
    );
}

pub fn demo_clusters() -> Vec<pipedeck::cloud::EmrCluster> {
    futures::executor::block_on(DemoCloud::new(Clock::Fixed(now())).emr_clusters()).unwrap()
}

pub fn state_with_jobs(jobs: Vec<GlueJob>, read_only: bool) -> State {
    let mut s = empty_state(read_only);
    update(&mut s, loaded(Resource::GlueJobs, Data::GlueJobs(jobs)));
    s
}

pub fn key(spec: &str) -> KeyEvent {
    let (code, m) = match spec {
        "enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "backtab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
        "backspace" => (KeyCode::Backspace, KeyModifiers::NONE),
        "down" => (KeyCode::Down, KeyModifiers::NONE),
        "up" => (KeyCode::Up, KeyModifiers::NONE),
        "pgup" => (KeyCode::PageUp, KeyModifiers::NONE),
        "pgdown" => (KeyCode::PageDown, KeyModifiers::NONE),
        "space" => (KeyCode::Char(' '), KeyModifiers::NONE),
        s if s.len() > 1 && s.starts_with('F') && s[1..].parse::<u8>().is_ok() => {
            (KeyCode::F(s[1..].parse().unwrap()), KeyModifiers::NONE)
        }
        s if s.starts_with("alt-") => (KeyCode::Char(s.chars().last().unwrap()), KeyModifiers::ALT),
        s if s.starts_with("ctrl-") => (
            KeyCode::Char(s.chars().last().unwrap()),
            KeyModifiers::CONTROL,
        ),
        s => {
            let c = s.chars().next().unwrap();
            let m = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            (KeyCode::Char(c), m)
        }
    };
    KeyEvent::new(code, m)
}

/// Presses each key; returns every effect produced.
pub fn press(s: &mut State, keys: &[&str]) -> Vec<Effect> {
    keys.iter()
        .flat_map(|k| update(s, Msg::Key(key(k))))
        .collect()
}

/// Types text one character at a time.
pub fn type_text(s: &mut State, text: &str) -> Vec<Effect> {
    let keys: Vec<String> = text.chars().map(|c| c.to_string()).collect();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    press(s, &refs)
}

pub fn run(job: &str, id: &str, state: RunState, mins_ago: i64) -> JobRun {
    JobRun {
        id: id.into(),
        job_name: job.into(),
        state,
        attempt: 0,
        started_on: Some(now() - chrono::Duration::minutes(mins_ago)),
        completed_on: None,
        execution_time_s: Some(60),
        dpu_seconds: None,
        worker_type: Some("G.1X".into()),
        number_of_workers: Some(2),
        max_capacity: None,
        arguments: BTreeMap::from([("--env".to_string(), "prod".to_string())]),
        error_message: None,
        trigger_name: None,
        log_group_name: None,
        glue_version: Some("4.0".into()),
        security_configuration: None,
        job_arguments: BTreeMap::new(),
    }
}

pub fn job(name: &str, max: i32, runs: Vec<JobRun>) -> GlueJob {
    GlueJob {
        name: name.into(),
        max_concurrent_runs: max,
        worker_type: Some("G.1X".into()),
        number_of_workers: Some(2),
        max_capacity: None,
        glue_version: Some("4.0".into()),
        execution_class: None,
        default_arguments: BTreeMap::new(),
        runs,
    }
}

pub fn theme() -> Theme {
    Theme::preset("dark").unwrap()
}

/// The buffer as plain text, one line per row, trailing spaces trimmed.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Renders the whole app into a TestBackend of the given size.
pub fn render(s: &State, w: u16, h: u16) -> Buffer {
    let backend = ratatui::backend::TestBackend::new(w, h);
    let mut term = ratatui::Terminal::new(backend).unwrap();
    term.draw(|f| pipedeck::ui::render(s, f, &theme(), chrono::FixedOffset::east_opt(0).unwrap()))
        .unwrap();
    term.backend().buffer().clone()
}

/// Who the tests act as.
pub fn journal_context() -> pipedeck::gate::JournalContext {
    pipedeck::gate::JournalContext {
        caller_arn: Some("arn:aws:sts::123456789012:assumed-role/OnCall/me".into()),
        account: Some("123456789012".into()),
        profile: "prod".into(),
        region: "eu-west-1".into(),
        demo: false,
    }
}

/// Runs an action through the gate's request and confirmation, as a user
/// pressing the key and `y` would, and returns the token.
pub fn approve(action: pipedeck::gate::Action) -> pipedeck::gate::Approved {
    let policy = pipedeck::gate::GatePolicy {
        read_only: false,
        typed_confirm: &[],
        context: journal_context(),
    };
    match pipedeck::gate::request(action, Ok(()), policy) {
        pipedeck::gate::Decision::Confirm(mut p) => {
            // Purge always asks for the name: type it.
            if let pipedeck::gate::ConfirmKind::Typed { expect } = &p.kind {
                p.typed = expect.clone();
            }
            pipedeck::gate::confirm(p).expect("confirmation accepted")
        }
        other => panic!("not approved: {other:?}"),
    }
}

/// The real binary with fake AWS keys and private config/state dirs.
/// `setup` adds arguments or environment before it runs.
pub fn pipedeck_bin(
    dir: &std::path::Path,
    args: &[&str],
    setup: impl FnOnce(&mut std::process::Command),
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("XDG_CONFIG_HOME", dir.join("c"))
        .env("XDG_STATE_HOME", dir.join("s"));
    setup(&mut cmd);
    cmd.output().unwrap()
}

/// Text plus, per row, the runs of non-default foreground colour and bold,
/// e.g. `  fg 1..12 #f7768e bold`.
pub fn styled(buf: &Buffer) -> String {
    let mut out = String::new();
    let area = buf.area;
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
        let mut x = 0;
        while x < area.width {
            let c = &buf[(x, y)];
            let key = (c.fg, c.modifier.contains(ratatui::style::Modifier::BOLD));
            let start = x;
            while x < area.width
                && (
                    buf[(x, y)].fg,
                    buf[(x, y)]
                        .modifier
                        .contains(ratatui::style::Modifier::BOLD),
                ) == key
            {
                x += 1;
            }
            if key.0 != ratatui::style::Color::Reset && !buf[(start, y)].symbol().trim().is_empty()
            {
                let bold = if key.1 { " bold" } else { "" };
                out.push_str(&format!("  fg {start}..{x} {}{bold}\n", key.0));
            }
        }
    }
    out
}

/// Enter on the selected DLQ, then the demo's answer to that peek.
pub fn peek_selected_dlq(s: &mut State) {
    let fx = press(s, &["enter"]);
    let Some(Effect::Refresh(Resource::DlqPeek { url, max })) = fx.into_iter().next() else {
        panic!("Enter did not ask for a peek");
    };
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let messages = futures::executor::block_on(demo.peek(&url, max)).unwrap();
    update(
        s,
        Msg::Loaded {
            resource: Resource::DlqPeek { url, max },
            at: now(),
            result: Ok(Data::Peeked(messages)),
            next_in: None,
        },
    );
}

/// Runs every Refresh effect through the real fetch path and feeds the
/// answers back, then polls what the state subscribes to (a running
/// query), until nothing more is asked or `rounds` run out.
pub async fn drive(s: &mut State, cloud: &dyn pipedeck::cloud::Cloud, mut fx: Vec<Effect>) {
    for _ in 0..20 {
        let mut asked: Vec<Resource> = fx
            .into_iter()
            .filter_map(|e| match e {
                Effect::Refresh(r) => Some(r),
                _ => None,
            })
            .collect();
        if asked.is_empty() {
            asked = s
                .subscriptions()
                .into_iter()
                .map(|(r, _)| r)
                .filter(|r| matches!(r, Resource::InsightsResults { .. }))
                .collect();
        }
        if asked.is_empty() {
            return;
        }
        fx = Vec::new();
        for resource in asked {
            let result = pipedeck::runtime::fetch(cloud, &resource).await;
            fx.extend(update(
                s,
                Msg::Loaded {
                    resource,
                    at: now(),
                    result,
                    next_in: None,
                },
            ));
        }
    }
}

/// The Insights pane open, with `/aws-glue/jobs/error` chosen for the profile.
pub fn insights_state() -> State {
    let mut s = empty_state(false);
    s.panes
        .insights
        .load_memory(pipedeck::panes::insights::memory::ProfileMemory {
            profile: "demo".into(),
            groups: vec!["/aws-glue/jobs/error".into()],
            history: vec![],
        });
    press(&mut s, &["5"]);
    assert_eq!(s.active, pipedeck::panes::PaneId::Insights);
    s
}

/// The StartQuery among `fx`: the run number and the query asked.
pub fn insights_start(fx: &[Effect]) -> Option<(u64, pipedeck::cloud::InsightsQuery)> {
    fx.iter().find_map(|e| match e {
        Effect::Refresh(Resource::InsightsStart { run, query }) => Some((*run, query.clone())),
        _ => None,
    })
}

/// Runs the Insights editor's query and answers it: StartQuery gives
/// `q-1`, then one GetQueryResults poll returns `results`.
pub fn answer_insights(s: &mut State, results: pipedeck::cloud::QueryResults) {
    let fx = press(s, &["ctrl-r"]);
    let (run, query) = insights_start(&fx).expect("a StartQuery");
    update(
        s,
        loaded(
            Resource::InsightsStart { run, query },
            Data::QueryStarted("q-1".into()),
        ),
    );
    update(
        s,
        loaded(
            Resource::InsightsResults {
                query_id: "q-1".into(),
            },
            Data::QueryResults(results),
        ),
    );
}

/// A complete answer with these rows of (field, value).
pub fn complete_rows(rows: Vec<Vec<(&str, &str)>>) -> pipedeck::cloud::QueryResults {
    pipedeck::cloud::QueryResults {
        status: pipedeck::cloud::QueryStatus::Complete,
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(|(f, v)| (f.into(), v.into())).collect())
            .collect(),
        stats: Default::default(),
    }
}

/// The key event a keymap entry stands for (what a user presses).
pub fn event_of(spec: &pipedeck::config::keys::KeySpec) -> KeyEvent {
    let mut m = KeyModifiers::NONE;
    if spec.ctrl {
        m |= KeyModifiers::CONTROL;
    }
    if spec.alt {
        m |= KeyModifiers::ALT;
    }
    if let KeyCode::Char(c) = spec.code {
        if c.is_ascii_uppercase() {
            m |= KeyModifiers::SHIFT;
        }
    }
    KeyEvent::new(spec.code, m)
}

/// Presses the first key the state's keymap binds to `cmd` in normal mode.
pub fn press_cmd(s: &mut State, cmd: pipedeck::config::Command) -> Vec<Effect> {
    let spec = *s
        .keymap
        .keys_for(pipedeck::config::Mode::Normal, cmd)
        .first()
        .unwrap_or_else(|| panic!("{cmd:?} is not bound"));
    update(s, Msg::Key(event_of(&spec)))
}

/// Goes to a pane as a user does: its number key, from the state's keymap.
pub fn goto(s: &mut State, pane: pipedeck::panes::PaneId) {
    use strum::IntoEnumIterator;
    let cmd = pipedeck::config::Command::iter()
        .find(|c| c.pane_index() == Some(pane.index()))
        .expect("a number key for every pane");
    press_cmd(s, cmd);
    assert_eq!(s.active, pane);
}

/// Runs the `Effect::Export`s among `fx` through the real runtime
/// (`Effects::run`, which writes the file) and feeds what it answers back
/// to the state; returns those answers ("… to <path>" or the error).
pub async fn export_through_runtime(s: &mut State, fx: Vec<Effect>) -> Vec<Result<String, String>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let cloud: pipedeck::cloud::SharedCloud =
        std::sync::Arc::new(DemoCloud::new(Clock::Fixed(now())));
    let mut runtime = pipedeck::runtime::Effects::new(
        cloud,
        pipedeck::gate::Journal::disabled(),
        pipedeck::config::PollConfig::default(),
        tx,
    );
    let exports: Vec<Effect> = fx
        .into_iter()
        .filter(|e| matches!(e, Effect::Export { .. }))
        .collect();
    assert!(!exports.is_empty(), "nothing to export");
    let mut answers = Vec::new();
    for e in exports {
        runtime.run(e);
        let msg = rx.recv().await.expect("the runtime answers an export");
        let Msg::FileWritten(result) = &msg else {
            panic!("{msg:?}")
        };
        answers.push(result.clone());
        update(s, msg);
    }
    runtime.shutdown();
    answers
}

/// Run (ctrl-r) in the Athena pane as a user on the demo account would:
/// what the guardrails read first (the work groups, a database's tables)
/// answered by the demo, and a guardrail question answered "y". Returns
/// the effects of the last step (the one holding the start).
pub fn athena_run(s: &mut State) -> Vec<Effect> {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let mut fx = press(s, &["ctrl-r"]);
    for _ in 0..4 {
        if fx
            .iter()
            .any(|e| matches!(e, Effect::Refresh(Resource::AthenaStart { .. })))
        {
            return fx;
        }
        if s.panes.athena.guard().is_some_and(|g| g.waiting.is_empty()) {
            fx = press(s, &["y"]);
            continue;
        }
        let mut next = Vec::new();
        for e in &fx {
            let data = match e {
                Effect::Refresh(r @ Resource::AthenaWorkGroups) => {
                    futures::executor::block_on(demo.athena_workgroups())
                        .map(Data::AthenaWorkGroups)
                        .map(|d| (r.clone(), d))
                }
                Effect::Refresh(r @ Resource::AthenaTables { catalog, database }) => {
                    futures::executor::block_on(demo.athena_tables(catalog, database))
                        .map(Data::AthenaTables)
                        .map(|d| (r.clone(), d))
                }
                _ => continue,
            };
            let (r, d) = data.unwrap();
            next.extend(update(s, loaded(r, d)));
        }
        fx = next;
    }
    fx
}
