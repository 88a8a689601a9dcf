//! Help overlay and confirmation dialog.

use super::help::{help_entries, max_scroll, HelpLine, HELP_W};
use super::widgets::hanging_wrap;
use super::RenderCtx;
use crate::app::{Overlay, State};
use crate::gate::ConfirmKind;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

/// Help centres on `area` (the body); a confirmation on `full`, the whole
/// screen, the same rectangle `update` measures it in.
pub fn render(state: &State, f: &mut Frame, area: Rect, full: Rect, rc: &RenderCtx) {
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help(state, f, area, rc, *scroll),
        Some(Overlay::Messages { scroll }) => messages(state, f, area, rc, *scroll),
        Some(Overlay::Confirm(p)) => confirm(f, full, rc, p),
        None => {}
    }
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    r
}

fn dialog_block<'a>(title: &'a str, rc: &RenderCtx) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(rc.theme.c.accent.0))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ))
        .style(Style::default().bg(rc.theme.c.bg.0).fg(rc.theme.c.fg.0))
}

/// The help as styled lines: see [`super::help`].
pub fn help_lines(state: &State, rc: &RenderCtx) -> Vec<Line<'static>> {
    help_text(state, Some(rc))
}

/// The help's lines; styled when there is a theme to style them with
/// (`update` measures the unstyled ones: the same text, the same rows).
fn help_text(state: &State, rc: Option<&RenderCtx>) -> Vec<Line<'static>> {
    let style =
        |f: &dyn Fn(&crate::config::Theme) -> Style| rc.map_or(Style::default(), |rc| f(rc.theme));
    help_entries(state)
        .into_iter()
        .map(|l| match l {
            HelpLine::Heading(t) => Line::from(Span::styled(
                t,
                style(&|t| {
                    Style::default()
                        .fg(t.c.accent.0)
                        .add_modifier(Modifier::BOLD)
                }),
            )),
            HelpLine::Key {
                keys,
                text,
                mutating,
            } => {
                let key_style = if mutating {
                    style(&|t| Style::default().fg(t.c.warn.0).add_modifier(Modifier::BOLD))
                } else {
                    style(&|t| Style::default().fg(t.c.key.0))
                };
                Line::from(vec![
                    Span::styled(format!("  {keys:<16} "), key_style),
                    Span::raw(text),
                ])
            }
            HelpLine::Note(t) => Line::from(Span::styled(
                t,
                style(&|t| Style::default().fg(t.c.muted.0)),
            )),
            HelpLine::Blank => Line::default(),
        })
        .collect()
}

/// The inner width of the help and message boxes on a `width`-wide screen.
fn list_inner_width(width: u16) -> u16 {
    HELP_W.min(width).saturating_sub(2).max(1)
}

/// How many rows the help takes once wrapped, for `update`'s scroll bound.
pub fn help_rows(state: &State) -> usize {
    let width = state.screen.map_or(80, |(w, _)| w);
    hanging_wrap(help_text(state, None), list_inner_width(width)).len()
}

/// The box help and messages are drawn in, in `area`.
pub fn list_box(area: Rect, lines: usize) -> Rect {
    centered(area, HELP_W, (lines as u16 + 2).min(area.height))
}

/// A scrolled list in a box, with "↑ n more" / "↓ n more" in its bottom
/// border so the end is never a mystery.
fn scrolled_box(
    f: &mut Frame,
    area: Rect,
    rc: &RenderCtx,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: u16,
) {
    let r = list_box(area, lines.len());
    let scroll = scroll.min(max_scroll(lines.len(), r.height));
    let below = (lines.len() as u16).saturating_sub(scroll + r.height.saturating_sub(2));
    let mut block = dialog_block(title, rc);
    let more = match (scroll, below) {
        (0, 0) => None,
        (up, 0) => Some(format!(" ↑ {up} more ")),
        (0, down) => Some(format!(" ↓ {down} more ")),
        (up, down) => Some(format!(" ↑ {up} · ↓ {down} more ")),
    };
    if let Some(more) = more {
        block = block.title_bottom(Line::from(more).right_aligned());
    }
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), r);
}

/// "? or esc": the overlay's own key and the first back key.
fn close_keys(rc: &RenderCtx, own: crate::config::Command) -> String {
    use crate::config::{Command, Mode};
    let first = |cmd| {
        rc.keymap
            .keys_for(Mode::Normal, cmd)
            .first()
            .map(ToString::to_string)
    };
    match (first(own), first(Command::Back)) {
        (Some(a), Some(b)) => format!("{a} or {b}"),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => "q".into(),
    }
}

fn help(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx, scroll: u16) {
    let title = format!(
        "Help — {} to close",
        close_keys(rc, crate::config::Command::Help)
    );
    // Long descriptions wrap under their text rather than run off the box.
    let lines = hanging_wrap(help_lines(state, rc), list_inner_width(area.width));
    scrolled_box(f, area, rc, &title, lines, scroll);
}

/// The status line's history, newest first.
pub fn message_lines(state: &State, rc: &RenderCtx) -> Vec<Line<'static>> {
    message_text(state, Some(rc))
}

/// How many rows the message log takes at the current screen width, for
/// `update`'s scroll bound: the same lines, unstyled (a zone offset does
/// not change a time's width), wrapped the same way.
pub fn message_rows(state: &State) -> usize {
    let width = state.screen.map_or(80, |(w, _)| w);
    hanging_wrap(message_text(state, None), list_inner_width(width)).len()
}

