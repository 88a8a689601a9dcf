//! Small shared pieces: state colours, ages, error explanations.

pub use super::fit::{
    clip_line, clip_middle, fit_columns, hanging_wrap, widest, Column, Fitted, COMFORTABLE, EXTRA,
};
use super::RenderCtx;
use crate::app::{age, PollStatus};
use crate::cloud::audit::RunStatus;
use crate::cloud::{CloudError, ClusterState, CredentialProblem, RunState, StepState};
use crate::ui::components::list::window_start;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Row;

/// What a state means to the on-call, whatever the service: the colour
/// and icon follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Failed,
    Active,
    Ok,
    Stopped,
    Other,
}

impl Health {
    pub fn of_run(s: &RunState) -> Health {
        match s {
            s if s.is_failure() => Health::Failed,
            s if s.is_active() => Health::Active,
            RunState::Succeeded => Health::Ok,
            RunState::Stopped => Health::Stopped,
            _ => Health::Other,
        }
    }

    pub fn of_cluster(s: &ClusterState) -> Health {
        match s {
            s if s.is_failure() => Health::Failed,
            ClusterState::Waiting | ClusterState::Running => Health::Ok,
            s if s.is_active() => Health::Active,
            ClusterState::Terminated => Health::Stopped,
            _ => Health::Other,
        }
    }

    pub fn of_step(s: &StepState) -> Health {
        match s {
            s if s.is_failure() => Health::Failed,
            s if s.is_active() => Health::Active,
            StepState::Completed => Health::Ok,
            StepState::Cancelled => Health::Stopped,
            _ => Health::Other,
        }
    }

    /// Colour carries meaning: failures red and bold, active blue, ok green.
    pub fn style(self, rc: &RenderCtx) -> Style {
        let c = &rc.theme.c;
        let color = match self {
            Health::Failed => c.failure.0,
            Health::Active => c.active.0,
            Health::Ok => c.ok.0,
            Health::Stopped => c.warn.0,
            Health::Other => c.muted.0,
        };
        let style = Style::default().fg(color);
        if self == Health::Failed {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// The symbol before a state, so the meaning survives without colour.
    pub fn icon(self) -> &'static str {
        match self {
            Health::Failed => "✗",
            Health::Active => "▶",
            Health::Ok => "✓",
            Health::Stopped => "■",
            Health::Other => "?",
        }
    }

    /// "✗ FAILED" in the state's colour.
    pub fn label<'a>(self, state: &str, rc: &RenderCtx) -> Span<'a> {
        Span::styled(
            format!("{} {}", self.icon(), printable(state, 40)),
            self.style(rc),
        )
    }
}

/// A status message's colour: info green, a warning amber, an error red.
pub fn level_color(level: crate::app::Level, rc: &RenderCtx) -> ratatui::style::Color {
    let c = &rc.theme.c;
    match level {
        crate::app::Level::Info => c.ok.0,
        crate::app::Level::Warn => c.warn.0,
        crate::app::Level::Error => c.failure.0,
    }
}

/// Wide enough for the longest state shown (icon, space, name), so an
/// unknown state from a newer API still reads in full.
pub fn state_column_width<'a>(states: impl Iterator<Item = &'a str>) -> u16 {
    states
        .map(|s| s.chars().count() + 2)
        .max()
        .unwrap_or(11)
        .clamp(11, 26) as u16
}

