//! `update()` tests of the audit pane: stuck runs (three times their
//! pipeline's median, or the configured limit), ordered right after the
//! failures; unknown status words kept; DQ scores on 0–1 and 0–100 judged
//! against their own thresholds; the header's count.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Resource, State};
use pipedeck::cloud::audit::{item_of as item, Fields, Item, RunStatus, TableMapping, TableRead};
use pipedeck::panes::PaneId;

fn ago(minutes: i64) -> String {
    (now() - chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn table(name: &str, scale: f64, items: &[Item]) -> TableRead {
    let m = TableMapping {
        name: name.into(),
        fields: Fields {
            pipeline: "pipeline".into(),
            status: "status".into(),
            started: "start".into(),
            ended: "end".into(),
            dq_score: "dq".into(),
            ..Fields::default()
        },
        dq_scale: scale,
        dq_threshold: None,
        ..TableMapping::default()
    };
    TableRead {
        table: name.into(),
        runs: items.iter().map(|i| m.run_of(i, &[])).collect(),
        ..TableRead::default()
    }
}

fn load(s: &mut State, tables: Vec<TableRead>) {
    update(
        s,
        loaded(Resource::AuditRuns, Data::AuditRuns(tables.into())),
    );
}

#[test]
fn a_run_three_times_its_usual_is_stuck_and_comes_right_after_the_failures() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Audit);
    let usual = |m: i64| {
        item(&[
            ("pipeline", "gold"),
            ("status", "SUCCEEDED"),
            ("start", &ago(m + 40)),
            ("end", &ago(m)),
        ])
    };
    load(
        &mut s,
        vec![table(
            "a",
            1.0,
            &[
                usual(100),
                usual(300),
                usual(500),
                item(&[
                    ("pipeline", "gold"),
                    ("status", "RUNNING"),
                    ("start", &ago(150)),
                ]),
                item(&[
                    ("pipeline", "fresh"),
                    ("status", "RUNNING"),
                    ("start", &ago(10)),
                ]),
                item(&[
                    ("pipeline", "raw"),
                    ("status", "FAILED"),
                    ("start", &ago(5)),
                ]),
                item(&[
                    ("pipeline", "feed"),
                    ("status", "REQUIRES_MANUAL_REVIEW"),
                    ("start", &ago(7)),
                ]),
            ],
        )],
    );
    let a = &s.panes.audit;
    let order: Vec<(&str, &RunStatus)> = a
        .visible()
        .map(|r| (r.pipeline.as_deref().unwrap(), &r.status))
        .collect();
    assert_eq!(order[0], ("raw", &RunStatus::Failed));
    assert_eq!(
        order[1],
        ("gold", &RunStatus::Running),
        "stuck: 150 min > 3 × 40"
    );
    assert_eq!(
        order[2],
        ("feed", &RunStatus::Other("REQUIRES_MANUAL_REVIEW".into())),
        "an unknown word, kept"
    );
    assert_eq!(
        order[3],
        ("fresh", &RunStatus::Running),
        "10 min: not stuck"
    );
    assert_eq!(
        a.needing_attention(),
        3,
        "the failure, the stuck run and the word no vocabulary knows (it waits for a person)"
    );
    let screen = text(&render(&s, 140, 20));
    assert!(screen.contains("STUCK?"), "{screen}");
    assert!(screen.contains("REQUIRES_MANUAL_REVIEW"), "{screen}");
    assert!(
        screen.contains("AUDIT 3"),
        "the header counts them: {screen}"
    );
}

#[test]
fn the_configured_limit_wins_over_the_median() {
    let config = pipedeck::config::AuditConfig {
        stuck_after_minutes: 60,
        ..Default::default()
    };
    let mut s = demo_state(false);
    s.panes.audit = pipedeck::panes::audit::AuditPane::new(&config);
    goto(&mut s, PaneId::Audit);
    load(
        &mut s,
        vec![table(
            "a",
            1.0,
            &[item(&[
                ("pipeline", "p"),
                ("status", "RUNNING"),
                ("start", &ago(90)),
            ])],
        )],
    );
    assert!(s.panes.audit.is_stuck(0), "no median, but past the hour");
}

