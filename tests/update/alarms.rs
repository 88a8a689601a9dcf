//! `update()` tests of the alarms pane: order, the header count, the bell
//! (once, only for a new ALARM), snoozes (expire by themselves, saved),
//! the actions toggle through the gate, chart windows.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Overlay, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{Alarm, AlarmState, ChartWindow, CloudRead};
use pipedeck::gate::Action;
use pipedeck::panes::alarms::View;
use pipedeck::panes::PaneId;

fn demo_alarms() -> Vec<Alarm> {
    futures::executor::block_on(DemoCloud::new(Clock::Fixed(now())).alarms()).unwrap()
}

fn alarms_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Alarms);
    s
}

fn load(s: &mut State, alarms: Vec<Alarm>) -> Vec<Effect> {
    update(s, loaded(Resource::Alarms, Data::Alarms(alarms)))
}

fn with_state(mut alarms: Vec<Alarm>, name: &str, state: AlarmState) -> Vec<Alarm> {
    alarms.iter_mut().find(|a| a.name == name).unwrap().state = state;
    alarms
}

fn header(s: &State) -> String {
    text(&render(s, 220, 30))
        .lines()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn alarm_first_then_insufficient_data_then_ok_longest_first() {
    let s = alarms_state();
    let rows: Vec<(&str, &str)> = s
        .panes
        .alarms
        .visible()
        .map(|a| (a.state.as_aws(), a.name.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("ALARM", "pipeline-events-DLQ-not-empty"),
            ("ALARM", "CriticalPipelineAlert-silver-orders"),
            ("ALARM", "PipelineFailure-raw-to-silver-transform"),
            ("ALARM", "DQScoreLow-silver-orders-etl"),
            ("INSUFFICIENT_DATA", "orders-rows-anomaly"),
            ("OK", "GlueJobDurationBreached-orders-bronze-to-silver"),
            ("OK", "SLAMiss-silver-orders-etl-daily"),
        ]
    );
    assert!(header(&s).contains("✗ ALARM 4"), "{}", header(&s));
}

#[test]
fn the_state_filter_and_name_filter_narrow_the_list() {
    let mut s = alarms_state();
    press(&mut s, &["s", "s"]); // only INSUFFICIENT_DATA
    let names: Vec<&str> = s.panes.alarms.visible().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["orders-rows-anomaly"]);
    press(&mut s, &["s", "s", "/"]); // all again, then a name filter
    type_text(&mut s, "DQScore");
    press(&mut s, &["enter"]);
    let names: Vec<&str> = s.panes.alarms.visible().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["DQScoreLow-silver-orders-etl"]);
}

#[test]
fn the_bell_rings_once_for_a_new_alarm_only() {
    let mut s = alarms_state();
    // The first load (in demo_state) rang nothing: those were already red.
    let ok = with_state(
        demo_alarms(),
        "SLAMiss-silver-orders-etl-daily",
        AlarmState::Ok,
    );
    assert!(
        !load(&mut s, ok.clone()).contains(&Effect::Bell),
        "no change, no bell"
    );
    let firing = with_state(
        ok.clone(),
        "SLAMiss-silver-orders-etl-daily",
        AlarmState::Alarm,
    );
    assert_eq!(
        load(&mut s, firing.clone()),
        vec![Effect::Bell],
        "newly in ALARM"
    );
    assert!(
        !load(&mut s, firing.clone()).contains(&Effect::Bell),
        "still in ALARM: quiet"
    );
    assert!(header(&s).contains("✗ ALARM 5"));
    load(&mut s, ok);
    assert_eq!(
        load(&mut s, firing),
        vec![Effect::Bell],
        "OK → ALARM again rings again"
    );
}

#[test]
fn bell_off_in_config_never_rings() {
    let mut settings = settings(false);
    settings.alarms.bell = false;
    let mut s = State::new(
        demo_conn(),
        pipedeck::config::Keymap::preset("default").unwrap(),
        settings,
        now(),
    );
    load(&mut s, demo_alarms());
    let fx = load(
        &mut s,
        with_state(
            demo_alarms(),
            "SLAMiss-silver-orders-etl-daily",
            AlarmState::Alarm,
        ),
    );
    assert!(!fx.contains(&Effect::Bell));
}

