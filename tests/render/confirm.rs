//! The confirmation dialog, the last step before AWS is changed: every line
//! of its question and its input line are on screen at any size that can
//! show it; a size that cannot says so and lets nothing through; a re-run
//! lists the arguments it will send, secrets masked, scrollable.

use crate::common;

use common::*;
use pipedeck::app::{update, Effect, Msg, Overlay, State};
use pipedeck::cloud::RunState;
use pipedeck::gate::Action;
use pipedeck::panes::PaneId;
use std::collections::BTreeMap;

fn resize(s: &mut State, w: u16, h: u16) {
    update(
        s,
        Msg::Resize {
            width: w,
            height: h,
        },
    );
}

/// The EMR pane with the typed confirmation for cancelling the pending
/// step on production-spark-cluster open (the case the issue saw).
fn cancel_step_dialog() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Emr);
    press(&mut s, &["j", "enter", "X"]);
    assert!(
        matches!(s.overlay, Some(Overlay::Confirm(_))),
        "{:?}",
        s.flash
    );
    s
}

fn question(s: &State) -> String {
    match &s.overlay {
        Some(Overlay::Confirm(p)) => p.question.clone(),
        _ => panic!("no confirmation open"),
    }
}

/// The text inside the dialog's rounded box (between ╭ and ╯), as one
/// string of words, so a wrapped question can be searched whole.
fn dialog_words(screen: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|r| r.contains(&'╭'))
        .expect("no dialog");
    let left = rows[top].iter().position(|c| *c == '╭').unwrap();
    let right = rows[top].iter().position(|c| *c == '╮').unwrap();
    rows[top + 1..]
        .iter()
        .take_while(|r| r.get(left) != Some(&'╰'))
        .map(|r| r[left + 1..right].iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn typed_confirmation_shows_every_question_line_and_the_input_at_three_sizes() {
    for (w, h) in [(120, 36), (80, 24), (50, 20)] {
        let mut s = cancel_step_dialog();
        resize(&mut s, w, h);
        type_text(&mut s, "production");
        let screen = text(&render(&s, w, h));
        // The input line, with what was typed so far.
        assert!(screen.contains("> production▏"), "{w}x{h}\n{screen}");
        // Every word of the question, in order, inside the box.
        let words: Vec<String> = question(&s).split_whitespace().map(String::from).collect();
        let inside = dialog_words(&screen);
        let joined = words.join(" ");
        assert!(
            inside.contains(&joined),
            "{w}x{h}: question not whole in the dialog\n{screen}"
        );
        assert!(inside.contains("Type"), "{w}x{h}\n{screen}");
        // The box is closed below the input line (nothing cut off).
        let input_row = screen
            .lines()
            .position(|l| l.contains("> production"))
            .unwrap();
        let below = screen.lines().nth(input_row + 1).unwrap_or("");
        assert!(
            below.contains('╰'),
            "{w}x{h}: no border under the input\n{screen}"
        );
    }
}

#[test]
fn a_terminal_too_small_for_the_dialog_says_so_and_enter_does_nothing() {
    let mut s = cancel_step_dialog();
    resize(&mut s, 40, 10);
    type_text(&mut s, "production-spark-cluster");
    let screen = text(&render(&s, 40, 10));
    assert!(screen.contains("too small"), "{screen}");
    assert!(!screen.contains("> production"), "{screen}");
    let fx = press(&mut s, &["enter"]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Execute(_))),
        "approved from a dialog nobody could read: {fx:?}"
    );
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    // Made big enough, the same Enter proceeds.
    resize(&mut s, 100, 30);
    let fx = press(&mut s, &["enter"]);
    assert!(fx.iter().any(|e| matches!(e, Effect::Execute(_))), "{fx:?}");
}

#[test]
fn a_yes_no_dialog_that_does_not_fit_refuses_y_too() {
    let mut s = demo_state(false);
    press(&mut s, &["/"]);
    type_text(&mut s, "dq");
    press(&mut s, &["enter", "R"]);
    resize(&mut s, 30, 9);
    assert!(press(&mut s, &["y"]).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    assert!(s.flash.as_ref().unwrap().text.contains("too small"));
}

fn rerun_state(arguments: &[(&str, &str)]) -> State {
    let mut r = run(
        "nightly-load",
        "jr_0123456789abcdef0123456789",
        RunState::Failed,
        30,
    );
    r.arguments = arguments
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<BTreeMap<_, _>>();
    let mut s = state_with_jobs(vec![job("nightly-load", 1, vec![r])], false);
    press(&mut s, &["R"]);
    assert!(
        matches!(s.overlay, Some(Overlay::Confirm(_))),
        "{:?}",
        s.flash
    );
    s
}

#[test]
fn rerun_lists_its_arguments_and_masks_secrets() {
    let mut s = rerun_state(&[
        ("--source", "s3://raw/orders/2026-11-30/"),
        ("--db_password", "hunter2"),
        ("--API_TOKEN", "tok-123"),
        ("--aws_secret", "abc"),
        ("--kms_key_id", "alias/orders"),
        ("--source_key", "uploads/orders/2026-11-30/orders.csv"),
    ]);
    resize(&mut s, 100, 30);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("6 arguments:"), "{screen}");
    // An S3 object key is the file to look at, not a secret.
    assert!(
        screen.contains("--source_key = uploads/orders/2026-11-30/orders.csv"),
        "{screen}"
    );
    assert!(
        screen.contains("--source = s3://raw/orders/2026-11-30/"),
        "{screen}"
    );
    for secret in ["hunter2", "tok-123", "= abc", "alias/orders"] {
        assert!(!screen.contains(secret), "{secret} shown:\n{screen}");
    }
    assert!(screen.contains("--db_password = ••••••"), "{screen}");
    // Masking is for the eyes only: StartJobRun gets the real values.
    let fx = press(&mut s, &["y"]);
    let Some(Effect::Execute(a)) = fx.first() else {
        panic!("{fx:?}")
    };
    let Action::RerunGlueJob { arguments, .. } = a.action() else {
        panic!()
    };
    assert_eq!(arguments["--db_password"], "hunter2");
}

