//! `update()` tests of the audit pane's pipelines view (`p`): the
//! pipelines it reads (seen by the reads in the last 7 days, remembered
//! across starts, plus those config names), their order and Enter's
//! filter, and "stuck?" judged against a pipeline's last runs once read.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Resource, State};
use pipedeck::cloud::audit::records::{PipelineRef, PipelineRuns};
use pipedeck::cloud::audit::{item_of as item, Fields, TableMapping, TableRead};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::audit::{AuditPane, View};
use pipedeck::panes::PaneId;

fn ago(minutes: i64) -> String {
    (now() - chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn mapping() -> TableMapping {
    TableMapping {
        name: "runs".into(),
        fields: Fields {
            pipeline: "pipeline".into(),
            status: "status".into(),
            started: "start".into(),
            ended: "end".into(),
            ..Fields::default()
        },
        ..TableMapping::default()
    }
}

fn read(items: &[pipedeck::cloud::audit::Item]) -> TableRead {
    TableRead {
        table: "runs".into(),
        runs: items.iter().map(|i| mapping().run_of(i, &[])).collect(),
        ..TableRead::default()
    }
}

fn asked(s: &State) -> Option<(Vec<PipelineRef>, usize)> {
    s.subscriptions().into_iter().find_map(|(r, _)| match r {
        Resource::AuditPipelines { pipelines, n } => Some((pipelines, n)),
        _ => None,
    })
}

fn with_named(named: &[&str]) -> State {
    let mut s = demo_state(false);
    s.panes.audit = AuditPane::new(&pipedeck::config::AuditConfig {
        pipelines: named.iter().map(|n| n.to_string()).collect(),
        last_runs: 5,
        ..Default::default()
    });
    goto(&mut s, PaneId::Audit);
    s
}

#[test]
fn p_reads_the_pipelines_seen_and_named_and_enter_shows_one_s_runs() {
    let mut s = with_named(&["backfill-job"]);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let day = futures::executor::block_on(demo.audit_runs()).unwrap();
    update(
        &mut s,
        loaded(Resource::AuditRuns, Data::AuditRuns(day.into())),
    );
    assert!(asked(&s).is_none(), "read only while the view is shown");
    press(&mut s, &["p"]);
    assert_eq!(s.panes.audit.view(), &View::Pipelines);
    let (refs, n) = asked(&s).expect("the pipelines view asks");
    assert_eq!(n, 5, "[audit] last_runs");
    let names: Vec<&str> = refs.iter().map(|r| r.pipeline.as_str()).collect();
    assert!(names.contains(&"silver-to-gold"), "seen: {names:?}");
    assert!(names.contains(&"backfill-job"), "named: {names:?}");
    let got = futures::executor::block_on(demo.audit_pipelines(&refs, n)).unwrap();
    update(
        &mut s,
        loaded(
            Resource::AuditPipelines { pipelines: refs, n },
            Data::AuditPipelines(got),
        ),
    );
    let rows = s.panes.audit.pipelines();
    assert!(
        rows[0].runs[0].status == pipedeck::cloud::audit::RunStatus::Failed,
        "a pipeline whose latest run failed comes first: {:?}",
        rows[0].pipeline
    );
    assert!(rows.iter().all(|p| p.runs.len() <= 5));
    let first = rows[0].pipeline.clone();
    press(&mut s, &["enter"]);
    assert_eq!(s.panes.audit.view(), &View::List);
    assert_eq!(s.panes.audit.filter_text(), "", "not a text filter");
    let shown: Vec<_> = s.panes.audit.visible().cloned().collect();
    assert!(!shown.is_empty());
    assert!(
        shown
            .iter()
            .all(|r| r.pipeline.as_deref() == Some(first.as_str())),
        "exactly this pipeline's runs, not every name containing it"
    );
    let screen = text(&render(&s, 160, 20));
    assert!(
        screen.contains(&format!("runs of {first} in pipeline_audit")),
        "{screen}"
    );
    // Esc goes back to the pipelines, and the list is whole again.
    press(&mut s, &["esc"]);
    assert_eq!(s.panes.audit.view(), &View::Pipelines);
    press(&mut s, &["esc"]);
    assert!(s.panes.audit.visible().count() > shown.len());
}

#[test]
fn a_run_is_stuck_against_its_pipeline_s_last_runs_once_they_are_read() {
    let mut s = with_named(&[]);
    // Today: only the running one; nothing to compare it with yet.
    let day = read(&[item(&[
        ("pipeline", "nightly"),
        ("status", "RUNNING"),
        ("start", &ago(120)),
    ])]);
    update(
        &mut s,
        loaded(Resource::AuditRuns, Data::AuditRuns(vec![day].into())),
    );
    assert!(!s.panes.audit.is_stuck(0));
    press(&mut s, &["p"]);
    let (refs, n) = asked(&s).unwrap();
    assert_eq!(
        refs,
        [PipelineRef {
            table: "runs".into(),
            pipeline: "nightly".into()
        }]
    );
    // Its last runs: 20 minutes each, days ago.
    let history: Vec<_> = (1..=4)
        .map(|d| {
            mapping().run_of(
                &item(&[
                    ("pipeline", "nightly"),
                    ("status", "SUCCEEDED"),
                    ("start", &ago(d * 1440)),
                    ("end", &ago(d * 1440 - 20)),
                ]),
                &[],
            )
        })
        .collect();
    update(
        &mut s,
        loaded(
            Resource::AuditPipelines { pipelines: refs, n },
            Data::AuditPipelines(vec![PipelineRuns {
                table: "runs".into(),
                pipeline: "nightly".into(),
                runs: history,
                error: None,
            }]),
        ),
    );
    assert!(
        s.panes.audit.is_stuck(0),
        "2 h against a usual 20 min: more than three times"
    );
    assert_eq!(s.panes.audit.needing_attention(), 1);
}

#[test]
fn the_pipelines_seen_are_remembered_for_seven_days_across_starts() {
    let dir = tempfile::tempdir().unwrap();
    let start = |at: chrono::DateTime<chrono::Utc>| {
        let mut s = empty_state(false);
        s.conn.demo = false;
        pipedeck::startup::restore_panes(&mut s, dir.path(), at);
        s
    };
    let mut first = start(now());
    let day = read(&[item(&[
        ("pipeline", "weekly-report"),
        ("status", "SUCCEEDED"),
        ("start", &ago(30)),
        ("end", &ago(20)),
    ])]);
    let fx = update(
        &mut first,
        loaded(
            Resource::AuditRuns,
            Data::AuditRuns(vec![day.clone()].into()),
        ),
    );
    let json = fx
        .iter()
        .find_map(|e| match e {
            Effect::SaveState { file, json } if *file == "audit-pipelines.json" => {
                Some(json.clone())
            }
            _ => None,
        })
        .expect("a new pipeline is saved");
    // The same again: nothing written.
    let fx = update(
        &mut first,
        loaded(Resource::AuditRuns, Data::AuditRuns(vec![day].into())),
    );
    assert!(!fx
        .iter()
        .any(|e| matches!(e, Effect::SaveState { file, .. } if *file == "audit-pipelines.json")));
    std::fs::write(dir.path().join("audit-pipelines.json"), json).unwrap();
    // Six days later, with nothing read yet: still listed.
    let later = start(now() + chrono::Duration::days(6));
    let names: Vec<String> = later
        .panes
        .audit
        .pipeline_refs()
        .into_iter()
        .map(|r| r.pipeline)
        .collect();
    assert_eq!(names, ["weekly-report"]);
    // Eight days later: gone.
    let gone = start(now() + chrono::Duration::days(8));
    assert!(gone.panes.audit.pipeline_refs().is_empty());
}

#[test]
fn the_first_read_shows_what_needs_a_look_before_its_succeeded_pages() {
    use pipedeck::app::Msg;
    let mut s = with_named(&[]);
    let urgent = read(&[item(&[
        ("pipeline", "nightly"),
        ("status", "FAILED"),
        ("start", &ago(30)),
        ("end", &ago(20)),
    ])]);
    let progress = |s: &mut State, t: TableRead| {
        update(
            s,
            Msg::Progress {
                resource: Resource::AuditRuns,
                data: Data::AuditRuns(vec![t].into()),
                done: 0,
                total: 0,
            },
        )
    };
    let fx = progress(&mut s, urgent.clone());
    assert_eq!(s.panes.audit.runs().len(), 1);
    let screen = text(&render(&s, 140, 20));
    assert!(
        screen.contains("(1 so far) — failed, partial and running read; succeeded runs coming"),
        "{screen}"
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::SaveState { .. })),
        "a part is not remembered"
    );
    // The whole read.
    let mut whole = urgent.clone();
    whole.runs.push(mapping().run_of(
        &item(&[
            ("pipeline", "nightly"),
            ("status", "SUCCEEDED"),
            ("start", &ago(90)),
            ("end", &ago(80)),
        ]),
        &[],
    ));
    update(
        &mut s,
        loaded(Resource::AuditRuns, Data::AuditRuns(vec![whole].into())),
    );
    assert_eq!(s.panes.audit.runs().len(), 2);
    // A refresh's first part does not shrink the list it has.
    progress(&mut s, urgent);
    assert_eq!(s.panes.audit.runs().len(), 2);
}
