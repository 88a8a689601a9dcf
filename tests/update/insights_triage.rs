//! `update()` tests of what the triage tells the user about where it
//! looked: the groups being checked, a job whose streams are not named
//! after the run (the demo's dq-orders-silver), and a query that found
//! nothing in the groups it ran on.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Resource, State};

fn existing_check(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .find_map(|e| match e {
            Effect::Refresh(Resource::ExistingLogGroups { names }) => Some(names.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no log-group check in {fx:?}"))
}

/// The demo's failed dq-orders-silver run (second job), opened.
fn on_dq_run(s: &mut State) -> pipedeck::cloud::JobRun {
    press(s, &["j", "enter", "enter"]);
    let run = s.panes.glue.selected_run().expect("a run is open").clone();
    assert_eq!(run.job_name, "dq-orders-silver");
    run
}

#[test]
fn a_job_with_a_stream_prefix_is_queried_by_prefix_and_window_and_says_so() {
    let mut s = demo_state(false);
    let run = on_dq_run(&mut s);
    let names = existing_check(&press(&mut s, &["t"]));
    // Its LogGroupName's error/output, and the job's continuous group
    // (--continuous-log-logGroup in its DefaultArguments).
    assert_eq!(
        names,
        [
            "/pipelines/dq/error",
            "/pipelines/dq/output",
            "/pipelines/dq/logs-v2"
        ]
    );
    let screen = text_of(&s);
    assert!(screen.contains("checking 3 log group(s)…"), "{screen}");
    assert!(
        screen.contains(
            "streams named by --continuous-log-logStreamPrefix \"dq-orders-silver\", not by the run"
        ),
        "{screen}"
    );
    let text = s.panes.insights.query_text();
    assert!(
        text.contains("or (@logStream like /^dq-orders-silver/)"),
        "{text}"
    );
    let fx = update(
        &mut s,
        loaded(
            Resource::ExistingLogGroups {
                names: names.clone(),
            },
            Data::ExistingLogGroups(names.clone()),
        ),
    );
    let (_, q) = insights_start(&fx).expect("the query starts");
    // The run's window, margins included: what tells its lines apart.
    assert_eq!(
        q.start,
        run.started_on.unwrap() - chrono::Duration::minutes(5)
    );
    assert_eq!(
        q.end,
        run.completed_on.unwrap() + chrono::Duration::minutes(5)
    );
}

#[test]
fn a_triage_that_finds_nothing_names_the_groups_it_searched() {
    let mut r = run("etl", "jr_quiet", pipedeck::cloud::RunState::Failed, 30);
    r.completed_on = r.started_on.map(|t| t + chrono::Duration::minutes(3));
    let mut s = state_with_jobs(vec![job("etl", 1, vec![r])], false);
    let names = existing_check(&press(&mut s, &["t"]));
    let fx = update(
        &mut s,
        loaded(
            Resource::ExistingLogGroups {
                names: names.clone(),
            },
            Data::ExistingLogGroups(names[..2].to_vec()),
        ),
    );
    let (run, query) = insights_start(&fx).expect("the query starts");
    update(
        &mut s,
        loaded(
            Resource::InsightsStart { run, query },
            Data::QueryStarted("q-1".into()),
        ),
    );
    update(
        &mut s,
        loaded(
            Resource::InsightsResults {
                query_id: "q-1".into(),
            },
            Data::QueryResults(complete_rows(vec![])),
        ),
    );
    let screen = text_of(&s);
    assert!(
        screen.contains("No line of run jr_quiet in /aws-glue/jobs/error, /aws-glue/jobs/output"),
        "{screen}"
    );
    assert!(!screen.contains("The query matched no rows."), "{screen}");
}

/// Wide enough that the triage's lines are not cut.
fn text_of(s: &State) -> String {
    text(&render(s, 200, 40))
}
