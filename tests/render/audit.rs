//! Snapshot tests of the audit pane over the demo account: failed first
//! (an empty upstream file, a DQ gate below its threshold), then a run
//! flagged stuck, an unknown status word shown as written, the rest; a
//! run's whole record.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::PaneId;

fn audit_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Audit);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let tables = futures::executor::block_on(demo.audit_runs()).unwrap();
    update(&mut s, loaded(Resource::AuditRuns, Data::AuditRuns(tables)));
    s
}

#[test]
fn the_runs_of_the_day_most_urgent_first() {
    let s = audit_state();
    insta::assert_snapshot!("audit_list_140x24", text(&render(&s, 140, 24)));
}

#[test]
fn a_dq_failure_s_whole_record() {
    let mut s = audit_state();
    let dq = s
        .panes
        .audit
        .visible()
        .position(|r| r.error_type.as_deref() == Some("DQ_FAILURE"))
        .unwrap();
    for _ in 0..dq {
        press(&mut s, &["j"]);
    }
    press(&mut s, &["enter"]);
    insta::assert_snapshot!("audit_dq_detail_100x24", text(&render(&s, 100, 24)));
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
