//! Drawing the Athena pane. Reads the pane; changes nothing.

use super::{AthenaPane, Focus, RowsRead};
use crate::cloud::athena::{human_bytes, human_ms, Cost, QueryState, WorkGroup};
use crate::config::{Command, Mode};
use crate::ui::widgets::{pane_frame, pane_title, printable, render_no_rows, window_lines};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(p: &AthenaPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let place = match p.focus {
        Focus::Editor => format!(
            "editing — {} runs, {} leaves",
            rc.keymap.label(Mode::Editor, Command::Run),
            rc.keymap.label(Mode::Editor, Command::Back)
        ),
        Focus::WorkGroups => format!("work groups ({})", p.picker.groups.len()),
        Focus::Catalog => p.browser.place(),
        Focus::History => format!(
            "history of {} ({})",
            p.history.workgroup,
            p.history.executions.len()
        ),
        Focus::Saved => format!(
            "saved queries of {} ({})",
            p.saved.workgroup,
            p.saved.items.len()
        ),
        Focus::Guard => "run anyway?".into(),
        Focus::Results => match p.results.shown() == p.results.len() {
            true => format!("{} row(s)", p.results.len()),
            false => format!("{} of {} row(s)", p.results.shown(), p.results.len()),
        },
    };
    let filter = p.results.list.filter.text.clone();
    let inner = pane_frame(
        f,
        area,
        pane_title("Athena", place, &filter, p.filtering, rc),
        rc,
    );
    let editor_h = (p.editor.lines().len() as u16 + 2)
        .clamp(3, 10)
        .min(inner.height / 2);
    // The error wraps: as many lines as it needs, up to four.
    let error_h = p.error.as_ref().map_or(0, |e| {
        let width = inner.width.max(1) as usize;
        (printable(e, 1_000).chars().count().div_ceil(width)).clamp(1, 4) as u16
    });
    let rows_h = match p.run.as_ref().map(|r| &r.rows) {
        Some(RowsRead::NotYet) | None => 0,
        Some(_) => 1,
    };
    let facts_h = 2 + rows_h + error_h;
    let [editor_area, facts_area, body] = Layout::vertical([
        Constraint::Length(editor_h),
        Constraint::Length(facts_h),
        Constraint::Min(1),
    ])
    .areas(inner);
    editor(p, f, editor_area, rc);
    facts(p, f, facts_area, rc);
    match p.focus {
        Focus::WorkGroups => groups(p, f, body, rc),
        Focus::Catalog => super::catalog_view::render(&p.browser, f, body, rc),
        Focus::History => super::history_view::history(&p.history, p.pricing, f, body, rc),
        Focus::Saved => super::history_view::saved(&p.saved, f, body, rc),
        Focus::Guard => match &p.guard {
            Some(g) => super::history_view::guard(g, f, body, rc),
            None => results(p, f, body, rc),
        },
        _ => results(p, f, body, rc),
    }
}

fn editor(p: &AthenaPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let focused = p.focus == Focus::Editor;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(if focused { c.accent.0 } else { c.border.0 }))
        .title(match focused {
            true => " SQL (typing) ".to_string(),
            false => format!(
                " SQL — {} edits ",
                rc.keymap.label(Mode::Normal, Command::Edit)
            ),
        });
    let inner = block.inner(area);
    f.render_widget(block, area);
    p.editor.render(f, inner, focused, rc);
}

/// "scan limit 10 GB", or "no scan limit" in warning colour.
fn limit_span(g: Option<&WorkGroup>, rc: &RenderCtx) -> Span<'static> {
    match g {
        None => Span::styled(
            "settings not read yet",
            Style::default().fg(rc.theme.c.muted.0),
        ),
        Some(g) => match g.scan_cutoff {
            Some(b) => Span::raw(format!("scan limit {}", human_bytes(b))),
            None => Span::styled("no scan limit", Style::default().fg(rc.theme.c.warn.0)),
        },
    }
}

