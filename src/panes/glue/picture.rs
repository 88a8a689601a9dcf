//! The last picture of the job list, per profile, kept in
//! `<state dir>/glue.json`: shown at once on the next start, marked stale,
//! until the first fresh read replaces it — so the console opens on last
//! night's failures instead of an empty list.
//!
//! Only what the list shows is kept: names, MaxConcurrentRuns and each
//! job's latest runs (id, state, times, the error's first line). Never a
//! run's arguments: they may hold secrets.

use crate::cloud::{GlueJob, JobRun, RunState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FILE: &str = "glue.json";

/// Runs kept per job: the latest and enough for the failure streak.
const RUNS_KEPT: usize = 10;
/// An error's first line, at most this long.
const ERROR_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub at: DateTime<Utc>,
    jobs: Vec<SlimJob>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SlimJob {
    name: String,
    max_concurrent_runs: i32,
    runs: Vec<SlimRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SlimRun {
    id: String,
    state: String,
    started_on: Option<DateTime<Utc>>,
    completed_on: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl Picture {
    pub fn of(jobs: &[GlueJob], at: DateTime<Utc>) -> Self {
        let jobs = jobs
            .iter()
            .map(|j| SlimJob {
                name: j.name.clone(),
                max_concurrent_runs: j.max_concurrent_runs,
                runs: j
                    .runs
                    .iter()
                    .take(RUNS_KEPT)
                    .map(|r| SlimRun {
                        id: r.id.clone(),
                        state: r.state.as_aws().to_string(),
                        started_on: r.started_on,
                        completed_on: r.completed_on,
                        error: r.error_message.as_ref().map(|e| {
                            e.lines()
                                .next()
                                .unwrap_or_default()
                                .chars()
                                .take(ERROR_CHARS)
                                .collect()
                        }),
                    })
                    .collect(),
            })
            .collect();
        Self { at, jobs }
    }

    /// The jobs as the list shows them (no arguments, no settings).
    pub fn jobs(&self) -> Vec<GlueJob> {
        self.jobs
            .iter()
            .map(|j| GlueJob {
                name: j.name.clone(),
                max_concurrent_runs: j.max_concurrent_runs,
                worker_type: None,
                number_of_workers: None,
                max_capacity: None,
                glue_version: None,
                execution_class: None,
                default_arguments: BTreeMap::new(),
                runs: j.runs.iter().map(|r| r.run(&j.name)).collect(),
            })
            .collect()
    }

    /// What the list would show differently: the jobs and their latest
    /// run's id and state (a new picture is written only then).
    pub fn digest(&self) -> Vec<(&str, Option<(&str, &str)>)> {
        self.jobs
            .iter()
            .map(|j| {
                (
                    j.name.as_str(),
                    j.runs.first().map(|r| (r.id.as_str(), r.state.as_str())),
                )
            })
            .collect()
    }
}

impl SlimRun {
    fn run(&self, job: &str) -> JobRun {
        JobRun {
            started_on: self.started_on,
            completed_on: self.completed_on,
            error_message: self.error.clone(),
            ..JobRun::bare(&self.id, job, RunState::from_aws(&self.state))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_keeps_what_the_list_shows_and_never_the_arguments() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let run = SlimRun {
            id: "jr_1".into(),
            state: "FAILED".into(),
            started_on: Some(at),
            completed_on: Some(at),
            error: Some("boom".into()),
        }
        .run("etl");
        let mut with_secret = run.clone();
        with_secret
            .arguments
            .insert("--db_password".into(), "hunter2".into());
        with_secret.error_message = Some("boom\nTraceback: long".into());
        let job = GlueJob {
            runs: vec![with_secret],
            ..Picture {
                at,
                jobs: vec![SlimJob {
                    name: "etl".into(),
                    max_concurrent_runs: 2,
                    runs: vec![],
                }],
            }
            .jobs()
            .remove(0)
        };
        let p = Picture::of(&[job], at);
        let text = serde_json::to_string(&p).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        let back: Picture = serde_json::from_str(&text).unwrap();
        let jobs = back.jobs();
        assert_eq!(jobs[0].name, "etl");
        assert_eq!(jobs[0].max_concurrent_runs, 2);
        assert_eq!(jobs[0].runs[0], run, "the error's first line only");
        assert!(jobs[0].is_failing());
    }
}
