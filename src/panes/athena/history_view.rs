//! Drawing what ran (the 24 h spend line, then each execution with its
//! state, age, scan, cost and first line; runaways flagged), the saved
//! queries with a preview, and the guardrail question.

use super::guard::Guard;
use super::history::{HistoryList, SavedList};
use crate::cloud::athena::cost::usd;
use crate::cloud::athena::history::{execution_usd, one_line, RUNAWAY_FACTOR};
use crate::cloud::athena::{human_bytes, human_ms, Cost, Pricing, QueryState};
use crate::config::{Command, Mode};
use crate::ui::widgets::{printable, render_no_rows, window_lines};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn history(h: &HistoryList, pricing: Pricing, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    // The selected execution whole: a list line cuts the WHERE off, and
    // that is where a runaway's wrong date is.
    let detail_h = (area.height / 4).clamp(3, 5);
    let [sum, header, list, detail, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail_h),
        Constraint::Length(u16::from(!h.unprocessed.is_empty() || h.more)),
    ])
    .areas(area);
    if h.executions.is_empty() {
        render_no_rows(
            f,
            area,
            &h.status,
            "Reading what ran in the work group…",
            "Nothing ran in this work group in the last 45 days.",
            rc,
        );
        return;
    }
    let s = h.spend;
    let mut spans = vec![
        Span::styled("last 24 h: ", muted),
        // Cut short: older executions were not read, the sums are at least.
        Span::raw(format!(
            "{}{} queries, ",
            if h.more { "≥ " } else { "" },
            s.queries
        )),
        Span::styled(
            format!("{} failed", s.failed),
            match s.failed {
                0 => Style::default(),
                _ => Style::default().fg(c.failure.0),
            },
        ),
        Span::raw(format!(
            ", {} scanned, ≈ {}",
            human_bytes(s.scanned_bytes),
            usd(s.cost_usd)
        )),
    ];
    if !h.runaway.is_empty() {
        spans.push(Span::styled(
            format!(
                "  · {} runaway scan(s) (≥ {RUNAWAY_FACTOR}× the same query's median)",
                h.runaway.len()
            ),
            Style::default()
                .fg(c.failure.0)
                .add_modifier(Modifier::BOLD),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), sum);
    f.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{:<10}{:>14}  {:>9} {:>10} {:>8}  QUERY",
                "STATE", "SUBMITTED", "SCANNED", "COST", "ENGINE"
            ),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        header,
    );
    let lines = window_lines(
        &h.executions,
        h.cursor.selected,
        list.height as usize,
        rc,
        |e| {
            let state = e.state_name().to_string();
            let style = match e.state {
                Some(QueryState::Failed) => Style::default().fg(c.failure.0),
                Some(QueryState::Cancelled) => Style::default().fg(c.warn.0),
                Some(QueryState::Succeeded) => Style::default().fg(c.ok.0),
                _ => Style::default().fg(c.active.0),
            };
            let age = e.submitted.map_or("?".into(), |t| {
                crate::app::clock_time_on(t, rc.tz, Some(rc.now))
            });
            let mut row = vec![
                Span::styled(format!("{state:<10}"), style),
                Span::styled(format!("{age:>14}  "), muted),
                Span::raw(format!(
                    "{:>9} ",
                    e.scanned_bytes.map_or("—".into(), human_bytes)
                )),
                Span::raw(format!(
                    "{:>10} ",
                    match Cost::of(e, pricing, false) {
                        Cost::ByDpu => "by DPU".into(),
                        _ => execution_usd(e, pricing).map_or("—".into(), usd),
                    }
                )),
                Span::styled(
                    format!("{:>8}  ", e.engine_ms.map_or("—".into(), human_ms)),
                    muted,
                ),
            ];
            if let Some(times) = h.runaway.get(&e.id) {
                row.push(Span::styled(
                    format!("RUNAWAY {times}× "),
                    Style::default()
                        .fg(c.failure.0)
                        .add_modifier(Modifier::BOLD),
                ));
            }
            row.push(Span::raw(printable(&one_line(&e.sql), 300)));
            Line::from(row)
        },
    );
    f.render_widget(Paragraph::new(lines), list);
    if let Some(e) = h.selected() {
        let mut text = vec![Line::from(printable(&one_line(&e.sql), 2_000))];
        if let Some(r) = &e.reason {
            text.push(Line::from(Span::styled(
                printable(r, 1_000),
                Style::default().fg(c.failure.0),
            )));
        }
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(muted)
            .title(format!(" {} ", e.id));
        f.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            detail,
        );
    }
    let mut notes = Vec::new();
    if !h.unprocessed.is_empty() {
        let (id, why) = &h.unprocessed[0];
        notes.push(format!(
            "{} execution(s) not described (e.g. {id}: {why})",
            h.unprocessed.len()
        ));
    }
    if h.more {
        notes.push("older executions not read".into());
    }
    f.render_widget(
        Paragraph::new(Span::styled(printable(&notes.join(" · "), 300), muted)),
        foot,
    );
}

pub fn saved(s: &SavedList, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let muted = Style::default().fg(rc.theme.c.muted.0);
    if s.items.is_empty() {
        render_no_rows(
            f,
            area,
            &s.status,
            "Reading the saved queries…",
            "No saved queries in this work group (:save NAME keeps the editor's).",
            rc,
        );
        return;
    }
    let preview_h = (area.height / 2).min(8);
    let [list, preview] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(preview_h)]).areas(area);
    let lines = window_lines(&s.items, s.cursor.selected, list.height as usize, rc, |q| {
        Line::from(vec![
            Span::raw(printable(&q.name, 80)),
            Span::styled(format!("  {}", printable(&q.database, 60)), muted),
            Span::styled(
                q.description
                    .as_deref()
                    .map_or(String::new(), |d| format!("  — {}", printable(d, 120))),
                muted,
            ),
        ])
    });
    f.render_widget(Paragraph::new(lines), list);
    if let Some(q) = s.selected() {
        let text: Vec<Line> = q
            .sql
            .lines()
            .map(|l| Line::from(Span::styled(printable(l, 500), muted)))
            .collect();
        let block = Block::default().borders(Borders::TOP).title(" preview ");
        f.render_widget(Paragraph::new(text).block(block), preview);
    }
}

pub fn guard(g: &Guard, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(c.warn.0))
        .title(" before this runs ");
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The answer's line stays at the bottom, however many warnings.
    let [body, ask] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    if !g.waiting.is_empty() {
        let what: Vec<String> = g.waiting.iter().map(|r| r.describe()).collect();
        f.render_widget(
            Paragraph::new(format!("Checking first: {}…", what.join(", ")))
                .wrap(Wrap { trim: true }),
            body,
        );
        f.render_widget(
            Paragraph::new(format!(
                "{} cancels the run.",
                rc.keymap.label(Mode::Confirm, Command::No)
            )),
            ask,
        );
        return;
    }
    let mut lines: Vec<Line> = g
        .warnings
        .iter()
        .map(|w| {
            Line::from(Span::styled(
                format!("⚠ {}", printable(w, 300)),
                Style::default().fg(c.warn.0),
            ))
        })
        .collect();
    for n in &g.notes {
        lines.push(Line::from(Span::styled(
            printable(n, 300),
            Style::default().fg(c.muted.0),
        )));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
    f.render_widget(
        Paragraph::new(Line::from(format!(
            "Run anyway? {} runs it, {} does not.",
            rc.keymap.label(Mode::Confirm, Command::Yes),
            rc.keymap.label(Mode::Confirm, Command::No)
        ))),
        ask,
    );
}
