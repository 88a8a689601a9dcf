//! Header, pane tabs, status line and footer.

use super::widgets::{printable, status_spans};
use super::RenderCtx;
use crate::app::{age, Overlay, State};
use crate::config::{Command, Mode};
use crate::panes::keys::offered;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn header(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let base = Style::default()
        .fg(rc.theme.c.header_fg.0)
        .bg(rc.theme.c.header_bg.0);
    // Labels first; when they do not fit, the same facts without labels.
    let mut line = header_line(state, rc, base, false);
    if line.width() > area.width as usize {
        line = header_line(state, rc, base, true);
    }
    f.render_widget(Paragraph::new(line).style(base), area);
}

fn header_line<'a>(state: &State, rc: &RenderCtx, base: Style, compact: bool) -> Line<'a> {
    let c = &rc.theme.c;
    let sep = || Span::styled(if compact { "│" } else { " │ " }, base.fg(c.muted.0));
    let bold = |color: ratatui::style::Color| base.fg(color).add_modifier(Modifier::BOLD);
    // Narrow terminals keep the facts (counts, account, region) and drop
    // the name and the spaces.
    let mut spans = if compact {
        vec![Span::raw(" ")]
    } else {
        vec![Span::styled(" pipedeck", base.add_modifier(Modifier::BOLD))]
    };
    if state.conn.demo {
        if !compact {
            spans.push(sep());
        }
        spans.push(Span::styled("DEMO", bold(c.warn.0)));
    }
    if state.conn.env_keys_set_aside {
        let text = if compact {
            "¬ENV KEYS"
        } else {
            "env keys set aside for the profile"
        };
        spans.extend([sep(), Span::styled(text, bold(c.warn.0))]);
    }
    if state.settings.read_only {
        let text = if compact { "RO" } else { "READ-ONLY" };
        spans.extend([sep(), Span::styled(text, bold(c.warn.0))]);
    }
    for pane in state.panes.iter() {
        if let Some((label, n)) = pane.alert_count() {
            // Narrow: the label's first word ("Glue", "ALARM"), no spaces.
            let (label, gap) = if compact {
                (label.split(' ').next().unwrap_or(label), "")
            } else {
                (label, " ")
            };
            let (text, style) = match n {
                Some(n) if n > 0 => (format!("✗{gap}{label} {n}"), bold(c.failure.0)),
                Some(n) => (format!("✓{gap}{label} {n}"), base.fg(c.ok.0)),
                // Never loaded: do not claim all is well.
                None => (format!("?{gap}{label} ?"), base.fg(c.warn.0)),
            };
            if spans.len() > 1 || !compact {
                spans.push(sep());
            }
            spans.push(Span::styled(text, style));
        }
        if let Some(note) = pane.header_note(compact) {
            spans.extend([sep(), Span::styled(printable(&note, 80), bold(c.active.0))]);
        }
    }
    let account = state
        .identity
        .as_ref()
        .and_then(|i| i.account.clone())
        .unwrap_or_else(|| "account ?".into());
    // Narrow: the account says where we are; the profile gives way.
    if !compact {
        spans.extend([
            sep(),
            Span::styled(format!("profile {}", state.conn.profile), base),
        ]);
    }
    spans.extend([
        sep(),
        Span::styled(account, base),
        sep(),
        Span::styled(state.conn.region.clone(), base),
    ]);
    if let Some(ep) = &state.conn.endpoint {
        let ep = if compact {
            ep.split("://").last().unwrap_or(ep).to_string()
        } else {
            format!("endpoint {ep}")
        };
        spans.extend([sep(), Span::styled(ep, base.fg(c.warn.0))]);
    }
    // The newest successful refresh of any pane: is anything still live?
    let newest = state
        .panes
        .iter()
        .filter_map(|p| p.status().and_then(|s| s.last_ok))
        .max();
    let refreshed = match (newest, compact) {
        (Some(t), false) => format!("refreshed {} ago", age(t, rc.now)),
        (Some(t), true) => format!("↻ {}", age(t, rc.now)),
        (None, false) => "not refreshed yet".into(),
        (None, true) => "↻ –".into(),
    };
    spans.extend([sep(), Span::styled(refreshed, base.fg(c.muted.0))]);
    Line::from(spans)
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
        if let Some((_, Some(n))) = pane.alert_count().filter(|(_, n)| n.unwrap_or(0) > 0) {
            spans.push(Span::styled(
                format!("✗{n}"),
                Style::default().fg(c.failure.0),
            ));
        }
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A message longer than the screen is wide takes a second row; one
/// longer still ends in "… m: messages" (the log has it whole).
pub fn status_rows(state: &State, width: u16) -> u16 {
    match &state.flash {
        Some(f) if state.cmdline.is_none() && wrapped_rows(&f.text, width) > 1 => 2,
        _ => 1,
    }
}

/// Rows `text` takes when word-wrapped at `width`, as the status line
/// draws it.
fn wrapped_rows(text: &str, width: u16) -> usize {
    Paragraph::new(super::widgets::printable(text, 1000))
        .wrap(ratatui::widgets::Wrap { trim: false })
        .line_count(width.max(1))
}

/// The message cut, at a word where it can be, so that it and "… m:
/// messages" fit `rows` rows of `width`.
fn fit_rows(text: &str, more: &str, width: u16, rows: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    // The longest prefix that fits, by halving: a message is ≤ 1000 chars.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + more;
        if wrapped_rows(&candidate, width) <= rows {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + more
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
        let color = super::widgets::level_color(flash.level, rc);
        let text = super::widgets::printable(&flash.text, 1000);
        // Two rows at most; beyond that, where to read the rest.
        let rows = area.height as usize;
        let text = if wrapped_rows(&text, area.width) > rows {
            let more = format!(
                " … {}: messages",
                rc.keymap.label(Mode::Normal, Command::Messages)
            );
            fit_rows(&text, &more, area.width, rows)
        } else {
            text
        };
        return f.render_widget(
            Paragraph::new(Span::styled(text, Style::default().fg(color)))
                .wrap(ratatui::widgets::Wrap { trim: false }),
            area,
        );
    } else {
        let pane = state.panes.get(state.active);
        match pane.status() {
            Some(s) => status_spans(s, rc),
            None => Line::default(),
        }
    };
    f.render_widget(Paragraph::new(line), area);
}

/// Keys that work right now: the commands from the active pane's key
/// table (or the mode's own), the keys from the active keymap.
pub fn footer(state: &State, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let mode = rc.mode;
    let generic = |cmds: &[Command]| -> Vec<(Command, &'static str)> {
        cmds.iter().map(|c| (*c, c.short())).collect()
    };
    let pane = state.panes.get(state.active);
    // Pane keys on the left; help and quit pinned right so they never fall
    // off a narrow terminal.
    let (left, right) = match (mode, &state.overlay) {
        (Mode::Confirm, _) => (generic(&[Command::Yes, Command::No]), vec![]),
        (Mode::Input, Some(Overlay::Confirm(_))) => {
            (generic(&[Command::Accept, Command::Cancel]), vec![])
        }
        (Mode::Editor | Mode::Picker, _) => {
            // The pane's text context: its commands in that mode.
            let hints = offered(&pane.key_infos(), mode);
            let mut spans = hint_spans(&hints, rc, usize::MAX);
            if mode == Mode::Editor {
                // Not a command: in an editor Enter is text.
                spans.push(Span::styled(
                    "  enter is a new line",
                    Style::default().fg(rc.theme.c.muted.0),
                ));
            }
            f.render_widget(Paragraph::new(Line::from(spans)), area);
            return;
        }
        (Mode::Input, _) => (
            generic(&[Command::Accept, Command::Cancel, Command::DeleteBack]),
            vec![],
        ),
        (Mode::Normal, Some(Overlay::Help { .. } | Overlay::Messages { .. })) => (
            generic(&[Command::Down, Command::Back]),
            generic(&[Command::Quit]),
        ),
        (Mode::Normal, _) => {
            let mut v = offered(&pane.key_infos(), Mode::Normal);
            v.extend(generic(&[
                Command::Refresh,
                Command::NextPane,
                Command::CommandLine,
            ]));
            (v, generic(&[Command::Help, Command::Quit]))
        }
    };
    let right = Line::from(hint_spans(&right, rc, usize::MAX)).right_aligned();
    let right_width = right.width() as u16;
    let [l, r] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    // Whole hints only: one that does not fit is left out, not cut.
    let left = Line::from(hint_spans(&left, rc, l.width as usize));
    f.render_widget(Paragraph::new(left), l);
    f.render_widget(Paragraph::new(right), r);
}

fn hint_spans<'a>(hints: &[(Command, &str)], rc: &RenderCtx, max_width: usize) -> Vec<Span<'a>> {
    let mode = rc.mode;
    let c = &rc.theme.c;
    let mut spans = Vec::new();
    for (cmd, label) in hints {
        let keys = rc.keymap.label(mode, *cmd);
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
        let key = Span::styled(format!(" {keys}"), key_style);
        let label = Span::styled(format!(" {label} "), Style::default().fg(c.muted.0));
        let used: usize = spans.iter().map(Span::width).sum();
        if used + key.width() + label.width() > max_width {
            break;
        }
        spans.extend([key, label]);
    }
    spans
}
