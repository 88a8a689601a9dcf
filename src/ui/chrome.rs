//! Header, pane tabs, status line and footer.

use super::widgets::status_spans;
use super::RenderCtx;
use crate::app::{age, Level, Overlay, State};
use crate::config::{Command, Mode};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn header(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let base = Style::default().fg(c.header_fg.0).bg(c.header_bg.0);
    let sep = || Span::styled(" │ ", base.fg(c.muted.0));
    let mut spans = vec![Span::styled(" pipedeck", base.add_modifier(Modifier::BOLD))];
    if state.conn.demo {
        spans.push(sep());
        spans.push(Span::styled(
            "DEMO",
            base.fg(c.warn.0).add_modifier(Modifier::BOLD),
        ));
    }
    if state.settings.read_only {
        spans.push(sep());
        spans.push(Span::styled(
            "READ-ONLY",
            base.fg(c.warn.0).add_modifier(Modifier::BOLD),
        ));
    }
    for pane in state.panes.iter() {
        if let Some((label, n)) = pane.alert_count() {
            spans.push(sep());
            let style = if n > 0 {
                base.fg(c.failure.0).add_modifier(Modifier::BOLD)
            } else {
                base.fg(c.ok.0)
            };
            let icon = if n > 0 { "✗" } else { "✓" };
            spans.push(Span::styled(format!("{icon} {label} {n}"), style));
        }
    }
    let account = state
        .identity
        .as_ref()
        .and_then(|i| i.account.clone())
        .unwrap_or_else(|| "account ?".into());
    spans.push(sep());
    spans.push(Span::styled(
        format!("profile {}", state.conn.profile),
        base,
    ));
    spans.push(sep());
    spans.push(Span::styled(account, base));
    spans.push(sep());
    spans.push(Span::styled(state.conn.region.clone(), base));
    if let Some(ep) = &state.conn.endpoint {
        spans.push(sep());
        spans.push(Span::styled(format!("endpoint {ep}"), base.fg(c.warn.0)));
    }
    // The newest successful refresh of any pane: is anything still live?
    let refreshed = state
        .panes
        .iter()
        .filter_map(|p| p.status().and_then(|s| s.last_ok))
        .max()
        .map(|t| format!("refreshed {} ago", age(t, rc.now)))
        .unwrap_or_else(|| "not refreshed yet".into());
    spans.push(sep());
    spans.push(Span::styled(refreshed, base.fg(c.muted.0)));
    f.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
}

pub fn tabs(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let mut spans = Vec::new();
    for (i, pane) in state.panes.iter().enumerate() {
        let active = pane.id() == state.active;
        let style = if active {
            Style::default()
                .fg(c.selection_fg.0)
                .bg(c.selection_bg.0)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(c.muted.0)
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, pane.title()), style));
        if let Some((_, n)) = pane.alert_count().filter(|(_, n)| *n > 0) {
            spans.push(Span::styled(
                format!("✗{n}"),
                Style::default().fg(c.failure.0),
            ));
        }
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn status_line(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let line = if let Some(cmd) = &state.cmdline {
        Line::from(vec![
            Span::styled(":", Style::default().fg(c.accent.0)),
            Span::raw(cmd.text.clone()),
            Span::styled("▏", Style::default().fg(c.accent.0)),
        ])
    } else if let Some(flash) = &state.flash {
        let color = match flash.level {
            Level::Info => c.ok.0,
            Level::Warn => c.warn.0,
            Level::Error => c.failure.0,
        };
        Line::from(Span::styled(flash.text.clone(), Style::default().fg(color)))
    } else {
        let pane = state.panes.get(state.active);
        match pane.status() {
            Some(s) => status_spans(s, rc),
            None => Line::default(),
        }
    };
    f.render_widget(Paragraph::new(line), area);
}

/// Keys that work right now, generated from the active keymap.
pub fn footer(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let mode = rc.mode;
    let cmds: Vec<Command> = match (mode, &state.overlay) {
        (Mode::Confirm, _) => vec![Command::Yes, Command::No],
        (Mode::Input, Some(Overlay::Confirm(_))) => vec![Command::Accept, Command::Cancel],
        (Mode::Input, _) => vec![Command::Accept, Command::Cancel, Command::DeleteBack],
        (Mode::Normal, Some(Overlay::Help { .. })) => {
            vec![Command::Down, Command::Back, Command::Quit]
        }
        (Mode::Normal, _) => {
            let mut v = state.panes.get(state.active).hints();
            v.extend([
                Command::Refresh,
                Command::NextPane,
                Command::CommandLine,
                Command::Help,
                Command::Quit,
            ]);
            v
        }
    };
    let c = &rc.theme.c;
    let mut spans = Vec::new();
    for cmd in cmds {
        let keys = rc.keymap.label(mode, cmd);
        if keys.is_empty() {
            continue;
        }
        let keys = match cmd {
            // Up and down share one hint.
            Command::Down => {
                let up = rc.keymap.label(mode, Command::Up);
                format!("{up}/{keys}")
            }
            _ => keys,
        };
        let key_style = if cmd.is_mutating() {
            Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(c.key.0).add_modifier(Modifier::BOLD)
        };
        spans.push(Span::styled(format!(" {keys}"), key_style));
        spans.push(Span::styled(
            format!(" {} ", cmd.short()),
            Style::default().fg(c.muted.0),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
