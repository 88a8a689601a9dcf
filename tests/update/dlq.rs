//! `update()` tests of the DLQ pane: ordering, the header total, peek only
//! on request, marks, and which action each key asks the gate for.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Overlay, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::sqs::redrive::Destination;
use pipedeck::cloud::{CloudRead, MoveTask};
use pipedeck::gate::{Action, ConfirmKind};
use pipedeck::panes::dlq::View;
use pipedeck::panes::PaneId;

fn dlq_state(read_only: bool) -> State {
    let mut s = empty_state(read_only);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let id = futures::executor::block_on(demo.identity()).unwrap();
    update(&mut s, loaded(Resource::Identity, Data::Identity(id)));
    load_demo_dlqs(&mut s, &demo);
    goto(&mut s, PaneId::Dlq);
    s
}

fn flash(s: &State) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn pending(s: &State) -> Box<pipedeck::gate::PendingConfirm> {
    match &s.overlay {
        Some(Overlay::Confirm(p)) => p.clone(),
        other => panic!("no confirmation: {other:?}"),
    }
}

#[test]
fn deepest_first_and_the_header_counts_every_dlq_message() {
    let s = dlq_state(false);
    let rows: Vec<(&str, i64)> = s
        .panes
        .dlq
        .visible()
        .map(|d| (d.name.as_str(), d.visible))
        .collect();
    assert_eq!(
        rows,
        [
            ("pipeline-events-dlq", 37),
            ("alerts-fanout-dlq", 4),
            ("ordered-jobs-dlq.fifo", 2),
            ("pipeline-dlq", 1),
            ("file-arrival-dlq", 0),
        ]
    );
    let header = text(&render(&s, 160, 30));
    assert!(
        header.lines().next().unwrap().contains("✗ DLQ msgs 44"),
        "{header}"
    );
}

#[test]
fn a_peek_is_never_polled_only_asked_for() {
    let mut s = dlq_state(false);
    let subs = s.subscriptions();
    assert!(
        subs.iter()
            .all(|(r, _)| !matches!(r, Resource::DlqPeek { .. })),
        "{subs:?}"
    );
    assert!(subs
        .iter()
        .any(|(r, _)| matches!(r, Resource::DlqMetrics { .. })));
    peek_selected_dlq(&mut s);
    assert_eq!(
        s.panes.dlq.view(),
        &View::Peek {
            queue: "pipeline-events-dlq".into()
        }
    );
    assert_eq!(s.panes.dlq.peek().unwrap().messages.len(), 10);
    let subs = s.subscriptions();
    assert!(subs
        .iter()
        .all(|(r, _)| !matches!(r, Resource::DlqPeek { .. })));
    let screen = text(&render(&s, 120, 40));
    assert!(screen.contains("peeking counts as a receive"), "{screen}");
}

