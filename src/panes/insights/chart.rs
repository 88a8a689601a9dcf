//! What a `stats` result looks like as a chart, worked out once when the
//! rows arrive (never per frame).
//!
//! `stats … by bin(5m)` (with or without more group-by fields) becomes a
//! time series: one line per group-by value, the biggest first, the rest
//! summed into "other". Any other `stats` becomes bars. Which column is
//! which is read from the values, not the query text, so aliases
//! (`bin(5m) as t`, `count(*) as errors`) need no parsing.

use crate::export::Table;
use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::BTreeMap;

/// Lines drawn at most; past that the smallest are summed as "other".
pub const MAX_SERIES: usize = 8;
/// Bars drawn at most; past that the smallest are summed as "other".
pub const MAX_BARS: usize = 30;
pub const OTHER: &str = "other";

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// (epoch seconds, value), in time order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    fn total(&self) -> f64 {
        self.points.iter().map(|p| p.1).sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    TimeSeries {
        /// The value column(s), for the axis title.
        value: String,
        series: Vec<Series>,
    },
    Bars {
        value: String,
        bars: Vec<(String, f64)>,
    },
}

/// Insights prints `@timestamp` and `bin()` values as
/// `2026-11-27 03:05:00.000` (UTC); emulators may answer RFC 3339.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .map(|t| t.and_utc())
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// Whether the query has a `stats` command (a word, not inside `@stats`).
fn has_stats(query: &str) -> bool {
    query
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@'))
        .any(|w| w.eq_ignore_ascii_case("stats"))
}

/// Whether the column's filled values pass `ok`, judged on the first
/// `SAMPLE` of them: deciding a column's kind must not cost a parse of
/// every cell on every poll (rows that do not fit are skipped later).
const SAMPLE: usize = 64;

fn every_filled(t: &Table, col: usize, ok: impl Fn(&str) -> bool) -> bool {
    let mut any = false;
    for row in t.rows.iter().take(SAMPLE) {
        match text(row, col) {
            None | Some("") => {}
            Some(v) if ok(v) => any = true,
            Some(_) => return false,
        }
    }
    any
}

/// A cell's text (a NULL is no text).
fn text(row: &[Option<String>], col: usize) -> Option<&str> {
    row.get(col).and_then(|v| v.as_deref())
}

