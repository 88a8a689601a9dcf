//! `snapshot --format markdown`: an incident note to paste into a channel —
//! what is failing, since when, the error messages, counts.

use super::snapshot::Snapshot;
use crate::cloud::{EmrCluster, GlueJob};
use chrono::{DateTime, Offset, Utc};

/// A note is read by people in many zones: the console's full form, in UTC.
fn t(ts: Option<DateTime<Utc>>) -> String {
    ts.map(|t| crate::app::full_time(t, Utc.fix()))
        .unwrap_or_else(|| "unknown".into())
}

/// One line of an error, safe inside backticks.
fn quote(s: &str) -> String {
    let line: String = s.lines().next().unwrap_or("").chars().take(400).collect();
    format!("`{}`", line.replace('`', "'"))
}

pub fn render_markdown(s: &Snapshot) -> String {
    let mut out = format!(
        "# pipedeck incident note — {} / {}\n\n_Generated {} · profile {}{}_\n\n",
        s.account.as_deref().unwrap_or("account unknown"),
        s.conn.region,
        t(Some(s.generated_at)),
        s.conn.profile,
        if s.conn.demo { " · DEMO account" } else { "" },
    );
    out.push_str(&summary(s));
    out.push_str("\n## Glue\n\n");
    match &s.glue {
        Err(e) => out.push_str(&format!("**Could not read Glue:** {e}\n")),
        Ok(jobs) => glue(&mut out, jobs),
    }
    out.push_str("\n## EMR\n\n");
    match &s.emr {
        Err(e) => out.push_str(&format!("**Could not read EMR:** {e}\n")),
        Ok(clusters) => emr(&mut out, clusters),
    }
    out.push_str("\n## Alarms\n\n");
    match &s.alarms {
        Err(e) => out.push_str(&format!("**Could not read CloudWatch alarms:** {e}\n")),
        Ok(alarms) => {
            let firing: Vec<_> = alarms
                .iter()
                .filter(|a| a.state == crate::cloud::AlarmState::Alarm)
                .collect();
            if firing.is_empty() {
                out.push_str(&format!("None of {} alarm(s) in ALARM.\n", alarms.len()));
            }
            for a in firing {
                out.push_str(&format!(
                    "- **{}** in ALARM since {}{} — {}\n",
                    a.name,
                    t(a.state_since),
                    if a.actions_enabled {
                        ""
                    } else {
                        " (actions DISABLED)"
                    },
                    quote(a.state_reason.as_deref().unwrap_or(""))
                ));
            }
        }
    }
    out.push_str("\n## Dead-letter queues\n\n");
    match &s.dlq {
        Err(e) => out.push_str(&format!("**Could not read SQS:** {e}\n")),
        Ok(queues) => {
            let full: Vec<_> = queues.iter().filter(|d| d.total() > 0).collect();
            if full.is_empty() {
                out.push_str(&format!("All {} DLQ(s) empty.\n", queues.len()));
            }
            for d in full {
                let sources: Vec<&str> = d.sources.iter().map(|s| s.name.as_str()).collect();
                let age = s
                    .dlq_metrics
                    .queues
                    .get(&d.name)
                    .and_then(|m| m.oldest_age_s)
                    .map_or(String::new(), |a| {
                        format!(", oldest {}", crate::app::duration(a))
                    });
                out.push_str(&format!(
                    "- **{}**: {} message(s){age} — from {}\n",
                    d.name,
                    d.total(),
                    if sources.is_empty() {
                        "SNS/Lambda (configured)".to_string()
                    } else {
                        sources.join(", ")
                    }
                ));
            }
        }
    }
    out.push_str("\n## Pipeline records (audit tables)\n\n");
    match &s.audit {
        Err(e) => out.push_str(&format!("**Could not read the audit tables:** {e}\n")),
        Ok(tables) if tables.is_empty() => out.push_str("No audit tables configured.\n"),
        Ok(tables) => audit(&mut out, tables, s),
    }
    out.push_str("\n## Athena\n\n");
    match &s.athena {
        Err(e) => out.push_str(&format!("**Could not read Athena:** {e}\n")),
        Ok(groups) => athena(&mut out, groups, s.athena_pricing),
    }
    out
}

/// Per table: its failed, partial and stuck runs of the day, each with
/// its numbers and error.
fn audit(out: &mut String, tables: &[crate::cloud::audit::TableRead], s: &Snapshot) {
    for tr in tables {
        if let Some(e) = &tr.error {
            out.push_str(&format!("- **{}**: could not be read: {e}\n", tr.table));
            continue;
        }
        let runs = super::snapshot_audit::worth_a_note(tr, s.generated_at, s.audit_stuck_after);
        if runs.is_empty() {
            out.push_str(&format!(
                "- **{}**: nothing failed or stuck in the last 24 h.\n",
                tr.table
            ));
        }
        for (r, stuck) in runs {
            let what = match stuck {
                true => "STUCK? (still RUNNING)".to_string(),
                false => r.status.label().to_string(),
            };
            let dq =
                r.dq.map_or(String::new(), |d| format!(", DQ {}", d.label()));
            let error = match (&r.error_type, &r.error_message) {
                (Some(t), Some(m)) => format!(" — {}", quote(&format!("{t}: {m}"))),
                (t, m) => t
                    .clone()
                    .or(m.clone())
                    .map_or(String::new(), |e| format!(" — {}", quote(&e))),
            };
            out.push_str(&format!(
                "- **{}** {what}, started {} (run {}{}), rows written {} / rejected {}{dq}{error}\n",
                r.pipeline.as_deref().unwrap_or("(no pipeline)"),
                t(r.started),
                r.run_id.as_deref().unwrap_or("?"),
                r.glue_run_id
                    .as_deref()
                    .map_or(String::new(), |g| format!(", Glue {g}")),
                r.rows_written.map_or("?".into(), |n| n.to_string()),
                r.rows_rejected.map_or("?".into(), |n| n.to_string()),
            ));
        }
    }
}

