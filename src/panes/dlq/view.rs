//! Drawing the DLQ pane. Reads the pane; changes nothing.

use super::peek::{expires_at, expiry_near};
use super::{DlqPane, View};
use crate::app::{age, duration};
use crate::cloud::sqs::queue_name;
use crate::cloud::{Dlq, MoveTask, QueueMessage};
use crate::ui::widgets::{
    header_row, no_rows, pane_frame, pane_title, printable, window_rows, Column, Fitted, Health,
};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Table, Wrap};
use ratatui::Frame;

const SPARK_WIDTH: u16 = 20;

pub fn render(p: &DlqPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let inner = pane_frame(f, area, title(p, rc), rc);
    match &p.view {
        View::Peek { queue } => peek_view(p, queue, f, inner, rc),
        View::Queues if p.dlqs.is_empty() => {
            let lines = no_rows(
                &p.status,
                "Looking for dead-letter queues…",
                "No dead-letter queues: no queue in this account and region has a RedrivePolicy, and none is named in [dlq] queues.",
                rc,
            );
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        View::Queues => queues_view(p, f, inner, rc),
    }
}

fn title<'a>(p: &DlqPane, rc: &RenderCtx) -> Line<'a> {
    let place = match &p.view {
        View::Queues => format!(
            "dead-letter queues ({}) — {} message(s) waiting",
            p.order.len(),
            p.total_messages()
        ),
        View::Peek { queue } => format!("› {} › peek", printable(queue, 80)),
    };
    pane_title("DLQ", place, p.filter_text(), p.filtering, rc)
}

fn task_text(t: &MoveTask) -> String {
    let of = t.to_move.map_or(String::new(), |n| format!("/{n}"));
    format!("{} {}{of}", t.status, t.moved)
}

fn task_health(t: &MoveTask) -> Health {
    match t.status.as_str() {
        "FAILED" => Health::Failed,
        "COMPLETED" => Health::Ok,
        "CANCELLED" => Health::Stopped,
        _ => Health::Active,
    }
}

fn queues_view(p: &DlqPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Min(2), Constraint::Length(4)]).areas(area);
    if p.order.is_empty() {
        let msg = format!("No DLQ matches /{}", p.list.filter.text);
        f.render_widget(Paragraph::new(msg), table_area);
    } else {
        queues_table(p, f, table_area, rc);
    }
    if let Some(d) = p.selected() {
        f.render_widget(
            Paragraph::new(detail_lines(p, d, rc)).wrap(Wrap { trim: true }),
            detail_area,
        );
    }
}

fn queues_table(p: &DlqPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let name_width = p
        .order
        .iter()
        .map(|i| p.dlqs[*i].name.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 40) as u16;
    let (fit, widths, titles) = Fitted::new(
        &[
            Column {
                title: "VISIBLE",
                width: Constraint::Length(8),
                hide_below: 0,
            },
            Column {
                title: "QUEUE",
                width: Constraint::Max(name_width),
                hide_below: 0,
            },
            Column {
                title: "LAST HOUR",
                width: Constraint::Length(SPARK_WIDTH),
                hide_below: 70,
            },
            Column {
                title: "OLDEST",
                width: Constraint::Length(7),
                hide_below: 60,
            },
            Column {
                title: "FLIGHT",
                width: Constraint::Length(7),
                hide_below: 90,
            },
            Column {
                title: "DELAYED",
                width: Constraint::Length(8),
                hide_below: 110,
            },
            Column {
                title: "RETAIN",
                width: Constraint::Length(7),
                hide_below: 125,
            },
            Column {
                title: "REDRIVE",
                width: Constraint::Length(16),
                hide_below: 80,
            },
            Column {
                title: "SOURCES",
                width: Constraint::Fill(1),
                hide_below: 0,
            },
        ],
        area.width,
    );
    let rows = window_rows(&p.order, p.list.cursor.selected, area, rc, |i| {
        let d = &p.dlqs[*i];
        let depth = if d.visible > 0 {
            Span::styled(
                format!("✗ {}", d.visible),
                Style::default()
                    .fg(c.failure.0)
                    .add_modifier(Modifier::BOLD),
            )
        } else {
            Span::styled("✓ 0".to_string(), Style::default().fg(c.ok.0))
        };
        let oldest = p.oldest_age_s(&d.name).map_or("–".into(), |s| {
            age(rc.now - chrono::Duration::seconds(s), rc.now)
        });
        let redrive = match &d.move_task {
            Some(t) => task_health(t).label(&task_text(t), rc),
            None => Span::raw(""),
        };
        let sources = if d.sources.is_empty() {
            Span::styled(
                "(none: named in config)".to_string(),
                Style::default().fg(c.muted.0),
            )
        } else {
            Span::raw(printable(&source_text(d), 200))
        };
        fit.row(vec![
            Line::from(depth),
            Line::from(printable(&d.name, 80)),
            Line::from(Span::styled(
                p.history().spark(&d.name, rc.now, SPARK_WIDTH as usize),
                Style::default().fg(c.active.0),
            )),
            Line::from(oldest),
            Line::from(d.in_flight.to_string()),
            Line::from(d.delayed.to_string()),
            Line::from(d.retention_secs.map_or("?".into(), duration_days)),
            Line::from(redrive),
            Line::from(sources),
        ])
    });
    let table = Table::new(rows, widths).header(header_row(&titles, rc));
    f.render_widget(table, area);
}

