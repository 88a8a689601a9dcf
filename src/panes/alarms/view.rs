//! Drawing the alarms pane. Reads the pane; changes nothing.

use super::{AlarmsPane, StateFilter, View};
use crate::app::{age, duration};
use crate::cloud::{Alarm, AlarmState};
use crate::ui::widgets::{
    explain, header_row, no_rows, pane_frame, pane_title, printable, state_column_width, widest,
    window_rows, Column, Fitted, Health, EXTRA,
};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};
use ratatui::Frame;

pub fn render(p: &AlarmsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let inner = pane_frame(f, area, title(p, rc), rc);
    match &p.view {
        View::Detail { name } => match p.alarm(name) {
            Some(a) => detail(p, a, f, inner, rc),
            None => f.render_widget(Paragraph::new(format!("{name}: no longer listed")), inner),
        },
        View::List if p.alarms.is_empty() => {
            let lines = no_rows(
                &p.status,
                "Loading CloudWatch alarms…",
                "No CloudWatch alarms in this account and region.",
                rc,
            );
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        View::List => list(p, f, inner, rc),
    }
}

fn title<'a>(p: &AlarmsPane, rc: &RenderCtx) -> Line<'a> {
    let place = match &p.view {
        View::List => {
            let only = match p.state_filter {
                StateFilter::All => String::new(),
                StateFilter::Only(0) => " · only ALARM".into(),
                StateFilter::Only(1) => " · only INSUFFICIENT_DATA".into(),
                StateFilter::Only(_) => " · only OK".into(),
            };
            // Counts are "?" until the alarms have been read once.
            match (p.status.last_ok, p.stale_since) {
                (Some(_), _) => format!("({}) — {} in ALARM{only}", p.order.len(), p.firing()),
                // Last session's picture until the first fresh read lands.
                (None, Some(at)) => format!(
                    "({}) — {} in ALARM {}{only}",
                    p.order.len(),
                    p.firing(),
                    crate::panes::kept::last_seen(at, &p.status, rc)
                ),
                (None, None) => format!("(?) — ? in ALARM{only}"),
            }
        }
        View::Detail { name } if p.alarm(name).is_some_and(Alarm::is_composite) => {
            format!("› {} › composite", printable(name, 80))
        }
        View::Detail { name } => format!(
            "› {} › last {} (w changes)",
            printable(name, 80),
            p.window.label()
        ),
    };
    pane_title("Alarms", place, p.filter_text(), p.filtering, rc)
}

pub fn health(s: &AlarmState) -> Health {
    match s {
        AlarmState::Alarm => Health::Failed,
        AlarmState::Ok => Health::Ok,
        AlarmState::InsufficientData | AlarmState::Unknown(_) => Health::Other,
    }
}

fn threshold_text(a: &Alarm) -> String {
    match (a.comparison_symbol(), a.threshold) {
        (Some(c), Some(t)) => format!("{c} {t}"),
        (Some(c), None) => c.to_string(),
        _ => "–".into(),
    }
}

fn snooze_text(p: &AlarmsPane, a: &Alarm, rc: &RenderCtx) -> String {
    p.snoozed_until(&a.name)
        .map_or(String::new(), |t| format!(" ⏾ {}", age(rc.now, t)))
}

fn list(p: &AlarmsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    if p.order.is_empty() {
        f.render_widget(Paragraph::new("No alarm matches the filter"), area);
        return;
    }
    let width = state_column_width(p.order.iter().map(|i| p.alarms[*i].state.as_aws()));
    // Wants are measured on the first rows; enough to size a screenful.
    let rows = p.order.iter().map(|i| &p.alarms[*i]);
    let longest = |f: &dyn Fn(&Alarm) -> usize| widest(rows.clone(), f);
    let (fit, widths, titles) = Fitted::new(
        &[
            Column::fixed("STATE", width, 0),
            Column::text("ALARM", longest(&|a| a.name.chars().count() + 4), 14, 1),
            Column::fixed("SINCE", 6, 2),
            Column::text(
                "WATCHES",
                longest(&|a| a.watches().chars().count()),
                20,
                EXTRA + 1,
            ),
            Column::text(
                "THRESHOLD",
                longest(&|a| threshold_text(a).chars().count()),
                9,
                4,
            ),
            Column::fixed("ACTIONS", 8, EXTRA),
            // Whole or not at all: "notBre…" says nothing.
            Column::fixed(
                "MISSING",
                (longest(&|a| a.treat_missing_data.as_deref().map_or(1, str::len)) as u16).max(7),
                EXTRA + 2,
            ),
            Column::text(
                "REASON",
                widest(p.order.iter(), |i| p.reasons[*i].chars().count()),
                26,
                3,
            ),
        ],
        area.width,
    );
    let rows = window_rows(&p.order, p.list.cursor.selected, area, rc, |i| {
        let a = &p.alarms[*i];
        let actions = if a.actions_enabled {
            Span::raw("on")
        } else {
            Span::styled(
                "OFF",
                Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD),
            )
        };
        let name = Line::from(vec![
            Span::raw(printable(&a.name, 80)),
            Span::styled(snooze_text(p, a, rc), Style::default().fg(c.muted.0)),
        ]);
        fit.row(vec![
            Line::from(health(&a.state).label(a.state.as_aws(), rc)),
            name,
            Line::from(a.state_since.map_or("?".into(), |t| age(t, rc.now))),
            Line::from(printable(&a.watches(), 200)),
            Line::from(threshold_text(a)),
            Line::from(actions),
            Line::from(a.treat_missing_data.clone().unwrap_or_else(|| "–".into())),
            Line::from(p.reasons[*i].clone()),
        ])
    });
    f.render_widget(
        Table::new(rows, widths).header(header_row(&titles, rc)),
        area,
    );
}

