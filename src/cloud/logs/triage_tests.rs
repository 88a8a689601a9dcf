//! The triage of each run shape the Glue developer guide describes: the
//! groups it looks in, the fallback, the query's stream filter and the
//! note the user is shown.
use super::*;
use crate::cloud::logs::glue_logs::{
    CONTINUOUS_GROUP, CONTINUOUS_STREAM_PREFIX, CUSTOM_GROUP_PREFIX, CUSTOM_STREAM_PREFIX,
};
use crate::cloud::RunState;
use std::collections::BTreeMap;

fn run(version: &str) -> JobRun {
    let start = DateTime::from_timestamp(1_795_750_000, 0).unwrap();
    JobRun {
        id: "jr_abc".into(),
        job_name: "nightly".into(),
        state: RunState::Failed,
        attempt: 0,
        started_on: Some(start),
        completed_on: Some(start + Duration::minutes(12)),
        execution_time_s: None,
        dpu_seconds: None,
        worker_type: None,
        number_of_workers: None,
        max_capacity: None,
        arguments: BTreeMap::new(),
        error_message: None,
        trigger_name: None,
        log_group_name: None,
        glue_version: Some(version.into()),
        security_configuration: None,
        job_arguments: BTreeMap::new(),
    }
}

fn triage(run: &JobRun) -> Triage {
    Triage::for_glue_run(run, &GlueLogs::default(), Utc::now())
}

/// The run's own streams, job insights' included, whatever the shape.
fn keeps_the_runs_streams(q: &str) {
    assert!(
        q.contains("| filter (@logStream = \"jr_abc\") or (@logStream like /^jr_abc-(driver|\\d+|job-insights-rca-driver|job-insights-rule-driver)$/)"),
        "{q}"
    );
    assert!(
        q.contains("strcontains(@logStream, \"job-insights-rca\") as isRootCause"),
        "{q}"
    );
}

#[test]
fn a_default_run_looks_in_glues_groups_and_the_continuous_one() {
    let r = run("4.0");
    let t = triage(&r);
    assert_eq!(
        t.candidates,
        [
            "/aws-glue/jobs/error",
            "/aws-glue/jobs/output",
            "/aws-glue/jobs/logs-v2"
        ]
    );
    assert!(t.fallback.is_empty());
    assert_eq!(t.note, None);
    keeps_the_runs_streams(&t.query);
    assert!(
        !t.query.contains("/^jr_abc/"),
        "no prefix alternative: {}",
        t.query
    );
    assert_eq!(t.start, r.started_on.unwrap() - Duration::minutes(5));
    assert_eq!(t.end, r.completed_on.unwrap() + Duration::minutes(5));
}

#[test]
fn a_security_configuration_renames_the_continuous_group() {
    let mut r = run("4.0");
    r.security_configuration = Some("enc-logs".into());
    // What GetJobRun reports when the configuration encrypts the logs.
    r.log_group_name = Some("/aws-glue/jobs-etl-role-enc-logs/".into());
    let t = triage(&r);
    assert_eq!(
        t.candidates,
        [
            "/aws-glue/jobs-etl-role-enc-logs/error",
            "/aws-glue/jobs-etl-role-enc-logs/output",
            "/aws-glue/jobs/logs-v2-enc-logs",
        ]
    );
    assert_eq!(
        t.fallback,
        ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
    );
    keeps_the_runs_streams(&t.query);
}

#[test]
fn a_custom_continuous_group_takes_the_security_configuration_suffix() {
    let mut r = run("3.0");
    r.security_configuration = Some("enc".into());
    // Set on the job (DefaultArguments), as the console does.
    r.job_arguments = BTreeMap::from([
        ("--enable-continuous-cloudwatch-log".into(), "true".into()),
        (CONTINUOUS_GROUP.into(), "/team/etl/continuous/".into()),
    ]);
    let t = triage(&r);
    assert_eq!(
        t.candidates,
        [
            "/aws-glue/jobs/error",
            "/aws-glue/jobs/output",
            "/team/etl/continuous-enc"
        ]
    );
    // The run's own Arguments override the job's.
    r.arguments
        .insert(CONTINUOUS_GROUP.into(), "/team/etl/rerun".into());
    assert_eq!(triage(&r).candidates[2], "/team/etl/rerun-enc");
    keeps_the_runs_streams(&t.query);
}

