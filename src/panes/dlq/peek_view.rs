//! Drawing a peek: the messages received (and released), and the selected
//! one's attributes, expiry and body. Reads the pane; changes nothing.

use super::peek::{expires_at, expiry_near};
use super::DlqPane;
use crate::app::age;
use crate::cloud::sqs::queue_name;
use crate::cloud::{Dlq, QueueMessage};
use crate::ui::widgets::{header_row, no_rows, printable, widest, window_rows, Column, Fitted};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Table, Wrap};
use ratatui::Frame;

pub(super) fn render(p: &DlqPane, queue: &str, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let Some(peek) = p.peek.as_ref().filter(|pk| pk.queue == queue) else {
        return;
    };
    let [note_area, list_area, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Percentage(40),
        Constraint::Fill(1),
    ])
    .areas(area);
    let note = if peek.loading() {
        "peeking… (a peek is a receive: each message's receive count goes up by one; they are released at once)".to_string()
    } else {
        let when = peek
            .status
            .last_attempt
            .map_or(String::new(), |t| format!(" {} ago", age(t, rc.now)));
        let stale = if peek.stale {
            " — changed since: Enter peeks again"
        } else {
            ""
        };
        let retention = p.dlq(queue).and_then(send_based_retention);
        let expiring = match peek
            .messages
            .iter()
            .filter(|m| expiry_near(m, retention, rc.now))
            .count()
        {
            0 => String::new(),
            n => format!(" · ⚠ {n} expire soon (retention counts from the original send)"),
        };
        format!(
            "{} message(s) peeked{when}, {} marked · peeking counts as a receive{expiring}{stale}",
            peek.messages.len(),
            peek.marked.len()
        )
    };
    f.render_widget(
        Paragraph::new(Span::styled(note, Style::default().fg(c.warn.0))),
        note_area,
    );
    if let Some(e) = &peek.status.error {
        let lines = no_rows(&peek.status, "", "", rc);
        let _ = e;
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), list_area);
        return;
    }
    if peek.messages.is_empty() {
        if !peek.loading() {
            f.render_widget(
                Paragraph::new(
                    "No message came back: the DLQ is empty, or every message is in flight.",
                ),
                list_area,
            );
        }
        return;
    }
    let d = p.dlq(queue);
    let longest =
        |f: &dyn Fn(&crate::cloud::QueueMessage) -> usize| widest(peek.messages.iter(), f);
    let (fit, widths, titles) = Fitted::new(
        &[
            Column::fixed(" ", 1, 0),
            Column::fixed("SENT", 6, 1),
            Column::fixed("RECV", 5, 3),
            Column::text(
                "SOURCE",
                longest(&|m| {
                    m.source_arn
                        .as_deref()
                        .map_or(1, |a| queue_name(a).chars().count())
                }),
                12,
                4,
            ),
            Column::text(
                "GROUP",
                longest(&|m| m.group_id.as_deref().map_or(0, |g| g.chars().count())),
                8,
                crate::ui::widgets::EXTRA,
            ),
            Column::text("BODY", 300, 20, 2),
        ],
        list_area.width,
    );
    let rows = window_rows(&peek.messages, peek.cursor.selected, list_area, rc, |m| {
        let mark = if peek.marked.contains(&m.id) {
            Span::styled(
                "●",
                Style::default().fg(c.accent.0).add_modifier(Modifier::BOLD),
            )
        } else {
            Span::raw(" ")
        };
        let near = expiry_near(m, d.and_then(send_based_retention), rc.now);
        let sent = m.sent.map_or("?".into(), |t| age(t, rc.now));
        let sent = if near {
            Span::styled(
                sent,
                Style::default()
                    .fg(c.failure.0)
                    .add_modifier(Modifier::BOLD),
            )
        } else {
            Span::raw(sent)
        };
        fit.row(vec![
            Line::from(mark),
            Line::from(sent),
            Line::from(m.receive_count.map_or("?".into(), |n| n.to_string())),
            Line::from(
                m.source_arn
                    .as_deref()
                    .map_or("–".into(), |a| printable(queue_name(a), 40)),
            ),
            Line::from(
                m.group_id
                    .as_deref()
                    .map_or(String::new(), |g| printable(g, 40)),
            ),
            Line::from(printable(&m.body, 300)),
        ])
    });
    f.render_widget(
        Table::new(rows, widths).header(header_row(&titles, rc)),
        list_area,
    );
    if let Some(m) = peek.selected() {
        let mut lines = message_lines(
            m,
            peek.selected_body(),
            d.and_then(send_based_retention),
            rc,
        );
        if let Some(line) = run_line(p, rc) {
            // Above the body, which may be long.
            let at = lines.len() - peek.selected_body().len() - 1;
            lines.insert(at, line);
        }
        // Never scroll past the last screenful.
        let last = lines.len().saturating_sub(detail_area.height as usize);
        let scroll = (peek.body_scroll as usize).min(last) as u16;
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), detail_area);
    }
}

