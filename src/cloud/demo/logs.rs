//! The demo account's logs. Glue runs write what Glue 4.0 writes — driver
//! output to `<prefix>/output`, stderr (with the failing run's error and
//! traceback) to `<prefix>/error`, and with continuous logging the job's
//! continuous group (`--continuous-log-logGroup`, else
//! `/aws-glue/jobs/logs-v2`), streams `<stream prefix>-driver` and
//! `<stream prefix>-1` (the run id unless `--continuous-log-logStreamPrefix`
//! names one) — so the triage key finds the failed run's lines. Insights
//! queries run in two polls (Running with part of the rows, then Complete)
//! through a small evaluator that understands the filters, `stats … by
//! bin()` / by field, the triage ranking and `limit`: enough for the demo's
//! charts and triage to be real.

use crate::cloud::logs::triage::{rank, RANK_FIELD};
use crate::cloud::logs::{InsightsQuery, LogGroup, QueryResults, QueryStats, QueryStatus};
use crate::cloud::JobRun;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::collections::BTreeMap;

/// (group, stored bytes). `/aws-glue/jobs/logs-v2` is missing on purpose:
/// the jobs on Glue's default groups write no continuous logs there, and
/// the triage says so.
pub(super) const GROUPS: &[(&str, i64)] = &[
    ("/aws-glue/jobs/error", 48_213_004),
    ("/aws-glue/jobs/output", 912_440_120),
    ("/pipelines/dq/error", 2_113_004),
    ("/pipelines/dq/output", 12_440_120),
    ("/pipelines/dq/logs-v2", 31_902_555),
    ("/aws/lambda/file-arrival-handler", 3_120_882),
    ("/aws/emr/daily-pipeline", 77_002_310),
];

const ACCOUNT: &str = super::DEMO_ACCOUNT;

pub fn groups(prefix: Option<&str>) -> Vec<LogGroup> {
    GROUPS
        .iter()
        .filter(|(n, _)| prefix.is_none_or(|p| n.starts_with(p)))
        .map(|(n, bytes)| LogGroup {
            name: n.to_string(),
            stored_bytes: Some(*bytes),
            retention_days: Some(30),
        })
        .collect()
}

pub use super::query_check::check;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub group: String,
    pub stream: String,
    pub message: String,
}

impl Event {
    fn ptr(&self) -> String {
        format!(
            "demo:{}:{}:{}",
            self.at.timestamp_millis(),
            self.group,
            self.stream
        )
    }

    fn is_error(&self) -> bool {
        // The triage query's marks, a traceback's frames included.
        [
            "ERROR",
            "Error",
            "Exception",
            "Traceback",
            "FATAL",
            "File \"",
        ]
        .iter()
        .any(|w| self.message.contains(w))
    }
}

fn event(at: DateTime<Utc>, group: &str, stream: &str, message: String) -> Event {
    Event {
        at,
        group: group.to_string(),
        stream: stream.to_string(),
        message,
    }
}

/// Where a run's continuous logs go and what its streams are called, as
/// Glue 4.0 decides; None when it writes none the demo account holds.
fn continuous(run: &JobRun) -> Option<(String, String)> {
    if run.argument("--enable-continuous-cloudwatch-log") != Some("true") {
        return None;
    }
    let group = run
        .argument("--continuous-log-logGroup")
        .unwrap_or("/aws-glue/jobs/logs-v2");
    let group = match run.security_configuration.as_deref() {
        Some(sc) => format!("{group}-{sc}"),
        None => group.to_string(),
    };
    let streams = run
        .argument("--continuous-log-logStreamPrefix")
        .unwrap_or(&run.id)
        .to_string();
    // A group the account does not have holds nothing.
    GROUPS
        .iter()
        .any(|(g, _)| *g == group)
        .then_some((group, streams))
}

