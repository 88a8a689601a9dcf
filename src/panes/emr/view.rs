//! Drawing the EMR pane. Reads the pane; changes nothing.

use super::EmrPane;
use crate::app::{age, duration};
use crate::cloud::{EmrCluster, EmrStep};
use crate::ui::components::drill::Level;
use crate::ui::widgets::{
    first_line, hanging_wrap, header_row, no_rows, pane_frame, pane_title, printable,
    state_column_width, widest, window_rows, Column, Fitted, Health, EXTRA,
};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Table, Wrap};
use ratatui::Frame;

pub fn render(p: &EmrPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let inner = pane_frame(f, area, title(p, rc), rc);
    if p.clusters.is_empty() {
        return empty(p, f, inner, rc);
    }
    match p.drill.level() {
        Level::List => clusters_table(p, f, inner, rc),
        Level::Sub { parent: cluster_id } => steps_table(p, cluster_id, f, inner, rc),
        Level::Detail {
            parent: cluster_id,
            item: step_id,
        } => step_detail(p, cluster_id, step_id, f, inner, rc),
    }
}

fn cluster_name(p: &EmrPane, id: &str) -> String {
    p.cluster(id)
        .map_or_else(|| id.to_string(), |c| printable(&c.name, 80))
}

fn title<'a>(p: &EmrPane, rc: &RenderCtx) -> Line<'a> {
    let place = match p.drill.level() {
        Level::List => format!("({}) — active, and ended in the last 7 days", p.order.len()),
        Level::Sub { parent: cluster_id } => format!("› {} › steps", cluster_name(p, cluster_id)),
        Level::Detail {
            parent: cluster_id,
            item: step_id,
        } => format!("› {} › {step_id}", cluster_name(p, cluster_id)),
    };
    pane_title("EMR", place, p.filter_text(), p.drill.filtering, rc)
}

