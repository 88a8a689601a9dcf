//! The demo account's story: a data platform in the middle of an incident.
//!
//! Runs are a pure function of time: each job starts every `period`, runs
//! for about `duration`, and ends in a state decided by its `fate`. So the
//! same instant always shows the same account (snapshot tests rely on it),
//! and a running demo changes as the clock moves.
//!
//! The stories (seed patterns): P1 file arrival — `raw-to-silver-transform`
//! fails on an empty file since the incident began; P3 metadata-driven —
//! `generic-etl-job` fans out and is running; P7 DQ gate —
//! `dq-orders-silver` fails its 0.95 threshold; an SLA story —
//! `orders-bronze-to-silver` timed out and its re-run is running at
//! MaxConcurrentRuns 1 (so a second re-run is refused).

use crate::cloud::{GlueJob, JobRun, RunState};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use std::collections::BTreeMap;

#[derive(Clone, Copy)]
pub enum Fate {
    /// Succeeds, except every `n`th run fails (0 = never).
    Healthy { fail_every: i64 },
    /// Fails for every run that started after the incident began.
    BrokenSinceIncident,
    /// Timed out once at the incident, running since.
    TimedOutThenRerun,
}

pub struct JobDef {
    pub name: &'static str,
    pub period_s: i64,
    pub offset_s: i64,
    pub duration_s: i64,
    pub max_concurrent: i32,
    pub workers: Option<(&'static str, i32)>,
    pub max_capacity: Option<f64>,
    pub flex: bool,
    pub fate: Fate,
    /// `{date}` in the error and the arguments is the run's start date.
    pub error: &'static str,
    pub args: &'static [(&'static str, &'static str)],
    /// LogGroupName reported by its runs (the prefix of their `error` and
    /// `output` groups); None for Glue's default groups.
    pub log_group: Option<&'static str>,
    /// The job's DefaultArguments (continuous logging is set here, as the
    /// console does).
    pub default_args: &'static [(&'static str, &'static str)],
}

pub const JOBS: &[JobDef] = &[
    JobDef {
        name: "raw-to-silver-transform",
        period_s: 600,
        offset_s: 60,
        duration_s: 150,
        max_concurrent: 3,
        workers: Some(("G.1X", 5)),
        max_capacity: None,
        flex: false,
        fate: Fate::BrokenSinceIncident,
        error: "ValueError: Empty file: s3://company-raw/uploads/orders/{date}/orders.csv\n  File \"/tmp/raw_to_silver.py\", line 41, in <module>\n    raise ValueError(f\"Empty file: s3://{bucket}/{key}\")",
        log_group: None,
        args: &[
            ("--source_bucket", "company-raw"),
            ("--source_key", "uploads/orders/{date}/orders.csv"),
            ("--job-bookmark-option", "job-bookmark-enable"),
            ("--enable-metrics", "true"),
        ],
        default_args: &[],
    },
    JobDef {
        name: "dq-orders-silver",
        period_s: 1800,
        offset_s: 300,
        duration_s: 240,
        max_concurrent: 1,
        workers: Some(("G.1X", 5)),
        max_capacity: None,
        flex: false,
        fate: Fate::BrokenSinceIncident,
        error: "Exception: DQ gate failed for silver_db.orders: score 0.91 < threshold 0.95 (ruleset orders-silver-ruleset: 2 of 22 rules failed: IsComplete \"order_id\", ColumnValues \"amount\" > 0)",
        log_group: Some("/pipelines/dq"),
        args: &[
            ("--ruleset", "orders-silver-ruleset"),
            ("--table", "silver_db.orders"),
            ("--threshold", "0.95"),
        ],
        // Continuous logs in the team's own group, streams named after the
        // job: the triage says its runs are told apart by time.
        default_args: &[
            ("--enable-continuous-cloudwatch-log", "true"),
            ("--continuous-log-logGroup", "/pipelines/dq/logs-v2"),
            ("--continuous-log-logStreamPrefix", "dq-orders-silver"),
        ],
    },
    JobDef {
        name: "orders-bronze-to-silver",
        period_s: 3600 * 24,
        offset_s: 3600 * 3,
        duration_s: 3300,
        max_concurrent: 1,
        workers: Some(("G.2X", 10)),
        max_capacity: None,
        flex: false,
        fate: Fate::TimedOutThenRerun,
        error: "Timeout: Job run exceeded the job timeout of 60 minutes",
        log_group: None,
        args: &[("--run_date", "{date}"), ("--env", "prod")],
        default_args: &[],
    },
    JobDef {
        name: "generic-etl-job",
        period_s: 1800,
        offset_s: 900,
        duration_s: 1320,
        max_concurrent: 5,
        workers: Some(("G.1X", 10)),
        max_capacity: None,
        flex: false,
        fate: Fate::Healthy { fail_every: 0 },
        error: "",
        log_group: None,
        args: &[
            ("--pipeline_id", "orders-daily"),
            ("--source_path", "s3://company-raw/orders/"),
            ("--target_table", "silver_db.orders"),
        ],
        default_args: &[],
    },
    JobDef {
        name: "silver-orders-etl",
        period_s: 900,
        offset_s: 120,
        duration_s: 312,
        max_concurrent: 1,
        workers: Some(("G.1X", 5)),
        max_capacity: None,
        flex: false,
        fate: Fate::Healthy { fail_every: 0 },
        error: "",
        log_group: None,
        args: &[("--env", "prod"), ("--enable-continuous-cloudwatch-log", "true")],
        default_args: &[],
    },
    JobDef {
        name: "gold-daily-aggregates",
        period_s: 3600,
        offset_s: 1500,
        duration_s: 420,
        max_concurrent: 1,
        workers: Some(("G.1X", 4)),
        max_capacity: None,
        flex: true,
        fate: Fate::Healthy { fail_every: 0 },
        error: "",
        log_group: None,
        args: &[("--RUN_DATE", "{date}"), ("--ENV", "prod")],
        default_args: &[],
    },
    JobDef {
        name: "customer_load_etl",
        period_s: 3600 * 4,
        offset_s: 1200,
        duration_s: 900,
        max_concurrent: 1,
        workers: None,
        max_capacity: Some(10.0),
        flex: false,
        // An old, already-retried failure: history, not the incident.
        fate: Fate::Healthy { fail_every: 7 },
        error: "An error occurred while calling o98.getDynamicFrame. java.io.IOException: Connection reset by peer (jdbc:postgresql://crm-replica:5432/crm)",
        log_group: None,
        args: &[("--DRY_RUN", "false")],
        default_args: &[],
    },
    JobDef {
        name: "partition-repair",
        period_s: 3600 * 24,
        offset_s: 3600 * 2,
        duration_s: 180,
        max_concurrent: 1,
        workers: None,
        max_capacity: Some(0.0625),
        flex: false,
        fate: Fate::Healthy { fail_every: 0 },
        error: "",
        log_group: None,
        args: &[],
        default_args: &[],
    },
];

/// Every demo job runs Glue 4.0 (continuous logging is a 4.0 feature).
const GLUE_VERSION: &str = "4.0";

fn pairs(args: &[(&str, &str)]) -> BTreeMap<String, String> {
    args.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// How many past runs each job shows.
const HISTORY: i64 = 12;

pub fn job_def(name: &str) -> Option<&'static JobDef> {
    JOBS.iter().find(|j| j.name == name)
}

/// Deterministic "jr_" + 64 hex ids, like Glue's.
pub fn run_id(job: &str, seq: i64) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in job.bytes().chain(seq.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::from("jr_");
    let mut x = h;
    for _ in 0..4 {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 29;
        out.push_str(&format!("{x:016x}"));
    }
    out
}

/// A template with the demo clock's dates: `{date}` (2026-11-27),
/// `{year}`, `{month}`, `{day}` (zero-padded) of `day`, and `{prev_month}`
/// (2026-10). The demo's data never carries a date from another timeline.
pub fn dated(template: &str, day: DateTime<Utc>) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let prev = day.date_naive().with_day(1).unwrap_or_default() - Duration::days(1);
    template
        .replace("{date}", &day.format("%Y-%m-%d").to_string())
        .replace("{year}", &day.format("%Y").to_string())
        .replace("{month}", &day.format("%m").to_string())
        .replace("{day}", &day.format("%d").to_string())
        .replace("{prev_month}", &prev.format("%Y-%m").to_string())
}