/// Explains an error in words an on-call engineer can act on.
pub fn explain(err: &CloudError, rc: &RenderCtx) -> Vec<String> {
    let profile = &rc.conn.profile;
    match err {
        CloudError::Credentials {
            problem: CredentialProblem::Missing,
            message,
        } => vec![
            format!("No usable AWS credentials found for profile '{profile}'."),
            format!("Configure them with `aws configure --profile {profile}` or `aws sso login --profile {profile}`,"),
            "or export AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.".into(),
            "`pipedeck --demo` shows the console without an AWS account.".into(),
            "pipedeck keeps retrying and resumes by itself once credentials work.".into(),
            format!("({message})"),
        ],
        CloudError::Credentials {
            problem: CredentialProblem::Expired,
            message,
        } => vec![
            format!("The credentials for profile '{profile}' expired or were rejected."),
            format!("Run `aws sso login --profile {profile}` (or refresh your keys);"),
            "pipedeck resumes by itself once they work — no restart needed.".into(),
            format!("({message})"),
        ],
        CloudError::AccessDenied { op, message } => vec![
            format!("Access denied: your role may not call {op}."),
            format!("Ask for {op} on this account, or switch profile with --profile."),
            format!("({message})"),
        ],
        CloudError::Throttled { op } => vec![format!(
            "AWS is throttling {op}; pipedeck backs off and retries by itself."
        )],
        other => vec![other.to_string()],
    }
}

/// "refreshed 12s ago · next in 30s" or the error, for a pane's status.
pub fn status_spans<'a>(status: &PollStatus, rc: &RenderCtx) -> Line<'a> {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    // A countdown to the next poll; once it is due, "refreshing…" for a
    // few seconds, then nothing: a pane whose poller stopped (a view left
    // behind) must not claim a refresh is coming.
    let next = match (status.next_in, status.last_attempt) {
        (Some(n), Some(at)) => {
            let due = chrono::Duration::from_std(n)
                .ok()
                .and_then(|n| at.checked_add_signed(n))
                .unwrap_or(at);
            let left = (due - rc.now).num_seconds();
            match left {
                1.. => Some(Span::styled(
                    format!(" · next in {}", crate::app::duration(left)),
                    muted,
                )),
                -5..=0 => Some(Span::styled(" · refreshing…", muted)),
                _ => None,
            }
        }
        _ => None,
    };
    let mut spans = Vec::new();
    match (&status.error, status.last_ok) {
        (Some(e), _) => {
            // Most messages name their kind; credential ones are raw
            // provider text and get the label in front.
            let text = match e {
                CloudError::Credentials { .. } => format!("{}: {e}", e.label()),
                _ => e.to_string(),
            };
            spans.push(Span::styled(
                printable(first_line(&text), 500),
                Style::default().fg(c.failure.0),
            ));
            spans.extend(next);
            if let Some(ok) = status.last_ok {
                spans.push(Span::styled(
                    format!(" · data from {} ago", age(ok, rc.now)),
                    muted,
                ));
            }
        }
        (None, Some(ok)) => {
            spans.push(Span::styled(
                format!("refreshed {} ago", age(ok, rc.now)),
                muted,
            ));
            spans.extend(next);
        }
        (None, None) => spans.push(Span::styled("loading…", muted)),
    }
    Line::from(spans)
}

pub fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Text from AWS made safe for a terminal cell: control characters
/// (an ESC in a log line would be obeyed by the terminal) become visible
/// control pictures, tabs become spaces, and the result is clipped.
pub fn printable(s: &str, max: usize) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
            '\u{7f}' => '␡',
            c if ('\u{80}'..='\u{9f}').contains(&c) => '�',
            c => c,
        })
        .collect();
    clip(&cleaned, max)
}

/// Truncates to `max` characters with an ellipsis; never splits a char.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

pub fn selected_style(rc: &RenderCtx) -> Style {
    Style::default()
        .fg(rc.theme.c.selection_fg.0)
        .bg(rc.theme.c.selection_bg.0)
}

pub fn header_row<'a>(cells: &[&'a str], rc: &RenderCtx) -> Row<'a> {
    Row::new(cells.to_vec()).style(
        Style::default()
            .fg(rc.theme.c.muted.0)
            .add_modifier(Modifier::BOLD),
    )
}

/// Only the rows that fit under the header in `area`, scrolled so the
/// selected one shows, and highlighted. Building just these keeps a frame
/// cheap however long the list is.
pub fn window_rows<'a, T>(
    items: &[T],
    selected: usize,
    area: Rect,
    rc: &RenderCtx,
    row: impl Fn(&T) -> Row<'a>,
) -> Vec<Row<'a>> {
    let height = area.height.saturating_sub(1) as usize;
    let start = window_start(selected, height);
    items
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, item)| {
            let r = row(item);
            if i == selected {
                r.style(selected_style(rc))
            } else {
                r
            }
        })
        .collect()
}

