//! Drawing the Glue pane. Reads the pane; changes nothing.

use super::{dpu_estimate, DpuFigure, GluePane};
use crate::app::{age, duration};
use crate::cloud::{GlueJob, JobRun};
use crate::gate::short_id;
use crate::ui::components::drill::Level;
use crate::ui::widgets::{
    first_line, hanging_wrap, header_row, no_rows, pane_frame, pane_title, printable,
    state_column_width, window_rows, Column, Fitted, Health, EXTRA,
};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};
use ratatui::Frame;

pub fn render(p: &GluePane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let inner = pane_frame(f, area, title(p, rc), rc);
    if p.jobs.is_empty() {
        return empty(p, f, inner, rc);
    }
    match p.drill.level() {
        Level::List => jobs_table(p, f, inner, rc),
        Level::Sub { parent: job } => runs_table(p, job, f, inner, rc),
        Level::Detail {
            parent: job,
            item: run_id,
        } => detail(p, job, run_id, f, inner, rc),
    }
}

fn title<'a>(p: &GluePane, rc: &RenderCtx) -> Line<'a> {
    let place = match p.drill.level() {
        Level::List => {
            let mut place = format!("({})", p.order.len());
            if let Some(at) = p.stale_since {
                // Last session's picture until the first fresh read lands.
                place.push_str(&format!(
                    " · {}",
                    crate::panes::kept::last_seen(at, &p.status, rc)
                ));
            }
            if let Some((done, total)) = p.reading {
                place.push_str(&format!(" · reading {done}/{total}"));
            }
            place
        }
        Level::Sub { parent: job } => format!("› {job} › runs"),
        Level::Detail {
            parent: job,
            item: run_id,
        } => format!("› {job} › {}", short_id(run_id)),
    };
    pane_title("Glue", place, p.filter_text(), p.drill.filtering, rc)
}

