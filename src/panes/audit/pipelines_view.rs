//! Drawing the pipelines view: one row a pipeline — its latest run, its
//! last runs as a strip (newest on the left), how many failed, its usual
//! duration — failing ones first.

use super::pipelines::strip;
use super::AuditPane;
use crate::app::duration;
use crate::cloud::audit::records::PipelineRuns;
use crate::cloud::audit::{is_stuck, RunStatus};
use crate::ui::widgets::{audit_status_style, no_rows, printable, window_lines};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn render(p: &AuditPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    if p.pipelines().is_empty() {
        let nothing = match p.pipeline_refs().is_empty() {
            true => {
                "No pipelines yet: none in the last 7 days' reads, none named in [audit] pipelines."
            }
            false => "No runs read for these pipelines.",
        };
        let lines = no_rows(
            p.pipelines_status(),
            &format!(
                "Reading the last runs of {} pipeline(s)…",
                p.pipeline_refs().len()
            ),
            nothing,
            rc,
        );
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    }
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    // An unknown word whole (REQUIRES_MANUAL_REVIEW), within reason.
    let sw = p
        .pipelines()
        .iter()
        .filter_map(|x| x.runs.first())
        .map(|r| r.status.label().chars().count())
        .max()
        .unwrap_or(6)
        .clamp(9, 24);
    let rw = p.last_runs.clamp(9, 40);
    f.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{:<28} {:<sw$} {:<rw$} {:>6} {:>9} {:>14}  TABLE",
                "PIPELINE", "LATEST", "LAST RUNS", "NOT OK", "USUAL", "LATEST START"
            ),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        head,
    );
    let lines = window_lines(
        p.pipelines(),
        p.pipeline_cursor(),
        body.height as usize,
        rc,
        |x| row(p, x, (sw, rw), rc),
    );
    f.render_widget(Paragraph::new(lines), body);
}

fn row<'a>(p: &AuditPane, x: &PipelineRuns, (sw, rw): (usize, usize), rc: &RenderCtx) -> Line<'a> {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    let latest = x.runs.first();
    // Its latest run still RUNNING past three times its usual.
    let stuck = latest.is_some_and(|r| is_stuck(r, rc.now, p.stuck_after, x.median_s()));
    let label = match (stuck, latest) {
        (true, _) => "STUCK?",
        (false, Some(r)) => r.status.label(),
        (false, None) => "—",
    };
    let style = latest.map_or(Style::default(), |r| {
        audit_status_style(&r.status, stuck, rc)
    });
    // Failed, partial, or a word no vocabulary knows.
    let failed = x
        .runs
        .iter()
        .filter(|r| !matches!(r.status, RunStatus::Succeeded | RunStatus::Running))
        .count();
    let started = latest.and_then(|r| r.started).map_or("—".into(), |t| {
        crate::app::clock_time_on(t, rc.tz, Some(rc.now))
    });
    let mut spans = vec![
        Span::raw(format!("{:<28} ", printable(&x.pipeline, 28))),
        Span::styled(format!("{:<sw$} ", printable(label, sw)), style),
        Span::raw(format!(
            "{:<rw$} ",
            strip(x).chars().take(rw).collect::<String>()
        )),
        Span::raw(format!("{:>6} ", format!("{failed}/{}", x.runs.len()))),
        Span::raw(format!(
            "{:>9} ",
            x.median_s().map_or("—".into(), |s| duration(s as i64))
        )),
        Span::styled(format!("{started:>14}  "), muted),
        Span::styled(printable(&x.table, 60), muted),
    ];
    if let Some(e) = &x.error {
        spans.push(Span::styled(
            format!("  {}", printable(e, 300)),
            Style::default().fg(c.warn.0),
        ));
    }
    Line::from(spans)
}