/// The lines of a list that fit `height`, scrolled so `selected` shows and
/// highlighted: `window_rows` for plain lines (pickers, short lists).
pub fn window_lines<'a, T>(
    items: &[T],
    selected: usize,
    height: usize,
    rc: &RenderCtx,
    line: impl Fn(&T) -> Line<'a>,
) -> Vec<Line<'a>> {
    let start = window_start(selected, height);
    items
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, item)| {
            let l = line(item);
            if i == selected {
                l.style(selected_style(rc))
            } else {
                l
            }
        })
        .collect()
}

/// What a pane shows before it has rows: why not (the error, explained),
/// that it is still loading, or that there is genuinely nothing.
pub fn no_rows<'a>(
    status: &PollStatus,
    loading: &str,
    nothing: &str,
    rc: &RenderCtx,
) -> Vec<Line<'a>> {
    match &status.error {
        Some(e) => explain(e, rc)
            .into_iter()
            .map(|l| {
                Line::from(Span::styled(
                    printable(&l, 2000),
                    Style::default().fg(rc.theme.c.warn.0),
                ))
            })
            .collect(),
        None if status.loaded_once() => vec![Line::from(nothing.to_string())],
        None => vec![Line::from(loading.to_string())],
    }
}

/// [`no_rows`], drawn: the list's whole area, wrapped.
pub fn render_no_rows(
    f: &mut ratatui::Frame,
    area: Rect,
    status: &PollStatus,
    loading: &str,
    nothing: &str,
    rc: &RenderCtx,
) {
    let lines = no_rows(status, loading, nothing, rc);
    f.render_widget(
        ratatui::widgets::Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// A pane's border title: its name, where the user is ("› job › runs"),
/// and the filter being typed or kept.
pub fn pane_title<'a>(
    name: &str,
    place: String,
    filter: &str,
    typing: bool,
    rc: &RenderCtx,
) -> Line<'a> {
    let c = &rc.theme.c;
    let mut spans = vec![
        Span::styled(
            format!(" {name}"),
            Style::default().fg(c.accent.0).add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!(" {place} ")),
    ];
    if typing || !filter.is_empty() {
        let cursor = if typing { "▏" } else { "" };
        spans.push(Span::styled(
            format!("/{}{cursor} ", printable(filter, 200)),
            Style::default().fg(c.warn.0),
        ));
    }
    Line::from(spans)
}

/// Draws a pane's border with its title; returns the area inside it.
pub fn pane_frame(
    f: &mut ratatui::Frame,
    area: Rect,
    title: impl Into<Line<'static>>,
    rc: &RenderCtx,
) -> Rect {
    let block = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .border_style(Style::default().fg(rc.theme.c.border.0))
        .title(title.into());
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}

/// An audit record's status in its colour (the audit pane, and the Glue
/// and DLQ panes' lines that name a record); a stuck run stands out bold.
pub fn audit_status_style(status: &RunStatus, stuck: bool, rc: &RenderCtx) -> Style {
    let c = &rc.theme.c;
    match status {
        _ if stuck => Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD),
        RunStatus::Failed => Style::default().fg(c.failure.0),
        RunStatus::Partial | RunStatus::Other(_) | RunStatus::Missing => {
            Style::default().fg(c.warn.0)
        }
        RunStatus::Running => Style::default().fg(c.active.0),
        RunStatus::Succeeded => Style::default().fg(c.ok.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_defuses_escapes_and_clips() {
        assert_eq!(printable("a\u{1b}[31mb\tc", 100), "a␛[31mb c");
        assert_eq!(printable("\u{9b}x\u{7f}", 100), "�x␡");
        assert_eq!(printable("abcdef", 4), "abc…");
        assert_eq!(printable("", 4), "");
    }
}
