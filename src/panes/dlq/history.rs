//! Depth over the last hour per DLQ: CloudWatch's one-minute points as the
//! backfill, extended by pipedeck's own polls after the newest of them.

use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

const WINDOW_MINUTES: i64 = 60;
/// Enough for a poll every 5 s over the hour.
const MAX_POINTS: usize = 800;
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

#[derive(Debug, Default, Clone, PartialEq)]
pub struct History {
    cloudwatch: BTreeMap<String, Vec<(DateTime<Utc>, f64)>>,
    polled: BTreeMap<String, Vec<(DateTime<Utc>, f64)>>,
}

impl History {
    /// CloudWatch's series for a queue replaces the previous one.
    pub fn backfill(&mut self, queue: &str, points: &[(DateTime<Utc>, f64)]) {
        self.cloudwatch.insert(queue.to_string(), points.to_vec());
    }

    /// A poll's count.
    pub fn sample(&mut self, queue: &str, at: DateTime<Utc>, depth: f64) {
        let v = self.polled.entry(queue.to_string()).or_default();
        v.push((at, depth));
        let cutoff = at - Duration::minutes(WINDOW_MINUTES);
        v.retain(|(t, _)| *t >= cutoff);
        if v.len() > MAX_POINTS {
            let extra = v.len() - MAX_POINTS;
            v.drain(..extra);
        }
    }

    /// All points of the last hour, oldest first: CloudWatch's, then the
    /// polls taken after its newest point.
    pub fn points(&self, queue: &str, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, f64)> {
        let cutoff = now - Duration::minutes(WINDOW_MINUTES);
        let cw = self.cloudwatch.get(queue).map(Vec::as_slice).unwrap_or(&[]);
        let last_cw = cw.last().map(|(t, _)| *t);
        let polled = self.polled.get(queue).map(Vec::as_slice).unwrap_or(&[]);
        cw.iter()
            .chain(
                polled
                    .iter()
                    .filter(|(t, _)| last_cw.is_none_or(|l| *t > l)),
            )
            .filter(|(t, _)| *t >= cutoff)
            .copied()
            .collect()
    }

    /// A text sparkline `width` cells wide over the last hour: each cell is
    /// the highest depth in its time slice, blank where nothing is known.
    pub fn spark(&self, queue: &str, now: DateTime<Utc>, width: usize) -> String {
        let points = self.points(queue, now);
        if width == 0 || points.is_empty() {
            return String::new();
        }
        let start = now - Duration::minutes(WINDOW_MINUTES);
        let slice = (WINDOW_MINUTES * 60) as f64 / width as f64;
        let mut cells: Vec<Option<f64>> = vec![None; width];
        for (t, v) in &points {
            let i = ((*t - start).num_seconds() as f64 / slice).floor() as usize;
            let cell = &mut cells[i.min(width - 1)];
            *cell = Some(cell.map_or(*v, |c: f64| c.max(*v)));
        }
        let max = cells.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
        cells
            .iter()
            .map(|c| match c {
                None => ' ',
                Some(v) if max <= 0.0 || *v <= 0.0 => '▁',
                Some(v) => BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize],
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap() + Duration::minutes(min)
    }

    #[test]
    fn polls_extend_cloudwatch_only_after_its_newest_point() {
        let mut h = History::default();
        h.sample("q", t(-5), 99.0); // older than CloudWatch's newest: ignored
        h.backfill("q", &[(t(-30), 1.0), (t(-2), 4.0)]);
        h.sample("q", t(-1), 6.0);
        let p = h.points("q", t(0));
        assert_eq!(p, vec![(t(-30), 1.0), (t(-2), 4.0), (t(-1), 6.0)]);
    }

    #[test]
    fn spark_rises_with_depth_and_is_blank_where_unknown() {
        let mut h = History::default();
        h.backfill("q", &[(t(-59), 0.0), (t(-30), 5.0), (t(-1), 10.0)]);
        let s: Vec<char> = h.spark("q", t(0), 6).chars().collect();
        assert_eq!(s.len(), 6);
        assert_eq!(s[0], '▁');
        assert_eq!(s[1], ' ');
        assert_eq!(s[5], '█');
        assert!(BARS.contains(&s[3]) && s[3] != '█' && s[3] != '▁');
        assert_eq!(h.spark("unknown", t(0), 6), "");
    }
}
