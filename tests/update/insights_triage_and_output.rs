//! `update()` tests of the Insights additions: the triage key from a Glue
//! run, charts of `stats` results, saved queries through the gate, export
//! and copy.

use crate::common;

use chrono::Duration;
use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Overlay, Resource, State};
use pipedeck::cloud::{CloudError, QueryDefinition, RunState};
use pipedeck::gate::{Action, ActionReport};
use pipedeck::panes::insights::chart::Chart;
use pipedeck::panes::PaneId;

const DEFAULT_GROUPS: [&str; 3] = [
    "/aws-glue/jobs/error",
    "/aws-glue/jobs/output",
    "/aws-glue/jobs/logs-v2",
];

fn existing_check(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .find_map(|e| match e {
            Effect::Refresh(Resource::ExistingLogGroups { names }) => Some(names.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no log-group check in {fx:?}"))
}

fn groups_found(s: &mut State, names: &[String], found: &[&str]) -> Vec<Effect> {
    update(
        s,
        loaded(
            Resource::ExistingLogGroups {
                names: names.to_vec(),
            },
            Data::ExistingLogGroups(found.iter().map(|g| g.to_string()).collect()),
        ),
    )
}

/// The demo's failed raw-to-silver-transform run, opened in its detail.
fn on_failed_run(s: &mut State, down: usize) -> pipedeck::cloud::JobRun {
    for _ in 0..down {
        press(s, &["j"]);
    }
    press(s, &["enter", "enter"]);
    let run = s.panes.glue.selected_run().expect("a run is open").clone();
    assert!(run.state.is_failure(), "{:?}", run.state);
    run
}

#[test]
fn the_triage_key_queries_the_runs_existing_groups_over_its_window() {
    let mut s = demo_state(false);
    let run = on_failed_run(&mut s, 0);
    let fx = press(&mut s, &["t"]);
    assert_eq!(s.active, PaneId::Insights);
    let names = existing_check(&fx);
    assert_eq!(names, DEFAULT_GROUPS);
    assert!(
        insights_start(&fx).is_none(),
        "nothing is queried before the groups are known"
    );
    let text = s.panes.insights.query_text();
    assert!(
        text.contains(&format!("@logStream = \"{}\"", run.id)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "(@logStream like /^{}-(driver|\\d+|job-insights-rca-driver|job-insights-rule-driver)$/)",
            run.id
        )),
        "{text}"
    );
    assert!(text.contains("sort triageRank desc"), "{text}");

    let fx = groups_found(&mut s, &names, &DEFAULT_GROUPS[..2]);
    let (_, q) = insights_start(&fx).expect("the query starts once the groups are known");
    assert_eq!(q.groups, DEFAULT_GROUPS[..2]);
    assert_eq!(q.start, run.started_on.unwrap() - Duration::minutes(5));
    assert_eq!(q.end, run.completed_on.unwrap() + Duration::minutes(5));
    assert_eq!(q.query, text);
    let triage = s.panes.insights.triage().unwrap();
    assert_eq!(triage.missing(), ["/aws-glue/jobs/logs-v2"]);
    let screen = text_of(&s);
    assert!(
        screen.contains("not found: /aws-glue/jobs/logs-v2"),
        "{screen}"
    );
}

#[test]
fn a_run_with_a_log_group_name_uses_it_as_the_prefix() {
    let mut s = demo_state(false);
    // dq-orders-silver logs continuously under /pipelines/dq.
    let run = on_failed_run(&mut s, 1);
    assert_eq!(run.log_group_name.as_deref(), Some("/pipelines/dq"));
    let names = existing_check(&press(&mut s, &["t"]));
    assert_eq!(
        names,
        [
            "/pipelines/dq/error",
            "/pipelines/dq/output",
            "/pipelines/dq/logs-v2"
        ]
    );
}

#[test]
fn a_prefix_never_written_to_falls_back_to_glues_default_groups() {
    let mut r = run("etl", "jr_x", RunState::Failed, 20);
    r.log_group_name = Some("/never/written".into());
    let mut s = state_with_jobs(vec![job("etl", 1, vec![r])], false);
    let own = existing_check(&press(&mut s, &["t"]));
    assert_eq!(own[0], "/never/written/error");
    let fx = groups_found(&mut s, &own, &[]);
    assert!(insights_start(&fx).is_none());
    // The continuous group was among the run's own: not asked twice.
    let defaults = existing_check(&fx);
    assert_eq!(defaults, DEFAULT_GROUPS[..2]);
    let fx = groups_found(&mut s, &defaults, &["/aws-glue/jobs/error"]);
    let (_, q) = insights_start(&fx).expect("runs on the default group that exists");
    assert_eq!(q.groups, ["/aws-glue/jobs/error"]);
    let missing = s.panes.insights.triage().unwrap().missing();
    assert_eq!(missing.len(), 4, "{missing:?}");
    assert!(missing.contains(&"/never/written/error"));
}

#[test]
fn a_running_run_is_searched_up_to_now_and_missing_groups_never_start_a_query() {
    let mut s = state_with_jobs(
        vec![job(
            "nightly",
            1,
            vec![run("nightly", "jr_live", RunState::Running, 10)],
        )],
        false,
    );
    let names = existing_check(&press(&mut s, &["t"]));
    let fx = groups_found(&mut s, &names, &[]);
    assert!(insights_start(&fx).is_none());
    let err = s.panes.insights.error().unwrap_or_default().to_string();
    assert!(err.contains("none of the run's log groups exist"), "{err}");

    // A listing that fails (no logs:DescribeLogGroups) tries them all.
    goto(&mut s, PaneId::Glue);
    let names = existing_check(&press(&mut s, &["t"]));
    let fx = update(
        &mut s,
        Msg::Loaded {
            resource: Resource::ExistingLogGroups {
                names: names.clone(),
            },
            at: now(),
            result: Err(CloudError::AccessDenied {
                op: "logs:DescribeLogGroups".into(),
                message: "not allowed".into(),
            }),
            next_in: None,
        },
    );
    let (_, q) = insights_start(&fx).expect("queried anyway");
    assert_eq!(q.groups, names);
    assert_eq!(q.start, now() - Duration::minutes(15));
    assert_eq!(q.end, now() + Duration::minutes(5));
}

fn saved_defs() -> Vec<QueryDefinition> {
    vec![
        QueryDefinition {
            id: Some("def-1".into()),
            name: "errors over time".into(),
            query:
                "filter @message like /ERROR/\n| stats count(*) as errors by bin(5m), @logStream"
                    .into(),
            groups: vec![
                "/aws-glue/jobs/error".into(),
                "/aws-glue/jobs/output".into(),
            ],
            last_modified: None,
            language: Default::default(),
        },
        QueryDefinition {
            id: Some("def-2".into()),
            name: "recent".into(),
            query: "fields @timestamp, @message | limit 5".into(),
            groups: vec![],
            last_modified: None,
            language: Default::default(),
        },
    ]
}

/// Opens the saved list (b), lists `defs`, loads the `n`th.
fn load_saved(s: &mut State, n: usize) {
    let fx = press(s, &["b"]);
    assert!(fx.contains(&Effect::Refresh(Resource::QueryDefinitions)));
    update(
        s,
        loaded(
            Resource::QueryDefinitions,
            Data::QueryDefinitions(saved_defs()),
        ),
    );
    for _ in 0..n {
        press(s, &["j"]);
    }
    press(s, &["enter"]);
}

/// Runs the editor's query and answers with `rows`, complete.
fn run_with(s: &mut State, rows: Vec<Vec<(&str, &str)>>) {
    answer_insights(s, complete_rows(rows));
}

#[test]
fn a_bin_stats_result_is_a_chart_and_v_toggles_the_table() {
    let mut s = insights_state();
    load_saved(&mut s, 0);
    assert!(s.panes.insights.query_text().contains("bin(5m)"));
    assert_eq!(
        s.panes.insights.groups(),
        ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
    );
    run_with(
        &mut s,
        vec![
            vec![
                ("bin(5m)", "2026-11-27 02:55:00.000"),
                ("@logStream", "a"),
                ("errors", "3"),
            ],
            vec![
                ("bin(5m)", "2026-11-27 03:00:00.000"),
                ("@logStream", "a"),
                ("errors", "5"),
            ],
            vec![
                ("bin(5m)", "2026-11-27 03:00:00.000"),
                ("@logStream", "b"),
                ("errors", "1"),
            ],
        ],
    );
    let Some(Chart::TimeSeries { series, .. }) = s.panes.insights.chart() else {
        panic!("expected a time series, got {:?}", s.panes.insights.chart());
    };
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].name, "a");
    assert!(text_of(&s).contains("as a chart"));
    press(&mut s, &["v"]);
    assert!(s.panes.insights.chart().is_none());
    assert!(text_of(&s).contains("errors"), "the table is back");
    // "errors" is in the query too: a row value shows only in the table.
    let screen = text_of(&s);
    assert!(screen.contains("2026-11-27 02:55:00.000"), "{screen}");
    assert!(!screen.contains("as a chart"), "{screen}");
    press(&mut s, &["v"]);
    assert!(s.panes.insights.chart().is_some());
}