/// The log's lines; styled when there is a theme (as `help_text`).
fn message_text(state: &State, rc: Option<&RenderCtx>) -> Vec<Line<'static>> {
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC is an offset");
    let tz = rc.map_or(utc, |rc| rc.tz);
    let fg = |color: &dyn Fn(&RenderCtx) -> ratatui::style::Color| {
        rc.map_or(Style::default(), |rc| Style::default().fg(color(rc)))
    };
    let muted = fg(&|rc| rc.theme.c.muted.0);
    if state.messages.is_empty() {
        return vec![Line::from(Span::styled("No messages yet.", muted))];
    }
    state
        .messages
        .iter()
        .rev()
        .map(|m| {
            Line::from(vec![
                Span::styled(format!("{}  ", crate::app::clock_time(m.at, tz)), muted),
                Span::styled(
                    super::widgets::printable(&m.text, 2000),
                    fg(&|rc| super::widgets::level_color(m.level, rc)),
                ),
            ])
        })
        .collect()
}

fn messages(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx, scroll: u16) {
    let title = format!(
        "Messages, newest first — {} to close",
        close_keys(rc, crate::config::Command::Messages)
    );
    let lines: Vec<Line<'static>> = message_lines(state, rc);
    // Long messages wrap under their text, at the box's inner width.
    let wrapped = hanging_wrap(lines, list_inner_width(area.width));
    scrolled_box(f, area, rc, &title, wrapped, scroll);
}

fn confirm(f: &mut Frame, area: Rect, rc: &RenderCtx, p: &crate::gate::PendingConfirm) {
    use super::components::dialog;
    let c = &rc.theme.c;
    let t = dialog::text(p, rc.keymap);
    let l = match dialog::layout(&t, area) {
        Ok(l) => l,
        Err(small) => return too_small(f, area, rc, small),
    };
    // Where the details go on, in the bottom border (never over a line):
    // "↑ 2 · ↓ 3 more (↑/↓ scroll)".
    let mut block = dialog_block("Confirm", rc);
    if let Some(r) = l.details {
        let shown = r.height as usize + p.scroll;
        let below = (l.details_total as usize).saturating_sub(shown);
        let more = match (p.scroll, below) {
            (0, 0) => None,
            (0, down) => Some(format!(" ↓ {down} more (↑/↓ scroll) ")),
            (up, 0) => Some(format!(" ↑ {up} more (↑/↓ scroll) ")),
            (up, down) => Some(format!(" ↑ {up} · ↓ {down} more (↑/↓ scroll) ")),
        };
        if let Some(more) = more {
            block = block.title_bottom(
                Line::from(Span::styled(more, Style::default().fg(c.muted.0))).right_aligned(),
            );
        }
    }
    f.render_widget(Clear, l.outer);
    f.render_widget(block, l.outer);
    let wrap = Wrap { trim: false };
    f.render_widget(Paragraph::new(t.question.clone()).wrap(wrap), l.question);
    if let Some(r) = l.details {
        // `dialog::text` already made these printable: drawn as measured.
        let lines: Vec<Line> = t
            .details
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i == 0 {
                    Line::from(Span::styled(s.clone(), Style::default().fg(c.accent.0)))
                } else {
                    Line::raw(s.clone())
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(lines)
                .wrap(wrap)
                .scroll((p.scroll.min(u16::MAX as usize) as u16, 0)),
            r,
        );
    }
    let key = |s: &str| {
        Span::styled(
            s.to_string(),
            Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD),
        )
    };
    let prompt = match &p.kind {
        ConfirmKind::YesNo => Line::from(vec![
            key(&rc
                .keymap
                .label(crate::config::Mode::Confirm, crate::config::Command::Yes)),
            Span::raw(" proceed   "),
            Span::styled(
                rc.keymap
                    .label(crate::config::Mode::Confirm, crate::config::Command::No),
                Style::default().fg(c.key.0).add_modifier(Modifier::BOLD),
            ),
            Span::raw(" cancel"),
        ]),
        ConfirmKind::Typed { expect } => {
            // The same words as `dialog::text`, with the name in bold.
            let (before, after) = t
                .prompt
                .split_once(expect.as_str())
                .unwrap_or((&t.prompt, ""));
            Line::from(vec![
                Span::raw(before.to_string()),
                Span::styled(
                    expect.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(after.to_string()),
            ])
        }
    };
    f.render_widget(Paragraph::new(prompt).wrap(wrap), l.prompt);
    if let (Some(r), Some(typed)) = (l.input, &t.typed) {
        let ok = p.typed_ok();
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("> ", Style::default().fg(c.accent.0)),
                Span::styled(
                    dialog::input_tail(&super::widgets::printable(typed, 4096), r.width),
                    Style::default().fg(if ok { c.ok.0 } else { c.fg.0 }),
                ),
                Span::styled("▏", Style::default().fg(c.accent.0)),
            ])),
            r,
        );
    }
}

/// A confirmation that cannot be shown whole is not shown at all: `update`
/// refuses to proceed from it too.
fn too_small(
    f: &mut Frame,
    area: Rect,
    rc: &RenderCtx,
    small: super::components::dialog::TooSmall,
) {
    let no = rc
        .keymap
        .label(crate::config::Mode::Confirm, crate::config::Command::No);
    let need = if area.width < small.need_w {
        format!("at least {} columns", small.need_w)
    } else {
        format!("{} rows at this width", small.need_h)
    };
    let msg = format!(
        "The terminal is too small to show this confirmation whole (it needs {need}; this is {}×{}). Enlarge it to answer, or press {no} to cancel. Nothing is done until it fits.",
        area.width, area.height
    );
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(msg)
            .wrap(Wrap { trim: true })
            .style(Style::default().bg(rc.theme.c.bg.0).fg(rc.theme.c.warn.0)),
        area,
    );
}