#[test]
fn a_snooze_hides_from_the_header_is_saved_and_expires_by_itself() {
    let mut s = alarms_state();
    let fx = press(&mut s, &["z"]); // on the top alarm
    let Some(Effect::SaveState {
        file: "snoozes.json",
        json,
    }) = fx.first()
    else {
        panic!("{fx:?}")
    };
    let saved: std::collections::BTreeMap<String, chrono::DateTime<chrono::Utc>> =
        serde_json::from_str(json).unwrap();
    assert!(saved.contains_key("pipeline-events-DLQ-not-empty"));
    assert!(header(&s).contains("✗ ALARM 3"), "{}", header(&s));
    let screen = text(&render(&s, 160, 30));
    assert!(screen.contains("⏾"), "shown as snoozed: {screen}");
    // A snoozed alarm that fires again does not ring.
    let back_ok = with_state(
        demo_alarms(),
        "pipeline-events-DLQ-not-empty",
        AlarmState::Ok,
    );
    load(&mut s, back_ok);
    assert!(!load(&mut s, demo_alarms()).contains(&Effect::Bell));
    // An hour later the snooze is gone, and the file is rewritten.
    let fx = update(&mut s, Msg::Tick(now() + chrono::Duration::minutes(61)));
    assert!(
        matches!(fx.as_slice(), [Effect::SaveState { file: "snoozes.json", json }] if json.trim() == "{}"),
        "{fx:?}"
    );
    assert!(header(&s).contains("✗ ALARM 4"), "{}", header(&s));
}

#[test]
fn snoozes_loaded_from_the_state_dir_count_until_they_end() {
    let mut s = alarms_state();
    let snoozes = [(
        "DQScoreLow-silver-orders-etl".to_string(),
        now() + chrono::Duration::minutes(5),
    )]
    .into_iter()
    .collect();
    s.panes.alarms.load_snoozes(snoozes, now());
    assert_eq!(s.panes.alarms.firing(), 3);
    update(&mut s, Msg::Tick(now() + chrono::Duration::minutes(6)));
    assert_eq!(s.panes.alarms.firing(), 4);
}

#[test]
fn actions_toggle_goes_through_the_gate_and_read_only_refuses() {
    let mut s = alarms_state();
    press(&mut s, &["A"]);
    match &s.overlay {
        Some(Overlay::Confirm(p)) => {
            assert_eq!(
                p.action().clone(),
                Action::SetAlarmActions {
                    names: vec!["pipeline-events-DLQ-not-empty".into()],
                    enable: false
                }
            );
            assert!(p.question.contains("nobody is paged"), "{}", p.question);
            assert!(
                p.question.contains("123456789012/eu-west-1"),
                "{}",
                p.question
            );
        }
        other => panic!("{other:?}"),
    }
    let mut ro = demo_state(true);
    goto(&mut ro, PaneId::Alarms);
    let fx = press(&mut ro, &["A"]);
    assert!(ro.overlay.is_none());
    assert!(matches!(fx.as_slice(), [Effect::Journal(_)]), "{fx:?}");
}

#[test]
fn detail_polls_chart_and_history_and_w_changes_the_window() {
    let mut s = alarms_state();
    press(&mut s, &["j", "j"]); // PipelineFailure-raw-to-silver-transform
    let fx = press(&mut s, &["enter"]);
    let name = "PipelineFailure-raw-to-silver-transform".to_string();
    assert_eq!(s.panes.alarms.view(), &View::Detail { name: name.clone() });
    assert!(fx.contains(&Effect::Refresh(Resource::AlarmHistory {
        name: name.clone()
    })));
    assert!(fx.contains(&Effect::Refresh(Resource::AlarmChart {
        name: name.clone(),
        window: ChartWindow::Hour1
    })));
    let fx = press(&mut s, &["w"]);
    assert_eq!(
        fx,
        vec![
            Effect::Refresh(Resource::AlarmHistory { name: name.clone() }),
            Effect::Refresh(Resource::AlarmChart {
                name: name.clone(),
                window: ChartWindow::Hours3
            })
        ]
    );
    // A composite has children, not a chart.
    press(&mut s, &["esc", "k", "enter"]);
    let subs: Vec<Resource> = s.subscriptions().into_iter().map(|(r, _)| r).collect();
    assert!(
        subs.iter()
            .all(|r| !matches!(r, Resource::AlarmChart { .. })),
        "{subs:?}"
    );
}