#[test]
fn rows_that_are_not_stats_have_no_chart_and_say_so() {
    let mut s = insights_state();
    run_with(
        &mut s,
        vec![vec![
            ("@timestamp", "2026-11-27 03:00:00.000"),
            ("@message", "x"),
        ]],
    );
    assert!(s.panes.insights.chart().is_none());
    press(&mut s, &["v"]);
    let flash = s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(flash.contains("only a stats result"), "{flash}");
}

fn message_rows() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![
            ("@timestamp", "2026-11-27 03:00:00.000"),
            ("@message", "ERROR a, \"quoted\""),
            ("@ptr", "p0"),
        ],
        vec![
            ("@timestamp", "2026-11-27 03:01:00.000"),
            ("@message", "INFO b"),
            ("@ptr", "p1"),
        ],
    ]
}

/// The file the runtime wrote for the export among `fx`: its path (as the
/// runtime reports it) and its contents read back from disk.
async fn exported(s: &mut State, fx: Vec<Effect>) -> (String, String) {
    let answers = export_through_runtime(s, fx).await;
    let done = answers[0].clone().expect("written");
    let path = done
        .rsplit_once(" to ")
        .expect("'… to <path>'")
        .1
        .to_string();
    let contents = std::fs::read_to_string(&path).unwrap();
    (done, contents)
}