fn facts<'a>(p: &AlarmsPane, a: &Alarm, rc: &RenderCtx) -> Vec<Line<'a>> {
    let c = &rc.theme.c;
    let key = Style::default().fg(c.muted.0);
    let field = |k: &str, v: Vec<Span<'a>>| {
        let mut spans = vec![Span::styled(format!("{k:<10} "), key)];
        spans.extend(v);
        Line::from(spans)
    };
    let since = a.state_since.map_or(String::new(), |t| {
        format!(
            " for {} (since {})",
            duration((rc.now - t).num_seconds()),
            crate::app::full_time(t, rc.tz)
        )
    });
    let mut lines = vec![
        field(
            "state",
            vec![
                health(&a.state).label(a.state.as_aws(), rc),
                Span::raw(since),
            ],
        ),
        field(
            "reason",
            vec![Span::raw(printable(
                a.state_reason.as_deref().unwrap_or("–"),
                400,
            ))],
        ),
        field(
            if a.is_composite() { "rule" } else { "watches" },
            vec![Span::raw(printable(&a.watches(), 400))],
        ),
    ];
    if !a.is_composite() {
        let mut t = threshold_text(a);
        if let (Some(e), Some(d)) = (a.evaluation_periods, a.datapoints_to_alarm) {
            t.push_str(&format!(" · {d} of {e} datapoints"));
        }
        if let Some(m) = &a.treat_missing_data {
            t.push_str(&format!(" · missing data: {m}"));
        }
        lines.push(field("threshold", vec![Span::raw(t)]));
    }
    let actions = if a.actions_enabled {
        Span::raw(format!("enabled ({} on ALARM)", a.alarm_actions.len()))
    } else {
        Span::styled(
            "DISABLED — nobody is notified",
            Style::default().fg(c.warn.0).add_modifier(Modifier::BOLD),
        )
    };
    let mut action_line = vec![actions];
    if let Some(t) = p.snoozed_until(&a.name) {
        action_line.push(Span::styled(
            format!(" · snoozed here for {} more (local)", age(rc.now, t)),
            key,
        ));
    }
    lines.push(field("actions", action_line));
    lines
}