/// Per work group: the day's spend, then what failed, was cancelled or
/// ran away.
fn athena(
    out: &mut String,
    groups: &[super::snapshot_athena::GroupReport],
    pricing: crate::cloud::athena::Pricing,
) {
    use crate::cloud::athena::cost::usd;
    use crate::cloud::athena::history::{execution_usd, one_line};
    use crate::cloud::athena::human_bytes;
    if groups.is_empty() {
        out.push_str("No work groups.\n");
    }
    for g in groups {
        if let Some(e) = &g.error {
            out.push_str(&format!(
                "- **{}**: could not read its history: {e}\n",
                g.name
            ));
            continue;
        }
        let sp = g.spend;
        out.push_str(&format!(
            "- **{}**, last 24 h: {}{} queries, {} failed, {} scanned, ≈ {}\n",
            g.name,
            if g.complete { "" } else { "at least " },
            sp.queries,
            sp.failed,
            human_bytes(sp.scanned_bytes),
            usd(sp.cost_usd)
        ));
        for (e, runaway) in &g.executions {
            let what = match runaway {
                Some(times) => format!(
                    "RUNAWAY scan, {times}× the same query's usual ({})",
                    e.state_name()
                ),
                None => e.state_name().to_string(),
            };
            out.push_str(&format!(
                "  - {what} at {} — {} scanned, {} — {}{}\n",
                t(e.submitted),
                human_bytes(e.scanned_bytes.unwrap_or(0)),
                execution_usd(e, pricing).map_or("?".into(), usd),
                quote(&one_line(&e.sql)),
                e.reason
                    .as_deref()
                    .map_or(String::new(), |r| format!(": {}", quote(r)))
            ));
        }
    }
}

fn summary(s: &Snapshot) -> String {
    let mut parts = Vec::new();
    if let Ok(jobs) = &s.glue {
        let n = jobs.iter().filter(|j| failing(j)).count();
        parts.push(format!("{n} Glue job{} failing", plural(n)));
    }
    if let Ok(c) = &s.emr {
        let n = c.iter().filter(|c| c.needs_attention()).count();
        parts.push(format!("{n} EMR cluster{} with failures", plural(n)));
    }
    if let Ok(a) = &s.alarms {
        let n = a
            .iter()
            .filter(|a| a.state == crate::cloud::AlarmState::Alarm)
            .count();
        parts.push(format!("{n} alarm{} in ALARM", plural(n)));
    }
    if let Ok(q) = &s.dlq {
        let n: i64 = q.iter().map(crate::cloud::Dlq::total).sum();
        parts.push(format!("{n} message{} in DLQs", plural(n as usize)));
    }
    if parts.is_empty() {
        return "**Nothing could be read.**\n".into();
    }
    format!("**{}.**\n", parts.join(", "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn failing(j: &GlueJob) -> bool {
    j.is_failing()
}

fn glue(out: &mut String, jobs: &[GlueJob]) {
    let bad: Vec<_> = jobs.iter().filter(|j| failing(j)).collect();
    let running = jobs.iter().filter(|j| j.active_runs() > 0).count();
    out.push_str(&format!(
        "{} of {} jobs failing, {running} running.\n\n",
        bad.len(),
        jobs.len()
    ));
    for j in bad {
        // The same streak as the console's: ended runs since the last
        // success; a retry still going does not end it.
        let streak: Vec<_> = j.streak_runs().collect();
        let Some(latest) = streak.first().copied() else {
            continue;
        };
        let since = streak.last().and_then(|r| r.started_on);
        let retry = if j.active_runs() > 0 {
            ", a retry is running"
        } else {
            ""
        };
        out.push_str(&format!(
            "- **{}** — {} ({} failed run{} in a row, since {}{retry})\n",
            j.name,
            latest.state.as_aws(),
            streak.len(),
            plural(streak.len()),
            t(since)
        ));
        if let Some(m) = &latest.error_message {
            out.push_str(&format!("  - {}\n", quote(m)));
        }
        out.push_str(&format!("  - latest run `{}`\n", latest.id));
    }
}

fn emr(out: &mut String, clusters: &[EmrCluster]) {
    let bad: Vec<_> = clusters.iter().filter(|c| c.needs_attention()).collect();
    let up = clusters.iter().filter(|c| c.state.is_active()).count();
    out.push_str(&format!(
        "{} clusters active or ended in the last 7 days: {} with failures, {up} still up.\n\n",
        clusters.len(),
        bad.len(),
    ));
    for c in bad {
        let when = if c.state.is_active() {
            format!("up since {}", t(c.created))
        } else {
            format!("ended {}", t(c.ended))
        };
        out.push_str(&format!(
            "- **{}** (`{}`) — {}, {when}",
            c.name,
            c.id,
            c.state.as_aws()
        ));
        if let Some(r) = &c.state_reason {
            out.push_str(&format!(": {r}"));
        }
        out.push('\n');
        for s in c.steps.iter().filter(|s| s.state.is_failure()) {
            out.push_str(&format!(
                "  - step **{}** (`{}`) {} at {}\n",
                s.name,
                s.id,
                s.state.as_aws(),
                t(s.ended)
            ));
            if let Some(f) = &s.failure {
                if let Some(m) = f.message.as_deref().or(f.reason.as_deref()) {
                    out.push_str(&format!("    - {}\n", quote(m)));
                }
                if let Some(l) = &f.log_file {
                    out.push_str(&format!("    - log: `{l}`\n"));
                }
            }
        }
    }
}
