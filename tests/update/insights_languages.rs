//! `update()` tests of saved queries' languages: the list says each one's
//! language, a query runs (and is recalled) in its own language, what
//! pipedeck reads only in Logs Insights QL (charts, the demo's evaluator)
//! is skipped or refused for the others, and an unknown language is never
//! run.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Resource, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{CloudRead, InsightsQuery, QueryDefinition, QueryLanguage};

const STATS: &str = "stats count(*) as errors by bin(5m)";

fn def(id: &str, name: &str, query: &str, language: QueryLanguage) -> QueryDefinition {
    QueryDefinition {
        id: Some(id.into()),
        name: name.into(),
        query: query.into(),
        groups: vec!["/aws-glue/jobs/error".into()],
        last_modified: None,
        language,
    }
}

fn defs() -> Vec<QueryDefinition> {
    vec![
        def("d-1", "errors by bin", STATS, QueryLanguage::Cwli),
        // The same text in PPL: not a Logs Insights QL `stats … by bin`.
        def("d-2", "errors by bin (ppl)", STATS, QueryLanguage::Ppl),
        def(
            "d-3",
            "errors (future)",
            "FIND errors",
            QueryLanguage::from_aws("KQL"),
        ),
    ]
}

/// Opens the saved list (b) with `defs()` and loads the `n`th.
fn load(s: &mut State, n: usize) {
    press(s, &["b"]);
    update(
        s,
        loaded(Resource::QueryDefinitions, Data::QueryDefinitions(defs())),
    );
    // The cursor stays where it was: from the top.
    press(s, &["k", "k", "k"]);
    for _ in 0..n {
        press(s, &["j"]);
    }
    press(s, &["enter"]);
}

fn bins() -> pipedeck::cloud::QueryResults {
    complete_rows(vec![
        vec![("bin(5m)", "2026-11-27 02:00:00.000"), ("errors", "4")],
        vec![("bin(5m)", "2026-11-27 02:05:00.000"), ("errors", "9")],
    ])
}

#[test]
fn the_saved_list_shows_each_querys_language() {
    let mut s = insights_state();
    press(&mut s, &["b"]);
    update(
        &mut s,
        loaded(Resource::QueryDefinitions, Data::QueryDefinitions(defs())),
    );
    let screen = text(&render(&s, 120, 30));
    let line = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} listed: {screen}"))
            .to_string()
    };
    assert!(line("errors by bin").contains(" CWLI "), "{screen}");
    assert!(line("errors by bin (ppl)").contains(" PPL "), "{screen}");
    assert!(line("errors (future)").contains(" KQL "), "{screen}");
}

#[test]
fn a_ppl_query_runs_in_ppl_is_not_charted_and_is_recalled_in_ppl() {
    let mut s = insights_state();
    load(&mut s, 1);
    let fx = press(&mut s, &["ctrl-r"]);
    let (_, q) = insights_start(&fx).expect("a StartQuery");
    assert_eq!(q.language, QueryLanguage::Ppl);
    assert_eq!(q.groups, ["/aws-glue/jobs/error"]);

    // The same rows from the Logs Insights QL query are a chart; from the
    // PPL one, a table.
    answer_insights(&mut s, bins());
    assert!(s.panes.insights.chart().is_none(), "PPL is not charted");
    load(&mut s, 0);
    answer_insights(&mut s, bins());
    assert!(s.panes.insights.chart().is_some(), "CWLI is");

    // ctrl-p brings the PPL query back in PPL.
    press(&mut s, &["ctrl-p", "ctrl-p"]);
    assert_eq!(s.panes.insights.query_text(), STATS);
    assert_eq!(s.panes.insights.language(), &QueryLanguage::Ppl);
    let (_, q) = insights_start(&press(&mut s, &["ctrl-r"])).expect("a StartQuery");
    assert_eq!(q.language, QueryLanguage::Ppl);
}

#[test]
fn a_query_in_an_unknown_language_is_never_run_or_saved() {
    let mut s = insights_state();
    load(&mut s, 2);
    assert!(text(&render(&s, 140, 30)).contains("which this pipedeck does not know"));
    let fx = press(&mut s, &["ctrl-r"]);
    assert!(insights_start(&fx).is_none(), "{fx:?}");
    assert!(
        text(&render(&s, 140, 30)).contains("\"KQL\", which this pipedeck does not know"),
        "the refusal is said"
    );
    press(&mut s, &[":"]);
    type_text(&mut s, "save");
    press(&mut s, &["enter"]);
    assert!(s.overlay.is_none(), "no confirmation: nothing to save");
}

#[tokio::test]
async fn the_demo_refuses_a_ppl_query_instead_of_reading_it_as_cwli() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let q = |language| InsightsQuery {
        groups: vec!["/aws-glue/jobs/error".into()],
        start: now() - chrono::Duration::hours(1),
        end: now(),
        query: "fields @message | limit 5".into(),
        language,
    };
    assert!(demo.start_query(&q(QueryLanguage::Cwli)).await.is_ok());
    let err = demo
        .start_query(&q(QueryLanguage::Ppl))
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("Logs Insights QL queries only; this one is OpenSearch PPL"),
        "{err}"
    );
    let saved = demo.query_definitions().await.unwrap();
    assert!(
        saved.iter().any(|d| d.language == QueryLanguage::Ppl),
        "the demo lists a PPL saved query"
    );
}
