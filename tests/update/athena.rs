//! `update()` tests of the Athena pane: run starts StartQueryExecution in
//! the chosen work group, the pane polls GetQueryExecution on its own
//! schedule (2 s, 10 s after 30 s, 20 s after two minutes; throttling
//! doubles it), rows stream in once SUCCEEDED, a failure shows its reason,
//! stop / re-run / quit stop what was started.

use crate::common;

use chrono::Duration;
use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Resource, State};
use pipedeck::cloud::athena::{
    AthenaError, AthenaQuery, Column, Execution, QueryState, ResultPart, RowSource, WorkGroup,
};
use pipedeck::cloud::CloudError;
use pipedeck::panes::athena::Focus;
use pipedeck::panes::PaneId;

fn athena_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Athena);
    s
}

fn start_of(fx: &[Effect]) -> (u64, AthenaQuery) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Refresh(Resource::AthenaStart { run, query }) => Some((*run, query.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no StartQueryExecution in {fx:?}"))
}

fn polls(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Refresh(Resource::AthenaExecution { id }) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn tick(s: &mut State, secs: i64) -> Vec<Effect> {
    let at = s.now + Duration::seconds(secs);
    update(s, Msg::Tick(at))
}

fn exec(id: &str, state: QueryState) -> Execution {
    Execution {
        id: id.into(),
        state: Some(state),
        statement_type: Some("DML".into()),
        substatement_type: Some("SELECT".into()),
        scanned_bytes: Some(2_500_000_000),
        engine_ms: Some(4_200),
        queue_ms: Some(300),
        ..Default::default()
    }
}

fn polled(s: &mut State, e: Execution) -> Vec<Effect> {
    let at = s.now;
    update(
        s,
        loaded_at(
            Resource::AthenaExecution { id: e.id.clone() },
            Data::AthenaExecution(e),
            at,
        ),
    )
}

/// Started as run `run`, answered with `id`.
fn started(s: &mut State, run: u64, query: AthenaQuery, id: &str) -> Vec<Effect> {
    let at = s.now;
    update(
        s,
        loaded_at(
            Resource::AthenaStart { run, query },
            Data::AthenaStarted(id.into()),
            at,
        ),
    )
}

fn part(rows: Vec<Vec<Option<&str>>>) -> ResultPart {
    ResultPart {
        columns: vec![
            Column {
                name: "region".into(),
                kind: "varchar".into(),
            },
            Column {
                name: "total".into(),
                kind: "double".into(),
            },
        ],
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(|v| v.map(str::to_string)).collect())
            .collect(),
        source: Some(RowSource::File {
            uri: "s3://r/q-1.csv".into(),
        }),
        update_count: None,
    }
}

#[test]
fn run_starts_in_the_work_group_then_polls_on_a_slowing_schedule() {
    let mut s = athena_state();
    let fx = athena_run(&mut s);
    let (run, query) = start_of(&fx);
    assert_eq!(query.workgroup, "primary");
    assert_eq!(query.catalog.as_deref(), Some("AwsDataCatalog"));
    assert!(query.sql.contains("information_schema.tables"));
    assert!(started(&mut s, run, query, "q-1").is_empty());
    // The first look after a second, then every 2 s.
    assert!(polls(&tick(&mut s, 0)).is_empty());
    assert_eq!(polls(&tick(&mut s, 1)), ["q-1"]);
    assert!(
        polls(&tick(&mut s, 1)).is_empty(),
        "one poll in flight at a time"
    );
    polled(&mut s, exec("q-1", QueryState::Queued));
    assert!(polls(&tick(&mut s, 1)).is_empty());
    assert_eq!(polls(&tick(&mut s, 1)), ["q-1"], "2 s later");
    // After 30 s the interval is 10 s.
    s.now += Duration::seconds(40);
    polled(&mut s, exec("q-1", QueryState::Running));
    assert!(polls(&tick(&mut s, 9)).is_empty());
    assert_eq!(polls(&tick(&mut s, 1)), ["q-1"], "10 s later");
    // Throttled: doubled.
    let at = s.now;
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::AthenaExecution { id: "q-1".into() },
            at,
            result: Err(CloudError::Throttled {
                op: "athena:GetQueryExecution".into(),
            }),
            next_in: None,
        },
    );
    assert!(polls(&tick(&mut s, 19)).is_empty());
    assert_eq!(polls(&tick(&mut s, 1)), ["q-1"], "20 s after a throttle");
}

