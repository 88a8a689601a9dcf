//! Drawing the audit pane. Reads the pane; changes nothing.

use super::{AuditPane, View};
use crate::app::duration;
use crate::cloud::audit::{AuditRun, RunStatus};
use crate::ui::widgets::{
    audit_status_style, no_rows, pane_frame, pane_title, printable, render_no_rows, window_lines,
};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(p: &AuditPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let place = match (&p.view, p.status.last_ok) {
        (View::Detail(_), _) => match p.selected() {
            Some(r) => format!(
                "› {} › {}",
                printable(r.pipeline.as_deref().unwrap_or("(no pipeline)"), 60),
                printable(r.run_id.as_deref().unwrap_or("(no run id)"), 60)
            ),
            None => String::new(),
        },
        (View::List, None) if p.partial => format!(
            "({} so far) — failed, partial and running read; succeeded runs coming",
            p.order.len()
        ),
        (View::List, Some(_)) if p.pipeline_filter.is_some() => format!(
            "({}) — runs of {} in {}, last 24 h and every RUNNING (esc: the pipelines)",
            p.order.len(),
            p.pipeline_filter.as_ref().map_or("", |(_, n)| n.as_str()),
            p.pipeline_filter.as_ref().map_or("", |(t, _)| t.as_str()),
        ),
        (View::List, Some(_)) => format!(
            "({}) — {} need a look, last 24 h and every RUNNING",
            p.order.len(),
            p.needing_attention()
        ),
        (View::List, None) => "(?)".into(),
        (View::Detect { table }, _) => format!("› detect {}", printable(table, 80)),
        (View::Pipelines, _) => format!(
            "› pipelines ({}) — seen in 7 days or named in config, last {} runs each",
            p.pipeline_refs().len(),
            p.last_runs
        ),
    };
    let inner = pane_frame(
        f,
        area,
        pane_title(
            "Audit",
            place,
            match p.view {
                View::Pipelines => "",
                _ => p.filter_text(),
            },
            p.filtering,
            rc,
        ),
        rc,
    );
    match &p.view {
        View::Detail(i) => detail(p, &p.runs[*i], *i, f, inner, rc),
        View::List => list(p, f, inner, rc),
        View::Detect { table } => detect(p, table, f, inner, rc),
        View::Pipelines => super::pipelines_view::render(p, f, inner, rc),
    }
}

fn count(v: Option<i64>) -> String {
    v.map_or("—".into(), |n| n.to_string())
}

