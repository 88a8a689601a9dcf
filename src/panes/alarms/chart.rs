//! The alarm chart: the metric as a line, the threshold as a line, breaching
//! points marked, an anomaly band when there is one. Long series are
//! reduced to a few points per terminal column (keeping each column's low
//! and high, so a spike never disappears): 10,000 points draw as fast as 200.

use crate::cloud::{Alarm, MetricSeries};
pub use crate::ui::components::plot::downsample;
use crate::ui::components::plot::{compact, time_chart};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Dataset, GraphType};
use ratatui::Frame;

pub fn render(
    alarm: &Alarm,
    series: &MetricSeries,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    f: &mut Frame,
    area: Rect,
    rc: &RenderCtx,
) {
    let c = &rc.theme.c;
    let x = |t: DateTime<Utc>| (t - start).num_seconds() as f64;
    let span = x(end).max(1.0);
    let raw: Vec<(f64, f64)> = series.points.iter().map(|(t, v)| (x(*t), *v)).collect();
    let columns = area.width.saturating_sub(8).max(1) as usize;
    let line = downsample(&raw, columns);
    let breaching: Vec<(f64, f64)> = line
        .iter()
        .copied()
        .filter(|(_, v)| alarm.breaches(*v))
        .collect();
    let lower: Vec<(f64, f64)> = series.band.iter().map(|(t, lo, _)| (x(*t), *lo)).collect();
    let upper: Vec<(f64, f64)> = series.band.iter().map(|(t, _, hi)| (x(*t), *hi)).collect();
    let (lower, upper) = (downsample(&lower, columns), downsample(&upper, columns));
    let threshold: Vec<(f64, f64)> = alarm
        .threshold
        .map_or(vec![], |t| vec![(0.0, t), (span, t)]);

    let values = line
        .iter()
        .chain(&lower)
        .chain(&upper)
        .chain(&threshold)
        .map(|(_, v)| *v);
    let (mut lo, mut hi) = values.fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    if lo > hi {
        (lo, hi) = (0.0, 1.0);
    }
    // Room above and below, relative to what is drawn (a flat line still
    // gets some).
    let pad = match hi - lo {
        d if d > 0.0 => d * 0.1,
        _ if hi != 0.0 => hi.abs() * 0.1,
        _ => 1.0,
    };
    let (lo, hi) = (lo - pad, hi + pad);

    let mut datasets = vec![];
    if !lower.is_empty() {
        for band in [&lower, &upper] {
            datasets.push(
                Dataset::default()
                    .marker(Marker::Braille)
                    .graph_type(GraphType::Line)
                    .style(Style::default().fg(c.muted.0))
                    .data(band),
            );
        }
    }
    if !threshold.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(c.warn.0))
                .data(&threshold),
        );
    }
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(c.active.0))
            .data(&line),
    );
    if !breaching.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Scatter)
                .style(
                    Style::default()
                        .fg(c.failure.0)
                        .add_modifier(Modifier::BOLD),
                )
                .data(&breaching),
        );
    }
    // A legend in words above the plot (ratatui's boxed legend hides data).
    let mut legend = vec![
        Span::styled("── ", Style::default().fg(c.active.0)),
        Span::raw(crate::ui::widgets::printable(&series.label, 60)),
    ];
    if let Some(t) = alarm.threshold {
        legend.push(Span::styled("   ── ", Style::default().fg(c.warn.0)));
        legend.push(Span::raw(format!(
            "threshold {} {}",
            alarm.comparison_symbol().unwrap_or(""),
            compact(t)
        )));
    }
    if !lower.is_empty() {
        legend.push(Span::styled("   ── ", Style::default().fg(c.muted.0)));
        legend.push(Span::raw("expected band"));
    }
    if !breaching.is_empty() {
        legend.push(Span::styled(
            "   • ",
            Style::default()
                .fg(c.failure.0)
                .add_modifier(Modifier::BOLD),
        ));
        legend.push(Span::raw(format!("breaching ({})", breaching.len())));
    }
    let [legend_area, area] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(1),
    ])
    .areas(area);
    f.render_widget(
        ratatui::widgets::Paragraph::new(ratatui::text::Line::from(legend)),
        legend_area,
    );
    let time_at = |x: f64| start + chrono::Duration::seconds(x as i64);
    let chart = time_chart(datasets, [0.0, span], time_at, [lo, hi], rc);
    f.render_widget(chart, area);
}