#[test]
fn marked_messages_are_redriven_client_side_and_nothing_else() {
    let mut s = dlq_state(false);
    peek_selected_dlq(&mut s);
    press(&mut s, &["space", "j", "space"]);
    let marked: Vec<String> = s.panes.dlq.peek().unwrap().messages[..1]
        .iter()
        .chain(&s.panes.dlq.peek().unwrap().messages[2..3])
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(s.panes.dlq.peek().unwrap().marked.len(), 2);
    press(&mut s, &["R"]);
    let p = pending(&s);
    match p.action() {
        Action::ClientRedrive { count, plan, .. } => {
            assert_eq!(*count, 2);
            let only: Vec<String> = plan.only.clone().unwrap().into_iter().collect();
            let mut want = marked.clone();
            want.sort();
            assert_eq!(only, want);
            assert!(matches!(plan.destination, Destination::BySource { .. }));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        p.question.contains("the marked 2 message(s)"),
        "{}",
        p.question
    );
    assert!(
        p.question.contains("123456789012/eu-west-1"),
        "{}",
        p.question
    );
}

#[test]
fn r_on_a_dlq_with_sources_starts_a_move_task_to_them() {
    let mut s = dlq_state(false);
    press(&mut s, &["R"]);
    let p = pending(&s);
    assert_eq!(p.kind, ConfirmKind::YesNo);
    match p.action() {
        Action::RedriveDlq {
            queue,
            count,
            destination,
            ..
        } => {
            assert_eq!(queue, "pipeline-events-dlq");
            assert_eq!(*count, 37);
            assert_eq!(destination, &None);
        }
        other => panic!("{other:?}"),
    }
    assert!(p.question.contains("Redrive 37 message(s) from DLQ pipeline-events-dlq to the original source (pipeline-events)"), "{}", p.question);
}

#[test]
fn command_line_picks_a_destination_and_rate_and_checks_queue_types() {
    let mut s = dlq_state(false);
    press(&mut s, &[":"]);
    type_text(&mut s, "redrive orders-replay 25");
    press(&mut s, &["enter"]);
    match pending(&s).action() {
        Action::RedriveDlq {
            destination,
            max_per_second,
            ..
        } => {
            assert_eq!(
                destination,
                &Some((
                    "orders-replay".into(),
                    "arn:aws:sqs:eu-west-1:123456789012:orders-replay".into()
                ))
            );
            assert_eq!(*max_per_second, Some(25));
        }
        other => panic!("{other:?}"),
    }
    press(&mut s, &["n"]);
    press(&mut s, &[":"]);
    type_text(&mut s, "redrive orders.fifo");
    press(&mut s, &["enter"]);
    assert!(s.overlay.is_none());
    assert!(
        flash(&s).contains("not the same queue type"),
        "{}",
        flash(&s)
    );
}

#[test]
fn an_sns_fed_dlq_needs_a_named_destination_and_moves_client_side() {
    let mut s = dlq_state(false);
    press(&mut s, &["j"]); // alerts-fanout-dlq
    press(&mut s, &["R"]);
    assert!(s.overlay.is_none());
    assert!(flash(&s).contains(":redrive <queue>"), "{}", flash(&s));
    press(&mut s, &[":"]);
    type_text(&mut s, "redrive alerts-fanout");
    press(&mut s, &["enter"]);
    match pending(&s).action() {
        Action::ClientRedrive { plan, count, .. } => {
            assert_eq!(*count, 4);
            assert_eq!(plan.only, None);
            assert_eq!(
                plan.destination,
                Destination::Fixed {
                    url: "mem://123456789012/alerts-fanout".into()
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

fn with_task(s: &mut State, status: &str) {
    let mut dlqs = s.panes.dlq.dlqs().to_vec();
    let d = dlqs
        .iter_mut()
        .find(|d| d.name == "pipeline-events-dlq")
        .unwrap();
    d.move_task = Some(MoveTask {
        handle: (status == "RUNNING").then(|| "task-7".into()),
        status: status.into(),
        moved: 12,
        to_move: Some(37),
        destination_arn: None,
        max_per_second: Some(5),
        failure_reason: None,
        started: Some(now()),
    });
    update(
        s,
        Msg::Loaded {
            resource: Resource::Dlqs { configured: vec![] },
            at: now(),
            result: Ok(Data::Dlqs(dlqs)),
            next_in: None,
        },
    );
}

#[test]
fn a_running_task_is_shown_watched_closely_and_cancelled_with_x() {
    let mut s = dlq_state(false);
    with_task(&mut s, "RUNNING");
    // R shows the running task instead of failing on a second one.
    press(&mut s, &["R"]);
    assert!(s.overlay.is_none());
    assert!(
        flash(&s).contains("already RUNNING (12 of 37 moved)"),
        "{}",
        flash(&s)
    );
    assert!(s
        .subscriptions()
        .iter()
        .any(|(r, _)| matches!(r, Resource::DlqProgress { .. })));
    let screen = text(&render(&s, 220, 30));
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("⟳ pipeline-events-dlq 12/37"),
        "{screen}"
    );
    press(&mut s, &["X"]);
    match pending(&s).action() {
        Action::CancelRedrive { task_handle, .. } => assert_eq!(task_handle, "task-7"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_task_status_still_counts_as_running() {
    let mut s = dlq_state(false);
    with_task(&mut s, "CANCELLING");
    press(&mut s, &["R"]);
    assert!(
        s.overlay.is_none(),
        "no second task while one is CANCELLING"
    );
    with_task(&mut s, "COMPLETED");
    press(&mut s, &["R"]);
    assert!(s.overlay.is_some(), "a finished task does not block");
}

#[test]
fn purge_needs_the_name_typed_and_read_only_refuses_everything() {
    let mut s = dlq_state(false);
    press(&mut s, &["P"]);
    assert_eq!(
        pending(&s).kind,
        ConfirmKind::Typed {
            expect: "pipeline-events-dlq".into()
        }
    );
    let mut ro = dlq_state(true);
    for key in ["R", "P"] {
        let fx = press(&mut ro, &[key]);
        assert!(ro.overlay.is_none());
        assert!(flash(&ro).contains("read-only mode"), "{}", flash(&ro));
        assert!(matches!(fx.as_slice(), [Effect::Journal(_)]), "{fx:?}");
    }
}
