//! Snapshot tests of the alarms pane over the demo account frozen at one
//! instant: the list (with styles: ALARM is red and bold, disabled actions
//! stand out), an alarm's detail with its chart and history, a composite
//! with its children.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Msg, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{ChartWindow, CloudRead};
use pipedeck::panes::PaneId;

fn alarms_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Alarms);
    s
}

/// Opens the selected alarm and feeds it the demo's chart and history.
fn open_detail(s: &mut State) {
    press(s, &["enter"]);
    let name = s.panes.alarms.selected().unwrap().name.clone();
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let window = s.panes.alarms.window();
    let history = futures::executor::block_on(demo.alarm_history(&name)).unwrap();
    update(
        s,
        loaded(
            Resource::AlarmHistory { name: name.clone() },
            Data::AlarmHistory(history),
        ),
    );
    if let Ok(chart) = futures::executor::block_on(demo.alarm_chart(&name, window)) {
        update(
            s,
            Msg::Loaded {
                resource: Resource::AlarmChart { name, window },
                at: now(),
                result: Ok(Data::AlarmChart(chart)),
                next_in: None,
            },
        );
    }
}

#[test]
fn alarm_list() {
    let s = alarms_state();
    for (w, h) in [(120, 20), (60, 15)] {
        insta::assert_snapshot!(format!("alarm_list_{w}x{h}"), text(&render(&s, w, h)));
    }
    insta::assert_snapshot!("alarm_list_styled_120x20", styled(&render(&s, 120, 20)));
}

#[test]
fn alarm_detail_with_chart_and_history() {
    let mut s = alarms_state();
    press(&mut s, &["j", "j"]); // PipelineFailure-raw-to-silver-transform
    open_detail(&mut s);
    insta::assert_snapshot!("alarm_detail_120x40", text(&render(&s, 120, 40)));
    // The DQ score: a "less than" threshold with breaching points marked.
    press(&mut s, &["esc", "j"]);
    open_detail(&mut s);
    let buf = render(&s, 120, 40);
    insta::assert_snapshot!("alarm_detail_dq_styled_120x40", styled(&buf));
    assert_eq!(s.panes.alarms.window(), ChartWindow::Hour1);
}

#[test]
fn composite_alarm_with_children() {
    let mut s = alarms_state();
    press(&mut s, &["j"]); // CriticalPipelineAlert-silver-orders
    open_detail(&mut s);
    let screen = text(&render(&s, 120, 30));
    insta::assert_snapshot!("alarm_composite_120x30", screen);
}

#[test]
fn tiny_terminals_never_panic_in_any_alarm_view() {
    let mut s = alarms_state();
    for (w, h) in [(1, 1), (10, 4), (30, 8), (50, 12)] {
        render(&s, w, h);
    }
    press(&mut s, &["j", "j"]);
    open_detail(&mut s);
    for (w, h) in [(1, 1), (10, 4), (30, 8), (50, 12), (80, 14)] {
        render(&s, w, h);
    }
}
