//! Snapshot tests (with styles: colour tells the series and the warnings
//! apart) of the Insights additions over the demo account: a time-series
//! chart, a bar chart, the saved-query list, the triage pre-fill.

use crate::common;

use common::*;
use pipedeck::app::State;
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::panes::PaneId;

fn demo() -> DemoCloud {
    DemoCloud::new(Clock::Fixed(now()))
}

/// The Insights pane with the saved list open (listed by the demo).
async fn saved_list(s: &mut State, cloud: &DemoCloud) {
    goto(s, PaneId::Insights);
    let fx = press(s, &["b"]);
    drive(s, cloud, fx).await;
}

/// Loads the saved query named `name`, sets the last 24 h, runs it.
async fn run_saved(s: &mut State, cloud: &DemoCloud, name: &str) {
    saved_list(s, cloud).await;
    let at = s
        .panes
        .insights
        .saved()
        .items
        .iter()
        .position(|d| d.name == name)
        .unwrap_or_else(|| panic!("no saved query {name}"));
    for _ in 0..at {
        press(s, &["j"]);
    }
    press(s, &["enter", ":"]);
    type_text(s, "range 2026-11-26T03:00:00Z 2026-11-27T03:00:00Z");
    press(s, &["enter"]);
    let fx = press(s, &["ctrl-r"]);
    drive(s, cloud, fx).await;
}

#[tokio::test]
async fn a_time_series_chart() {
    let cloud = demo();
    let mut s = demo_state(false);
    run_saved(&mut s, &cloud, "pipeline/log lines by group").await;
    assert!(s.panes.insights.chart().is_some());
    insta::assert_snapshot!(
        "insights_time_series_styled_110x30",
        styled(&render(&s, 110, 30))
    );
}

#[tokio::test]
async fn a_bar_chart() {
    let cloud = demo();
    let mut s = demo_state(false);
    run_saved(&mut s, &cloud, "glue/errors per stream").await;
    insta::assert_snapshot!("insights_bars_styled_110x24", styled(&render(&s, 110, 24)));
}

#[tokio::test]
async fn the_saved_query_list() {
    let cloud = demo();
    let mut s = demo_state(false);
    saved_list(&mut s, &cloud).await;
    press(&mut s, &["j"]);
    insta::assert_snapshot!("insights_saved_styled_110x24", styled(&render(&s, 110, 24)));
}

#[tokio::test]
async fn the_triage_prefill_and_its_rows() {
    let cloud = demo();
    let mut s = demo_state(false);
    press(&mut s, &["enter", "enter"]);
    let fx = press(&mut s, &["t"]);
    // Before the groups are known: the query and window are in, nothing runs.
    insta::assert_snapshot!(
        "insights_triage_prefill_styled_110x30",
        styled(&render(&s, 110, 30))
    );
    drive(&mut s, &cloud, fx).await;
    insta::assert_snapshot!(
        "insights_triage_rows_styled_110x30",
        styled(&render(&s, 110, 30))
    );
}

#[tokio::test]
async fn tiny_terminals_draw_the_chart_or_say_they_are_too_small() {
    let cloud = demo();
    let mut s = demo_state(false);
    run_saved(&mut s, &cloud, "pipeline/log lines by group").await;
    assert!(s.panes.insights.chart().is_some());
    // Under the frame's minimum: the size asked for, nothing half-drawn.
    let small = text(&render(&s, 20, 5));
    assert!(small.contains("pipedeck needs 30×8"), "{small}");
    let _ = render(&s, 1, 1);
    // Small but workable: the chart is plotted (braille points), not an
    // empty pane.
    for (w, h) in [(40, 10), (60, 12)] {
        let screen = text(&render(&s, w, h));
        assert!(screen.contains("as a chart"), "{w}x{h}:\n{screen}");
        assert!(
            screen.contains('⣀'),
            "{w}x{h}: no points plotted:\n{screen}"
        );
    }
    press(&mut s, &["b"]);
    assert!(!s.panes.insights.saved().items.is_empty());
    let screen = text(&render(&s, 40, 10));
    assert!(
        screen.contains("pipeline/log lines by group"),
        "the saved list at 40x10:\n{screen}"
    );
}
