//! What the real Logs Insights does that the emulators never show, read
//! from its documentation: GetQueryResults stops at 10,000 rows; saved
//! queries have a language.

use crate::common;

use common::*;
use pipedeck::cloud::{QueryResults, QueryStats, QueryStatus};

fn answer(rows: usize, matched: f64) -> QueryResults {
    QueryResults {
        status: QueryStatus::Complete,
        rows: (0..rows)
            .map(|i| {
                vec![
                    ("@timestamp".into(), "2026-11-27 02:00:00.000".into()),
                    ("@message".into(), format!("line {i}")),
                ]
            })
            .collect(),
        stats: QueryStats {
            records_matched: matched,
            records_scanned: matched * 3.0,
            bytes_scanned: 1e9,
        },
    }
}

fn run_with(rows: usize, matched: f64) -> String {
    let mut s = insights_state();
    answer_insights(&mut s, answer(rows, matched));
    text(&render(&s, 140, 30))
}

#[test]
fn ten_thousand_rows_of_more_matched_say_they_are_the_first() {
    let screen = run_with(10_000, 48_213.0);
    assert!(
        screen.contains("first 10,000 of 48,213 matched"),
        "{screen}"
    );
    // Everything matched is here: nothing to say.
    let screen = run_with(120, 120.0);
    assert!(!screen.contains("first "), "{screen}");
    // A full page that is everything (exactly 10,000 matched): nothing.
    let screen = run_with(10_000, 10_000.0);
    assert!(!screen.contains("of 10,000 matched"), "{screen}");
}

#[test]
fn the_headless_statistics_say_so_too() {
    let line = pipedeck::headless::insights::stats_line(
        &answer(10_000, 1_250_000.0),
        std::time::Duration::from_secs(3),
        0.005,
    );
    assert!(line.contains("first 10,000 of 1,250,000 matched"), "{line}");
}