fn empty(p: &EmrPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let lines = no_rows(
        &p.status,
        "Loading EMR clusters…",
        "No EMR clusters active or ended in the last 7 days in this account and region.",
        rc,
    );
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn ago(t: Option<DateTime<Utc>>, rc: &RenderCtx) -> String {
    t.map(|t| format!("{} ago", age(t, rc.now)))
        .unwrap_or_default()
}

/// Why a cluster needs a look: its own reason, or its newest failed step.
fn cluster_reason(c: &EmrCluster) -> String {
    let step = c.steps.iter().find(|s| s.state.is_failure());
    match (&c.state_reason, step) {
        (Some(r), Some(s)) if c.state.is_failure() => format!("{r} ({})", s.name),
        (Some(r), _) => r.clone(),
        (None, Some(s)) => format!("step failed: {}", s.name),
        (None, None) => String::new(),
    }
}

fn clusters_table(p: &EmrPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    if p.order.is_empty() {
        let msg = format!("No cluster matches /{}", p.drill.list.filter.text);
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let width = state_column_width(p.order.iter().map(|i| p.clusters[*i].state.as_aws()));
    let rows = p.order.iter().map(|i| &p.clusters[*i]);
    let longest = |f: &dyn Fn(&crate::cloud::EmrCluster) -> usize| widest(rows.clone(), f);
    let (fit, widths, titles) = Fitted::new(
        &[
            Column::fixed("STATE", width, 0),
            Column::text("NAME", longest(&|c| c.name.chars().count()), 12, 1),
            Column::text("ID", longest(&|c| c.id.chars().count()), 15, EXTRA),
            Column::fixed("CREATED", 9, 4),
            Column::fixed("STEPS", 6, 2),
            Column::text(
                "REASON",
                longest(&|c| cluster_reason(c).chars().count()),
                20,
                3,
            ),
        ],
        area.width,
    );
    let rows = window_rows(&p.order, p.drill.list.cursor.selected, area, rc, |i| {
        let c = &p.clusters[*i];
        let failed = c.failed_steps();
        let steps = if failed > 0 {
            Span::styled(
                format!("{failed}✗/{}", c.steps.len()),
                Style::default().fg(rc.theme.c.failure.0),
            )
        } else {
            Span::raw(c.steps.len().to_string())
        };
        fit.row(vec![
            Line::from(Health::of_cluster(&c.state).label(c.state.as_aws(), rc)),
            Line::from(printable(&c.name, 120)),
            Line::from(c.id.clone()),
            Line::from(ago(c.created, rc)),
            Line::from(steps),
            Line::from(Span::styled(
                printable(&cluster_reason(c), 500),
                Style::default().fg(if c.needs_attention() {
                    rc.theme.c.failure.0
                } else {
                    rc.theme.c.muted.0
                }),
            )),
        ])
    });
    let table = Table::new(rows, widths).header(header_row(&titles, rc));
    f.render_widget(table, area);
}

/// The failure's message (first line), else its reason or the state's.
fn step_reason(s: &EmrStep) -> String {
    s.failure
        .as_ref()
        .and_then(|f| f.message.as_deref().or(f.reason.as_deref()))
        .or(s.state_reason.as_deref())
        .map(|m| first_line(m).to_string())
        .unwrap_or_default()
}

fn step_duration(s: &EmrStep, now: DateTime<Utc>) -> Option<i64> {
    let start = s.started?;
    Some((s.ended.unwrap_or(now) - start).num_seconds())
}

fn steps_table(p: &EmrPane, cluster_id: &str, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let steps = p.visible_steps(cluster_id);
    if steps.is_empty() {
        let msg = if p.drill.sub.filter.text.is_empty() {
            "This cluster has no steps.".to_string()
        } else {
            format!("No step matches /{}", p.drill.sub.filter.text)
        };
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let width = state_column_width(steps.iter().map(|s| s.state.as_aws()));
    let longest = |f: &dyn Fn(&EmrStep) -> usize| widest(steps.iter().copied(), f);
    let (fit, widths, titles) = Fitted::new(
        &[
            Column::fixed("STATE", width, 0),
            Column::text("STEP", longest(&|s| s.name.chars().count()), 12, 1),
            Column::text("ID", longest(&|s| s.id.chars().count()), 15, EXTRA),
            Column::fixed("STARTED", 9, 2),
            Column::fixed("DURATION", 9, 4),
            Column::text(
                "REASON",
                longest(&|s| step_reason(s).chars().count()),
                20,
                3,
            ),
        ],
        area.width,
    );
    let rows = window_rows(&steps, p.drill.sub.cursor.selected, area, rc, |s| {
        let reason = printable(&step_reason(s), 500);
        fit.row(vec![
            Line::from(Health::of_step(&s.state).label(s.state.as_aws(), rc)),
            Line::from(printable(&s.name, 120)),
            Line::from(s.id.clone()),
            match s.started {
                Some(_) => Line::from(ago(s.started, rc)),
                None if s.state.is_active() => Line::from(Span::styled(
                    "queued",
                    Style::default().fg(rc.theme.c.muted.0),
                )),
                None => Line::from(""),
            },
            Line::from(step_duration(s, rc.now).map(duration).unwrap_or_default()),
            Line::from(Span::styled(
                reason,
                Style::default().fg(rc.theme.c.failure.0),
            )),
        ])
    });
    let table = Table::new(rows, widths).header(header_row(&titles, rc));
    f.render_widget(table, area);
}

fn step_detail(
    p: &EmrPane,
    cluster_id: &str,
    step_id: &str,
    f: &mut Frame,
    area: Rect,
    rc: &RenderCtx,
) {
    let Some(step) = p.steps_of(cluster_id).iter().find(|s| s.id == step_id) else {
        f.render_widget(
            Paragraph::new(format!("Step {step_id} is no longer listed.")),
            area,
        );
        return;
    };
    let para = Paragraph::new(hanging_wrap(
        detail_lines(p.cluster(cluster_id), step, rc),
        area.width,
    ));
    let rows = para.line_count(area.width);
    let max_scroll = rows
        .saturating_sub(area.height as usize)
        .min(u16::MAX as usize) as u16;
    f.render_widget(
        para.scroll((p.drill.detail_scroll.min(max_scroll), 0)),
        area,
    );
}

fn when(t: Option<DateTime<Utc>>, rc: &RenderCtx) -> String {
    match t {
        Some(t) => crate::app::full_time_ago(t, rc.tz, rc.now),
        None => "—".into(),
    }
}

pub fn detail_lines<'a>(
    cluster: Option<&EmrCluster>,
    s: &EmrStep,
    rc: &RenderCtx,
) -> Vec<Line<'a>> {
    let c = &rc.theme.c;
    let key = |k: &str| Span::styled(format!("{k:<19}"), Style::default().fg(c.muted.0));
    let text = |k: &str, v: String| Line::from(vec![key(k), Span::raw(v)]);
    let mut lines = vec![
        Line::from(vec![
            key("State"),
            Health::of_step(&s.state).label(s.state.as_aws(), rc),
        ]),
        text("Step", format!("{} ({})", printable(&s.name, 200), s.id)),
    ];
    if let Some(cl) = cluster {
        lines.push(text(
            "Cluster",
            format!(
                "{} ({}) — {}",
                printable(&cl.name, 200),
                cl.id,
                cl.state.as_aws()
            ),
        ));
    }
    lines.extend([
        text(
            "Action on failure",
            s.action_on_failure.clone().unwrap_or_else(|| "—".into()),
        ),
        text("Created", when(s.created, rc)),
        text("Started", when(s.started, rc)),
        text("Ended", when(s.ended, rc)),
        text(
            "Duration",
            step_duration(s, rc.now)
                .map(|d| {
                    let so_far = if s.ended.is_none() { " so far" } else { "" };
                    format!("{}{so_far}", duration(d))
                })
                .unwrap_or_else(|| "—".into()),
        ),
        text(
            "Jar",
            s.jar
                .clone()
                .map(|j| printable(&j, 500))
                .unwrap_or_else(|| "—".into()),
        ),
    ]);
    let args = if s.args.is_empty() {
        "(none)".to_string()
    } else {
        // A secret flag's value ("--password", "x") and secrets inside an
        // argument ("fs.s3a.secret.key=…") are masked, as in a re-run dialog.
        s.args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let after_secret_flag = i > 0
                    && s.args[i - 1].starts_with('-')
                    && !s.args[i - 1].contains('=')
                    && crate::gate::is_secret_name(&s.args[i - 1]);
                if after_secret_flag {
                    crate::gate::MASK.to_string()
                } else {
                    shell_word(&crate::gate::mask_value(a))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    lines.push(text("Arguments", printable(&args, 8000)));
    if let Some(r) = &s.state_reason {
        lines.push(text("State reason", printable(r, 2000)));
    }
    match &s.failure {
        None => lines.push(text("Failure", "—".into())),
        Some(fd) => {
            let bad = Style::default().fg(c.failure.0);
            lines.push(Line::from(vec![
                key("Failure reason"),
                Span::styled(printable(fd.reason.as_deref().unwrap_or("—"), 2000), bad),
            ]));
            lines.push(Line::from(key("Failure message")));
            for l in fd.message.as_deref().unwrap_or("—").lines().take(400) {
                lines.push(Line::from(Span::styled(
                    format!("  {}", printable(l, 1000)),
                    bad,
                )));
            }
            let log = fd.log_file.as_deref().unwrap_or("—");
            let copy = rc
                .keymap
                .label(crate::config::Mode::Normal, crate::config::Command::Copy);
            lines.push(Line::from(vec![
                key("Log file"),
                Span::styled(printable(log, 2000), Style::default().fg(c.accent.0)),
            ]));
            if fd.log_file.is_some() && !copy.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!("{:19}{copy} copies the log location to the clipboard", ""),
                    Style::default().fg(c.muted.0),
                )));
            }
        }
    }
    lines
}

/// An argument as it would be typed in a shell, so the line can be copied.
fn shell_word(a: &str) -> String {
    if !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c))
    {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}