fn list(p: &AuditPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let muted = Style::default().fg(rc.theme.c.muted.0);
    let notes: Vec<String> = p
        .tables
        .iter()
        .flat_map(|t| {
            t.error
                .iter()
                .map(move |e| format!("{}: {e}", t.table))
                .chain(t.notes.iter().map(move |n| format!("{}: {n}", t.table)))
        })
        .collect();
    let notes_h = (notes.len() as u16).min(4);
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notes_h),
    ])
    .areas(area);
    if p.runs.is_empty() {
        let nothing = match p.tables.is_empty() {
            true => "No audit tables configured: map one in the config file ([[audit.tables]], see the README's Audit section).",
            false => "No runs in the last 24 hours, and none running.",
        };
        let mut lines = no_rows(&p.status, "Reading the audit tables…", nothing, rc);
        lines.extend(
            notes
                .iter()
                .map(|n| Line::from(Span::styled(printable(n, 500), muted))),
        );
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    }
    let sw = p.status_width();
    // STATUS, PIPELINE, STARTED, TOOK, WRITTEN, REJECTED, DQ and the gap.
    let error_width =
        (body.width as usize).saturating_sub(sw + 1 + 25 + 15 + 10 + 11 + 10 + 13 + 2);
    f.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{:<sw$} {:<24} {:>14} {:>9} {:>10} {:>9} {:>13}  ERROR",
                "STATUS", "PIPELINE", "STARTED", "TOOK", "WRITTEN", "REJECTED", "DQ"
            ),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        head,
    );
    let lines = window_lines(
        &p.order,
        p.list.cursor.selected,
        body.height as usize,
        rc,
        |i| {
            let r = &p.runs[*i];
            let stuck = p.is_stuck(*i);
            let status = match stuck {
                true => "STUCK?".to_string(),
                false => r.status.label().to_string(),
            };
            let started = r.started.map_or("—".into(), |t| {
                crate::app::clock_time_on(t, rc.tz, Some(rc.now))
            });
            // What the record says it took, else start to end (or to now,
            // while it runs); a finished run without either shows none.
            let took = r
                .duration_s
                .or_else(|| match r.status {
                    RunStatus::Running => r.age_s(rc.now),
                    _ => r.ended.and(r.age_s(rc.now)),
                })
                .map_or("—".into(), |s| duration(s.max(0.0) as i64));
            let dq = r.dq.map_or(Span::raw(format!("{:>13}", "—")), |d| {
                let style = match d.passed() {
                    true => Style::default(),
                    false => Style::default().fg(rc.theme.c.failure.0),
                };
                Span::styled(format!("{:>13}", d.label()), style)
            });
            let error = match (&r.error_type, &r.error_message) {
                (Some(t), Some(m)) => format!("{t}: {m}"),
                (Some(t), None) => t.clone(),
                (None, Some(m)) => m.clone(),
                (None, None) => String::new(),
            };
            Line::from(vec![
                Span::styled(
                    format!("{:<sw$} ", printable(&status, sw)),
                    audit_status_style(&r.status, stuck, rc),
                ),
                Span::raw(format!(
                    "{:<24} ",
                    printable(r.pipeline.as_deref().unwrap_or("—"), 24)
                )),
                Span::styled(format!("{started:>14} "), muted),
                Span::raw(format!("{took:>9} ")),
                Span::raw(format!("{:>10} ", count(r.rows_written))),
                Span::raw(format!("{:>9} ", count(r.rows_rejected))),
                dq,
                // What is left of the row, cut with "…" at the edge.
                Span::raw(format!("  {}", printable(&error, error_width.max(1)))),
            ])
        },
    );
    f.render_widget(Paragraph::new(lines), body);
    let lines: Vec<Line> = notes
        .iter()
        .take(notes_h as usize)
        .map(|n| Line::from(Span::styled(printable(n, 500), muted)))
        .collect();
    f.render_widget(Paragraph::new(lines), foot);
}

fn detail(p: &AuditPane, r: &AuditRun, i: usize, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let muted = Style::default().fg(rc.theme.c.muted.0);
    let field = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<14} "), muted),
            Span::raw(printable(&v, 2_000)),
        ])
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or("—".into(), |t| {
            crate::app::full_time_ago(t, rc.tz, rc.now)
        })
    };
    let mut status = r.status.label().to_string();
    if p.is_stuck(i) {
        let age = r.age_s(rc.now).map_or("—".into(), |s| duration(s as i64));
        status.push_str(&match (p.stuck_after(), p.usual_s(r)) {
            (Some(limit), _) => format!(
                " — stuck? running {age}, past [audit] stuck_after_minutes ({})",
                duration(limit.as_secs() as i64)
            ),
            (None, Some(m)) => format!(
                " — stuck? running {age}, over three times its pipeline's usual {}",
                duration(m as i64)
            ),
            (None, None) => " — stuck?".into(),
        });
    }
    let mut lines = vec![
        Line::from(Span::styled(
            status,
            audit_status_style(&r.status, p.is_stuck(i), rc).add_modifier(Modifier::BOLD),
        )),
        field("table", r.table.clone()),
        field("pipeline", opt(&r.pipeline)),
        field("run id", opt(&r.run_id)),
        field("Glue run id", opt(&r.glue_run_id)),
        field("started", time(r.started)),
        field("ended", time(r.ended)),
        field(
            "took",
            r.duration_s
                .or_else(|| match r.status {
                    RunStatus::Running => r.age_s(rc.now),
                    _ => r.ended.and(r.age_s(rc.now)),
                })
                .map_or("—".into(), |s| duration(s.max(0.0) as i64)),
        ),
        field(
            "rows",
            format!(
                "read {} · written {} · rejected {}",
                count(r.rows_read),
                count(r.rows_written),
                count(r.rows_rejected)
            ),
        ),
        field(
            "DQ score",
            r.dq.map_or("—".into(), |d| {
                format!(
                    "{} ({})",
                    d.label(),
                    if d.passed() {
                        "passed"
                    } else {
                        "below its threshold"
                    }
                )
            }),
        ),
        field("error type", opt(&r.error_type)),
        field("error", opt(&r.error_message)),
    ];
    if !r.missing.is_empty() {
        lines.push(field("not recorded", r.missing.join(", ")));
    }
    let key: Vec<String> = r
        .key
        .iter()
        .map(|(k, v)| format!("{k}={}", v.text()))
        .collect();
    lines.push(field("key", key.join(" ")));
    lines.extend(super::records_view::lines(p, rc));
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Scrolling stops at the last screenful ("G" means the end, not blank).
    let last = para
        .line_count(area.width)
        .saturating_sub(area.height as usize)
        .min(u16::MAX as usize) as u16;
    p.detail_last.set(Some(last));
    f.render_widget(para.scroll((p.detail_scroll.min(last), 0)), area);
}

