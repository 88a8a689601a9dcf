//! Drawing a `stats` result as a chart: lines over time with a legend in
//! words, or horizontal bars (labels such as stream names are long; bars
//! across keep them readable).

use super::chart::{Chart, Series, OTHER};
use crate::ui::components::plot::{compact, downsample, time_chart};
use crate::ui::widgets::printable;
use crate::ui::RenderCtx;
use chrono::DateTime;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(chart: &Chart, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    match chart {
        Chart::TimeSeries { value, series } => time_series(value, series, f, area, rc),
        Chart::Bars { value, bars } => bar_list(value, bars, f, area, rc),
    }
}

/// `@log` values read `123456789012:/group`: the account is the same on
/// every line and only costs legend room.
fn short_label(name: &str) -> &str {
    match name.split_once(':') {
        Some((acct, rest)) if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => name,
    }
}

/// One colour per line, from the theme; "other" is always muted.
fn colour(i: usize, name: &str, rc: &RenderCtx) -> Color {
    let c = &rc.theme.c;
    if name == OTHER {
        return c.muted.0;
    }
    let palette = [
        c.active.0,
        c.accent.0,
        c.ok.0,
        c.warn.0,
        c.key.0,
        c.failure.0,
        c.fg.0,
    ];
    palette[i % palette.len()]
}

fn time_series(value: &str, series: &[Series], f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let mut legend = vec![Span::styled(
        format!("{} · ", printable(value, 40)),
        Style::default().fg(c.muted.0),
    )];
    for (i, s) in series.iter().enumerate() {
        legend.push(Span::styled(
            "── ",
            Style::default().fg(colour(i, &s.name, rc)),
        ));
        legend.push(Span::raw(format!(
            "{}   ",
            printable(short_label(&s.name), 40)
        )));
    }
    let legend_h = if area.height > 8 { 2 } else { 1 };
    let [legend_area, plot] =
        Layout::vertical([Constraint::Length(legend_h), Constraint::Min(1)]).areas(area);
    f.render_widget(
        Paragraph::new(Line::from(legend)).wrap(Wrap { trim: true }),
        legend_area,
    );

    let columns = plot.width.saturating_sub(8).max(1) as usize;
    let drawn: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| downsample(&s.points, columns))
        .collect();
    let xs = || series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (x0, x1) = (xs().fold(f64::MAX, f64::min), xs().fold(f64::MIN, f64::max));
    let (x0, x1) = if x0 < x1 {
        (x0, x1)
    } else {
        (x0 - 60.0, x0 + 60.0)
    };
    let hi = drawn.iter().flatten().map(|p| p.1).fold(0.0_f64, f64::max);
    let lo = drawn.iter().flatten().map(|p| p.1).fold(0.0_f64, f64::min);
    let hi = if hi > lo { hi * 1.05 } else { lo + 1.0 };

    let datasets: Vec<Dataset> = series
        .iter()
        .zip(&drawn)
        .enumerate()
        .map(|(i, (s, pts))| {
            Dataset::default()
                .marker(Marker::Braille)
                // A single bin is a point, not a line.
                .graph_type(if pts.len() > 1 {
                    GraphType::Line
                } else {
                    GraphType::Scatter
                })
                .style(Style::default().fg(colour(i, &s.name, rc)))
                .data(pts)
        })
        .collect();
    let time_at = |x: f64| DateTime::from_timestamp(x as i64, 0).unwrap_or_default();
    let chart = time_chart(datasets, [x0, x1], time_at, [lo, hi], rc);
    f.render_widget(chart, plot);
}

fn bar_list(value: &str, bars: &[(String, f64)], f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let label_w = bars
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 40);
    let value_w = bars
        .iter()
        .map(|(_, v)| compact(*v).len())
        .max()
        .unwrap_or(1);
    let room = (area.width as usize).saturating_sub(label_w + value_w + 3);
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    let mut lines = vec![Line::from(Span::styled(
        printable(value, 80),
        Style::default().fg(c.muted.0),
    ))];
    for (label, v) in bars {
        let len = if max > 0.0 {
            ((v.max(0.0) / max) * room as f64).round() as usize
        } else {
            0
        };
        let label = short_label(label);
        let shown = printable(if label.is_empty() { "(empty)" } else { label }, label_w);
        lines.push(Line::from(vec![
            Span::raw(format!("{shown:<label_w$} ")),
            Span::styled(
                "█".repeat(len.max(usize::from(*v > 0.0))),
                Style::default().fg(colour(0, label, rc)),
            ),
            Span::raw(format!(" {}", compact(*v))),
        ]));
    }
    f.render_widget(Paragraph::new(lines), area);
}
