//! Snapshot tests of the DLQ pane over the demo account frozen at one
//! instant: the list (with styles: a non-empty DLQ is red), a peek, the
//! redrive confirmation, a redrive in progress.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Msg, Resource, State};
use pipedeck::cloud::{DlqProgress, MoveTask};
use pipedeck::panes::PaneId;

fn dlq_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Dlq);
    s
}

fn at_sizes(name: &str, s: &State) {
    for (w, h) in [(100, 30), (60, 15)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&render(s, w, h)));
    }
}

#[test]
fn dlq_list() {
    let s = dlq_state();
    at_sizes("dlq_list", &s);
    insta::assert_snapshot!("dlq_list_styled_100x30", styled(&render(&s, 100, 30)));
}

#[test]
fn dlq_peek_with_marks() {
    let mut s = dlq_state();
    peek_selected_dlq(&mut s);
    press(&mut s, &["space", "space"]);
    at_sizes("dlq_peek", &s);
    press(&mut s, &["R"]);
    at_sizes("dlq_confirm_marked", &s);
}

#[test]
fn dlq_redrive_confirmation_and_progress() {
    let mut s = dlq_state();
    press(&mut s, &["R"]);
    at_sizes("dlq_confirm_redrive", &s);
    press(&mut s, &["n"]);
    let url = "mem://123456789012/pipeline-events-dlq".to_string();
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::DlqProgress {
                url: url.clone(),
                arn: "arn:aws:sqs:eu-west-1:123456789012:pipeline-events-dlq".into(),
            },
            at: now(),
            result: Ok(Data::DlqProgress(DlqProgress {
                visible: 25,
                in_flight: 0,
                delayed: 0,
                move_task: Some(MoveTask {
                    handle: Some("task-1".into()),
                    status: "RUNNING".into(),
                    moved: 12,
                    to_move: Some(37),
                    destination_arn: None,
                    max_per_second: Some(3),
                    failure_reason: None,
                    started: Some(now() - chrono::Duration::seconds(4)),
                }),
            })),
            next_in: None,
        },
    );
    insta::assert_snapshot!("dlq_progress_120x30", text(&render(&s, 120, 30)));
}

#[test]
fn tiny_terminals_never_panic_in_any_dlq_view() {
    let mut s = dlq_state();
    let sizes = [(1, 1), (2, 2), (20, 5), (30, 8), (45, 12), (80, 10)];
    for (w, h) in sizes {
        render(&s, w, h);
    }
    press(&mut s, &["G", "enter"]); // a peek with no answer yet
    for (w, h) in sizes {
        render(&s, w, h);
    }
    press(&mut s, &["R"]); // a confirmation over it
    for (w, h) in sizes {
        render(&s, w, h);
    }
}

#[test]
fn a_message_near_expiry_is_flagged_in_words_not_only_colour() {
    let mut s = dlq_state();
    press(&mut s, &["j"]); // alerts-fanout-dlq: nearly 14 days old
    peek_selected_dlq(&mut s);
    let screen = text(&render(&s, 140, 40));
    assert!(screen.contains("⚠ 4 expire soon"), "{screen}");
    assert!(screen.contains("expires"), "{screen}");
}