/// The run the message names, and what its audit record says.
fn run_line<'a>(p: &DlqPane, rc: &RenderCtx) -> Option<Line<'a>> {
    let (ids, link) = p.message_run()?;
    let c = &rc.theme.c;
    let key = rc
        .keymap
        .label(crate::config::Mode::Normal, crate::config::Command::Linked);
    let mut spans = vec![
        Span::styled(format!("{:<10} ", "run"), Style::default().fg(c.muted.0)),
        Span::raw(printable(&ids.join(" / "), 200)),
    ];
    match link {
        Some(l) => spans.extend([
            Span::raw(" — audit record "),
            Span::styled(
                printable(l.status.label(), 40),
                crate::ui::widgets::audit_status_style(&l.status, false, rc),
            ),
            Span::raw(format!(" in {}", printable(&l.table, 80))),
            Span::styled(format!(" ({key} opens it)"), Style::default().fg(c.muted.0)),
        ]),
        None => spans.push(Span::styled(
            " — no audit record of it in the last 24 h of the mapped tables".to_string(),
            Style::default().fg(c.muted.0),
        )),
    }
    Some(Line::from(spans))
}

/// The retention to add to SentTimestamp for a message's expiry: on a
/// standard DLQ the clock started at the original send; a FIFO DLQ restarts
/// it at the move, which a receive does not tell, so no estimate there.
fn send_based_retention(d: &Dlq) -> Option<i64> {
    (!d.fifo).then_some(d.retention_secs).flatten()
}

fn message_lines<'a>(
    m: &QueueMessage,
    body: &[String],
    retention: Option<i64>,
    rc: &RenderCtx,
) -> Vec<Line<'a>> {
    let c = &rc.theme.c;
    let key = Style::default().fg(c.muted.0);
    let field =
        |k: &str, v: String| Line::from(vec![Span::styled(format!("{k:<10} "), key), Span::raw(v)]);
    let local = |t: DateTime<Utc>| crate::app::full_time(t, rc.tz);
    let mut lines = vec![field("message", printable(&m.id, 100))];
    if let Some(t) = m.sent {
        lines.push(field(
            "sent",
            format!("{} ({} ago)", local(t), age(t, rc.now)),
        ));
    }
    if let Some(at) = expires_at(m, retention) {
        let text = if at <= rc.now {
            "retention passed: SQS may delete it any moment".to_string()
        } else {
            format!(
                "{} (in {})",
                local(at),
                crate::app::duration((at - rc.now).num_seconds())
            )
        };
        let line = field("expires", text);
        lines.push(if expiry_near(m, retention, rc.now) {
            line.style(
                Style::default()
                    .fg(c.failure.0)
                    .add_modifier(Modifier::BOLD),
            )
        } else {
            line
        });
    }
    if let Some(n) = m.receive_count {
        lines.push(field("receives", n.to_string()));
    }
    if let Some(a) = &m.source_arn {
        lines.push(field("source", printable(a, 200)));
    }
    if let Some(g) = &m.group_id {
        lines.push(field("group", printable(g, 200)));
    }
    for (k, v) in &m.attributes {
        lines.push(field(
            &format!("@{}", printable(k, 40)),
            format!("{} ({})", printable(&v.display(), 300), v.data_type),
        ));
    }
    lines.push(Line::from(Span::styled(
        format!(
            "body       {} bytes (PgUp/PgDn scroll, y copies)",
            m.body.len()
        ),
        key,
    )));
    lines.extend(body.iter().cloned().map(Line::from));
    lines
}
