//! The alarms list opens on last session's picture: what was red, marked
//! as last seen, until the first fresh DescribeAlarms replaces it. The
//! picture is written when an alarm comes, goes or changes state — not on
//! every poll — and lives beside the snoozes, which it leaves alone.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{Alarm, AlarmState, CloudRead};
use pipedeck::panes::PaneId;

fn saved(fx: &[Effect]) -> Option<String> {
    fx.iter().find_map(|e| match e {
        Effect::SaveState { file, json } if *file == "alarms.json" => Some(json.clone()),
        _ => None,
    })
}

fn demo_alarms() -> Vec<Alarm> {
    futures::executor::block_on(DemoCloud::new(Clock::Fixed(now())).alarms()).unwrap()
}

/// A console on a real account (the demo keeps no picture), started on
/// what `dir` holds.
fn started(dir: &std::path::Path) -> State {
    let mut s = empty_state(false);
    s.conn.demo = false;
    pipedeck::startup::restore_panes(&mut s, dir, now());
    s
}

fn load_at(s: &mut State, alarms: Vec<Alarm>, minutes: i64) -> Vec<Effect> {
    update(
        s,
        loaded_at(
            Resource::Alarms,
            Data::Alarms(alarms),
            now() + chrono::Duration::minutes(minutes),
        ),
    )
}

#[test]
fn what_was_red_shows_at_start_marked_stale_until_fresh_data() {
    let dir = tempfile::tempdir().unwrap();
    let alarms = demo_alarms();
    let red = alarms
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .count();
    assert!(red > 0 && red < alarms.len(), "the demo has both kinds");

    let mut first = started(dir.path());
    let json = saved(&load_at(&mut first, alarms.clone(), 0)).expect("the picture is saved");
    // The same states a poll later: nothing written, even if a reason's
    // numbers moved.
    let mut reworded = alarms.clone();
    reworded[0].state_reason = Some("Threshold Crossed: 1 datapoint [7.0]".into());
    assert!(saved(&load_at(&mut first, reworded.clone(), 1)).is_none());
    // An hour on, the reasons are brought up to date once.
    assert!(saved(&load_at(&mut first, reworded.clone(), 61)).is_some());
    // A state change is written at once.
    let ok = reworded
        .iter()
        .position(|a| a.state == AlarmState::Ok)
        .unwrap();
    reworded[ok].state = AlarmState::Alarm;
    assert!(saved(&load_at(&mut first, reworded, 62)).is_some());
    std::fs::write(dir.path().join("alarms.json"), json).unwrap();

    let mut next = started(dir.path());
    goto(&mut next, PaneId::Alarms);
    assert_eq!(next.panes.alarms.alarms().len(), alarms.len());
    assert!(next.panes.alarms.stale_since().is_some());
    let screen = text(&render(&next, 160, 30));
    let title = screen.lines().find(|l| l.contains("Alarms (")).unwrap();
    assert!(
        title.contains(&format!("{red} in ALARM as last seen")),
        "{screen}"
    );
    assert_eq!(
        next.panes.alarms.selected().unwrap().state,
        AlarmState::Alarm,
        "what was red comes first"
    );
    // Looking, not acting: the toggle would act on what the picture says.
    press(&mut next, &["A"]);
    assert!(next.overlay.is_none(), "A asked on a picture");
    let said = next.flash.as_ref().unwrap().text.clone();
    assert!(said.contains("wait for their fresh read"), "{said}");

    load_at(&mut next, alarms, 90);
    assert!(next.panes.alarms.stale_since().is_none());
    let screen = text(&render(&next, 160, 30));
    let title = screen.lines().find(|l| l.contains("Alarms (")).unwrap();
    assert!(!title.contains("as last seen"), "{screen}");
    press(&mut next, &["A"]);
    assert!(next.overlay.is_some(), "fresh data: the toggle asks");
}

#[test]
fn the_picture_is_per_account_and_leaves_the_snoozes_alone() {
    let dir = tempfile::tempdir().unwrap();
    let until = now() + chrono::Duration::minutes(30);
    let snoozes = format!("{{\"some-alarm\": \"{}\"}}", until.to_rfc3339());
    std::fs::write(dir.path().join("snoozes.json"), &snoozes).unwrap();

    // The demo account keeps nothing.
    let mut demo = empty_state(false);
    pipedeck::startup::restore_panes(&mut demo, dir.path(), now());
    assert!(saved(&load_at(&mut demo, demo_alarms(), 0)).is_none());

    let mut eu = started(dir.path());
    assert!(eu.panes.alarms.snoozed_until("some-alarm").is_some());
    let json = saved(&load_at(&mut eu, demo_alarms(), 0)).unwrap();
    std::fs::write(dir.path().join("alarms.json"), json).unwrap();
    // Another Region of the same profile sees none of it …
    let mut us = empty_state(false);
    us.conn.demo = false;
    us.conn.region = "us-east-1".into();
    pipedeck::startup::restore_panes(&mut us, dir.path(), now());
    assert!(
        us.panes.alarms.alarms().is_empty(),
        "another Region's alarms"
    );
    // … and both still have the snoozes, unchanged on disk.
    assert!(us.panes.alarms.snoozed_until("some-alarm").is_some());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("snoozes.json")).unwrap(),
        snoozes
    );
    // A broken picture is a first start, never a refusal to start.
    std::fs::write(dir.path().join("alarms.json"), "{not json").unwrap();
    assert!(started(dir.path()).panes.alarms.alarms().is_empty());
}

#[test]
fn a_failed_fresh_read_is_said_not_refreshing_forever() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = started(dir.path());
    let json = saved(&load_at(&mut first, demo_alarms(), 0)).unwrap();
    std::fs::write(dir.path().join("alarms.json"), json).unwrap();
    let mut next = started(dir.path());
    goto(&mut next, PaneId::Alarms);
    update(
        &mut next,
        pipedeck::app::Msg::Loaded {
            resource: Resource::Alarms,
            at: now(),
            result: Err(pipedeck::cloud::CloudError::Credentials {
                problem: pipedeck::cloud::CredentialProblem::Expired,
                message: "the SSO session has expired".into(),
            }),
            next_in: None,
        },
    );
    let screen = text(&render(&next, 160, 30));
    let title = screen.lines().find(|l| l.contains("Alarms (")).unwrap();
    assert!(title.contains("the fresh read failed"), "{screen}");
    assert!(!next.panes.alarms.alarms().is_empty(), "the picture stays");
}
