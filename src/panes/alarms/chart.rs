//! The alarm chart: the metric as a line, the threshold as a line, breaching
//! points marked, an anomaly band when there is one. Long series are
//! reduced to a few points per terminal column (keeping each column's low
//! and high, so a spike never disappears): 10,000 points draw as fast as 200.

use crate::cloud::{Alarm, MetricSeries};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType};
use ratatui::Frame;

/// At most 2 points per bucket (the bucket's min and max, in time order).
pub fn downsample(points: &[(f64, f64)], buckets: usize) -> Vec<(f64, f64)> {
    if buckets == 0 || points.len() <= buckets * 2 {
        return points.to_vec();
    }
    let (x0, x1) = (points[0].0, points[points.len() - 1].0);
    let width = ((x1 - x0) / buckets as f64).max(f64::EPSILON);
    let mut out = Vec::with_capacity(buckets * 2);
    let mut i = 0;
    while i < points.len() {
        let b = ((points[i].0 - x0) / width).floor();
        let (mut lo, mut hi) = (points[i], points[i]);
        let mut j = i;
        while j < points.len() && ((points[j].0 - x0) / width).floor() == b {
            if points[j].1 < lo.1 {
                lo = points[j];
            }
            if points[j].1 > hi.1 {
                hi = points[j];
            }
            j += 1;
        }
        if lo.0 <= hi.0 {
            out.push(lo);
            if hi != lo {
                out.push(hi);
            }
        } else {
            out.push(hi);
            out.push(lo);
        }
        i = j;
    }
    out
}

fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

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
    let fmt = if end - start > chrono::Duration::hours(24) {
        "%m-%d %H:%M"
    } else {
        "%H:%M"
    };
    let label = |t: DateTime<Utc>| Span::raw(t.with_timezone(&rc.tz).format(fmt).to_string());
    let mid = start + (end - start) / 2;
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, span])
                .labels(vec![label(start), label(mid), label(end)])
                .style(Style::default().fg(c.muted.0)),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(vec![Span::raw(compact(lo)), Span::raw(compact(hi))])
                .style(Style::default().fg(c.muted.0)),
        );
    f.render_widget(chart, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_keeps_spikes_and_bounds_the_size() {
        let mut pts: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, 1.0)).collect();
        pts[4_321].1 = 99.0;
        pts[7_000].1 = -5.0;
        let out = downsample(&pts, 100);
        assert!(out.len() <= 200, "{}", out.len());
        assert!(out.iter().any(|p| p.1 == 99.0), "the spike survives");
        assert!(out.iter().any(|p| p.1 == -5.0), "the dip survives");
        assert!(out.windows(2).all(|w| w[0].0 <= w[1].0), "time order kept");
        assert_eq!(
            downsample(&pts[..50], 100).len(),
            50,
            "short series untouched"
        );
    }
}