#[test]
fn many_arguments_scroll_with_a_marker_and_stop_at_the_end() {
    let args: Vec<(String, String)> = (0..30)
        .map(|i| (format!("--arg_{i:02}"), format!("value-{i}")))
        .collect();
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut s = rerun_state(&refs);
    resize(&mut s, 100, 30);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("--arg_00"), "{screen}");
    assert!(!screen.contains("--arg_29"), "{screen}");
    assert!(
        screen.contains("more (↑/↓ scroll)"),
        "no scroll marker\n{screen}"
    );
    for _ in 0..60 {
        press(&mut s, &["down"]);
    }
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("--arg_29 = value-29"), "{screen}");
    assert!(!screen.contains("--arg_00"), "{screen}");
    // The question and the answer line stay put while the list scrolls.
    assert!(
        screen.contains("Start a new run of Glue job nightly-load"),
        "{screen}"
    );
    assert!(screen.contains("y proceed"), "{screen}");
    press(&mut s, &["pgup", "pgup", "pgup", "pgup"]);
    assert!(text(&render(&s, 100, 30)).contains("--arg_00"));
}

#[test]
fn a_typed_name_longer_than_the_box_shows_its_end() {
    let mut s = cancel_step_dialog();
    resize(&mut s, 50, 24);
    type_text(&mut s, &"x".repeat(80));
    type_text(&mut s, "END");
    let screen = text(&render(&s, 50, 24));
    assert!(screen.contains("xEND▏"), "{screen}");
}

#[test]
fn under_the_frames_minimum_nothing_is_approved_blind() {
    // Below 30×8 the screen shows only "pipedeck needs 30×8": y and a typed
    // name must do nothing there, whatever the dialog's own size.
    for (w, h) in [(29, 20), (100, 7)] {
        let mut s = demo_state(false);
        press(&mut s, &["/"]);
        type_text(&mut s, "dq");
        press(&mut s, &["enter", "R"]);
        resize(&mut s, w, h);
        assert!(press(&mut s, &["y"]).is_empty(), "{w}x{h}");
        assert!(matches!(s.overlay, Some(Overlay::Confirm(_))), "{w}x{h}");
        let mut s = cancel_step_dialog();
        resize(&mut s, w, h);
        type_text(&mut s, "production-spark-cluster");
        let fx = press(&mut s, &["enter"]);
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::Execute(_))),
            "{w}x{h}: {fx:?}"
        );
    }
}

#[test]
fn the_typed_dialog_at_the_sizes_the_issue_saw() {
    for (w, h) in [(120, 36), (80, 24), (60, 15)] {
        let mut s = cancel_step_dialog();
        resize(&mut s, w, h);
        type_text(&mut s, "production-spark");
        insta::assert_snapshot!(
            format!("typed_cancel_step_{w}x{h}"),
            text(&render(&s, w, h))
        );
    }
}

/// Under 30×8 only "pipedeck needs 30×8" is drawn: no key acts unseen — a
/// DLQ peek (which counts as a receive) least of all — but `q` still quits.
#[test]
fn under_the_minimum_size_keys_do_nothing_but_quit() {
    let mut s = demo_state(false);
    goto(&mut s, pipedeck::panes::PaneId::Dlq);
    pipedeck::app::update(
        &mut s,
        pipedeck::app::Msg::Resize {
            width: 25,
            height: 6,
        },
    );
    for k in ["enter", "R", "4", "?", ":"] {
        assert!(press(&mut s, &[k]).is_empty(), "{k} acted at 25×6");
    }
    assert_eq!(s.active, pipedeck::panes::PaneId::Dlq);
    assert!(s.overlay.is_none() && s.cmdline.is_none());
    press(&mut s, &["q"]);
    assert!(s.quitting);
}
