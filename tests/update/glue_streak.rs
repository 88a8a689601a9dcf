//! A job that keeps failing stays failing while a retry runs: the list
//! shows the streak, the header keeps counting it, until a run succeeds.

use crate::common;

use common::*;
use pipedeck::cloud::RunState;
use pipedeck::panes::Pane;

fn failing_then(latest: RunState) -> pipedeck::app::State {
    let mut runs = vec![run("nightly", "jr_retry", latest, 2)];
    for i in 0..4 {
        runs.push(run(
            "nightly",
            &format!("jr_f{i}"),
            RunState::Failed,
            10 + i * 10,
        ));
    }
    runs.push(run("nightly", "jr_ok", RunState::Succeeded, 100));
    state_with_jobs(
        vec![
            job("nightly", 3, runs),
            job(
                "healthy",
                1,
                vec![run("healthy", "jr_h", RunState::Succeeded, 5)],
            ),
        ],
        false,
    )
}

#[test]
fn a_retry_after_four_failures_keeps_the_job_failing() {
    let s = failing_then(RunState::Running);
    assert_eq!(s.panes.glue.failed_jobs(), 1);
    assert_eq!(s.panes.glue.alert_count().unwrap().1, Some(1));
    let screen = text(&render(&s, 120, 30));
    let row = screen.lines().find(|l| l.contains("nightly")).unwrap();
    assert!(row.contains("✗ 4 in a row · retry running"), "{row}");
    // Failing jobs stay on top.
    let first = screen.lines().position(|l| l.contains("nightly")).unwrap();
    let healthy = screen.lines().position(|l| l.contains("healthy")).unwrap();
    assert!(first < healthy, "{screen}");
}

#[test]
fn a_success_ends_the_streak() {
    let s = failing_then(RunState::Succeeded);
    assert_eq!(s.panes.glue.failed_jobs(), 0);
    let screen = text(&render(&s, 120, 30));
    let row = screen.lines().find(|l| l.contains("nightly")).unwrap();
    assert!(row.contains("✓ SUCCEEDED"), "{row}");
}

#[test]
fn failures_in_a_row_without_a_retry_are_counted() {
    let s = failing_then(RunState::Failed);
    let screen = text(&render(&s, 120, 30));
    let row = screen.lines().find(|l| l.contains("nightly")).unwrap();
    assert!(row.contains("✗ FAILED ×5"), "{row}");
}