/// The proposal: what the table is (keys, indexes, what the sample held),
/// then the TOML `y` adds.
fn detect(p: &AuditPane, table: &str, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    use crate::config::{Command, Mode};
    let muted = Style::default().fg(rc.theme.c.muted.0);
    let Some(d) = p.detection() else {
        render_no_rows(
            f,
            area,
            &p.detect_status,
            &format!("Reading {table}: DescribeTable and 25 items…"),
            "Nothing read.",
            rc,
        );
        return;
    };
    let s = &d.shape;
    let mut lines = vec![Line::from(format!(
        "{}: key {}{} · {} item(s) sampled{}",
        s.name,
        s.hash_key,
        s.range_key
            .as_ref()
            .map_or(String::new(), |r| format!(" + {r}")),
        d.sampled,
        s.item_count.map_or(String::new(), |n| format!(
            " · ItemCount {n} (refreshed about every 6 h)"
        )),
    ))];
    for i in &s.indexes {
        lines.push(Line::from(Span::styled(
            format!(
                "  index {}: {}{} ({})",
                i.name,
                i.hash_key,
                i.range_key
                    .as_ref()
                    .map_or(String::new(), |r| format!(" + {r}")),
                i.projection
            ),
            muted,
        )));
    }
    let m = &d.mapping;
    if m.status_index.is_none() {
        lines.push(Line::from(Span::styled(
            "  no index on the status: each read is a Scan capped at [audit] scan_pages",
            Style::default().fg(rc.theme.c.warn.0),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Proposed for the config file (check the status words and the DQ scale):",
        Style::default().add_modifier(Modifier::BOLD),
    )));
    for l in p.proposal_toml().unwrap_or_default().lines() {
        lines.push(Line::from(printable(l, 300)));
    }
    let [body, ask] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(area);
    f.render_widget(Paragraph::new(lines).scroll((p.detail_scroll, 0)), body);
    f.render_widget(
        Paragraph::new(format!(
            "Add it? {} adds it to {} (comments kept{}), {} leaves it.",
            rc.keymap.label(Mode::Confirm, Command::Yes),
            p.config_file
                .as_ref()
                .map_or("the config file".into(), |f| printable(
                    &f.display().to_string(),
                    80
                )),
            if p.tables.iter().any(|t| t.table == table) {
                format!("; replaces the entry for {}", printable(table, 60))
            } else {
                String::new()
            },
            rc.keymap.label(Mode::Confirm, Command::No)
        ))
        .wrap(Wrap { trim: true }),
        ask,
    );
}
