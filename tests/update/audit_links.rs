//! `update()` tests of the ties between a run's places: a Glue run's audit
//! record (`a` opens it), an audit record's Glue run (`a`) and its logs
//! (`t`), a DLQ message naming its run (P8's `run_id`), and what the open
//! record reads beside it (asked for that run only).

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Resource, State};
use pipedeck::cloud::audit::records::RunRef;
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::PaneId;
use pipedeck::ui::components::drill::Level;

fn with_audit() -> State {
    let mut s = demo_state(false);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let tables = futures::executor::block_on(demo.audit_runs()).unwrap();
    update(
        &mut s,
        loaded(Resource::AuditRuns, Data::AuditRuns(tables.into())),
    );
    s
}

fn select_job(s: &mut State, name: &str) {
    goto(s, PaneId::Glue);
    let at = s
        .panes
        .glue
        .visible_jobs()
        .position(|j| j.name == name)
        .unwrap();
    for _ in 0..at {
        press(s, &["j"]);
    }
}

/// The audit pane, its cursor on the first record `pick` matches.
fn select_record(s: &mut State, pick: impl Fn(&pipedeck::cloud::audit::AuditRun) -> bool) {
    goto(s, PaneId::Audit);
    let at = s.panes.audit.visible().position(pick).unwrap();
    for _ in 0..at {
        press(s, &["j"]);
    }
}

/// The DLQ pane, peeking at `queue`.
fn peek_dlq(s: &mut State, queue: &str) {
    goto(s, PaneId::Dlq);
    let at = s.panes.dlq.visible().position(|d| d.name == queue).unwrap();
    for _ in 0..at {
        press(s, &["j"]);
    }
    peek_selected_dlq(s);
}

fn flash(s: &State) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

#[test]
fn a_glue_run_opens_its_audit_record_and_the_record_opens_the_run_back() {
    let mut s = with_audit();
    select_job(&mut s, "dq-orders-silver");
    let run = s.panes.glue.selected_run().unwrap().clone();
    // The run's detail names its record.
    press(&mut s, &["enter", "enter"]);
    assert!(matches!(s.panes.glue.view(), Level::Detail { .. }));
    let screen = text(&render(&s, 140, 40));
    assert!(
        screen.contains("Audit record    FAILED in pipeline_audit — DQ_FAILURE: DQ gate"),
        "{screen}"
    );
    press(&mut s, &["a"]);
    assert_eq!(s.active, PaneId::Audit);
    let record = s.panes.audit.selected().unwrap();
    assert_eq!(record.glue_run_id.as_deref(), Some(run.id.as_str()));
    assert!(matches!(
        s.panes.audit.view(),
        pipedeck::panes::audit::View::Detail(_)
    ));
    // And back: the record's Glue run, in its job.
    press(&mut s, &["a"]);
    assert_eq!(s.active, PaneId::Glue);
    assert_eq!(
        s.panes.glue.view(),
        &Level::Detail {
            parent: "dq-orders-silver".into(),
            item: run.id.clone()
        }
    );
}

#[test]
fn t_on_a_record_goes_through_its_glue_run_to_the_logs() {
    let mut s = with_audit();
    select_record(&mut s, |r| r.error_type.as_deref() == Some("DQ_FAILURE"));
    let glue_run = s
        .panes
        .audit
        .selected()
        .unwrap()
        .glue_run_id
        .clone()
        .unwrap();
    press(&mut s, &["enter", "t"]);
    assert_eq!(s.active, PaneId::Insights, "{}", flash(&s));
    let q = s.panes.insights.query_text();
    assert!(q.contains("@message"), "{q}");
    // The triage of that run, not Insights' own query: its streams.
    assert!(q.contains(&glue_run), "{q}");
}

#[test]
fn a_record_without_a_glue_run_says_so_and_a_run_without_a_record_too() {
    let mut s = with_audit();
    select_record(&mut s, |r| r.run_id.as_deref() == Some("run-partner-0412"));
    press(&mut s, &["enter", "a"]);
    assert_eq!(s.active, PaneId::Audit, "no Glue run id: it stays");
    assert!(flash(&s).contains("names no Glue run id"), "{}", flash(&s));
    // A Glue run the tables know nothing of.
    let mut s = demo_state(false);
    select_job(&mut s, "dq-orders-silver");
    press(&mut s, &["a"]);
    assert_eq!(s.active, PaneId::Glue);
    assert!(
        flash(&s).contains("no audit record of jr_"),
        "{}",
        flash(&s)
    );
}