fn number(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

impl Chart {
    /// The chart for a result, or None when it is not a `stats` result with
    /// a numeric column.
    pub fn from_results(query: &str, t: &Table) -> Option<Chart> {
        if !has_stats(query) || t.rows.is_empty() {
            return None;
        }
        let binned = query.to_ascii_lowercase().contains("bin(");
        let cols = 0..t.columns.len();
        let time = cols
            .clone()
            .find(|c| binned && every_filled(t, *c, |v| parse_timestamp(v).is_some()));
        let values: Vec<usize> = cols
            .clone()
            .filter(|c| Some(*c) != time && every_filled(t, *c, |v| number(v).is_some()))
            .collect();
        if values.is_empty() {
            return None;
        }
        let groups: Vec<usize> = cols
            .filter(|c| Some(*c) != time && !values.contains(c))
            .collect();
        let value = values
            .iter()
            .map(|c| t.columns[*c].as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let label = |row: &Vec<Option<String>>| -> String {
            groups
                .iter()
                .map(|c| text(row, *c).unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        match time {
            Some(tc) => Some(Chart::TimeSeries {
                value,
                series: time_series(t, tc, &values, label),
            }),
            None => Some(Chart::Bars {
                value,
                bars: bars(t, &values, &groups, label),
            }),
        }
    }
}

fn time_series(
    t: &Table,
    time: usize,
    values: &[usize],
    label: impl Fn(&Vec<Option<String>>) -> String,
) -> Vec<Series> {
    let mut by_name: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    // Bins repeat once per group: each distinct time is parsed once.
    let mut times: std::collections::HashMap<&str, Option<i64>> = Default::default();
    for row in &t.rows {
        let Some(cell) = text(row, time) else {
            continue;
        };
        let at = *times
            .entry(cell)
            .or_insert_with(|| parse_timestamp(cell).map(|t| t.timestamp()));
        let Some(at) = at else { continue };
        let key = label(row);
        for c in values {
            let Some(v) = text(row, *c).and_then(number) else {
                continue;
            };
            let name = match (key.is_empty(), values.len()) {
                (true, _) => t.columns[*c].clone(),
                (false, 1) => key.clone(),
                (false, _) => format!("{key} · {}", t.columns[*c]),
            };
            *by_name.entry(name).or_default().entry(at).or_default() += v;
        }
    }
    let mut series: Vec<Series> = by_name
        .into_iter()
        .map(|(name, pts)| Series {
            name,
            points: pts.into_iter().map(|(x, y)| (x as f64, y)).collect(),
        })
        .collect();
    // Biggest first; ties by name so the colours never shuffle.
    series.sort_by(|a, b| b.total().total_cmp(&a.total()).then(a.name.cmp(&b.name)));
    if series.len() > MAX_SERIES {
        let rest = series.split_off(MAX_SERIES - 1);
        let mut other: BTreeMap<i64, f64> = BTreeMap::new();
        for s in rest {
            for (x, y) in s.points {
                *other.entry(x as i64).or_default() += y;
            }
        }
        series.push(Series {
            name: OTHER.into(),
            points: other.into_iter().map(|(x, y)| (x as f64, y)).collect(),
        });
    }
    series
}

fn bars(
    t: &Table,
    values: &[usize],
    groups: &[usize],
    label: impl Fn(&Vec<Option<String>>) -> String,
) -> Vec<(String, f64)> {
    let mut bars: Vec<(String, f64)> = if groups.is_empty() {
        // `stats count(*), avg(x)` with no `by`: one row, a bar per column.
        let row = &t.rows[0];
        values
            .iter()
            .filter_map(|c| Some((t.columns[*c].clone(), number(text(row, *c)?)?)))
            .collect()
    } else {
        let mut sums: BTreeMap<String, f64> = BTreeMap::new();
        for row in &t.rows {
            if let Some(v) = text(row, values[0]).and_then(number) {
                *sums.entry(label(row)).or_default() += v;
            }
        }
        sums.into_iter().collect()
    };
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if bars.len() > MAX_BARS {
        let rest: f64 = bars.split_off(MAX_BARS - 1).iter().map(|b| b.1).sum();
        bars.push((OTHER.into(), rest));
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|v| Some(v.to_string())).collect())
                .collect(),
        }
    }

    #[test]
    fn a_bin_stats_result_is_one_series_per_group_with_the_rest_as_other() {
        let mut rows: Vec<Vec<Option<String>>> = Vec::new();
        for g in 0..10 {
            for m in 0..3 {
                rows.push(vec![
                    Some(format!("2026-11-27 03:{:02}:00.000", m * 5)),
                    Some(format!("stream-{g}")),
                    // stream-9 is the biggest, stream-0 the smallest.
                    Some(format!("{}", (g + 1) * 10 + m)),
                ]);
            }
        }
        let t = Table {
            columns: vec!["bin(5m)".into(), "@logStream".into(), "errors".into()],
            rows,
        };
        let q = "filter @message like /ERROR/ | stats count(*) as errors by bin(5m), @logStream";
        let Some(Chart::TimeSeries { value, series }) = Chart::from_results(q, &t) else {
            panic!("expected a time series");
        };
        assert_eq!(value, "errors");
        assert_eq!(series.len(), MAX_SERIES);
        assert_eq!(series[0].name, "stream-9");
        assert_eq!(series[0].points[0], (1_795_748_400.0, 100.0));
        assert_eq!(series[0].points.len(), 3);
        let other = series.last().unwrap();
        assert_eq!(other.name, OTHER);
        // streams 0, 1 and 2 summed at 03:00: 10 + 20 + 30.
        assert_eq!(other.points[0].1, 60.0);
    }

    #[test]
    fn stats_without_bin_is_bars_biggest_first() {
        let t = table(
            &["@logStream", "count(*)"],
            &[&["a", "3"], &["b", "12"], &["c", "7"]],
        );
        let chart = Chart::from_results("stats count(*) by @logStream", &t);
        assert_eq!(
            chart,
            Some(Chart::Bars {
                value: "count(*)".into(),
                bars: vec![("b".into(), 12.0), ("c".into(), 7.0), ("a".into(), 3.0)]
            })
        );
        let one = table(&["count(*)", "avg(ms)"], &[&["40", "12.5"]]);
        let Some(Chart::Bars { bars, .. }) = Chart::from_results("STATS count(*), avg(ms)", &one)
        else {
            panic!("expected bars")
        };
        assert_eq!(
            bars,
            vec![("count(*)".into(), 40.0), ("avg(ms)".into(), 12.5)]
        );
    }

    #[test]
    fn plain_rows_are_not_charted() {
        let t = table(
            &["@timestamp", "@message"],
            &[&["2026-11-27 03:00:00.000", "x"]],
        );
        assert_eq!(Chart::from_results("fields @timestamp, @message", &t), None);
        // A field named like the command is not the command.
        let n = table(&["n"], &[&["1"]]);
        assert_eq!(Chart::from_results("fields @stats_total as n", &n), None);
        assert!(Chart::from_results("stats count(*)", &n).is_some());
        assert_eq!(
            Chart::from_results("stats count(*)", &Table::default()),
            None
        );
    }
}
