//! Insights: keystroke-to-frame time in the editor while a query is
//! polling, the frame time of a 10,000-row result table, and the memory
//! those rows take (10 fields each).
//!
//! `cargo bench --bench insights`

mod common;

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pipedeck::app::{update, Data, Effect, Msg, Resource};
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
    let (run, query) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Refresh(Resource::InsightsStart { run, query }) => Some((*run, query.clone())),
            _ => None,
        })
        .unwrap();
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

    let (km, kp) = common::mean_p99(&mut keys);
    println!();
    println!("editor keystroke → frame while polling (200x50, 10k rows below)  mean {km:.0} µs   p99 {kp:.0} µs");
    println!("10,000-row result table frame (200x50)                         mean {tm:.0} µs   p99 {tp:.0} µs   target < 2,000 µs");
    println!(
        "10,000 rows × 10 fields in memory                              {:.1} MB (RSS growth)",
        after.saturating_sub(before) as f64 / 1024.0
    );
}
