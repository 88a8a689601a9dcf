//! `update()` tests of Athena part 2: the history's runaway flag (the same
//! query by its literal-free shape), the 24 h sum, re-opening an
//! execution, the guardrails before a run (partition predicate present /
//! absent, unparseable SQL, no scan limit), saved queries through the gate
//! and their refusal when read-only.

use crate::common;

use chrono::Duration;
use common::*;
use pipedeck::app::{update, Data, Effect, Overlay, Resource, State};
use pipedeck::cloud::athena::{Column, Execution, History, QueryState, TableMeta, WorkGroup};
use pipedeck::gate::Action;
use pipedeck::panes::athena::Focus;
use pipedeck::panes::PaneId;

fn athena_state(read_only: bool) -> State {
    let mut s = demo_state(read_only);
    goto(&mut s, PaneId::Athena);
    s
}

fn exec(id: &str, sql: &str, hours_ago: i64, gb: i64, state: QueryState) -> Execution {
    Execution {
        id: id.into(),
        sql: sql.into(),
        state: Some(state),
        statement_type: Some("DML".into()),
        workgroup: Some("primary".into()),
        submitted: Some(now() - Duration::hours(hours_ago)),
        scanned_bytes: Some(gb * 1_000_000_000),
        engine_ms: Some(12_000),
        ..Execution::default()
    }
}

fn daily(date: &str) -> String {
    format!("SELECT * FROM silver_db.orders WHERE order_date = DATE '{date}'")
}

fn history() -> History {
    History {
        executions: vec![
            exec("today", &daily("2025-11-30"), 1, 80, QueryState::Succeeded),
            exec("failed", "SELECT * FROM nope", 2, 0, QueryState::Failed),
            exec("d1", &daily("2026-11-29"), 25, 2, QueryState::Succeeded),
            exec("d2", &daily("2026-11-28"), 49, 2, QueryState::Succeeded),
        ],
        ..History::default()
    }
}

fn open_history(s: &mut State, h: History) {
    press(s, &["ctrl-p"]);
    assert_eq!(s.panes.athena.focus(), Focus::History);
    update(
        s,
        loaded(
            Resource::AthenaHistory {
                workgroup: "primary".into(),
            },
            // As the fetch task hands it over: flags worked out.
            Data::AthenaHistory(h.flagged()),
        ),
    );
}

#[test]
fn a_daily_query_with_a_new_date_is_compared_with_its_past_and_the_day_is_summed() {
    let mut s = athena_state(false);
    open_history(&mut s, history());
    let h = s.panes.athena.history();
    // 80 GB against a median of 2 GB the days before, same shape.
    assert_eq!(h.runaway.keys().collect::<Vec<_>>(), ["today"]);
    assert_eq!(h.runaway["today"], 40, "80 GB against 2 GB");
    // The last 24 h: two queries, one failed, 80 GB, 80 GB × $5/TB.
    assert_eq!((h.spend.queries, h.spend.failed), (2, 1));
    assert_eq!(h.spend.scanned_bytes, 80_000_000_000);
    assert!(
        (h.spend.cost_usd - 0.4).abs() < 1e-9,
        "{}",
        h.spend.cost_usd
    );
    let screen = text(&render(&s, 140, 30));
    assert!(
        screen.contains("last 24 h: 2 queries, 1 failed, 80 GB scanned, ≈ $0.4"),
        "{screen}"
    );
    assert!(screen.contains("RUNAWAY 40×"), "{screen}");
    // Polled while shown.
    assert!(s.subscriptions().iter().any(|(r, _)| matches!(
        r,
        Resource::AthenaHistory { workgroup } if workgroup == "primary"
    )));
}

#[test]
fn enter_reopens_an_execution_in_the_result_view() {
    let mut s = athena_state(false);
    open_history(&mut s, history());
    press(&mut s, &["j"]);
    let fx = press(&mut s, &["enter"]);
    assert_eq!(s.panes.athena.focus(), Focus::Results);
    assert!(fx.contains(&Effect::Refresh(Resource::AthenaExecution {
        id: "failed".into()
    })));
    assert_eq!(s.panes.athena.query_text(), "SELECT * FROM nope");
}