fn source_text(d: &Dlq) -> String {
    d.sources
        .iter()
        .map(|s| match s.max_receive_count {
            Some(n) => format!("{} (max {n})", s.name),
            None => s.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn detail_lines<'a>(p: &DlqPane, d: &Dlq, rc: &RenderCtx) -> Vec<Line<'a>> {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    let mut facts = vec![format!(
        "{} {}",
        if d.fifo { "FIFO" } else { "standard" },
        printable(&d.name, 80)
    )];
    if let Some(r) = d.retention_secs {
        facts.push(format!("retention {}", duration_days(r)));
    }
    facts.push(format!(
        "{} visible · {} in flight · {} delayed",
        d.visible, d.in_flight, d.delayed
    ));
    match p.oldest_age_s(&d.name) {
        Some(s) => facts.push(format!(
            "oldest {} (CloudWatch, counted from the move)",
            duration(s)
        )),
        None if p.metrics_status().error.is_some() => {
            facts.push("oldest: CloudWatch not readable".into())
        }
        None => {}
    }
    let mut lines = vec![Line::from(Span::styled(facts.join(" · "), muted))];
    let redrive = match &d.move_task {
        Some(t) if t.is_active() => {
            let rate = t.max_per_second.map_or(String::new(), |r| format!(" at {r} msg/s"));
            let dest = t.destination_arn.as_deref().map_or("the original source".to_string(), |a| queue_name(a).to_string());
            let since = t.started.map_or(String::new(), |s| format!(", started {} ago", age(s, rc.now)));
            Line::from(Span::styled(
                format!(
                    "redrive {}: {} of {} moved to {dest}{rate}{since} — X cancels",
                    t.status,
                    t.moved,
                    t.to_move.map_or("?".into(), |n| n.to_string())
                ),
                Style::default().fg(c.active.0).add_modifier(Modifier::BOLD),
            ))
        }
        Some(t) => {
            let mut s = format!("last redrive {}: {} moved", t.status, t.moved);
            if let Some(r) = &t.failure_reason {
                s.push_str(&format!(" — {}", printable(r, 300)));
            }
            Line::from(Span::styled(s, task_health(t).style(rc)))
        }
        None if d.can_move_task() => Line::from(Span::styled(
            "R redrives to the source queue(s) (StartMessageMoveTask) · :redrive <queue> [msg/s] picks the destination · Enter peeks",
            muted,
        )),
        None => Line::from(Span::styled(
            "fed by SNS or Lambda: :redrive <queue> moves the messages from pipedeck (receive → send → delete) · Enter peeks",
            muted,
        )),
    };
    lines.push(redrive);
    if let Some(n) = &d.note {
        lines.push(Line::from(Span::styled(
            printable(n, 300),
            Style::default().fg(c.warn.0),
        )));
    }
    lines
}

/// Days once it is more than two of them ("13d 23h"), else "5h 02m".
fn long_duration(secs: i64) -> String {
    if secs >= 2 * 86_400 {
        format!("{}d {}h", secs / 86_400, (secs % 86_400) / 3600)
    } else {
        duration(secs)
    }
}

fn duration_days(secs: i64) -> String {
    if secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else {
        duration(secs)
    }
}

fn peek_view(p: &DlqPane, queue: &str, f: &mut Frame, area: Rect, rc: &RenderCtx) {
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
    let (fit, widths, titles) = Fitted::new(
        &[
            Column {
                title: " ",
                width: Constraint::Length(1),
                hide_below: 0,
            },
            Column {
                title: "SENT",
                width: Constraint::Length(6),
                hide_below: 0,
            },
            Column {
                title: "RECV",
                width: Constraint::Length(5),
                hide_below: 60,
            },
            Column {
                title: "SOURCE",
                width: Constraint::Length(20),
                hide_below: 90,
            },
            Column {
                title: "GROUP",
                width: Constraint::Length(12),
                hide_below: 100,
            },
            Column {
                title: "BODY",
                width: Constraint::Fill(1),
                hide_below: 0,
            },
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
        let lines = message_lines(
            m,
            peek.selected_body(),
            d.and_then(send_based_retention),
            rc,
        );
        // Never scroll past the last screenful.
        let last = lines.len().saturating_sub(detail_area.height as usize);
        let scroll = (peek.body_scroll as usize).min(last) as u16;
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), detail_area);
    }
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
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&rc.tz)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
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
                long_duration((at - rc.now).num_seconds())
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
