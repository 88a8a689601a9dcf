//! Plotting helpers shared by the charts (alarm metrics, Insights time
//! series): long series reduced to the terminal's columns without losing
//! spikes, and short axis labels.

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

/// A value in a few characters: 12, 3.25, 14.2k, 1.1M.
pub fn compact(v: f64) -> String {
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

/// A chart over time: three time labels (start, middle, end, in the
/// display zone; dates when it spans more than a day) and the value range.
pub fn time_chart<'a>(
    datasets: Vec<ratatui::widgets::Dataset<'a>>,
    x: [f64; 2],
    time_at: impl Fn(f64) -> chrono::DateTime<chrono::Utc>,
    y: [f64; 2],
    rc: &crate::ui::RenderCtx,
) -> ratatui::widgets::Chart<'a> {
    use ratatui::style::Style;
    use ratatui::text::Span;
    use ratatui::widgets::{Axis, Chart};
    let muted = Style::default().fg(rc.theme.c.muted.0);
    let long = time_at(x[1]) - time_at(x[0]) > chrono::Duration::hours(24);
    let fmt = if long { "%m-%d %H:%M" } else { "%H:%M" };
    let label = |v: f64| Span::raw(time_at(v).with_timezone(&rc.tz).format(fmt).to_string());
    Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds(x)
                .labels(vec![label(x[0]), label((x[0] + x[1]) / 2.0), label(x[1])])
                .style(muted),
        )
        .y_axis(
            Axis::default()
                .bounds(y)
                .labels(vec![Span::raw(compact(y[0])), Span::raw(compact(y[1]))])
                .style(muted),
        )
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
