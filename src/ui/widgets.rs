//! Small shared pieces: state colours, ages, error explanations.

use super::RenderCtx;
use crate::app::{age, PollStatus};
use crate::cloud::{CloudError, CredentialProblem, RunState};
use crate::panes::list::window_start;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Row;

/// Colour carries meaning here: failures red, active blue, success green.
pub fn run_state_style(state: &RunState, rc: &RenderCtx) -> Style {
    let c = &rc.theme.c;
    let color = match state {
        s if s.is_failure() => c.failure.0,
        s if s.is_active() => c.active.0,
        RunState::Succeeded => c.ok.0,
        RunState::Stopped => c.warn.0,
        _ => c.muted.0,
    };
    let style = Style::default().fg(color);
    if state.is_failure() {
        style.add_modifier(Modifier::BOLD)
    } else {
        style
    }
}

/// The symbol before a state, so the meaning survives without colour.
pub fn run_state_icon(state: &RunState) -> &'static str {
    match state {
        s if s.is_failure() => "✗",
        s if s.is_active() => "▶",
        RunState::Succeeded => "✓",
        RunState::Stopped => "■",
        _ => "?",
    }
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
    let mut spans = Vec::new();
    match (&status.error, status.last_ok) {
        (Some(e), _) => {
            spans.push(Span::styled(
                format!(
                    "{}: {}",
                    e.label(),
                    printable(first_line(&e.to_string()), 500)
                ),
                Style::default().fg(c.failure.0),
            ));
            if let Some(ok) = status.last_ok {
                spans.push(Span::styled(
                    format!(" · data from {} ago", age(ok, rc.now)),
                    Style::default().fg(c.muted.0),
                ));
            }
        }
        (None, Some(ok)) => spans.push(Span::styled(
            format!("refreshed {} ago", age(ok, rc.now)),
            Style::default().fg(c.muted.0),
        )),
        (None, None) => spans.push(Span::styled("loading…", Style::default().fg(c.muted.0))),
    }
    if let Some(next) = status.next_in {
        spans.push(Span::styled(
            format!(" · next in {}s", next.as_secs()),
            Style::default().fg(c.muted.0),
        ));
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