#[test]
fn succeeded_rows_stream_in_and_the_line_says_scan_cost_and_source() {
    let mut s = athena_state();
    let (run, query) = start_of(&athena_run(&mut s));
    started(&mut s, run, query, "q-1");
    let fx = polled(&mut s, exec("q-1", QueryState::Succeeded));
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::AthenaRows { id: "q-1".into() })]
    );
    assert!(
        polls(&tick(&mut s, 60)).is_empty(),
        "a final state is not polled"
    );
    let rows = Resource::AthenaRows { id: "q-1".into() };
    update(
        &mut s,
        Msg::Progress {
            resource: rows.clone(),
            data: Data::AthenaRows(part(vec![vec![Some("North"), Some("10.5")]])),
            done: 1,
            total: 0,
        },
    );
    update(
        &mut s,
        Msg::Progress {
            resource: rows.clone(),
            data: Data::AthenaRows(part(vec![vec![Some(""), None]])),
            done: 2,
            total: 0,
        },
    );
    assert_eq!(s.panes.athena.results().len(), 2);
    update(&mut s, loaded(rows, Data::AthenaRows(part(vec![]))));
    let table = s.panes.athena.results().shown_table();
    assert_eq!(table.rows[1], vec![Some(String::new()), None]);
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("SUCCEEDED"), "{screen}");
    assert!(screen.contains("scanned 2.5 GB"), "{screen}");
    // 2,500 MB at $5 per TB.
    assert!(screen.contains("$0.0125"), "{screen}");
    assert!(
        screen.contains("read from the result file in S3"),
        "{screen}"
    );
    assert!(screen.contains("NULL"), "{screen}");
}

#[test]
fn a_failure_shows_its_reason_and_athena_error_and_reads_no_rows() {
    let mut s = athena_state();
    let (run, query) = start_of(&athena_run(&mut s));
    started(&mut s, run, query, "q-1");
    let mut e = exec("q-1", QueryState::Failed);
    e.reason = Some(
        "TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.silver_db.orderz' does not exist".into(),
    );
    e.error = Some(AthenaError {
        category: Some(2),
        kind: Some(1110),
        retryable: false,
        message: None,
    });
    assert!(polled(&mut s, e).is_empty(), "no rows for a failure");
    let err = s.panes.athena.error().unwrap();
    assert!(
        err.contains("orderz") && err.contains("1110 (table or view not found)"),
        "{err}"
    );
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("$0 (failed)"), "{screen}");
}

#[test]
fn stop_rerun_and_quit_stop_what_was_started() {
    let mut s = athena_state();
    let (run, query) = start_of(&athena_run(&mut s));
    started(&mut s, run, query.clone(), "q-1");
    let fx = press(&mut s, &["X"]);
    assert!(fx.contains(&Effect::StopAthena("q-1".into())), "{fx:?}");
    // Polled on to CANCELLED: a cancelled query pays for what it scanned.
    assert_eq!(polls(&tick(&mut s, 1)), ["q-1"]);
    assert_eq!(press(&mut s, &["X"]), vec![], "nothing left to stop");
    // A re-run stops the one still going.
    let (run2, q2) = start_of(&athena_run(&mut s));
    started(&mut s, run2, q2, "q-2");
    let fx = athena_run(&mut s);
    assert!(fx.contains(&Effect::StopAthena("q-2".into())), "{fx:?}");
    // A start answered after its run was replaced is stopped at once.
    let late = started(&mut s, run2, query, "q-late");
    assert_eq!(late, vec![Effect::StopAthena("q-late".into())]);
    // Quit stops the current one.
    let (run3, q3) = start_of(&athena_run(&mut s));
    started(&mut s, run3, q3, "q-3");
    let fx = press(&mut s, &["q"]);
    assert!(fx.contains(&Effect::StopAthena("q-3".into())), "{fx:?}");
}

