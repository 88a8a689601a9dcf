//! One way for a pane to keep state: `Effect::SaveState` writes a
//! pane-named file under the state dir atomically, and one load path
//! (`startup::restore_panes`) hands each pane its file at start.

use crate::common;

use chrono::Duration;
use common::*;
use pipedeck::app::Effect;
use pipedeck::panes::Pane;
use pipedeck::panes::PaneId;

#[test]
fn each_pane_gets_its_own_file_back_and_other_profiles_survive() {
    let dir = tempfile::tempdir().unwrap();
    let until = now() + Duration::minutes(30);
    std::fs::write(
        dir.path().join("snoozes.json"),
        format!(
            "{{\"pipeline-events-DLQ-not-empty\": \"{}\"}}",
            until.to_rfc3339()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("insights.json"),
        r#"{"demo": {"profile": "demo", "groups": ["/aws-glue/jobs/error"], "history": []},
            "prod": {"profile": "prod", "groups": ["/prod/only"], "history": []}}"#,
    )
    .unwrap();
    let mut s = demo_state(false);
    pipedeck::startup::restore_panes(&mut s, dir.path(), now());
    assert!(s
        .panes
        .alarms
        .snoozed_until("pipeline-events-DLQ-not-empty")
        .is_some());
    assert_eq!(s.panes.insights.groups(), ["/aws-glue/jobs/error"]);
    // Saving this profile's memory (a run does) writes the other
    // profile back untouched.
    goto(&mut s, PaneId::Insights);
    let fx = press(&mut s, &["ctrl-r"]);
    let json = fx
        .iter()
        .find_map(|e| match e {
            Effect::SaveState {
                file: "insights.json",
                json,
            } => Some(json.clone()),
            _ => None,
        })
        .expect("a run saves the history");
    assert!(json.contains("/prod/only"), "{json}");
    assert_eq!(
        s.panes.alarms.state_files(),
        ["snoozes.json", "alarms.json"]
    );
}

#[test]
fn a_missing_or_broken_file_is_a_first_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("insights.json"), "not json at all").unwrap();
    let mut s = demo_state(false);
    pipedeck::startup::restore_panes(&mut s, dir.path(), now());
    assert!(s.panes.insights.groups().is_empty());
    let mut s = demo_state(false);
    pipedeck::startup::restore_panes(&mut s, &dir.path().join("nowhere"), now());
}

#[test]
fn state_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/state/snoozes.json");
    pipedeck::runtime::write_state(&path, "{\"a\": 1}").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"a\": 1}");
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}