/// Runs ctrl-r with the work groups and silver_db's tables answered.
fn run_with_context(s: &mut State, sql: &str, cutoff: Option<i64>) -> Vec<Effect> {
    s.panes.athena.set_query_text(sql);
    let fx = press(s, &["ctrl-r"]);
    assert!(
        fx.contains(&Effect::Refresh(Resource::AthenaWorkGroups)),
        "{fx:?}"
    );
    let mut out = update(
        s,
        loaded(
            Resource::AthenaWorkGroups,
            Data::AthenaWorkGroups(vec![WorkGroup {
                name: "primary".into(),
                enabled: true,
                scan_cutoff: cutoff,
                ..WorkGroup::default()
            }]),
        ),
    );
    let tables = Resource::AthenaTables {
        catalog: "AwsDataCatalog".into(),
        database: "silver_db".into(),
    };
    if fx.contains(&Effect::Refresh(tables.clone())) {
        out = update(
            s,
            loaded(
                tables,
                Data::AthenaTables(vec![TableMeta {
                    name: "orders".into(),
                    partition_keys: vec![Column {
                        name: "order_date".into(),
                        kind: "date".into(),
                    }],
                    ..TableMeta::default()
                }]),
            ),
        );
    }
    out
}

fn starts(fx: &[Effect]) -> bool {
    fx.iter()
        .any(|e| matches!(e, Effect::Refresh(Resource::AthenaStart { .. })))
}

#[test]
fn a_read_of_every_partition_asks_first_and_n_does_not_run() {
    let mut s = athena_state(false);
    let fx = run_with_context(
        &mut s,
        "SELECT * FROM silver_db.orders",
        Some(10_000_000_000),
    );
    assert!(!starts(&fx), "{fx:?}");
    assert_eq!(s.panes.athena.focus(), Focus::Guard);
    let g = s.panes.athena.guard().unwrap();
    assert_eq!(
        g.warnings,
        ["scans every partition of silver_db.orders (no predicate on order_date)"]
    );
    let screen = text(&render(&s, 120, 30));
    assert!(
        screen.contains("Run anyway? y runs it, n/esc does not."),
        "{screen}"
    );
    // Letters other than the answers do nothing.
    assert!(!starts(&press(&mut s, &["x"])));
    assert_eq!(s.panes.athena.focus(), Focus::Guard);
    assert!(!starts(&press(&mut s, &["n"])));
    assert_eq!(s.panes.athena.focus(), Focus::Results);
    assert!(s.panes.athena.run().is_none(), "not run");
    assert!(s.overlay.is_none(), "never the gate's dialog");
    // Asked again, y runs it.
    let fx = press(&mut s, &["ctrl-r"]);
    assert!(!starts(&fx), "still asks: {fx:?}");
    assert!(starts(&press(&mut s, &["y"])));
}

#[test]
fn a_predicate_on_the_partition_key_runs_at_once() {
    let mut s = athena_state(false);
    let fx = run_with_context(
        &mut s,
        "SELECT * FROM silver_db.orders WHERE order_date = DATE '2026-11-30'",
        Some(10_000_000_000),
    );
    assert!(starts(&fx), "{fx:?}");
    assert!(s.panes.athena.guard().is_none());
}

#[test]
fn unparseable_sql_runs_and_says_it_could_not_check() {
    let mut s = athena_state(false);
    let fx = run_with_context(
        &mut s,
        "SELECT * FROM silver_db.orders WHERE order_date = = 1",
        Some(10_000_000_000),
    );
    assert!(starts(&fx), "Athena says what is wrong with it: {fx:?}");
    let said = s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(said.contains("could not check partitions"), "{said}");
}

#[test]
fn a_work_group_without_a_scan_limit_asks_and_config_turns_it_off() {
    let mut s = athena_state(false);
    let fx = run_with_context(
        &mut s,
        "SELECT * FROM silver_db.orders WHERE order_date = DATE '2026-11-30'",
        None,
    );
    assert!(!starts(&fx));
    assert_eq!(
        s.panes.athena.guard().unwrap().warnings,
        ["work group primary has no scan limit: nothing stops a runaway scan"]
    );
    // [athena] warn_no_scan_limit = false, warn_full_scan = false.
    let cfg = pipedeck::config::AthenaConfig {
        warn_no_scan_limit: false,
        warn_full_scan: false,
        ..Default::default()
    };
    let mut quiet = athena_state(false);
    quiet.panes.athena = pipedeck::panes::athena::AthenaPane::new(&cfg, None);
    quiet
        .panes
        .athena
        .set_query_text("SELECT * FROM silver_db.orders");
    assert!(starts(&press(&mut quiet, &["ctrl-r"])));
}