#[test]
fn dq_scores_are_judged_on_their_own_scale() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Audit);
    load(
        &mut s,
        vec![
            table(
                "unit",
                1.0,
                &[item(&[
                    ("pipeline", "u"),
                    ("status", "SUCCEEDED"),
                    ("start", &ago(5)),
                    ("dq", "0.91"),
                ])],
            ),
            table(
                "percent",
                100.0,
                &[item(&[
                    ("pipeline", "p"),
                    ("status", "SUCCEEDED"),
                    ("start", &ago(6)),
                    ("dq", "99.2"),
                ])],
            ),
        ],
    );
    let runs = s.panes.audit.runs();
    let dq = |p: &str| {
        runs.iter()
            .find(|r| r.pipeline.as_deref() == Some(p))
            .unwrap()
            .dq
            .unwrap()
    };
    assert!(!dq("u").passed(), "0.91 < 0.95");
    assert!(dq("p").passed(), "99.2 ≥ 95");
    let screen = text(&render(&s, 140, 20));
    assert!(screen.contains("0.910 / 0.950"), "{screen}");
    assert!(screen.contains("99.2 / 95.0"), "{screen}");
}

#[test]
fn no_tables_configured_says_how_to_map_one() {
    let mut s = empty_state(false);
    goto(&mut s, PaneId::Audit);
    load(&mut s, vec![]);
    let screen = text(&render(&s, 140, 20));
    assert!(screen.contains("No audit tables configured"), "{screen}");
    assert!(
        !screen.contains("AUDIT"),
        "no badge without tables: {screen}"
    );
}

#[test]
fn x_asks_to_mark_a_running_run_failed_through_the_gate_and_read_only_refuses() {
    let keyed = |s: &mut State| {
        let m = TableMapping {
            name: "runs".into(),
            fields: Fields {
                pipeline: "pipeline".into(),
                run_id: "run_id".into(),
                status: "status".into(),
                started: "start".into(),
                ..Fields::default()
            },
            ..TableMapping::default()
        };
        let items: Vec<Item> = vec![
            item(&[
                ("pipeline", "gold"),
                ("run_id", "r-9"),
                ("status", "Running"),
                ("start", &ago(600)),
            ]),
            item(&[
                ("pipeline", "raw"),
                ("run_id", "r-1"),
                ("status", "FAILED"),
                ("start", &ago(5)),
            ]),
        ];
        let keys = ["run_id".to_string()];
        load(
            s,
            vec![TableRead {
                table: "runs".into(),
                runs: items.iter().map(|i| m.run_of(i, &keys)).collect(),
                ..TableRead::default()
            }],
        );
    };
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Audit);
    keyed(&mut s);
    // The failed one is first: X says why not.
    press(&mut s, &["X"]);
    assert!(s.overlay.is_none());
    let said = s.flash.as_ref().unwrap().text.clone();
    assert!(said.contains("only a RUNNING run"), "{said}");
    press(&mut s, &["j", "X"]);
    match &s.overlay {
        Some(pipedeck::app::Overlay::Confirm(p)) => {
            match p.action() {
                pipedeck::gate::Action::MarkRunFailed {
                    table,
                    key,
                    running_word,
                    message,
                    ..
                } => {
                    assert_eq!(table, "runs");
                    let arn = s.identity.as_ref().unwrap().arn.clone().unwrap();
                    assert!(
                        message.contains(&format!("marked FAILED by {arn} from pipedeck at")),
                        "the record names who marked it: {message}"
                    );
                    assert_eq!(
                        running_word, "Running",
                        "the word as stored, for the condition"
                    );
                    assert_eq!(key.len(), 1);
                }
                other => panic!("{other:?}"),
            }
            assert!(
                p.question.contains("the pipeline itself is not stopped"),
                "{}",
                p.question
            );
        }
        other => panic!("{other:?}"),
    }
    let mut ro = demo_state(true);
    goto(&mut ro, PaneId::Audit);
    keyed(&mut ro);
    let fx = press(&mut ro, &["j", "X"]);
    assert!(ro.overlay.is_none(), "read-only: no question");
    assert!(
        fx.iter()
            .any(|e| matches!(e, pipedeck::app::Effect::Journal(_))),
        "{fx:?}"
    );
}

