//! Help overlay and confirmation dialog.

use super::RenderCtx;
use crate::app::{Overlay, State};
use crate::config::Keymap;
use crate::gate::ConfirmKind;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help(f, area, rc, *scroll),
        Some(Overlay::Confirm(p)) => confirm(f, area, rc, p, state.settings.read_only),
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

/// The help is generated from the keymap in use, so user bindings show.
pub fn help_lines(keymap: &Keymap, rc: &RenderCtx) -> Vec<Line<'static>> {
    let c = &rc.theme.c;
    let mut lines = Vec::new();
    for (mode, title) in [
        (crate::config::Mode::Normal, "Browsing"),
        (crate::config::Mode::Input, "Typing (filter, command line)"),
        (crate::config::Mode::Confirm, "Confirmation"),
    ] {
        lines.push(Line::from(Span::styled(
            title,
            Style::default().fg(c.accent.0).add_modifier(Modifier::BOLD),
        )));
        let mut seen_pane = false;
        for (cmd, keys) in keymap.bindings(mode) {
            if cmd.pane_index().is_some() {
                if seen_pane {
                    continue;
                }
                seen_pane = true;
            }
            let key_style = if cmd.is_mutating() {
                Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD)
            } else {
                Style::default().fg(c.key.0)
            };
            let keys = if cmd.pane_index().is_some() {
                "1..9".to_string()
            } else {
                keys
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), key_style),
                Span::raw(cmd.describe()),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "Commands: :glue :emr :journal :help :q",
        Style::default().fg(c.muted.0),
    )));
    lines.push(Line::from(Span::styled(
        format!("Keymap: {}", keymap.name),
        Style::default().fg(c.muted.0),
    )));
    lines
}

fn help(f: &mut Frame, area: Rect, rc: &RenderCtx, scroll: u16) {
    let lines = help_lines(rc.keymap, rc);
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 76, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .block(dialog_block("Help — ? or Esc to close", rc))
            .scroll((scroll, 0)),
        r,
    );
}

fn confirm(f: &mut Frame, area: Rect, rc: &RenderCtx, p: &crate::gate::PendingConfirm, _ro: bool) {
    let c = &rc.theme.c;
    let mut lines = vec![Line::from(p.question.clone()), Line::default()];
    match &p.kind {
        ConfirmKind::YesNo => {
            let yes = rc
                .keymap
                .label(crate::config::Mode::Confirm, crate::config::Command::Yes);
            let no = rc
                .keymap
                .label(crate::config::Mode::Confirm, crate::config::Command::No);
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{yes} "),
                    Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD),
                ),
                Span::raw("proceed   "),
                Span::styled(
                    format!("{no} "),
                    Style::default().fg(c.key.0).add_modifier(Modifier::BOLD),
                ),
                Span::raw("cancel"),
            ]));
        }
        ConfirmKind::Typed { expect } => {
            lines.push(Line::from(vec![
                Span::raw("Type "),
                Span::styled(
                    expect.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(" and press Enter to proceed, Esc to cancel:"),
            ]));
            let ok = p.typed_ok();
            lines.push(Line::from(vec![
                Span::styled("> ", Style::default().fg(c.accent.0)),
                Span::styled(
                    p.typed.clone(),
                    Style::default().fg(if ok { c.ok.0 } else { c.fg.0 }),
                ),
                Span::styled("▏", Style::default().fg(c.accent.0)),
            ]));
        }
    }
    let w = 70u16.min(area.width);
    // Question wraps; give it room.
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let q_lines = p.question.chars().count().div_ceil(inner_w) as u16;
    let h = q_lines + lines.len() as u16 + 1;
    let r = centered(area, w, h + 1);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(dialog_block("Confirm", rc)),
        r,
    );
}