/// What each Glue run wrote.
fn glue_events(run: &JobRun, out: &mut Vec<Event>) {
    let Some(start) = run.started_on else { return };
    let prefix = run
        .log_group_name
        .as_deref()
        .unwrap_or("/aws-glue/jobs")
        .trim_end_matches('/');
    let (job, id) = (&run.job_name, &run.id);
    let ms = Duration::milliseconds;
    let (output, error) = (format!("{prefix}/output"), format!("{prefix}/error"));
    out.push(event(
        start + ms(1_200),
        &output,
        id,
        format!(
            "INFO GlueJob {job}: run {id} started (attempt {})",
            run.attempt
        ),
    ));
    out.push(event(
        start + ms(3_400),
        &error,
        id,
        "INFO SparkContext: Running Spark version 3.3.0-amzn-1".into(),
    ));
    out.push(event(start + ms(9_800), &error, id, "WARN Utils: spark.executor.instances less than spark.dynamicAllocation.minExecutors is invalid, ignoring".into()));
    for (k, v) in run
        .arguments
        .iter()
        .filter(|(k, _)| k.starts_with("--source"))
    {
        out.push(event(
            start + ms(12_000),
            &output,
            id,
            format!("INFO GlueJob {job}: argument {k} = {v}"),
        ));
    }
    let continuous = continuous(run);
    if let Some((v2, streams)) = &continuous {
        out.push(event(
            start + ms(2_000),
            v2,
            &format!("{streams}-driver"),
            format!("INFO driver for {id} started"),
        ));
        out.push(event(
            start + ms(15_000),
            v2,
            &format!("{streams}-1"),
            "INFO Executor 1: registered with driver".into(),
        ));
    }
    let Some(end) = run.completed_on else { return };
    match &run.error_message {
        Some(err) if run.state.is_failure() => {
            let mut lines = err.lines();
            let first = lines.next().unwrap_or_default();
            let t = end - ms(1_500);
            // Spark retries a failing task (spark.task.maxFailures, 4 on
            // Glue) before it gives up: each attempt logs an executor ERROR,
            // so failed runs differ in how many error lines they leave.
            let attempts = 1 + id.bytes().map(i64::from).sum::<i64>() % 4;
            for a in 0..attempts {
                out.push(event(
                    t - ms(20_000 - a * 4_000),
                    &error,
                    id,
                    format!(
                        "ERROR Executor: Exception in task 0.{a} in stage 2.0 (TID {}): {first}",
                        40 + a
                    ),
                ));
            }
            out.push(event(
                t,
                &error,
                id,
                format!("ERROR GlueJob {job} run {id}: {first}"),
            ));
            out.push(event(
                t + ms(1),
                &error,
                id,
                "Traceback (most recent call last):".into(),
            ));
            for (i, l) in lines.enumerate() {
                out.push(event(t + ms(2 + i as i64), &error, id, l.to_string()));
            }
            if let Some((v2, streams)) = &continuous {
                out.push(event(
                    t,
                    v2,
                    &format!("{streams}-driver"),
                    format!("ERROR ApplicationMaster: User class threw exception: {first}"),
                ));
            }
            out.push(event(
                end,
                &output,
                id,
                format!(
                    "INFO GlueJob {job}: run {id} FAILED after {}s",
                    (end - start).num_seconds()
                ),
            ));
        }
        _ => out.push(event(
            end,
            &output,
            id,
            format!(
                "INFO GlueJob {job}: run {id} {} after {}s",
                run.state.as_aws(),
                (end - start).num_seconds()
            ),
        )),
    }
}

/// Every event of the demo account: the Glue runs' logs, and the Lambda
/// that rejects the empty uploads once every 90 s since the incident.
pub fn events(runs: &[JobRun], incident: DateTime<Utc>) -> Vec<Event> {
    let mut out = Vec::new();
    for r in runs {
        glue_events(r, &mut out);
    }
    // One Lambda container, its stream named for the day it started.
    let stream = incident.format("%Y/%m/%d/[$LATEST]5eed").to_string();
    for i in 0..60 {
        let at = incident + Duration::seconds(i * 90);
        out.push(event(
            at,
            "/aws/lambda/file-arrival-handler",
            &stream,
            format!("ERROR file-arrival-handler: s3://company-raw/uploads/orders/{}/orders-{:03}.csv is 0 bytes; not starting the pipeline", at.format("%Y-%m-%d"), i % 37),
        ));
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.message.cmp(&b.message)));
    out
}

/// The text between `start` and `end` after `key`, e.g. the regex of
/// `@message like /ERROR/`.
fn between<'a>(q: &'a str, key: &str, open: char, close: char) -> Option<&'a str> {
    let rest = &q[q.find(key)? + key.len()..];
    let rest = rest.trim_start().strip_prefix(open)?;
    Some(&rest[..rest.find(close)?])
}

/// The stream prefixes a triage query keeps besides the run's own
/// streams: each `@logStream like /^…/` whose pattern is a plain (escaped)
/// prefix, not the run's `-(driver|…)$` alternation.
fn stream_prefixes(q: &str) -> Vec<String> {
    const KEY: &str = "@logStream like /^";
    let mut out = Vec::new();
    let mut rest = q;
    while let Some(i) = rest.find(KEY) {
        rest = &rest[i + KEY.len()..];
        let (mut literal, mut plain) = (String::new(), true);
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => literal.extend(chars.next()),
                '/' => break,
                c if "^$.|?*+()[]{}".contains(c) => plain = false,
                c => literal.push(c),
            }
        }
        if plain {
            out.push(literal);
        }
    }
    out
}

/// `bin(5m)` → seconds.
fn bin_secs(term: &str) -> Option<i64> {
    let inner = term.trim().strip_prefix("bin(")?.strip_suffix(')')?.trim();
    let d = crate::cloud::logs::parse_since(inner)?;
    Some(d.num_seconds().max(1))
}