/// The `--run_id` a scheduler passes: when the run started
/// (`run-20261127-024000`).
pub fn run_id_argument(started: DateTime<Utc>) -> String {
    started.format("run-%Y%m%d-%H%M%S").to_string()
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// A small wobble so durations do not all look machine-made.
fn wobble(seq: i64, span: i64) -> i64 {
    if span == 0 {
        return 0;
    }
    (seq.wrapping_mul(7919).rem_euclid(span * 2)) - span
}

/// The demo's timeline. Schedules count from `origin` (when the demo
/// started), so every launch opens on the same picture of the incident as
/// the snapshot tests, and then moves on in real time.
#[derive(Debug, Clone, Copy)]
pub struct Story {
    pub origin: DateTime<Utc>,
    pub incident: DateTime<Utc>,
}

impl Story {
    pub fn starting_at(origin: DateTime<Utc>) -> Self {
        Self {
            origin,
            incident: origin - Duration::minutes(40),
        }
    }
}

/// Run ids of the two hand-placed runs of the timed-out job.
const TIMED_OUT_SEQ: i64 = 900_000_001;
const RERUN_SEQ: i64 = 900_000_002;

pub fn runs(def: &JobDef, now: DateTime<Utc>, story: Story) -> Vec<JobRun> {
    let since_origin = (now - story.origin).num_seconds();
    let latest_seq = (since_origin - def.offset_s).div_euclid(def.period_s);
    let incident = story.incident;
    let mut runs: Vec<JobRun> = (0..HISTORY)
        .map(|k| latest_seq - k)
        .map(|seq| run_at(def, seq, now, story))
        .collect();
    if let Fate::TimedOutThenRerun = def.fate {
        // The run that hit the 60-minute timeout as the incident began, and
        // the manual re-run started a minute later.
        let timed_out = incident - Duration::hours(1);
        runs.push(finish(
            def,
            TIMED_OUT_SEQ,
            timed_out,
            RunState::Timeout,
            3600,
        ));
        let rerun = incident + Duration::minutes(1);
        if rerun <= now {
            runs.push(run_at(def, RERUN_SEQ, now, story).rebased(def, rerun, now));
        }
    }
    runs
}

trait Rebase {
    fn rebased(self, def: &JobDef, started: DateTime<Utc>, now: DateTime<Utc>) -> JobRun;
}

impl Rebase for JobRun {
    /// The same run, started at `started` instead of its schedule slot.
    fn rebased(self, def: &JobDef, started: DateTime<Utc>, now: DateTime<Utc>) -> JobRun {
        let ran = (now - started).num_seconds();
        let (state, ran_for) = if ran < def.duration_s {
            (RunState::Running, 0)
        } else {
            (RunState::Succeeded, def.duration_s)
        };
        let mut run = finish(def, RERUN_SEQ, started, state, ran_for);
        run.trigger_name = None;
        run.id = self.id;
        run
    }
}

pub fn run_at(def: &JobDef, seq: i64, now: DateTime<Utc>, story: Story) -> JobRun {
    let incident = story.incident;
    let start = story.origin.timestamp() + seq * def.period_s + def.offset_s;
    let dur = (def.duration_s + wobble(seq, def.duration_s / 10)).max(30);
    let started = at(start);
    let (state, ran_for) = match def.fate {
        _ if now_s_since(now, started) < 20 => (RunState::Starting, 0),
        _ if now_s_since(now, started) < dur => (RunState::Running, 0),
        Fate::BrokenSinceIncident if started >= incident => (RunState::Failed, dur),
        Fate::Healthy { fail_every } if fail_every > 0 && seq % fail_every == 0 => {
            (RunState::Failed, dur)
        }
        _ => (RunState::Succeeded, dur),
    };
    finish(def, seq, started, state, ran_for)
}

fn now_s_since(now: DateTime<Utc>, t: DateTime<Utc>) -> i64 {
    (now - t).num_seconds()
}

pub fn finish(
    def: &JobDef,
    seq: i64,
    started: DateTime<Utc>,
    state: RunState,
    ran_for: i64,
) -> JobRun {
    let ended = !state.is_active();
    let (wt, n) = match def.workers {
        Some((t, n)) => (Some(t.to_string()), Some(n)),
        None => (None, None),
    };
    let dpu_per_worker = if wt.as_deref() == Some("G.2X") {
        2.0
    } else {
        1.0
    };
    JobRun {
        id: run_id(def.name, seq),
        job_name: def.name.to_string(),
        error_message: (state.is_failure() && !def.error.is_empty())
            .then(|| dated(def.error, started)),
        state,
        attempt: 0,
        started_on: Some(started),
        completed_on: ended.then(|| started + Duration::seconds(ran_for)),
        execution_time_s: Some(if ended { ran_for } else { 0 }),
        // Only Flex (and auto-scaling) jobs report DPUSeconds.
        dpu_seconds: (def.flex && ended)
            .then(|| ran_for as f64 * f64::from(n.unwrap_or(1)) * dpu_per_worker * 0.8),
        worker_type: wt,
        number_of_workers: n,
        max_capacity: def.max_capacity,
        arguments: def
            .args
            .iter()
            .map(|(k, v)| (k.to_string(), dated(v, started)))
            .chain([("--run_id".to_string(), run_id_argument(started))])
            .collect::<BTreeMap<_, _>>(),
        trigger_name: Some(format!("{}-schedule", def.name)),
        log_group_name: def.log_group.map(str::to_string),
        glue_version: Some(GLUE_VERSION.into()),
        security_configuration: None,
        job_arguments: pairs(def.default_args),
    }
}

/// A run started from the console behaves like the job's scheduled runs:
/// a re-run of a broken job fails again until the cause is fixed.
pub fn started_run(def: &JobDef, id: &str, started: DateTime<Utc>, now: DateTime<Utc>) -> JobRun {
    let elapsed = (now - started).num_seconds();
    let dur = def.duration_s.min(180);
    let state = if elapsed < 10 {
        RunState::Starting
    } else if elapsed < dur {
        RunState::Running
    } else if matches!(def.fate, Fate::BrokenSinceIncident) {
        RunState::Failed
    } else {
        RunState::Succeeded
    };
    let ran = if state.is_active() { 0 } else { dur };
    let mut run = finish(def, -1, started, state, ran);
    run.id = id.to_string();
    run.trigger_name = None;
    run
}

pub fn job(def: &JobDef, runs: Vec<JobRun>) -> GlueJob {
    GlueJob {
        name: def.name.to_string(),
        max_concurrent_runs: def.max_concurrent,
        worker_type: def.workers.map(|(t, _)| t.to_string()),
        number_of_workers: def.workers.map(|(_, n)| n),
        max_capacity: def.max_capacity,
        glue_version: Some(GLUE_VERSION.into()),
        execution_class: Some(if def.flex { "FLEX" } else { "STANDARD" }.into()),
        default_arguments: pairs(def.default_args),
        runs,
    }
}
