//! `update()` tests of the Insights pane: the editor is an input mode
//! (letters are text), running and stopping a query, rows replaced on each
//! poll, the group picker, the time range, history recall.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Resource, State};
use pipedeck::cloud::{CloudError, InsightsQuery, LogGroup, QueryResults, QueryStats, QueryStatus};
use pipedeck::panes::insights::{Focus, Range};
use pipedeck::panes::PaneId;

fn start_effect(fx: &[Effect]) -> (u64, InsightsQuery) {
    insights_start(fx).unwrap_or_else(|| panic!("no StartQuery in {fx:?}"))
}

fn started(s: &mut State, run: u64, query: InsightsQuery, id: &str) -> Vec<Effect> {
    update(
        s,
        loaded(
            Resource::InsightsStart { run, query },
            Data::QueryStarted(id.into()),
        ),
    )
}

fn rows(n: usize, status: QueryStatus) -> QueryResults {
    QueryResults {
        status,
        rows: (0..n)
            .map(|i| {
                vec![
                    ("@timestamp".into(), format!("2026-11-27 02:{i:02}:00.000")),
                    ("@message".into(), format!("ERROR {i}")),
                    ("@ptr".into(), format!("ptr-{i}")),
                ]
            })
            .collect(),
        stats: QueryStats {
            records_matched: n as f64,
            records_scanned: 1000.0,
            bytes_scanned: 5e6,
        },
    }
}

fn polled(s: &mut State, id: &str, r: QueryResults) {
    update(
        s,
        loaded(
            Resource::InsightsResults {
                query_id: id.into(),
            },
            Data::QueryResults(r),
        ),
    );
}

#[test]
fn in_the_editor_q_x_and_r_are_text_and_esc_leaves() {
    let mut s = insights_state();
    press(&mut s, &["e"]);
    assert_eq!(s.panes.insights.focus(), Focus::Editor);
    let before = s.panes.insights.query_text();
    let fx = press(&mut s, &["q", "X", "R"]);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(!s.quitting);
    assert_eq!(s.panes.insights.query_text(), format!("{before}qXR"));
    press(&mut s, &["esc"]);
    assert_eq!(s.panes.insights.focus(), Focus::Results);
}

#[test]
fn ctrl_r_starts_with_the_groups_and_range_then_polls_and_replaces_rows() {
    let mut s = insights_state();
    let fx = press(&mut s, &["ctrl-r"]);
    let (run, query) = start_effect(&fx);
    assert_eq!(query.groups, ["/aws-glue/jobs/error"]);
    assert_eq!(
        query.end - query.start,
        chrono::Duration::hours(1),
        "default: last 1h"
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::SaveState { file: "insights.json", json } if json.contains("\"history\""))),
        "history saved"
    );
    let fx = started(&mut s, run, query, "q-1");
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::InsightsResults {
            query_id: "q-1".into()
        })]
    );
    assert!(s.subscriptions().contains(&(
        Resource::InsightsResults {
            query_id: "q-1".into()
        },
        true
    )));
    polled(&mut s, "q-1", rows(2, QueryStatus::Running));
    assert_eq!(s.panes.insights.results().len(), 2);
    polled(&mut s, "q-1", rows(5, QueryStatus::Complete));
    assert_eq!(s.panes.insights.results().len(), 5, "replaced, not 2 + 5");
    assert_eq!(
        s.panes.insights.results().columns(),
        ["@timestamp", "@message"]
    );
    assert!(
        !s.subscriptions()
            .iter()
            .any(|(r, _)| matches!(r, Resource::InsightsResults { .. })),
        "Complete ends the polling"
    );
    // Enter opens the record behind the row.
    let fx = press(&mut s, &["enter"]);
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::LogRecord {
            ptr: "ptr-0".into()
        })]
    );
    assert_eq!(s.panes.insights.focus(), Focus::Record);
}

#[test]
fn x_re_run_and_quit_each_stop_the_running_query() {
    let mut s = insights_state();
    let (run, q) = start_effect(&press(&mut s, &["ctrl-r"]));
    started(&mut s, run, q, "q-1");
    assert_eq!(press(&mut s, &["X"]), vec![Effect::StopQuery("q-1".into())]);
    // Re-run while one runs: the old one is stopped first.
    let (run, q) = start_effect(&press(&mut s, &["ctrl-r"]));
    started(&mut s, run, q, "q-2");
    let fx = press(&mut s, &["F5"]);
    assert_eq!(fx[0], Effect::StopQuery("q-2".into()));
    let (run, q) = start_effect(&fx);
    started(&mut s, run, q, "q-3");
    // Quit stops it too, before leaving.
    let fx = press(&mut s, &["q"]);
    assert_eq!(fx, vec![Effect::StopQuery("q-3".into()), Effect::Quit]);
}