#[test]
fn detect_from_anywhere_proposes_a_mapping_and_y_adds_it_to_the_config_file() {
    let mut s = demo_state(false);
    s.panes.audit = pipedeck::panes::audit::AuditPane::new(&Default::default())
        .with_config_file(Some("/home/me/.config/pipedeck/config.toml".into()));
    // Typed on the Glue pane.
    press(&mut s, &[":"]);
    type_text(&mut s, "audit detect pipeline_audit");
    let fx = press(&mut s, &["enter"]);
    assert_eq!(s.active, PaneId::Audit);
    let asked = Resource::AuditDetect {
        table: "pipeline_audit".into(),
    };
    assert!(
        fx.contains(&pipedeck::app::Effect::Refresh(asked.clone())),
        "{fx:?}"
    );
    // y before the proposal is read does nothing to the file.
    assert!(!press(&mut s, &["y"])
        .iter()
        .any(|e| matches!(e, pipedeck::app::Effect::AddAuditTable { .. })));
    let demo = pipedeck::cloud::demo::DemoCloud::new(pipedeck::cloud::demo::Clock::Fixed(now()));
    let d = futures::executor::block_on(pipedeck::cloud::CloudRead::audit_detect(
        &demo,
        "pipeline_audit",
    ))
    .unwrap();
    assert_eq!(d.mapping.status_index.as_deref(), Some("status-index"));
    update(&mut s, loaded(asked, Data::AuditDetect(Box::new(d))));
    let screen = text(&render(&s, 120, 40));
    assert!(screen.contains("[[audit.tables]]"), "{screen}");
    assert!(screen.contains("Add it? y adds it"), "{screen}");
    let fx = press(&mut s, &["y"]);
    match fx.as_slice() {
        [pipedeck::app::Effect::AddAuditTable { path, toml }] => {
            assert!(path.ends_with("config.toml"));
            assert!(toml.contains("name = \"pipeline_audit\""), "{toml}");
            assert!(toml.contains("error_message = \"error_msg\""), "{toml}");
        }
        other => panic!("{other:?}"),
    }
    // n leaves it.
    press(&mut s, &[":"]);
    type_text(&mut s, "audit detect pipeline_audit");
    press(&mut s, &["enter"]);
    let d = futures::executor::block_on(pipedeck::cloud::CloudRead::audit_detect(
        &demo,
        "pipeline_audit",
    ))
    .unwrap();
    update(
        &mut s,
        loaded(
            Resource::AuditDetect {
                table: "pipeline_audit".into(),
            },
            Data::AuditDetect(Box::new(d)),
        ),
    );
    assert!(press(&mut s, &["n"]).is_empty());
    assert_eq!(*s.panes.audit.view(), pipedeck::panes::audit::View::List);
}

#[test]
fn took_is_what_the_record_says_not_the_time_since_it_started() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Audit);
    let m = TableMapping {
        name: "t".into(),
        fields: Fields {
            pipeline: "pipeline".into(),
            status: "status".into(),
            started: "start".into(),
            duration: "duration_seconds".into(),
            ..Fields::default()
        },
        ..TableMapping::default()
    };
    let runs = [
        item(&[
            ("pipeline", "with-duration"),
            ("status", "FAILED"),
            ("start", &ago(45)),
            ("duration_seconds", "300"),
        ]),
        item(&[
            ("pipeline", "neither"),
            ("status", "FAILED"),
            ("start", &ago(50)),
        ]),
    ]
    .iter()
    .map(|i| m.run_of(i, &[]))
    .collect();
    load(
        &mut s,
        vec![TableRead {
            table: "t".into(),
            runs,
            ..TableRead::default()
        }],
    );
    let screen = text(&render(&s, 140, 20));
    let line = |p: &str| screen.lines().find(|l| l.contains(p)).unwrap().to_string();
    assert!(line("with-duration").contains("5m 00s"), "{screen}");
    assert!(!line("neither").contains("50m"), "not its age: {screen}");
}
