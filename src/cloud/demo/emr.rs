//! The demo account's EMR side. The stories: P2 scheduled EMR — the nightly
//! `daily-pipeline-…` cluster terminated with errors when its
//! `s3-to-redshift-transform` step failed on a missing partition file; a
//! long-running cluster where one step failed (ActionOnFailure CONTINUE)
//! while the next is running and another waits; a healthy ingestion
//! cluster; yesterday's clean run.

use super::scenario::dated;
use crate::cloud::{ClusterState, EmrCluster, EmrStep, StepFailure, StepState};
use chrono::{DateTime, Duration, Utc};

/// `{date}` and friends in a step's name, arguments and failure are its
/// start date (see [`dated`]).
struct StepDef {
    id: &'static str,
    name: &'static str,
    /// Minutes relative to the demo's start (negative = before).
    start_min: i64,
    /// How long it runs; `None` = still going at the demo's start + this.
    run_min: i64,
    fate: StepFate,
    on_failure: &'static str,
    args: &'static [&'static str],
}

#[derive(Clone, Copy)]
enum StepFate {
    Completes,
    Fails {
        reason: &'static str,
        message: &'static str,
        log: &'static str,
    },
    Cancelled,
}

struct ClusterDef {
    id: &'static str,
    name: &'static str,
    created_min: i64,
    /// Ends (with the state below) at this minute; `None` keeps it up.
    ended: Option<(i64, ClusterState, &'static str, &'static str)>,
    up_state: ClusterState,
    hours: i32,
    steps: &'static [StepDef],
}

const SPARK: &str = "command-runner.jar";

fn clusters() -> Vec<ClusterDef> {
    vec![
        ClusterDef {
            id: "j-2AXXXXXXGAPLF",
            name: "daily-pipeline-7f3a9c21",
            created_min: -95,
            ended: Some((
                -25,
                ClusterState::TerminatedWithErrors,
                "STEP_FAILURE",
                "Shut down as step failed",
            )),
            up_state: ClusterState::Running,
            hours: 48,
            steps: &[
                StepDef {
                    id: "s-1H4ZJ7XQ2M9KL",
                    name: "s3-to-redshift-transform",
                    start_min: -70,
                    run_min: 44,
                    fate: StepFate::Fails {
                        reason: "Unknown Error.",
                        message: "Exception in thread \"main\" org.apache.spark.SparkException: Job aborted due to stage failure: Task 3 in stage 7.0 failed 4 times, most recent failure: java.io.FileNotFoundException: No such file or directory 's3://my-lake/silver/orders/year={year}/month={month}/day={day}/part-00003.parquet'",
                        log: "s3://my-logs/emr/j-2AXXXXXXGAPLF/steps/s-1H4ZJ7XQ2M9KL/stderr.gz",
                    },
                    on_failure: "TERMINATE_CLUSTER",
                    args: &["spark-submit", "--deploy-mode", "cluster", "s3://my-code-bucket/scripts/s3_to_redshift.py", "--date", "{date}"],
                },
                StepDef {
                    id: "s-3B2Y1TQ0ZK7AA",
                    name: "setup-hadoop-debugging",
                    start_min: -80,
                    run_min: 1,
                    fate: StepFate::Completes,
                    on_failure: "TERMINATE_CLUSTER",
                    args: &["state-pusher-script"],
                },
            ],
        },
        ClusterDef {
            id: "j-3KQ8B0W5XN1ZP",
            name: "production-spark-cluster",
            created_min: -60 * 30,
            ended: None,
            up_state: ClusterState::Running,
            hours: 1920,
            steps: &[
                StepDef {
                    id: "s-2QH7LJ0P4D1XE",
                    name: "Gold Aggregate",
                    start_min: 35,
                    run_min: 15,
                    fate: StepFate::Completes,
                    on_failure: "CONTINUE",
                    args: &["spark-submit", "s3://my-code-bucket/scripts/gold_aggregate.py", "--date", "{date}"],
                },
                StepDef {
                    id: "s-0V8M3R6K2TQ9W",
                    name: "Daily Sales ETL",
                    start_min: -12,
                    run_min: 47,
                    fate: StepFate::Completes,
                    on_failure: "CONTINUE",
                    args: &["spark-submit", "s3://my-code-bucket/scripts/daily_sales_etl.py", "--date", "{date}", "--env", "prod"],
                },
                StepDef {
                    id: "s-1N5C9X2B7LQ4M",
                    name: "Silver Layer Transform — Orders",
                    start_min: -41,
                    run_min: 29,
                    fate: StepFate::Fails {
                        reason: "Unknown Error.",
                        message: "org.apache.spark.sql.AnalysisException: [UNRESOLVED_COLUMN] A column or function parameter with name `order_ts` cannot be resolved. Did you mean one of the following? [`order_date`, `order_id`]",
                        log: "s3://my-logs/emr/j-3KQ8B0W5XN1ZP/steps/s-1N5C9X2B7LQ4M/stderr.gz",
                    },
                    on_failure: "CONTINUE",
                    args: &["spark-submit", "s3://my-code-bucket/scripts/silver_orders.py", "--date", "{date}"],
                },
                StepDef {
                    id: "s-2K7D4F1S8H3JQ",
                    name: "Bronze Ingest",
                    start_min: -75,
                    run_min: 33,
                    fate: StepFate::Completes,
                    on_failure: "CONTINUE",
                    args: &["spark-submit", "s3://my-code-bucket/scripts/bronze_ingest.py"],
                },
                StepDef {
                    id: "s-3Z6W0E5R9T2YU",
                    name: "Backfill {prev_month}",
                    start_min: -300,
                    run_min: 20,
                    fate: StepFate::Cancelled,
                    on_failure: "CONTINUE",
                    args: &["spark-submit", "s3://my-code-bucket/scripts/backfill.py", "--month", "{prev_month}"],
                },
            ],
        },
        ClusterDef {
            id: "j-1PM2C7V4ND8QA",
            name: "bronze-ingestion-cluster",
            created_min: -240,
            ended: None,
            up_state: ClusterState::Waiting,
            hours: 64,
            steps: &[StepDef {
                id: "s-0A9S8D7F6G5HJ",
                name: "run-bronze-etl",
                start_min: -50,
                run_min: 18,
                fate: StepFate::Completes,
                on_failure: "CONTINUE",
                args: &["spark-submit", "s3://my-code-bucket/scripts/run_bronze_etl.py"],
            }],
        },
        ClusterDef {
            id: "j-2W5E8R1T4Y7UI",
            name: "cost-optimized-cluster",
            created_min: -60 * 26,
            ended: Some((-60 * 24, ClusterState::Terminated, "ALL_STEPS_COMPLETED", "Steps completed")),
            up_state: ClusterState::Running,
            hours: 32,
            steps: &[StepDef {
                id: "s-1Q2W3E4R5T6YU",
                name: "Daily Sales ETL",
                start_min: -60 * 25,
                run_min: 50,
                fate: StepFate::Completes,
                on_failure: "TERMINATE_CLUSTER",
                args: &["spark-submit", "s3://my-code-bucket/scripts/daily_sales_etl.py", "--date", "{date}"],
            }],
        },
    ]
}

