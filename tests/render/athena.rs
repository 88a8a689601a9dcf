//! Snapshot tests of the Athena pane over the demo account: the SQL
//! editor's highlighting (styled), a finished SELECT with numbers
//! right-aligned and NULL shown as NULL, a failure with its reason and
//! Athena's classification, the work group picker.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Msg, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::PaneId;

fn athena_state() -> State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Athena);
    s
}

/// Replaces the editor's SQL and runs it against the demo to its end.
fn run(s: &mut State, sql: &str) {
    s.panes.athena.set_query_text(sql);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let fx = athena_run(s);
    let Some((run, query)) = fx.iter().find_map(|e| match e {
        Effect::Refresh(Resource::AthenaStart { run, query }) => Some((*run, query.clone())),
        _ => None,
    }) else {
        panic!("no start in {fx:?}");
    };
    let id = futures::executor::block_on(demo.athena_start(&query)).unwrap();
    update(
        s,
        loaded(
            Resource::AthenaStart { run, query },
            Data::AthenaStarted(id.clone()),
        ),
    );
    let mut e = futures::executor::block_on(demo.athena_execution(&id)).unwrap();
    while !e.is_final() {
        e = futures::executor::block_on(demo.athena_execution(&id)).unwrap();
    }
    let fx = update(
        s,
        loaded(
            Resource::AthenaExecution { id: id.clone() },
            Data::AthenaExecution(e),
        ),
    );
    if fx.contains(&Effect::Refresh(Resource::AthenaRows { id: id.clone() })) {
        let parts = std::sync::Mutex::new(Vec::new());
        let end = futures::executor::block_on(
            demo.athena_rows(&id, &|part, _| parts.lock().unwrap().push(part)),
        )
        .unwrap();
        let resource = Resource::AthenaRows { id };
        for part in parts.into_inner().unwrap() {
            update(
                s,
                Msg::Progress {
                    resource: resource.clone(),
                    data: Data::AthenaRows(part),
                    done: 0,
                    total: 0,
                },
            );
        }
        update(s, loaded(resource, Data::AthenaRows(end)));
    }
}

#[test]
fn sql_editor_with_highlighting() {
    let mut s = athena_state();
    s.panes.athena.set_query_text(
        "-- last night's load\nSELECT region, count(*) AS n\nFROM \"sales_db\".transactions\nWHERE year = '2026' AND day = 30\nGROUP BY 1",
    );
    press(&mut s, &["e"]);
    insta::assert_snapshot!("athena_editor_styled_100x14", styled(&render(&s, 100, 14)));
}

#[test]
fn a_finished_select_with_numbers_and_null() {
    let mut s = athena_state();
    run(
        &mut s,
        "SELECT region, sum(amount) AS total_revenue, count(*) AS num_orders\nFROM sales_db.transactions\nWHERE year = '2026' AND month = '11'\nGROUP BY region",
    );
    insta::assert_snapshot!("athena_grouped_result_100x22", text(&render(&s, 100, 22)));
}

#[test]
fn a_failed_query_under_the_editor() {
    let mut s = athena_state();
    run(&mut s, "SELECT * FROM silver_db.orderz");
    insta::assert_snapshot!("athena_failed_100x16", text(&render(&s, 100, 16)));
}

#[test]
fn the_work_group_picker() {
    let mut s = athena_state();
    press(&mut s, &["p"]);
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let groups = futures::executor::block_on(demo.athena_workgroups()).unwrap();
    update(
        &mut s,
        loaded(Resource::AthenaWorkGroups, Data::AthenaWorkGroups(groups)),
    );
    press(&mut s, &["g"]);
    insta::assert_snapshot!("athena_work_groups_100x16", text(&render(&s, 100, 16)));
}

#[test]
fn the_catalog_browser_at_a_databases_tables() {
    let mut s = athena_state();
    let demo = DemoCloud::new(Clock::Fixed(now()));
    press(&mut s, &["c"]);
    let catalogs = futures::executor::block_on(demo.athena_catalogs()).unwrap();
    update(
        &mut s,
        loaded(Resource::AthenaCatalogs, Data::AthenaCatalogs(catalogs)),
    );
    press(&mut s, &["enter"]);
    let dbs = futures::executor::block_on(demo.athena_databases("AwsDataCatalog")).unwrap();
    update(
        &mut s,
        loaded(
            Resource::AthenaDatabases {
                catalog: "AwsDataCatalog".into(),
            },
            Data::AthenaDatabases(dbs),
        ),
    );
    press(&mut s, &["j", "enter"]);
    let tables =
        futures::executor::block_on(demo.athena_tables("AwsDataCatalog", "sales_db")).unwrap();
    update(
        &mut s,
        loaded(
            Resource::AthenaTables {
                catalog: "AwsDataCatalog".into(),
                database: "sales_db".into(),
            },
            Data::AthenaTables(tables),
        ),
    );
    insta::assert_snapshot!("athena_catalog_tables_100x18", text(&render(&s, 100, 18)));
}

fn demo_read(s: &mut State, resource: Resource) {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let data = match &resource {
        // As the fetch task hands it over: flags worked out.
        Resource::AthenaHistory { workgroup } => Data::AthenaHistory(
            futures::executor::block_on(demo.athena_history(workgroup))
                .unwrap()
                .flagged(),
        ),
        Resource::AthenaNamedQueries { workgroup } => Data::AthenaNamedQueries(
            futures::executor::block_on(demo.athena_named_queries(workgroup)).unwrap(),
        ),
        other => panic!("{other:?}"),
    };
    update(s, loaded(resource, data));
}

#[test]
fn the_history_with_the_days_spend_and_a_runaway() {
    let mut s = athena_state();
    press(&mut s, &["ctrl-p"]);
    demo_read(
        &mut s,
        Resource::AthenaHistory {
            workgroup: "primary".into(),
        },
    );
    insta::assert_snapshot!("athena_history_120x24", text(&render(&s, 120, 24)));
}

#[test]
fn the_guardrail_question() {
    let mut s = athena_state();
    s.panes
        .athena
        .set_query_text("SELECT *\nFROM silver_db.orders");
    let demo = DemoCloud::new(Clock::Fixed(now()));
    press(&mut s, &["ctrl-r"]);
    let groups = futures::executor::block_on(demo.athena_workgroups()).unwrap();
    update(
        &mut s,
        loaded(Resource::AthenaWorkGroups, Data::AthenaWorkGroups(groups)),
    );
    let tables = futures::executor::block_on(demo.athena_tables("AwsDataCatalog", "silver_db"));
    update(
        &mut s,
        loaded(
            Resource::AthenaTables {
                catalog: "AwsDataCatalog".into(),
                database: "silver_db".into(),
            },
            Data::AthenaTables(tables.unwrap()),
        ),
    );
    insta::assert_snapshot!("athena_guard_100x20", text(&render(&s, 100, 20)));
}

#[test]
fn the_saved_queries_with_a_preview() {
    let mut s = athena_state();
    press(&mut s, &["b"]);
    demo_read(
        &mut s,
        Resource::AthenaNamedQueries {
            workgroup: "primary".into(),
        },
    );
    insta::assert_snapshot!("athena_saved_100x22", text(&render(&s, 100, 22)));
}