fn stats(q: &str, hits: &[&Event]) -> Vec<Vec<(String, String)>> {
    let body = &q[q.find("stats").unwrap_or(0) + 5..];
    let body = body.split('|').next().unwrap_or_default();
    let (agg, by) = match body.find(" by ") {
        Some(i) => (&body[..i], Some(&body[i + 4..])),
        None => (body, None),
    };
    let value = match agg.find(" as ") {
        Some(i) => agg[i + 4..].trim(),
        None => agg.trim(),
    }
    .to_string();
    let terms: Vec<String> = by
        .map(|b| b.split(',').map(|t| t.trim().to_string()).collect())
        .unwrap_or_default();
    let mut counts: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for e in hits {
        let key = terms
            .iter()
            .map(|t| match (bin_secs(t), t.as_str()) {
                (Some(s), _) => {
                    let b = e.at.timestamp().div_euclid(s) * s;
                    let t = DateTime::from_timestamp(b, 0).unwrap_or_default();
                    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
                }
                (None, "@logStream") => e.stream.clone(),
                (None, "@log") => format!("{ACCOUNT}:{}", e.group),
                (None, _) => String::new(),
            })
            .collect();
        *counts.entry(key).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(key, n)| {
            terms
                .iter()
                .cloned()
                .zip(key)
                .chain([(value.clone(), n.to_string())])
                .collect()
        })
        .collect()
}

fn row(e: &Event, triage: bool) -> Vec<(String, String)> {
    let mut row = vec![
        (
            "@timestamp".to_string(),
            e.at.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
        ),
        ("@log".to_string(), format!("{ACCOUNT}:{}", e.group)),
        ("@logStream".to_string(), e.stream.clone()),
        ("@message".to_string(), e.message.clone()),
    ];
    if triage {
        let root = e.stream.contains("job-insights-rca");
        row.push(("isError".into(), u8::from(e.is_error()).to_string()));
        row.push(("isRootCause".into(), u8::from(root).to_string()));
        row.push((
            RANK_FIELD.into(),
            rank(root, e.is_error(), e.at.timestamp_millis()).to_string(),
        ));
    }
    row.push(("@ptr".to_string(), e.ptr()));
    row
}

pub fn results(q: &InsightsQuery, polls: u32, stopped: bool, all: &[Event]) -> QueryResults {
    let text = q.query.as_str();
    let stream = between(text, "@logStream =", '"', '"');
    let prefixes = stream_prefixes(text);
    let like = between(text, "@message like", '/', '/');
    let mut hits: Vec<&Event> = all
        .iter()
        .filter(|e| e.at >= q.start && e.at <= q.end && q.groups.contains(&e.group))
        .filter(|e| {
            stream.is_none_or(|s| {
                e.stream == s
                    || e.stream.starts_with(&format!("{s}-"))
                    || prefixes.iter().any(|p| e.stream.starts_with(p.as_str()))
            })
        })
        .filter(|e| like.is_none_or(|l| e.message.contains(l)))
        .collect();
    let triage = text.contains(RANK_FIELD);
    if triage {
        hits.sort_by_key(|e| (!e.is_error(), e.at));
    } else {
        hits.reverse(); // newest first, as `sort @timestamp desc`
    }
    let limit = text
        .split("limit")
        .nth(1)
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or(10_000);
    hits.truncate(limit);
    let status = match (stopped, polls) {
        (true, _) => QueryStatus::Cancelled,
        (false, 0 | 1) => QueryStatus::Running,
        _ => QueryStatus::Complete,
    };
    // Running shows part of the rows: each poll returns all rows so far.
    let shown = if status == QueryStatus::Running {
        hits.len() / 2
    } else {
        hits.len()
    };
    // `display a, b` (else a plain `fields a, b`) keeps those fields, and
    // @ptr, which the service returns for every log event.
    let projection = |kw: &str| -> Option<Vec<&str>> {
        let after = &text[text.rfind(kw)? + kw.len()..];
        let list = after.split(['|', '\n']).next()?;
        let names: Vec<&str> = list.split(',').map(str::trim).collect();
        names
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || "@_.".contains(c)))
            .then_some(names)
    };
    let display = projection("display ").or_else(|| projection("fields "));
    let rows = if text.contains("stats") {
        stats(text, &hits[..shown])
    } else {
        hits.iter()
            .take(shown)
            .map(|e| {
                let r = row(e, triage);
                match &display {
                    Some(keep) => keep
                        .iter()
                        .chain(["@ptr"].iter())
                        .filter_map(|k| r.iter().find(|(f, _)| f == k).cloned())
                        .collect(),
                    None => r,
                }
            })
            .collect()
    };
    QueryResults {
        status,
        rows,
        stats: QueryStats {
            records_matched: shown as f64,
            records_scanned: (shown * 412) as f64,
            bytes_scanned: (shown * 412 * 230) as f64,
        },
    }
}

pub fn record(ptr: &str, all: &[Event]) -> Option<BTreeMap<String, String>> {
    let e = all.iter().find(|e| e.ptr() == ptr)?;
    Some(BTreeMap::from([
        (
            "@timestamp".into(),
            e.at.to_rfc3339_opts(SecondsFormat::Millis, true),
        ),
        ("@message".into(), e.message.clone()),
        ("@logStream".into(), e.stream.clone()),
        ("@log".into(), format!("{ACCOUNT}:{}", e.group)),
        (
            "@ingestionTime".into(),
            (e.at + Duration::seconds(2)).timestamp_millis().to_string(),
        ),
    ]))
}