#[test]
fn a_dlq_message_naming_its_run_opens_the_record() {
    let mut s = with_audit();
    peek_dlq(&mut s, "pipeline-dlq");
    let screen = text(&render(&s, 140, 40));
    assert!(
        screen.contains("run-partner-0412 — audit record REQUIRES_MANUAL_REVIEW in pipeline_audit"),
        "{screen}"
    );
    press(&mut s, &["a"]);
    assert_eq!(s.active, PaneId::Audit);
    assert_eq!(
        s.panes.audit.selected().unwrap().run_id.as_deref(),
        Some("run-partner-0412")
    );
}

#[test]
fn an_open_record_asks_for_its_neighbours_and_keeps_only_its_own() {
    let mut s = with_audit();
    goto(&mut s, PaneId::Audit);
    assert!(!s
        .subscriptions()
        .iter()
        .any(|(r, _)| matches!(r, Resource::AuditRecords(_))));
    press(&mut s, &["enter"]);
    let open = RunRef::of(s.panes.audit.selected().unwrap());
    assert!(s
        .subscriptions()
        .iter()
        .any(|(r, _)| *r == Resource::AuditRecords(open.clone())));
    // An answer for another run (the user moved on) is dropped.
    let other = RunRef {
        run_id: Some("someone-else".into()),
        ..open.clone()
    };
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let recs = futures::executor::block_on(demo.audit_records(&open)).unwrap();
    update(
        &mut s,
        loaded(
            Resource::AuditRecords(other),
            Data::AuditRecords(Box::new(recs.clone())),
        ),
    );
    assert!(s.panes.audit.records().is_none());
    update(
        &mut s,
        loaded(
            Resource::AuditRecords(open),
            Data::AuditRecords(Box::new(recs)),
        ),
    );
    assert!(s.panes.audit.records().is_some());
    press(&mut s, &["esc"]);
    assert!(s.panes.audit.records().is_none(), "only the open run's");
}

#[test]
fn a_message_whose_run_has_no_record_says_so_and_stays() {
    let mut s = with_audit();
    peek_dlq(&mut s, "alerts-fanout-dlq");
    // Its runs are 14 days old: no record in the day's read.
    press(&mut s, &["a"]);
    assert_eq!(s.active, PaneId::Dlq);
    assert!(flash(&s).contains("no audit record of"), "{}", flash(&s));
}

#[test]
fn a_glue_run_older_than_the_runs_read_is_said_not_silently_dropped() {
    use pipedeck::cloud::audit::{item_of, Fields, TableMapping, TableRead};
    let mut s = demo_state(false);
    let m = TableMapping {
        name: "audit".into(),
        fields: Fields {
            pipeline: "job".into(),
            glue_run_id: "glue_run".into(),
            status: "status".into(),
            ..Fields::default()
        },
        ..TableMapping::default()
    };
    let t = TableRead {
        table: "audit".into(),
        runs: vec![m.run_of(
            &item_of(&[
                ("job", "dq-orders-silver"),
                ("glue_run", "jr_from_last_month"),
                ("status", "FAILED"),
            ]),
            &[],
        )],
        ..TableRead::default()
    };
    update(
        &mut s,
        loaded(Resource::AuditRuns, Data::AuditRuns(vec![t].into())),
    );
    goto(&mut s, PaneId::Audit);
    let fx = press(&mut s, &["enter", "a"]);
    assert_eq!(s.active, PaneId::Glue);
    assert!(
        flash(&s).contains("reading the runs of dq-orders-silver"),
        "{}",
        flash(&s)
    );
    assert!(fx.iter().any(|e| matches!(
        e,
        pipedeck::app::Effect::Refresh(Resource::GlueRuns { job }) if job == "dq-orders-silver"
    )));
    let runs = demo_jobs()
        .into_iter()
        .find(|j| j.name == "dq-orders-silver")
        .unwrap()
        .runs;
    update(
        &mut s,
        loaded(
            Resource::GlueRuns {
                job: "dq-orders-silver".into(),
            },
            Data::GlueRuns(runs),
        ),
    );
    assert!(
        flash(&s).contains("jr_from_last_month is not among the"),
        "{}",
        flash(&s)
    );
    assert!(matches!(s.panes.glue.view(), Level::Sub { .. }));
}
