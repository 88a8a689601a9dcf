//! Under a run's record: the Glue run it names, its DQ results with their
//! failed rules, its error history attempt by attempt, and its pipeline's
//! last runs — what P7 and P8 show as their cause.

use super::AuditPane;
use crate::app::{duration, full_time};
use crate::cloud::audit::records::RunRecords;
use crate::cloud::audit::AuditRun;
use crate::config::{Command, Mode};
use crate::ui::widgets::{audit_status_style, printable};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

fn heading(text: String) -> Line<'static> {
    Line::from(Span::styled(
        text,
        Style::default().add_modifier(Modifier::BOLD),
    ))
}

fn yes_no(v: Option<bool>, yes: &str, no: &str) -> String {
    match v {
        Some(true) => yes.into(),
        Some(false) => no.into(),
        None => "—".into(),
    }
}

/// The lines drawn under the record.
pub(super) fn lines(p: &AuditPane, rc: &RenderCtx) -> Vec<Line<'static>> {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    let mut out = vec![Line::from("")];
    if let Some(id) = p.glue_run_of_open() {
        out.push(Line::from(vec![
            Span::styled(format!("{:<14} ", "Glue run"), muted),
            Span::raw(printable(&id, 200)),
            Span::styled(
                format!(
                    " — {} opens it, {} its logs",
                    rc.keymap.label(Mode::Normal, Command::Linked),
                    rc.keymap.label(Mode::Normal, Command::Triage)
                ),
                muted,
            ),
        ]));
        out.push(Line::from(""));
    }
    let Some(recs) = p.records() else {
        let st = p.records_status();
        out.push(Line::from(Span::styled(
            match &st.error {
                Some(e) => format!("Its DQ results, errors and last runs: {e}"),
                None => "Reading its DQ results, errors and last runs…".into(),
            },
            muted,
        )));
        return out;
    };
    let time = |t: Option<DateTime<Utc>>| t.map_or("—".into(), |t| full_time(t, rc.tz));
    dq_lines(recs, &mut out, rc, &time);
    error_lines(recs, &mut out, rc, &time);
    history_lines(p, recs, &mut out, rc, &time);
    for n in &recs.notes {
        out.push(Line::from(Span::styled(printable(n, 400), muted)));
    }
    out
}

/// A section's heading (with the table it came from), then why it is
/// empty or incomplete: not mapped; what its tables' reads left out (a
/// failure, a capped Scan); else "none recorded" — said only of a whole
/// read. `(mapped, empty, notes)`.
fn section(
    out: &mut Vec<Line<'static>>,
    title: &str,
    table: Option<&str>,
    (mapped, empty, notes): (bool, bool, &[String]),
    kind: &str,
    rc: &RenderCtx,
) {
    let muted = Style::default().fg(rc.theme.c.muted.0);
    let warn = Style::default().fg(rc.theme.c.warn.0);
    out.push(heading(match table {
        Some(t) => format!("{title} ({t})"),
        None => title.to_string(),
    }));
    if !mapped {
        out.push(Line::from(Span::styled(
            format!(
                "  no {kind} table mapped (kind = \"{}\" in [[audit.tables]])",
                kind.to_lowercase()
            ),
            muted,
        )));
        return;
    }
    for n in notes {
        out.push(Line::from(Span::styled(
            format!("  {}", printable(n, 400)),
            warn,
        )));
    }
    if empty && notes.is_empty() {
        out.push(Line::from(Span::styled(
            "  none recorded for this run",
            muted,
        )));
    }
}

