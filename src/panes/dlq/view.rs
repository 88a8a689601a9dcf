//! Drawing the DLQ pane. Reads the pane; changes nothing.

use super::{DlqPane, View};
use crate::app::{age, duration};
use crate::cloud::sqs::queue_name;
use crate::cloud::{Dlq, MoveTask};
use crate::ui::widgets::{
    header_row, no_rows, pane_frame, pane_title, printable, widest, window_rows, Column, Fitted,
    Health, EXTRA,
};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Table, Wrap};
use ratatui::Frame;

const SPARK_WIDTH: u16 = 20;

pub fn render(p: &DlqPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let inner = pane_frame(f, area, title(p, rc), rc);
    match &p.view {
        View::Peek { queue } => super::peek_view::render(p, queue, f, inner, rc),
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
        View::Queues => match (p.status.last_ok, p.stale_since) {
            (Some(_), _) => format!(
                "({}) — {} message(s) waiting",
                p.order.len(),
                p.total_messages()
            ),
            // Last session's picture until the first fresh read lands.
            (None, Some(at)) => format!(
                "({}) — {} message(s) {}",
                p.order.len(),
                p.total_messages(),
                crate::panes::kept::last_seen(at, &p.status, rc)
            ),
            (None, None) => "(?) — ? message(s) waiting".into(),
        },
        View::Peek { queue } => format!("› {} › peek", printable(queue, 80)),
    };
    pane_title(
        "Dead-letter queues",
        place,
        p.filter_text(),
        p.filtering,
        rc,
    )
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
    let rows = p.order.iter().map(|i| &p.dlqs[*i]);
    let longest = |f: &dyn Fn(&Dlq) -> usize| widest(rows.clone(), f);
    // A redrive's counts are never cut: the column shows whole or not at all.
    let redrive = longest(&|d| {
        d.move_task
            .as_ref()
            .map_or(0, |t| task_text(t).chars().count() + 2)
    });
    let (fit, widths, titles) = Fitted::new(
        &[
            Column::fixed("VISIBLE", 8, 0),
            Column::text("QUEUE", longest(&|d| d.name.chars().count()), 14, 1),
            Column::fixed("LAST HOUR", SPARK_WIDTH, EXTRA),
            Column::fixed("OLDEST", 7, 3),
            Column::fixed("FLIGHT", 7, EXTRA + 1),
            Column::fixed("DELAYED", 8, EXTRA + 2),
            Column::fixed("EXPIRES", 8, 2),
            // Shown only while some queue has a move task to report.
            Column::fixed(
                "REDRIVE",
                if redrive == 0 {
                    0
                } else {
                    redrive.max(7) as u16
                },
                4,
            ),
            Column::text(
                "SOURCES",
                longest(&|d| source_text(d).chars().count()),
                20,
                3,
            ),
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
            expiry_cell(p, d, rc),
            Line::from(redrive),
            Line::from(sources),
        ])
    });
    let table = Table::new(rows, widths).header(header_row(&titles, rc));
    f.render_widget(table, area);
}

/// How long until retention deletes the oldest message: exact from a peek
/// ("3h"), else at most this from CloudWatch's age ("≤3h"); red when near.
fn expiry_cell<'a>(p: &DlqPane, d: &Dlq, rc: &RenderCtx) -> Line<'a> {
    let Some((left, exact)) = p.expires_in(d, rc.now) else {
        return Line::from("–");
    };
    let text = if left <= chrono::Duration::zero() {
        "due".to_string()
    } else {
        let t = age(rc.now - left, rc.now);
        if exact {
            t
        } else {
            format!("≤{t}")
        }
    };
    let near = d.retention_secs.is_some_and(|r| {
        left < chrono::Duration::seconds((r / 10).min(86_400)).max(chrono::Duration::hours(1))
    });
    if near {
        Line::from(Span::styled(
            format!("⚠ {text}"),
            Style::default()
                .fg(rc.theme.c.failure.0)
                .add_modifier(Modifier::BOLD),
        ))
    } else {
        Line::from(text)
    }
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

fn duration_days(secs: i64) -> String {
    if secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else {
        duration(secs)
    }
}