#[test]
fn the_picker_lists_work_groups_and_enter_chooses_where_queries_run() {
    let mut s = athena_state();
    assert!(!s
        .subscriptions()
        .iter()
        .any(|(r, _)| *r == Resource::AthenaWorkGroups));
    press(&mut s, &["p"]);
    assert_eq!(s.panes.athena.focus(), Focus::WorkGroups);
    // Read (and `r` reads again) while the picker is open.
    assert!(s
        .subscriptions()
        .contains(&(Resource::AthenaWorkGroups, true)));
    let groups = vec![
        WorkGroup {
            name: "de-team-prod".into(),
            enabled: true,
            scan_cutoff: Some(10_000_000_000),
            output_location: Some("s3://my-athena-results/de-team-prod/".into()),
            ..Default::default()
        },
        WorkGroup {
            name: "primary".into(),
            enabled: true,
            ..Default::default()
        },
    ];
    update(
        &mut s,
        loaded(Resource::AthenaWorkGroups, Data::AthenaWorkGroups(groups)),
    );
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("no scan limit"), "{screen}");
    assert!(screen.contains("scan limit 10 GB"), "{screen}");
    press(&mut s, &["g", "enter"]);
    assert_eq!(s.panes.athena.workgroup(), "de-team-prod");
    assert_eq!(s.panes.athena.focus(), Focus::Results);
    assert!(!s
        .subscriptions()
        .iter()
        .any(|(r, _)| *r == Resource::AthenaWorkGroups));
    let (_, query) = start_of(&athena_run(&mut s));
    assert_eq!(query.workgroup, "de-team-prod");
}

#[test]
fn in_the_editor_letters_are_sql_and_database_is_a_command() {
    let mut s = athena_state();
    press(&mut s, &["e"]);
    assert_eq!(s.panes.athena.focus(), Focus::Editor);
    let before = s.panes.athena.query_text();
    assert!(press(&mut s, &["q", "X"]).is_empty());
    assert!(!s.quitting);
    assert_eq!(s.panes.athena.query_text(), format!("{before}qX"));
    press(&mut s, &["esc", ":"]);
    for c in "database sales_db".chars() {
        let k = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        press(&mut s, &[&k]);
    }
    press(&mut s, &["enter"]);
    let (_, query) = start_of(&athena_run(&mut s));
    assert_eq!(query.database.as_deref(), Some("sales_db"));
}

#[test]
fn the_catalog_browser_walks_down_to_a_table_and_writes_its_name_into_the_query() {
    use pipedeck::cloud::athena::{CatalogEntry, TableMeta};
    let mut s = athena_state();
    press(&mut s, &["c"]);
    assert_eq!(s.panes.athena.focus(), Focus::Catalog);
    assert!(s
        .subscriptions()
        .contains(&(Resource::AthenaCatalogs, true)));
    // An emulator may list no catalog: the configured one is still there.
    update(
        &mut s,
        loaded(Resource::AthenaCatalogs, Data::AthenaCatalogs(vec![])),
    );
    assert_eq!(
        s.panes.athena.browser().catalogs,
        vec![CatalogEntry {
            name: "AwsDataCatalog".into(),
            kind: "GLUE".into()
        }]
    );
    press(&mut s, &["enter"]);
    let dbs = Resource::AthenaDatabases {
        catalog: "AwsDataCatalog".into(),
    };
    assert!(s.subscriptions().contains(&(dbs.clone(), true)));
    update(
        &mut s,
        loaded(
            dbs,
            Data::AthenaDatabases(vec!["bronze_db".into(), "sales_db".into()]),
        ),
    );
    press(&mut s, &["j", "enter"]);
    let tables = Resource::AthenaTables {
        catalog: "AwsDataCatalog".into(),
        database: "sales_db".into(),
    };
    assert!(s.subscriptions().contains(&(tables.clone(), true)));
    let t = TableMeta {
        name: "transactions".into(),
        kind: Some("EXTERNAL_TABLE".into()),
        columns: vec![Column {
            name: "amount".into(),
            kind: "double".into(),
        }],
        partition_keys: vec![Column {
            name: "dt".into(),
            kind: "string".into(),
        }],
    };
    update(&mut s, loaded(tables, Data::AthenaTables(vec![t])));
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("partitioned by dt"), "{screen}");
    assert!(screen.contains("amount double"), "{screen}");
    // Back goes up a level, then down again.
    press(&mut s, &["esc"]);
    assert!(s.panes.athena.browser().place().ends_with("databases"));
    press(&mut s, &["enter"]);
    press(&mut s, &["enter"]);
    assert_eq!(s.panes.athena.focus(), Focus::Editor);
    assert!(
        s.panes
            .athena
            .query_text()
            .ends_with("sales_db.transactions"),
        "{}",
        s.panes.athena.query_text()
    );
}