fn dq_lines(
    recs: &RunRecords,
    out: &mut Vec<Line<'static>>,
    rc: &RenderCtx,
    time: &dyn Fn(Option<DateTime<Utc>>) -> String,
) {
    let c = &rc.theme.c;
    let table = recs.dq.first().map(|d| d.table.as_str());
    let state = (recs.dq_mapped, recs.dq.is_empty(), recs.dq_notes.as_slice());
    section(out, "Data quality", table, state, "DQ", rc);
    for d in &recs.dq {
        let passed = d.passed();
        let style = match passed {
            Some(false) => Style::default().fg(c.failure.0),
            _ => Style::default().fg(c.ok.0),
        };
        out.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(yes_no(passed, "PASSED", "FAILED"), style),
            Span::raw(format!(
                "  {}  {} failed rule(s)  {}",
                d.score.map_or("score —".into(), |s| s.label()),
                d.failed_rules.len(),
                time(d.at)
            )),
        ]));
        for rule in &d.failed_rules {
            let mut text = format!("    ✗ {}", printable(&rule.rule, 300));
            if let Some(r) = &rule.result {
                text.push_str(&format!(" — {}", printable(r, 40)));
            }
            if let Some(m) = &rule.message {
                text.push_str(&format!(" — {}", printable(m, 600)));
            }
            out.push(Line::from(Span::styled(
                text,
                Style::default().fg(c.failure.0),
            )));
        }
    }
}

fn error_lines(
    recs: &RunRecords,
    out: &mut Vec<Line<'static>>,
    rc: &RenderCtx,
    time: &dyn Fn(Option<DateTime<Utc>>) -> String,
) {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    let table = recs.errors.first().map(|e| e.table.as_str());
    let state = (
        recs.errors_mapped,
        recs.errors.is_empty(),
        recs.errors_notes.as_slice(),
    );
    section(out, "Errors", table, state, "errors", rc);
    for e in &recs.errors {
        out.push(Line::from(vec![
            Span::raw(format!(
                "  attempt {:<3} {}  ",
                e.attempt.map_or("—".into(), |a| a.to_string()),
                time(e.at)
            )),
            Span::styled(
                printable(e.code.as_deref().unwrap_or("(no code)"), 60),
                Style::default().fg(c.failure.0),
            ),
            Span::styled(
                format!(
                    "  {}",
                    yes_no(e.recoverable, "recoverable", "not recoverable")
                ),
                muted,
            ),
        ]));
        if let Some(m) = &e.message {
            out.push(Line::from(format!("      {}", printable(m, 1_000))));
        }
    }
}

fn history_lines(
    p: &AuditPane,
    recs: &RunRecords,
    out: &mut Vec<Line<'static>>,
    rc: &RenderCtx,
    time: &dyn Fn(Option<DateTime<Utc>>) -> String,
) {
    if recs.history.is_empty() {
        return;
    }
    let muted = Style::default().fg(rc.theme.c.muted.0);
    let pipeline = p
        .selected()
        .and_then(|r| r.pipeline.clone())
        .unwrap_or_default();
    out.push(heading(match recs.history.len() {
        1 => format!("Last run of {}", printable(&pipeline, 80)),
        n => format!("Last {n} runs of {}", printable(&pipeline, 80)),
    }));
    let open = p.selected().map(|r| &r.key);
    for r in &recs.history {
        let this = Some(&r.key) == open;
        out.push(Line::from(vec![
            Span::raw(if this { "› " } else { "  " }),
            Span::styled(
                format!("{:<10}", printable(r.status.label(), 24)),
                audit_status_style(&r.status, false, rc),
            ),
            Span::raw(format!(
                " {}  took {:<9} written {}",
                time(r.started),
                took(r, rc.now),
                r.rows_written.map_or("—".into(), |n| n.to_string())
            )),
            Span::styled(
                r.error_type
                    .as_ref()
                    .map_or(String::new(), |t| format!("  {}", printable(t, 40))),
                muted,
            ),
        ]));
    }
}

fn took(r: &AuditRun, now: DateTime<Utc>) -> String {
    r.duration_s
        .or_else(|| r.ended.and(r.age_s(now)))
        .map_or("—".into(), |s| duration(s.max(0.0) as i64))
}