#[test]
fn save_and_delete_go_through_the_gate_and_read_only_refuses_both() {
    let mut s = athena_state(false);
    s.panes.athena.set_query_text("SELECT 1");
    press(&mut s, &[":"]);
    type_text(&mut s, "save my check");
    press(&mut s, &["enter"]);
    match &s.overlay {
        Some(Overlay::Confirm(p)) => match p.action() {
            Action::SaveNamedQuery { query } => {
                assert_eq!(query.name, "my check");
                assert_eq!(query.sql, "SELECT 1");
                assert_eq!(query.workgroup.as_deref(), Some("primary"));
                assert_eq!(query.database, "default");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    s.overlay = None;
    // The saved list: D asks to delete the selected one.
    let fx = press(&mut s, &["b"]);
    assert!(fx.contains(&Effect::Refresh(Resource::AthenaNamedQueries {
        workgroup: "primary".into()
    })));
    let saved = futures::executor::block_on(
        <pipedeck::cloud::demo::DemoCloud as pipedeck::cloud::CloudRead>::athena_named_queries(
            &pipedeck::cloud::demo::DemoCloud::new(pipedeck::cloud::demo::Clock::Fixed(now())),
            "primary",
        ),
    )
    .unwrap();
    update(
        &mut s,
        loaded(
            Resource::AthenaNamedQueries {
                workgroup: "primary".into(),
            },
            Data::AthenaNamedQueries(saved),
        ),
    );
    press(&mut s, &["D"]);
    match &s.overlay {
        Some(Overlay::Confirm(p)) => assert!(matches!(
            p.action(),
            Action::DeleteNamedQuery { name, .. } if name == "daily orders by customer"
        )),
        other => panic!("{other:?}"),
    }

    let mut ro = athena_state(true);
    ro.panes.athena.set_query_text("SELECT 1");
    press(&mut ro, &[":"]);
    type_text(&mut ro, "save my check");
    let fx = press(&mut ro, &["enter"]);
    assert!(ro.overlay.is_none(), "read-only: no question");
    assert!(matches!(fx.as_slice(), [Effect::Journal(_)]), "{fx:?}");
}

#[test]
fn a_reopened_running_query_is_watched_never_stopped() {
    let mut s = athena_state(false);
    let mut h = history();
    h.executions[0].state = Some(QueryState::Running);
    open_history(&mut s, h);
    press(&mut s, &["enter"]);
    assert!(s.panes.athena.run().is_some_and(|r| r.is_active()));
    // X says why not; a new run and quitting send no StopQueryExecution.
    let fx = press(&mut s, &["X"]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::StopAthena(_))),
        "{fx:?}"
    );
    let said = s.flash.as_ref().unwrap().text.clone();
    assert!(said.contains("not started here"), "{said}");
    let fx = press(&mut s, &["ctrl-p", "enter"]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::StopAthena(_))),
        "{fx:?}"
    );
    let fx = press(&mut s, &["q"]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::StopAthena(_))),
        "{fx:?}"
    );
}

#[test]
fn the_question_takes_its_place_at_once_and_y_waits_for_the_checks() {
    let mut s = athena_state(false);
    s.panes
        .athena
        .set_query_text("SELECT * FROM silver_db.orders");
    press(&mut s, &["e"]);
    press(&mut s, &["ctrl-r"]);
    // Not the editor any more: a typed y cannot become text, nor run
    // before the checks are back.
    assert_eq!(s.panes.athena.focus(), Focus::Guard);
    assert!(!starts(&press(&mut s, &["y"])));
    let said = s.flash.as_ref().unwrap().text.clone();
    assert!(said.contains("still checking"), "{said}");
    assert_eq!(
        s.panes.athena.query_text(),
        "SELECT * FROM silver_db.orders"
    );
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("Checking first:"), "{screen}");
    // n cancels, back where the run was asked from.
    press(&mut s, &["n"]);
    assert_eq!(s.panes.athena.focus(), Focus::Editor);
    assert!(s.panes.athena.guard().is_none());
}