fn at(origin: DateTime<Utc>, min: i64) -> DateTime<Utc> {
    origin + Duration::minutes(min)
}

fn step(
    d: &StepDef,
    origin: DateTime<Utc>,
    now: DateTime<Utc>,
    cluster_end: Option<DateTime<Utc>>,
) -> EmrStep {
    // Queued steps were submitted before the demo began.
    let created = at(origin, (d.start_min - 2).min(-3));
    let start = at(origin, d.start_min);
    let end = at(origin, d.start_min + d.run_min);
    let (state, started, ended, failure) = if now < start {
        (StepState::Pending, None, None, None)
    } else if now < end && cluster_end.is_none_or(|e| now < e) {
        (StepState::Running, Some(start), None, None)
    } else {
        match d.fate {
            StepFate::Completes => (StepState::Completed, Some(start), Some(end), None),
            StepFate::Cancelled => (StepState::Cancelled, None, Some(end), None),
            StepFate::Fails {
                reason,
                message,
                log,
            } => (
                StepState::Failed,
                Some(start),
                Some(end),
                Some(StepFailure {
                    reason: Some(reason.into()),
                    message: Some(dated(message, start)),
                    log_file: Some(log.into()),
                }),
            ),
        }
    };
    EmrStep {
        id: d.id.into(),
        name: dated(d.name, start),
        state,
        action_on_failure: Some(d.on_failure.into()),
        jar: Some(SPARK.into()),
        args: d.args.iter().map(|a| dated(a, start)).collect(),
        created: Some(created),
        started,
        ended,
        state_reason: None,
        failure,
    }
}

pub fn all(origin: DateTime<Utc>, now: DateTime<Utc>) -> Vec<EmrCluster> {
    clusters()
        .into_iter()
        .map(|c| {
            let ended_at = c.ended.as_ref().map(|(m, ..)| at(origin, *m));
            let over = ended_at.filter(|e| now >= *e);
            let mut steps: Vec<EmrStep> = c
                .steps
                .iter()
                .map(|s| step(s, origin, now, ended_at))
                .collect();
            steps.sort_by(EmrStep::newest_first);
            let (state, code, reason) = match (&c.ended, over) {
                (Some((_, st, code, msg)), Some(_)) => {
                    (st.clone(), Some(code.to_string()), Some(msg.to_string()))
                }
                _ => (c.up_state.clone(), None, None),
            };
            EmrCluster {
                id: c.id.into(),
                name: c.name.into(),
                state,
                state_code: code,
                state_reason: reason,
                created: Some(at(origin, c.created_min)),
                ended: over,
                normalized_instance_hours: Some(c.hours),
                steps,
            }
        })
        .collect()
}