#[test]
fn a_start_answer_for_a_replaced_run_is_stopped_at_once() {
    let mut s = insights_state();
    let (first, q1) = start_effect(&press(&mut s, &["ctrl-r"]));
    // Re-run before the first StartQuery answered.
    start_effect(&press(&mut s, &["ctrl-r"]));
    let fx = started(&mut s, first, q1, "q-late");
    assert_eq!(fx, vec![Effect::StopQuery("q-late".into())]);
}

#[test]
fn a_malformed_query_shows_the_service_message() {
    let mut s = insights_state();
    let (run, query) = start_effect(&press(&mut s, &["ctrl-r"]));
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::InsightsStart { run, query },
            at: now(),
            result: Err(CloudError::Other {
                code: "MalformedQueryException".into(),
                message: "unexpected symbol found | at line 2".into(),
            }),
            next_in: None,
        },
    );
    let err = s.panes.insights.error().unwrap();
    assert!(
        err.contains("MalformedQueryException") && err.contains("line 2"),
        "{err}"
    );
    let screen = text(&render(&s, 120, 30));
    assert!(
        screen.contains("unexpected symbol found | at line 2"),
        "{screen}"
    );
}

#[test]
fn no_groups_no_run_and_the_picker_selects_up_to_fifty() {
    let mut s = empty_state(false);
    goto(&mut s, PaneId::Insights);
    let fx = press(&mut s, &["ctrl-r"]);
    assert!(fx.is_empty());
    assert!(s
        .flash
        .as_ref()
        .unwrap()
        .text
        .contains("choose log groups first"));
    let fx = press(&mut s, &["p"]);
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::LogGroups {
            prefix: String::new()
        })]
    );
    let many: Vec<LogGroup> = (0..60)
        .map(|i| LogGroup {
            name: format!("/aws/lambda/fn-{i:02}"),
            stored_bytes: None,
            retention_days: None,
        })
        .collect();
    update(
        &mut s,
        loaded(
            Resource::LogGroups {
                prefix: String::new(),
            },
            Data::LogGroups(many),
        ),
    );
    for _ in 0..55 {
        press(&mut s, &["space", "j"]);
    }
    assert_eq!(s.panes.insights.groups().len(), 50);
    assert!(s
        .flash
        .as_ref()
        .unwrap()
        .text
        .contains("50 log groups at most"));
    // Typing a prefix in the picker is text, Enter searches.
    let fx = press(&mut s, &["/", "q", "enter"]);
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::LogGroups { prefix: "q".into() })]
    );
}

#[test]
fn time_range_presets_cycle_and_an_absolute_range_is_accepted() {
    let mut s = insights_state();
    assert_eq!(s.panes.insights.range().label(), "last 1h");
    press(&mut s, &["w"]);
    assert_eq!(s.panes.insights.range().label(), "last 3h");
    press(&mut s, &[":"]);
    type_text(&mut s, "range 2026-11-27T02:00:00Z 2026-11-27T03:00:00Z");
    press(&mut s, &["enter"]);
    assert!(matches!(s.panes.insights.range(), Range::Absolute(..)));
    let (_, q) = start_effect(&press(&mut s, &["ctrl-r"]));
    assert_eq!(q.start.timestamp(), 1_795_744_800);
    assert_eq!(q.end.timestamp(), 1_795_748_400);
}

#[test]
fn history_recalls_earlier_queries_newest_first() {
    let mut s = insights_state();
    press(&mut s, &["ctrl-r"]);
    press(&mut s, &["e", "esc"]);
    press(&mut s, &["e"]);
    type_text(&mut s, " | limit 1");
    press(&mut s, &["esc", "ctrl-r"]);
    assert_eq!(s.panes.insights.history().len(), 2);
    press(&mut s, &["e"]);
    type_text(&mut s, "zzz");
    press(&mut s, &["esc", "ctrl-p"]);
    assert!(s.panes.insights.query_text().ends_with("| limit 1"));
    press(&mut s, &["ctrl-p"]);
    assert!(s.panes.insights.query_text().ends_with("| limit 100"));
}

#[test]
fn running_from_the_editor_stays_in_the_editor() {
    let mut s = insights_state();
    press(&mut s, &["e", "ctrl-r"]);
    assert_eq!(s.panes.insights.focus(), Focus::Editor);
    let fx = press(&mut s, &["q"]);
    assert!(!s.quitting && fx.is_empty(), "q after ctrl-r is still text");
    assert!(s.panes.insights.query_text().ends_with('q'));
}