fn facts(p: &AthenaPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    let group = p.chosen_group();
    let context = format!(
        "{}.{}",
        p.catalog,
        p.database.as_deref().unwrap_or("(no database)")
    );
    let mut first = vec![
        Span::styled("work group ", muted),
        Span::styled(printable(&p.workgroup, 60), Style::default().fg(c.accent.0)),
        Span::raw("  "),
        limit_span(group, rc),
        Span::styled("  in ", muted),
        Span::raw(printable(&context, 80)),
    ];
    if let Some(m) = p.reuse_minutes {
        first.push(Span::styled(format!("  reuse ≤ {m} min"), muted));
    }
    if group.is_some_and(|g| g.reservation.is_some()) {
        first.push(Span::styled("  capacity reservation", muted));
    }
    let second = match &p.run {
        None => (
            Line::from(Span::styled(
                format!(
                    "{} runs the query",
                    rc.keymap.label(Mode::Normal, Command::Run)
                ),
                muted,
            )),
            Line::default(),
        ),
        Some(r) => {
            let e = r.execution.as_ref();
            let state = match (e.map(|e| e.state_name()), r.stopped) {
                (Some(s), true) if !e.is_some_and(|e| e.is_final()) => format!("{s} (stopping)"),
                (Some(s), _) => s.to_string(),
                (None, _) if r.id.is_some() => "SUBMITTED".into(),
                (None, _) => "STARTING".into(),
            };
            let style = match e.and_then(|e| e.state.clone()) {
                Some(QueryState::Succeeded) => Style::default().fg(c.ok.0),
                Some(QueryState::Failed | QueryState::Cancelled) => Style::default()
                    .fg(c.failure.0)
                    .add_modifier(Modifier::BOLD),
                _ => Style::default().fg(c.active.0).add_modifier(Modifier::BOLD),
            };
            let dash = |v: Option<i64>, f: fn(i64) -> String| v.map_or("—".to_string(), f);
            let cost = e.map_or(Cost::Unknown, |e| {
                Cost::of(e, p.pricing, p.on_reservation())
            });
            let spans = vec![
                Span::styled(state, style),
                Span::raw(format!(
                    " · queued {} · engine {} · scanned {} · {}",
                    dash(e.and_then(|e| e.queue_ms), human_ms),
                    dash(e.and_then(|e| e.engine_ms), human_ms),
                    dash(e.and_then(|e| e.scanned_bytes), human_bytes),
                    cost.label()
                )),
            ];
            let rows = match &r.rows {
                RowsRead::Reading => format!("reading rows… {}", p.results.len()),
                RowsRead::Done => match (p.update_count, p.source.as_ref()) {
                    (Some(n), _) => format!("{n} row(s) written"),
                    (None, Some(s)) => format!("{} row(s), {}", p.results.len(), s.describe()),
                    (None, None) => format!("{} row(s)", p.results.len()),
                },
                RowsRead::Failed(why) => format!("rows not read: {why}"),
                RowsRead::NotYet => String::new(),
            };
            (
                Line::from(spans),
                Line::from(Span::styled(printable(&rows, 300), muted)),
            )
        }
    };
    let mut lines = vec![Line::from(first), second.0];
    if !second.1.spans.is_empty() && second.1.width() > 0 {
        lines.push(second.1);
    }
    if let Some(err) = &p.error {
        lines.push(Line::from(Span::styled(
            printable(err, 1_000),
            Style::default()
                .fg(c.failure.0)
                .add_modifier(Modifier::BOLD),
        )));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn results(p: &AthenaPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    if p.results.columns().is_empty() {
        let text = match p.run.as_ref().map(|r| &r.rows) {
            Some(RowsRead::Reading) => "Reading the rows…",
            Some(RowsRead::Done) => "The query returned no rows.",
            Some(_) if p.run.as_ref().is_some_and(|r| r.is_active()) => "Waiting for the query…",
            _ => "No rows yet.",
        };
        f.render_widget(
            Paragraph::new(text).style(Style::default().fg(rc.theme.c.muted.0)),
            area,
        );
        return;
    }
    p.results.render(f, area, rc);
}

fn groups(p: &AthenaPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    if p.picker.groups.is_empty() {
        render_no_rows(
            f,
            area,
            &p.picker.status,
            "Listing work groups…",
            "No work groups.",
            rc,
        );
        return;
    }
    let [list, detail] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(4.min(area.height / 2)),
    ])
    .areas(area);
    let name_w = p
        .picker
        .groups
        .iter()
        .map(|g| g.name.chars().count())
        .max()
        .unwrap_or(8)
        .min(40);
    let lines = window_lines(
        &p.picker.groups,
        p.picker.cursor.selected,
        list.height as usize,
        rc,
        |g| {
            let mark = if g.name == p.workgroup { "● " } else { "  " };
            let mut spans = vec![
                Span::raw(format!("{mark}{:<name_w$}  ", printable(&g.name, name_w))),
                limit_span(Some(g), rc),
            ];
            if !g.enabled {
                spans.push(Span::styled("  disabled", Style::default().fg(c.warn.0)));
            }
            Line::from(spans)
        },
    );
    f.render_widget(Paragraph::new(lines), list);
    let Some(g) = p.picker.groups.get(p.picker.cursor.selected) else {
        return;
    };
    let output = match (&g.output_location, g.managed_results) {
        (_, true) => "managed results".to_string(),
        (Some(o), false) => o.clone(),
        (None, false) => "no result location (queries must name one)".into(),
    };
    let mut facts = vec![
        format!("results {output}"),
        format!(
            "engine {} · settings {} · {}",
            g.engine.as_deref().unwrap_or("—"),
            if g.enforced {
                "enforced"
            } else {
                "not enforced"
            },
            match &g.reservation {
                Some(r) => format!("capacity reservation {r} (billed by DPU)"),
                None => "billed by data scanned".into(),
            }
        ),
    ];
    if let Some(e) = &g.detail_error {
        facts.push(format!("settings not read: {e}"));
    }
    let text: Vec<Line> = facts
        .into_iter()
        .map(|l| Line::from(Span::styled(printable(&l, 400), muted)))
        .collect();
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), detail);
}