fn empty(p: &GluePane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let lines = no_rows(
        &p.status,
        "Loading Glue jobs…",
        "No Glue jobs in this account and region.",
        rc,
    );
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn elapsed(run: &JobRun, now: DateTime<Utc>) -> Option<i64> {
    if run.state.is_active() {
        return run.started_on.map(|s| (now - s).num_seconds());
    }
    match run.execution_time_s {
        Some(s) if s > 0 => Some(s),
        _ => match (run.started_on, run.completed_on) {
            (Some(a), Some(b)) => Some((b - a).num_seconds()),
            _ => None,
        },
    }
}

fn state_cell<'a>(run: Option<&JobRun>, rc: &RenderCtx) -> Line<'a> {
    match run {
        Some(r) => Line::from(Health::of_run(&r.state).label(r.state.as_aws(), rc)),
        None => Line::from(Span::styled(
            "– never run",
            Style::default().fg(rc.theme.c.muted.0),
        )),
    }
}

fn jobs_table(p: &GluePane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    if p.order.is_empty() {
        let msg = format!("No job matches /{}", p.drill.list.filter.text);
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let (width, name_width) = p.column_widths;
    let (fit, widths, titles) = Fitted::new(
        &[
            Column::fixed("STATE", width, 0),
            // A job's name is what people search for: whole up to 30.
            Column::text("JOB", name_width as usize, name_width.min(12), 1),
            Column::fixed("STARTED", 9, 3),
            Column::fixed("DURATION", 9, EXTRA),
            Column::fixed("ACTIVE", 7, 4),
            Column::text("LAST ERROR", 500, 16, 2),
        ],
        area.width,
    );
    let rows = window_rows(&p.order, p.drill.list.cursor.selected, area, rc, |i| {
        fit.row(job_cells(p, &p.jobs[*i], rc))
    });
    let table = Table::new(rows, widths).header(header_row(&titles, rc));
    f.render_widget(table, area);
}

/// "✗ FAILED", or for a failing job whose retry runs "✗ 4 in a row · retry
/// running": the job stays red until a run succeeds.
pub fn job_state_text(job: &GlueJob) -> Option<(Health, String)> {
    let run = job.latest_run()?;
    let streak = job.failure_streak();
    Some(match streak {
        0 => (Health::of_run(&run.state), run.state.as_aws().to_string()),
        1 if run.state.is_active() => (
            Health::Failed,
            format!(
                "{} · retry {}",
                job.streak_run().map_or("FAILED", |r| r.state.as_aws()),
                run.state.as_aws().to_lowercase()
            ),
        ),
        n if run.state.is_active() => (
            Health::Failed,
            format!("{n} in a row · retry {}", run.state.as_aws().to_lowercase()),
        ),
        1 => (
            Health::Failed,
            job.streak_run()
                .map_or(run.state.as_aws(), |r| r.state.as_aws())
                .to_string(),
        ),
        n => (
            Health::Failed,
            format!(
                "{} ×{n}",
                job.streak_run()
                    .map_or(run.state.as_aws(), |r| r.state.as_aws())
            ),
        ),
    })
}

fn job_cells<'a>(p: &GluePane, job: &GlueJob, rc: &RenderCtx) -> Vec<Line<'a>> {
    let run = job.latest_run();
    let active = p
        .runs_for(job)
        .iter()
        .filter(|r| r.state.is_active())
        .count();
    let started = run
        .and_then(|r| r.started_on)
        .map(|t| format!("{} ago", age(t, rc.now)))
        .unwrap_or_default();
    let dur = run
        .and_then(|r| elapsed(r, rc.now))
        .map(duration)
        .unwrap_or_default();
    // While a retry runs, the failure it retries is still the news.
    let err = job
        .streak_run()
        .and_then(|r| r.error_message.as_deref())
        .map(|m| printable(first_line(m), 500))
        .unwrap_or_default();
    let state = match job_state_text(job) {
        Some((health, text)) => Line::from(health.label(&text, rc)),
        None => state_cell(run, rc),
    };
    vec![
        state,
        Line::from(printable(&job.name, 255)),
        Line::from(started),
        Line::from(dur),
        Line::from(format!("{active}/{}", job.max_concurrent_runs)),
        Line::from(Span::styled(err, Style::default().fg(rc.theme.c.failure.0))),
    ]
}

fn runs_table(p: &GluePane, job: &str, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let runs = p.visible_runs(job);
    if runs.is_empty() {
        let msg = if p.drill.sub.filter.text.is_empty() {
            format!("{job} has no runs yet.")
        } else {
            format!("No run matches /{}", p.drill.sub.filter.text)
        };
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let rows = window_rows(&runs, p.drill.sub.cursor.selected, area, rc, |r| {
        Row::new(vec![
            state_cell(Some(r), rc),
            Line::from(short_id(&r.id)),
            Line::from(r.attempt.to_string()),
            Line::from(
                r.started_on
                    .map(|t| format!("{} ago", age(t, rc.now)))
                    .unwrap_or_default(),
            ),
            Line::from(elapsed(r, rc.now).map(duration).unwrap_or_default()),
            Line::from(Span::styled(
                r.error_message
                    .as_deref()
                    .map(|m| printable(first_line(m), 500))
                    .unwrap_or_default(),
                Style::default().fg(rc.theme.c.failure.0),
            )),
        ])
    });
    let width = state_column_width(runs.iter().map(|r| r.state.as_aws()));
    let table = Table::new(
        rows,
        [
            Constraint::Length(width),
            Constraint::Length(15),
            Constraint::Length(7),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Fill(1),
        ],
    )
    .header(header_row(
        &["STATE", "RUN ID", "ATTEMPT", "STARTED", "DURATION", "ERROR"],
        rc,
    ));
    f.render_widget(table, area);
}

fn detail(p: &GluePane, job: &str, run_id: &str, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let Some(run) = p.runs_of(job).iter().find(|r| r.id == run_id) else {
        f.render_widget(
            Paragraph::new(format!("Run {run_id} is no longer listed.")),
            area,
        );
        return;
    };
    let mut lines = detail_lines(p.job(job), run, rc);
    lines.extend(audit_line(p, run, rc));
    let para = Paragraph::new(hanging_wrap(lines, area.width));
    // Scrolling stops at the last screenful ("G" means the end, not blank).
    let rows = para.line_count(area.width);
    let max_scroll = rows
        .saturating_sub(area.height as usize)
        .min(u16::MAX as usize) as u16;
    f.render_widget(
        para.scroll((p.drill.detail_scroll.min(max_scroll), 0)),
        area,
    );
}

/// The run's audit record in one line, and the key that opens it.
fn audit_line<'a>(p: &GluePane, run: &JobRun, rc: &RenderCtx) -> Option<Line<'a>> {
    let link = p.audit_link(run)?;
    let c = &rc.theme.c;
    let style = crate::ui::widgets::audit_status_style(&link.status, false, rc);
    Some(Line::from(vec![
        Span::styled(
            format!("{:<16}", "Audit record"),
            Style::default().fg(c.muted.0),
        ),
        Span::styled(printable(link.status.label(), 40), style),
        Span::raw(format!(
            " in {}{}",
            printable(&link.table, 80),
            link.why
                .as_deref()
                .map_or(String::new(), |w| format!(" — {}", printable(w, 300)))
        )),
        Span::styled(
            format!(
                " ({} opens it)",
                rc.keymap
                    .label(crate::config::Mode::Normal, crate::config::Command::Linked)
            ),
            Style::default().fg(c.muted.0),
        ),
    ]))
}

fn when(t: Option<DateTime<Utc>>, rc: &RenderCtx) -> String {
    match t {
        Some(t) => crate::app::full_time_ago(t, rc.tz, rc.now),
        None => "—".into(),
    }
}

/// A stack trace longer than this is cut on screen (not in `snapshot`).
const MAX_ERROR_LINES: usize = 400;

pub fn detail_lines<'a>(job: Option<&GlueJob>, run: &JobRun, rc: &RenderCtx) -> Vec<Line<'a>> {
    let c = &rc.theme.c;
    let key = |k: &str| Span::styled(format!("{k:<16}"), Style::default().fg(c.muted.0));
    let mut lines = vec![
        Line::from(vec![
            key("State"),
            Health::of_run(&run.state).label(run.state.as_aws(), rc),
        ]),
        Line::from(vec![key("Run id"), Span::raw(run.id.clone())]),
        Line::from(vec![key("Attempt"), Span::raw(run.attempt.to_string())]),
        Line::from(vec![key("Started"), Span::raw(when(run.started_on, rc))]),
        Line::from(vec![
            key("Completed"),
            Span::raw(when(run.completed_on, rc)),
        ]),
    ];
    let secs = elapsed(run, rc.now);
    let exec = match (run.state.is_active(), secs) {
        (true, Some(s)) => format!("{} so far", duration(s)),
        (false, Some(s)) => format!("{} ({s} s)", duration(s)),
        _ => "—".into(),
    };
    lines.push(Line::from(vec![key("Execution time"), Span::raw(exec)]));
    let dpu = match dpu_estimate(run, secs.unwrap_or(0)) {
        Some(DpuFigure::Reported(v)) => format!(
            "{v:.0} DPU-s (reported) ≈ ${:.2}",
            v / 3600.0 * super::cost::USD_PER_DPU_HOUR
        ),
        Some(DpuFigure::Estimated { dpu_seconds, basis }) => format!(
            "≈ {dpu_seconds:.0} DPU-s (estimate: {basis}) ≈ ${:.2}",
            dpu_seconds / 3600.0 * super::cost::USD_PER_DPU_HOUR
        ),
        None => "— (not reported; no worker or capacity data)".into(),
    };
    lines.push(Line::from(vec![key("DPU-seconds"), Span::raw(dpu)]));
    let workers = match (&run.worker_type, run.number_of_workers, run.max_capacity) {
        (Some(t), Some(n), _) => format!("{n} × {t}"),
        (_, _, Some(cap)) => format!("{cap} DPU (MaxCapacity)"),
        _ => "—".into(),
    };
    lines.push(Line::from(vec![key("Workers"), Span::raw(workers)]));
    if let Some(j) = job {
        let mut conf = format!("MaxConcurrentRuns {}", j.max_concurrent_runs);
        if let Some(v) = &j.glue_version {
            conf.push_str(&format!(" · Glue {v}"));
        }
        if let Some(ec) = &j.execution_class {
            conf.push_str(&format!(" · {ec}"));
        }
        lines.push(Line::from(vec![key("Job"), Span::raw(conf)]));
    }
    if let Some(t) = &run.trigger_name {
        lines.push(Line::from(vec![key("Trigger"), Span::raw(t.clone())]));
    }
    lines.push(Line::from(vec![
        key("Arguments"),
        Span::raw(if run.arguments.is_empty() {
            "(none)".to_string()
        } else {
            String::new()
        }),
    ]));
    for (k, v) in &run.arguments {
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(printable(k, 200), Style::default().fg(c.accent.0)),
            Span::raw(" "),
            // Secrets are named as such, never shown (the re-run dialog
            // masks the same ones).
            Span::raw(if crate::gate::is_secret_name(k) {
                crate::gate::MASK.to_string()
            } else {
                printable(&crate::gate::mask_value(v), 2000)
            }),
        ]));
    }
    match &run.error_message {
        Some(m) => {
            lines.push(Line::from(vec![key("Error message")]));
            let total = m.lines().count();
            for l in m.lines().take(MAX_ERROR_LINES) {
                lines.push(Line::from(Span::styled(
                    format!("  {}", printable(l, 1000)),
                    Style::default().fg(c.failure.0),
                )));
            }
            if total > MAX_ERROR_LINES {
                lines.push(Line::from(Span::styled(
                    format!(
                        "  … {} more lines (full text: `pipedeck snapshot`)",
                        total - MAX_ERROR_LINES
                    ),
                    Style::default().fg(c.muted.0),
                )));
            }
        }
        None => lines.push(Line::from(vec![key("Error message"), Span::raw("—")])),
    }
    lines
}