#[tokio::test]
async fn export_prompts_for_a_path_and_writes_what_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = insights_state();
    run_with(&mut s, message_rows());
    press(&mut s, &["E"]);
    let line = s
        .cmdline
        .as_ref()
        .expect("the command line opens")
        .text
        .clone();
    assert!(line.starts_with("export "), "{line}");
    assert!(line.ends_with(".csv"), "{line}");
    // The default name, in a directory of the test's own.
    press(&mut s, &["esc", ":"]);
    let csv = dir.path().join(line.rsplit('/').next().unwrap());
    type_text(&mut s, &format!("export {}", csv.display()));
    let fx = press(&mut s, &["enter"]);
    let (done, contents) = exported(&mut s, fx).await;
    assert_eq!(
        contents,
        "@timestamp,@message\n2026-11-27 03:00:00.000,\"ERROR a, \"\"quoted\"\"\"\n2026-11-27 03:01:00.000,INFO b\n"
    );
    assert!(done.contains("2 row(s) as csv"), "{done}");
    assert!(done.ends_with(&csv.display().to_string()), "{done}");
    let flash = s.flash.as_ref().unwrap().text.clone();
    assert!(
        flash.contains("2 row(s) as csv"),
        "the user is told: {flash}"
    );

    // The format follows the name; an unknown one is refused.
    press(&mut s, &[":"]);
    type_text(
        &mut s,
        &format!("export {}", dir.path().join("out.json").display()),
    );
    let fx = press(&mut s, &["enter"]);
    let (_, json) = exported(&mut s, fx).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[1]["@message"], "INFO b");
    assert!(v[0].get("@ptr").is_none());
    press(&mut s, &[":"]);
    type_text(
        &mut s,
        &format!("export {}", dir.path().join("out.txt").display()),
    );
    assert!(press(&mut s, &["enter"]).is_empty());
    let flash = s.flash.as_ref().unwrap().text.clone();
    assert!(flash.contains(".csv, .json or .md"), "{flash}");
    assert!(!dir.path().join("out.txt").exists());

    // A filter narrows what leaves, and the message says so; spaces in a
    // path are kept.
    press(&mut s, &["/"]);
    type_text(&mut s, "ERROR");
    press(&mut s, &["enter", ":"]);
    let md = dir.path().join("my results.md");
    type_text(&mut s, &format!("export {}", md.display()));
    let fx = press(&mut s, &["enter"]);
    let (done, text) = exported(&mut s, fx).await;
    assert!(md.exists(), "{done}");
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(done.contains("1 of 2"), "{done}");
}