fn detail(p: &AlarmsPane, a: &Alarm, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let facts = facts(p, a, rc);
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(facts.len() as u16),
        Constraint::Min(3),
        Constraint::Length(9),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(facts), top);
    if a.is_composite() {
        children(p, a, f, middle, rc);
    } else {
        chart_area(p, a, f, middle, rc);
    }
    history(p, f, bottom, rc);
}

fn chart_area(p: &AlarmsPane, a: &Alarm, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let warn = Style::default().fg(rc.theme.c.warn.0);
    match &p.chart {
        Some((name, window, series)) if *name == a.name && *window == p.window => {
            if let Some(e) = &p.chart_status.error {
                // Keep the last chart, say why it is not fresh.
                let text = format!("chart not refreshed: {}", explain(e, rc).join(" "));
                let [msg, rest] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
                f.render_widget(
                    Paragraph::new(Span::styled(printable(&text, 400), warn)),
                    msg,
                );
                return super::chart::render(
                    a,
                    series,
                    rc.now - window.duration(),
                    rc.now,
                    f,
                    rest,
                    rc,
                );
            }
            if series.points.is_empty() {
                f.render_widget(
                    Paragraph::new(format!(
                        "No datapoints in the last {}: the metric is not being published (see TreatMissingData).",
                        window.label()
                    )),
                    area,
                );
                return;
            }
            super::chart::render(a, series, rc.now - window.duration(), rc.now, f, area, rc);
        }
        _ => {
            let text = match &p.chart_status.error {
                Some(e) => format!("No chart: {}", explain(e, rc).join(" ")),
                None => format!("Loading {} of metric data…", p.window.label()),
            };
            f.render_widget(
                Paragraph::new(Span::styled(printable(&text, 600), warn)).wrap(Wrap { trim: true }),
                area,
            );
        }
    }
}

fn children(p: &AlarmsPane, a: &Alarm, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let rows: Vec<Row> = a
        .children()
        .into_iter()
        .map(|name| {
            let child = p.alarm(&name);
            let state = child.map_or(Span::raw("? not listed"), |c| {
                health(&c.state).label(c.state.as_aws(), rc)
            });
            let reason = child
                .and_then(|c| c.state_reason.clone())
                .unwrap_or_default();
            Row::new(vec![
                Line::from(state),
                Line::from(printable(&name, 80)),
                Line::from(printable(&reason, 300)),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(22),
            Constraint::Length(44),
            Constraint::Fill(1),
        ],
    )
    .header(header_row(&["CHILD STATE", "CHILD ALARM", "REASON"], rc));
    f.render_widget(table, area);
}

fn history(p: &AlarmsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let name = match &p.view {
        View::Detail { name } => name,
        View::List => return,
    };
    let items = match &p.history {
        Some((n, items)) if n == name => items,
        _ => {
            let text = match &p.history_status.error {
                Some(e) => format!("No history: {}", explain(e, rc).join(" ")),
                None => "Loading state history…".into(),
            };
            f.render_widget(Paragraph::new(printable(&text, 400)), area);
            return;
        }
    };
    let rows: Vec<Row> = items
        .iter()
        .skip(p.detail_scroll as usize)
        .map(|h| {
            let change = format!(
                "{} → {}",
                h.old_state.as_deref().unwrap_or("?"),
                h.new_state.as_deref().unwrap_or("?")
            );
            let style = match h.new_state.as_deref() {
                Some("ALARM") => Health::Failed.style(rc),
                Some("OK") => Health::Ok.style(rc),
                _ => Style::default(),
            };
            Row::new(vec![
                Line::from(h.at.map_or("?".into(), |t| {
                    crate::app::clock_time_on(t, rc.tz, Some(rc.now))
                })),
                Line::from(Span::styled(change, style)),
                Line::from(printable(&h.reason, 400)),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(15),
            Constraint::Length(30),
            Constraint::Fill(1),
        ],
    )
    .header(header_row(
        &["WHEN", "STATE CHANGE (newest first)", "REASON"],
        rc,
    ));
    f.render_widget(table, area);
}