#[test]
fn a_custom_stream_prefix_keeps_its_streams_and_says_the_window_decides() {
    let mut r = run("4.0");
    r.job_arguments = BTreeMap::from([(CONTINUOUS_STREAM_PREFIX.into(), "nightly.v2".into())]);
    let t = triage(&r);
    keeps_the_runs_streams(&t.query);
    // Every stream under the prefix (escaped for the regex), since its
    // name no longer carries the run id.
    assert!(
        t.query
            .contains("job-insights-rule-driver)$/) or (@logStream like /^nightly\\.v2/)\n"),
        "{}",
        t.query
    );
    let note = t.note.as_deref().expect("the user is told");
    assert!(
        note.contains("streams named by --continuous-log-logStreamPrefix \"nightly.v2\""),
        "{note}"
    );
    assert!(note.contains("time window only"), "{note}");
    // Still the run's window, not a wider one.
    assert_eq!(t.start, r.started_on.unwrap() - Duration::minutes(5));
    assert_eq!(t.end, r.completed_on.unwrap() + Duration::minutes(5));
}

#[test]
fn glue_5_writes_error_and_output_only_under_its_custom_prefix() {
    let mut r = run("5.0");
    r.arguments = BTreeMap::from([
        (CUSTOM_GROUP_PREFIX.into(), "/team/g5".into()),
        (CUSTOM_STREAM_PREFIX.into(), "orders-load".into()),
        // Not a Glue 5.0 setting: no logs-v2 group either way.
        (CONTINUOUS_GROUP.into(), "/team/continuous".into()),
    ]);
    let t = triage(&r);
    assert_eq!(t.candidates, ["/team/g5/error", "/team/g5/output"]);
    assert_eq!(
        t.fallback,
        ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
    );
    assert!(
        t.query.contains("or (@logStream like /^orders-load/)"),
        "{}",
        t.query
    );
    assert!(
        t.note
            .as_deref()
            .is_some_and(|n| n.contains(CUSTOM_STREAM_PREFIX)),
        "{:?}",
        t.note
    );
    // A default Glue 5.0 run: Glue's two groups, nothing else.
    let t = triage(&run("5.0"));
    assert_eq!(
        t.candidates,
        ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
    );
    assert!(t.fallback.is_empty() && t.note.is_none());
}

#[test]
fn before_5_the_glue_5_group_prefix_is_not_read() {
    let mut r = run("4.0");
    r.arguments = BTreeMap::from([(CUSTOM_GROUP_PREFIX.into(), "/team/g5".into())]);
    assert_eq!(triage(&r).candidates[0], "/aws-glue/jobs/error");
}

#[test]
fn suffixes_join_the_prefix_with_one_slash() {
    let cfg = GlueLogs {
        suffixes: vec!["error".into(), "/output".into()],
        ..GlueLogs::default()
    };
    let mut r = run("4.0");
    r.started_on = None;
    r.completed_on = None;
    r.log_group_name = Some("/custom/".into());
    let now = Utc::now();
    let t = Triage::for_glue_run(&r, &cfg, now);
    assert_eq!(
        t.candidates,
        ["/custom/error", "/custom/output", "/aws-glue/jobs/logs-v2"]
    );
    assert_eq!(
        t.fallback,
        ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
    );
    // No start or end reported: the hour before now, with the margins.
    assert_eq!(t.start, now - Duration::minutes(65));
    assert_eq!(t.end, now + Duration::minutes(5));
}

#[test]
fn odd_run_ids_are_escaped_in_the_query() {
    assert_eq!(regex_escape("jr_a.b/c"), "jr_a\\.b\\/c");
    let q = query_for_run("jr_1\"x", None);
    assert!(q.contains("@logStream = \"jr_1\\\"x\""), "{q}");
}

#[test]
fn the_query_follows_the_logs_insights_rules() {
    let q = query_for_run("jr_a.b", None);
    // Each side of the `or` in parentheses; the run id escaped in the
    // regex; job insights' streams kept.
    assert!(
        q.contains("| filter (@logStream = \"jr_a.b\") or (@logStream like /^jr_a\\.b-("),
        "{q}"
    );
    assert!(
        q.contains("job-insights-rca-driver|job-insights-rule-driver"),
        "{q}"
    );
    // Computed fields without underscores.
    for field in ["isError", "isRootCause", "triageRank"] {
        assert!(q.contains(&format!(" as {field}")), "{q}");
    }
    assert!(!q.contains("is_error") && !q.contains("triage_rank"), "{q}");
    // A traceback frame counts with its error.
    assert!(q.contains("strcontains(@message, \"File \\\"\")"), "{q}");
}

#[test]
fn ranks_are_positive_integers_in_bands() {
    let t = 1_790_000_000_000; // 2026, in epoch ms
    let plain = rank(false, false, t);
    let error = rank(false, true, t);
    let older_error = rank(false, true, t - 60_000);
    let root = rank(true, false, t);
    // Sort treats anything with a non-digit (a minus) as a non-number.
    for r in [plain, error, older_error, root] {
        assert!(
            r > 0 && r.to_string().chars().all(|c| c.is_ascii_digit()),
            "{r}"
        );
    }
    assert!(root > older_error && older_error > error && error > plain);
    assert_eq!(plain, RANK_BAND - t);
    assert_eq!(error, 2 * RANK_BAND - t);
}