#[test]
fn y_copies_the_row_as_json_and_capital_y_the_result_as_markdown() {
    let mut s = insights_state();
    run_with(&mut s, message_rows());
    let fx = press(&mut s, &["y"]);
    let Some(Effect::Copy(row)) = fx.first() else {
        panic!("{fx:?}")
    };
    let v: serde_json::Value = serde_json::from_str(row).unwrap();
    assert_eq!(v["@message"], "ERROR a, \"quoted\"");
    let fx = press(&mut s, &["Y"]);
    let Some(Effect::Copy(all)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert!(
        all.starts_with("| @timestamp | @message |\n| --- | --- |\n"),
        "{all}"
    );
    assert_eq!(all.lines().count(), 4);
}

fn confirm_action(s: &State) -> Action {
    match &s.overlay {
        Some(Overlay::Confirm(p)) => p.action().clone(),
        other => panic!("no confirmation: {other:?}"),
    }
}

#[test]
fn saving_and_deleting_saved_queries_go_through_the_gate() {
    let mut s = insights_state();
    load_saved(&mut s, 1);
    press(&mut s, &[":"]);
    type_text(&mut s, "save team/new one");
    press(&mut s, &["enter"]);
    let Action::SaveQueryDefinition { definition } = confirm_action(&s) else {
        panic!("expected a save")
    };
    assert_eq!(definition.id, None, "a new name is a new saved query");
    assert_eq!(definition.name, "team/new one");
    assert_eq!(definition.query, "fields @timestamp, @message | limit 5");
    assert_eq!(definition.groups, ["/aws-glue/jobs/error"]);
    let fx = press(&mut s, &["y"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Execute(a)] if matches!(a.action(), Action::SaveQueryDefinition { .. })),
        "{fx:?}"
    );

    // `:save` alone, or the same name, replaces the loaded one.
    press(&mut s, &[":"]);
    type_text(&mut s, "save");
    press(&mut s, &["enter"]);
    let Action::SaveQueryDefinition { definition } = confirm_action(&s) else {
        panic!("expected a save")
    };
    assert_eq!(definition.id.as_deref(), Some("def-2"));
    assert_eq!(definition.name, "recent");
    assert!(s
        .overlay
        .as_ref()
        .is_some_and(|o| format!("{o:?}").contains("Replace")));
    press(&mut s, &["n"]);

    press(&mut s, &["b"]);
    update(
        &mut s,
        loaded(
            Resource::QueryDefinitions,
            Data::QueryDefinitions(saved_defs()),
        ),
    );
    // The cursor stayed on the one loaded; the first is deleted.
    press(&mut s, &["g", "D"]);
    assert_eq!(
        confirm_action(&s),
        Action::DeleteQueryDefinition {
            id: "def-1".into(),
            name: "errors over time".into()
        }
    );
    let fx = press(&mut s, &["y"]);
    let Some(Effect::Execute(approved)) = fx.first() else {
        panic!("{fx:?}")
    };
    let fx = update(
        &mut s,
        Msg::ActionDone(ActionReport {
            action: approved.action().clone(),
            ok: true,
            summary: "deleted".into(),
            entries: vec![],
        }),
    );
    assert!(
        fx.contains(&Effect::Refresh(Resource::QueryDefinitions)),
        "the list is read again: {fx:?}"
    );
}

#[test]
fn read_only_refuses_saving_and_journals_it() {
    let mut s = empty_state(true);
    goto(&mut s, PaneId::Insights);
    press(&mut s, &[":"]);
    type_text(&mut s, "save mine");
    let fx = press(&mut s, &["enter"]);
    assert!(s.overlay.is_none());
    assert!(matches!(fx.as_slice(), [Effect::Journal(_)]), "{fx:?}");
}

fn text_of(s: &State) -> String {
    text(&render(s, 140, 40))
}
