//! Snapshot tests of the audit pane over the demo account: failed first
//! (an empty upstream file, a DQ gate below its threshold), then a run
//! flagged stuck, an unknown status word shown as written, the rest; a
//! run's whole record with its DQ result, its errors and its pipeline's
//! last runs; the question before marking a stuck run failed.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Resource, State};
use pipedeck::cloud::audit::records::RunRef;
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::PaneId;

fn audit_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Audit);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let tables = futures::executor::block_on(demo.audit_runs()).unwrap();
    update(
        &mut s,
        loaded(Resource::AuditRuns, Data::AuditRuns(tables.into())),
    );
    s
}

/// Opens the first run `pick` matches, with what sits beside it read.
fn open_with_records(s: &mut State, pick: impl Fn(&pipedeck::cloud::audit::AuditRun) -> bool) {
    let at = s.panes.audit.visible().position(pick).unwrap();
    for _ in 0..at {
        press(s, &["j"]);
    }
    press(s, &["enter"]);
    let run = RunRef::of(s.panes.audit.selected().unwrap());
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let recs = futures::executor::block_on(demo.audit_records(&run)).unwrap();
    update(
        s,
        loaded(
            Resource::AuditRecords(run),
            Data::AuditRecords(Box::new(recs)),
        ),
    );
}

#[test]
fn the_runs_of_the_day_most_urgent_first() {
    let s = audit_state();
    insta::assert_snapshot!("audit_list_140x24", text(&render(&s, 140, 24)));
}

#[test]
fn a_dq_failure_s_whole_record_with_its_failed_rules_and_last_runs() {
    let mut s = audit_state();
    open_with_records(&mut s, |r| r.error_type.as_deref() == Some("DQ_FAILURE"));
    let screen = text(&render(&s, 110, 46));
    assert!(screen.contains("IsComplete \"order_id\""), "{screen}");
    insta::assert_snapshot!("audit_dq_detail_110x46", screen);
}

#[test]
fn a_manual_review_run_with_its_three_attempts() {
    let mut s = audit_state();
    open_with_records(&mut s, |r| r.status.label() == "REQUIRES_MANUAL_REVIEW");
    let screen = text(&render(&s, 110, 40));
    assert!(screen.contains("attempt 3"), "{screen}");
    insta::assert_snapshot!("audit_errors_detail_110x40", screen);
}

#[test]
fn the_question_before_marking_a_stuck_run_failed() {
    let mut s = audit_state();
    let at = s
        .panes
        .audit
        .visible()
        .position(|r| r.status.label() == "RUNNING")
        .unwrap();
    for _ in 0..at {
        press(&mut s, &["j"]);
    }
    press(&mut s, &["X"]);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("run-gold-0"), "{screen}");
    insta::assert_snapshot!("audit_stuck_mark_failed_100x30", screen);
}

#[test]
fn the_detect_proposal() {
    let mut s = audit_state();
    press(&mut s, &[":"]);
    type_text(&mut s, "audit detect pipeline_audit");
    press(&mut s, &["enter"]);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let d = futures::executor::block_on(demo.audit_detect("pipeline_audit")).unwrap();
    update(
        &mut s,
        loaded(
            Resource::AuditDetect {
                table: "pipeline_audit".into(),
            },
            Data::AuditDetect(Box::new(d)),
        ),
    );
    insta::assert_snapshot!("audit_detect_100x46", text(&render(&s, 100, 46)));
}

#[test]
fn the_pipelines_with_their_last_runs() {
    let mut s = audit_state();
    press(&mut s, &["p"]);
    let (pipelines, n) = s
        .subscriptions()
        .into_iter()
        .find_map(|(r, _)| match r {
            Resource::AuditPipelines { pipelines, n } => Some((pipelines, n)),
            _ => None,
        })
        .unwrap();
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let got = futures::executor::block_on(demo.audit_pipelines(&pipelines, n)).unwrap();
    update(
        &mut s,
        loaded(
            Resource::AuditPipelines { pipelines, n },
            Data::AuditPipelines(got),
        ),
    );
    let screen = text(&render(&s, 120, 24));
    assert!(screen.contains("silver-to-gold"), "{screen}");
    // The view itself (the runs list names the same pipelines): its
    // columns, and the gold job's stuck run before three good ones.
    assert!(screen.contains("LAST RUNS"), "{screen}");
    assert!(
        screen.contains("STUCK?") && screen.contains("▶✓✓✓"),
        "{screen}"
    );
    insta::assert_snapshot!("audit_pipelines_120x24", screen);
}

#[test]
fn the_end_of_a_long_record_is_its_last_screenful_and_k_moves_at_once() {
    let mut s = audit_state();
    open_with_records(&mut s, |r| r.error_type.as_deref() == Some("DQ_FAILURE"));
    press(&mut s, &["G"]);
    let end = text(&render(&s, 100, 20));
    assert!(
        end.contains("SUCCEEDED  2026-11-26 22:05:00 UTC"),
        "the last of the last runs: {end}"
    );
    press(&mut s, &["k"]);
    let up = text(&render(&s, 100, 20));
    assert_ne!(up, end, "one key up moves the view");
    assert!(
        up.contains("Last 10 runs") || up.contains("SUCCEEDED"),
        "{up}"
    );
}
