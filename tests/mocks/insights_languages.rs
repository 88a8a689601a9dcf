//! Saved queries in other languages than Logs Insights QL, on the real SDK
//! client with `aws-smithy-mocks`: DescribeQueryDefinitions is asked per
//! language; a PPL definition is listed, loaded and run with
//! queryLanguage=PPL; an SQL one runs without logGroupNames (its text names
//! its groups, as the StartQuery reference says); saving keeps the language.

use crate::common;

use aws_sdk_cloudwatchlogs::operation::describe_query_definitions::DescribeQueryDefinitionsOutput;
use aws_sdk_cloudwatchlogs::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_cloudwatchlogs::operation::start_query::StartQueryOutput;
use aws_sdk_cloudwatchlogs::types::{
    QueryDefinition as SdkDef, QueryLanguage as SdkLanguage, QueryStatus as SdkStatus, ResultField,
};
use aws_smithy_mocks::{mock, Rule};
use common::mocks::logs_cloud;
use common::*;
use pipedeck::app::Overlay;
use pipedeck::cloud::QueryLanguage;
use pipedeck::gate::{self, Journal};

const PPL: &str = "where like(@message, '%ERROR%')\n| stats count() as errors by @logStream";
const SQL: &str =
    "SELECT `@logStream`, COUNT(*) AS errors FROM `/aws-glue/jobs/error` GROUP BY `@logStream`";

/// One saved query per language, each listed only when its language is
/// asked for (as a service that filters on queryLanguage answers).
fn definitions() -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::describe_query_definitions).then_compute_output(|r| {
        let def = |id: &str, name: &str, query: &str, language: SdkLanguage| {
            let b = SdkDef::builder()
                .query_definition_id(id)
                .name(name)
                .query_string(query)
                .query_language(language.clone());
            match language {
                SdkLanguage::Sql => b.build(),
                _ => b.log_group_names("/aws-glue/jobs/error").build(),
            }
        };
        let listed = match r.query_language() {
            Some(SdkLanguage::Cwli) => def("d-1", "errors", "fields @message", SdkLanguage::Cwli),
            Some(SdkLanguage::Ppl) => def("d-2", "errors (ppl)", PPL, SdkLanguage::Ppl),
            Some(SdkLanguage::Sql) => def("d-3", "errors (sql)", SQL, SdkLanguage::Sql),
            other => panic!("a listing in {other:?}"),
        };
        DescribeQueryDefinitionsOutput::builder()
            .query_definitions(listed)
            .build()
    })
}

fn complete() -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::get_query_results).then_output(|| {
        GetQueryResultsOutput::builder()
            .status(SdkStatus::Complete)
            .results(vec![
                ResultField::builder()
                    .field("@logStream")
                    .value("jr_1-driver")
                    .build(),
                ResultField::builder().field("errors").value("4").build(),
            ])
            .build()
    })
}

/// Opens the saved list on `cloud`, moves down `down` rows, loads it.
async fn load(s: &mut pipedeck::app::State, cloud: &pipedeck::cloud::aws::AwsCloud, down: usize) {
    let fx = press(s, &["b"]);
    drive(s, cloud, fx).await;
    for _ in 0..down {
        press(s, &["j"]);
    }
    press(s, &["enter"]);
}

#[tokio::test]
async fn a_ppl_definition_is_listed_loaded_and_run_in_ppl() {
    let defs = definitions();
    let started = mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .match_requests(|r| {
            r.query_language() == Some(&SdkLanguage::Ppl)
                && r.query_string() == Some(PPL)
                && r.log_group_names() == ["/aws-glue/jobs/error"]
        })
        .then_output(|| StartQueryOutput::builder().query_id("q-ppl").build());
    let results = complete();
    let cloud = logs_cloud(&[&defs, &started, &results]);
    let mut s = insights_state();
    load(&mut s, &cloud, 1).await;
    assert_eq!(defs.num_calls(), 3, "one listing per language");
    let listed: Vec<(&str, &QueryLanguage)> = s
        .panes
        .insights
        .saved()
        .items
        .iter()
        .map(|d| (d.name.as_str(), &d.language))
        .collect();
    assert_eq!(
        listed,
        [
            ("errors", &QueryLanguage::Cwli),
            ("errors (ppl)", &QueryLanguage::Ppl),
            ("errors (sql)", &QueryLanguage::Sql),
        ]
    );
    assert_eq!(s.panes.insights.language(), &QueryLanguage::Ppl);
    let fx = press(&mut s, &["ctrl-r"]);
    drive(&mut s, &cloud, fx).await;
    assert_eq!(started.num_calls(), 1, "StartQuery with queryLanguage=PPL");
    let screen = text(&render(&s, 140, 40));
    assert!(screen.contains("query in OpenSearch PPL"), "{screen}");
    assert!(screen.contains("jr_1-driver"), "{screen}");
}

#[tokio::test]
async fn an_sql_definition_runs_without_log_group_names() {
    let defs = definitions();
    let started = mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .match_requests(|r| {
            r.query_language() == Some(&SdkLanguage::Sql)
                && r.query_string() == Some(SQL)
                && r.log_group_names().is_empty()
                && r.log_group_identifiers().is_empty()
                && r.log_group_name().is_none()
        })
        .then_output(|| StartQueryOutput::builder().query_id("q-sql").build());
    let results = complete();
    let cloud = logs_cloud(&[&defs, &started, &results]);
    let mut s = insights_state();
    load(&mut s, &cloud, 2).await;
    let fx = press(&mut s, &["ctrl-r"]);
    drive(&mut s, &cloud, fx).await;
    assert_eq!(started.num_calls(), 1, "no logGroupNames beside SQL");
    let screen = text(&render(&s, 140, 40));
    assert!(screen.contains("named in the SQL query"), "{screen}");
}

#[tokio::test]
async fn saving_a_loaded_ppl_query_keeps_its_language() {
    let defs = definitions();
    let put = mock!(aws_sdk_cloudwatchlogs::Client::put_query_definition)
        .match_requests(|r| {
            r.query_language() == Some(&SdkLanguage::Ppl)
                && r.query_definition_id() == Some("d-2")
                && r.query_string() == Some(PPL)
        })
        .then_output(|| {
            aws_sdk_cloudwatchlogs::operation::put_query_definition::PutQueryDefinitionOutput::builder()
                .query_definition_id("d-2")
                .build()
        });
    let cloud = logs_cloud(&[&defs, &put]);
    let mut s = insights_state();
    load(&mut s, &cloud, 1).await;
    press(&mut s, &[":"]);
    type_text(&mut s, "save");
    press(&mut s, &["enter"]);
    let action = match &s.overlay {
        Some(Overlay::Confirm(p)) => p.action().clone(),
        other => panic!("no confirmation: {other:?}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));
    let report = gate::execute(&cloud, &journal, approve(action)).await;
    assert!(report.ok, "{}", report.summary);
    assert_eq!(
        put.num_calls(),
        1,
        "PutQueryDefinition with queryLanguage=PPL"
    );
}
