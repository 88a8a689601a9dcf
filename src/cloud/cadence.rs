//! How often each Glue job's runs are read: as often as the pane polls
//! while a run is going, less once it has finished, rarely when nothing
//! happened for an hour — so the polling bill grows with what changes, not
//! with the number of jobs. Pure: the time and what was last seen are
//! passed in.

use super::{GlueJob, JobRun};
use chrono::{DateTime, Duration, Utc};
use croner::parser::{CronParser, Seconds, Year};

/// How recently a job's latest run ended for it to count as "recent".
pub const RECENT: Duration = Duration::hours(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// A run is starting, running, stopping or waiting: every poll.
    Active,
    /// The latest run ended within the last hour: every `recent_secs`.
    Recent,
    /// Nothing for an hour, or never run: every `idle_secs` (how soon a run
    /// started outside pipedeck is seen).
    Idle,
    /// Never read yet.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    pub recent_secs: u64,
    pub idle_secs: u64,
}

impl Default for Cadence {
    fn default() -> Self {
        Self {
            recent_secs: 60,
            idle_secs: 300,
        }
    }
}

/// What the runs last read say about a job (newest first).
pub fn pace(runs: &[JobRun], now: DateTime<Utc>) -> Pace {
    let Some(latest) = runs.first() else {
        return Pace::Idle;
    };
    if runs.iter().any(|r| r.state.is_active()) {
        return Pace::Active;
    }
    match latest.completed_on.or(latest.started_on) {
        Some(t) if now - t < RECENT => Pace::Recent,
        _ => Pace::Idle,
    }
}

/// The next time a Glue schedule fires after `after`. Glue writes
/// `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in UTC, with
/// Quartz-style weekdays (1 = SUN … 7 = SAT), `?`, `L`, `W`, `#` and
/// `0/15` steps ("Time-based schedules for jobs and crawlers"). `None`:
/// not a cron schedule, or it never fires again.
pub fn next_fire(schedule: &str, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let fields = schedule.trim().strip_prefix("cron(")?.strip_suffix(')')?;
    let cron = CronParser::builder()
        .seconds(Seconds::Required)
        .year(Year::Required)
        .alternative_weekdays(true)
        .sloppy_ranges(true)
        .build()
        .parse(&format!("0 {fields}"))
        .ok()?;
    cron.find_next_occurrence(&after, false).ok()
}

/// Whether a job read at `read_at` is due again at `now`: by its pace, or
/// because one of its schedules fired since (a run is due to start).
pub fn due(
    pace: Pace,
    read_at: DateTime<Utc>,
    now: DateTime<Utc>,
    c: Cadence,
    schedules: &[String],
) -> bool {
    let every = match pace {
        Pace::Active | Pace::Unknown => return true,
        Pace::Recent => c.recent_secs,
        Pace::Idle => c.idle_secs,
    };
    // A poll that lands a little early still counts: the pane polls on its
    // own interval, with jitter.
    now - read_at >= Duration::seconds(every as i64) - Duration::seconds(5)
        || schedules
            .iter()
            .any(|s| next_fire(s, read_at).is_some_and(|t| t <= now))
}

/// The order due jobs are read in: what the user most needs first —
/// failing, then running, then never read, then the rest.
pub fn urgency(job: Option<&GlueJob>, now: DateTime<Utc>) -> u8 {
    match job {
        Some(j) if j.is_failing() => 0,
        Some(j) if pace(&j.runs, now) == Pace::Active => 1,
        None => 2,
        Some(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::RunState;

    fn at(mins_ago: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() - Duration::minutes(mins_ago)
    }

    fn run(state: RunState, ended_mins_ago: Option<i64>) -> JobRun {
        JobRun {
            started_on: Some(at(ended_mins_ago.unwrap_or(0) + 10)),
            completed_on: ended_mins_ago.map(at),
            ..JobRun::bare("jr", "j", state)
        }
    }

    #[test]
    fn a_job_is_active_recent_or_idle_by_its_latest_runs() {
        let now = at(0);
        assert_eq!(pace(&[run(RunState::Running, None)], now), Pace::Active);
        // A retry waiting behind a failure is still a run going on.
        assert_eq!(
            pace(
                &[run(RunState::Failed, Some(2)), run(RunState::Waiting, None)],
                now
            ),
            Pace::Active
        );
        assert_eq!(
            pace(&[run(RunState::Succeeded, Some(59))], now),
            Pace::Recent
        );
        assert_eq!(pace(&[run(RunState::Failed, Some(61))], now), Pace::Idle);
        assert_eq!(pace(&[], now), Pace::Idle);
    }

    #[test]
    fn each_pace_is_read_at_its_own_interval() {
        let c = Cadence::default();
        let now = at(0);
        assert!(due(Pace::Active, at(0), now, c, &[]));
        assert!(due(Pace::Unknown, at(0), now, c, &[]));
        assert!(!due(Pace::Recent, at(0), now, c, &[]));
        assert!(due(Pace::Recent, at(1), now, c, &[]));
        assert!(!due(Pace::Idle, at(4), now, c, &[]));
        assert!(due(Pace::Idle, at(5), now, c, &[]));
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn glue_schedules_fire_as_the_glue_guide_says() {
        // 2026-11-30 is a Monday.
        let t = utc("2026-11-30T12:20:00Z");
        let next = |s: &str| next_fire(s, t).map(|d| d.to_rfc3339());
        // The guide's examples.
        assert_eq!(
            next("cron(15 12 * * ? *)").as_deref(),
            Some("2026-12-01T12:15:00+00:00")
        );
        assert_eq!(
            next("cron(0 18 ? * MON-FRI *)").as_deref(),
            Some("2026-11-30T18:00:00+00:00")
        );
        assert_eq!(
            next("cron(0 8 1 * ? *)").as_deref(),
            Some("2026-12-01T08:00:00+00:00")
        );
        assert_eq!(
            next("cron(0/15 * * * ? *)").as_deref(),
            Some("2026-11-30T12:30:00+00:00")
        );
        // Weekdays are Quartz-style: 2 is Monday, 1 is Sunday.
        assert_eq!(
            next("cron(0 10 ? * 2 *)").as_deref(),
            Some("2026-12-07T10:00:00+00:00")
        );
        assert_eq!(
            next("cron(0 10 ? * 1 *)").as_deref(),
            Some("2026-12-06T10:00:00+00:00")
        );
        // The year field counts; the last day of the month.
        assert_eq!(
            next("cron(0 10 * * ? 2028)").as_deref(),
            Some("2028-01-01T10:00:00+00:00")
        );
        assert_eq!(
            next("cron(0 23 L * ? *)").as_deref(),
            Some("2026-11-30T23:00:00+00:00")
        );
        // Not a schedule pipedeck can read: no guess.
        assert_eq!(next("rate(5 minutes)"), None);
        assert_eq!(next("cron(bad)"), None);
    }

    #[test]
    fn an_idle_job_is_due_once_its_schedule_fires() {
        let c = Cadence::default();
        let read = utc("2026-11-30T12:00:30Z");
        let daily = ["cron(1 12 * * ? *)".to_string()];
        // Idle, read half a minute ago: due only because 12:01 has passed.
        assert!(!due(
            Pace::Idle,
            read,
            utc("2026-11-30T12:00:50Z"),
            c,
            &daily
        ));
        assert!(due(
            Pace::Idle,
            read,
            utc("2026-11-30T12:01:10Z"),
            c,
            &daily
        ));
    }
}
