//! Snapshot tests of the Insights pane over the demo account: the editor
//! with its highlighting (styled), a running query with partial rows, the
//! complete table, a record, a service error.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{CloudError, CloudRead};
use pipedeck::panes::insights::memory::ProfileMemory;
use pipedeck::panes::PaneId;

fn insights_state() -> State {
    let mut s = demo_state(false);
    s.panes.insights.load_memory(ProfileMemory {
        profile: "demo".into(),
        groups: vec!["/aws-glue/jobs/error".into()],
        history: vec![],
    });
    goto(&mut s, PaneId::Insights);
    s
}

/// ctrl-r, then the demo's answers: the start, then `polls` result polls.
fn run(s: &mut State, polls: usize) {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let fx = press(s, &["ctrl-r"]);
    let (run, query) = insights_start(&fx).unwrap();
    let id = futures::executor::block_on(demo.start_query(&query)).unwrap();
    update(
        s,
        loaded(
            Resource::InsightsStart { run, query },
            Data::QueryStarted(id.clone()),
        ),
    );
    for _ in 0..polls {
        let r = futures::executor::block_on(demo.query_results(&id)).unwrap();
        update(
            s,
            Msg::Loaded {
                resource: Resource::InsightsResults {
                    query_id: id.clone(),
                },
                at: now() + chrono::Duration::seconds(3),
                result: Ok(Data::QueryResults(r)),
                next_in: Some(std::time::Duration::from_secs(1)),
            },
        );
    }
}

#[test]
fn editor_with_highlighting() {
    let mut s = insights_state();
    press(&mut s, &["e"]);
    insta::assert_snapshot!(
        "insights_editor_styled_110x16",
        styled(&render(&s, 110, 16))
    );
}

#[test]
fn running_with_partial_rows_then_complete() {
    let mut s = insights_state();
    run(&mut s, 1);
    insta::assert_snapshot!("insights_running_110x24", text(&render(&s, 110, 24)));
    run(&mut s, 2);
    insta::assert_snapshot!("insights_complete_110x24", text(&render(&s, 110, 24)));
    let fx = press(&mut s, &["enter"]);
    let Some(Effect::Refresh(Resource::LogRecord { ptr })) = fx.into_iter().next() else {
        panic!("Enter on a row asks for its record");
    };
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let rec = futures::executor::block_on(demo.log_record(&ptr)).unwrap();
    update(
        &mut s,
        loaded(Resource::LogRecord { ptr }, Data::LogRecord(rec)),
    );
    insta::assert_snapshot!("insights_record_110x24", text(&render(&s, 110, 24)));
}

#[test]
fn a_service_error_under_the_editor() {
    let mut s = insights_state();
    let fx = press(&mut s, &["ctrl-r"]);
    let Some(Effect::Refresh(resource)) = fx
        .into_iter()
        .find(|e| matches!(e, Effect::Refresh(Resource::InsightsStart { .. })))
    else {
        panic!()
    };
    update(
        &mut s,
        Msg::Loaded {
            resource,
            at: now(),
            result: Err(CloudError::Other {
                code: "MalformedQueryException".into(),
                message: "unexpected symbol found | at line 2 and position 1".into(),
            }),
            next_in: None,
        },
    );
    insta::assert_snapshot!("insights_error_styled_110x16", styled(&render(&s, 110, 16)));
}

#[test]
fn tiny_terminals_never_panic_in_insights() {
    let mut s = insights_state();
    run(&mut s, 2);
    for (w, h) in [(1, 1), (10, 4), (30, 8), (50, 12)] {
        render(&s, w, h);
    }
    press(&mut s, &["e"]);
    for (w, h) in [(1, 1), (10, 4), (30, 8)] {
        render(&s, w, h);
    }
}
