//! The Glue pane: jobs with their latest run, a job's runs, a run's detail.

mod cost;
mod keys;
mod links;
mod picture;
mod update;
mod view;

pub use cost::{dpu_estimate, DpuFigure};

use crate::app::PollStatus;
use crate::cloud::{GlueJob, JobRun};
use crate::ui::components::drill::{Drill, Level};
use crate::ui::components::list::matches;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct GluePane {
    jobs: Vec<GlueJob>,
    /// Indices into `jobs`: sorted failed-first, then filtered.
    order: Vec<usize>,
    status: PollStatus,
    /// Runs fetched while a job is open; fresher than the list's copy.
    runs: BTreeMap<String, Vec<JobRun>>,
    runs_status: PollStatus,
    /// Jobs → a job's runs → a run: where the user is, the cursors and
    /// filters.
    drill: Drill,
    /// State and name column widths of the job list, measured when the list
    /// changes rather than on every frame.
    column_widths: (u16, u16),
    /// While the list streams in: jobs read of all.
    reading: Option<(usize, usize)>,
    /// The list is last session's picture, taken then, until fresh data.
    stale_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Jobs still shown as last session saw them (not read yet).
    from_picture: std::collections::HashSet<String>,
    /// The list's last picture, kept for the next start.
    kept: crate::panes::kept::Kept<picture::Picture>,
    /// Effects raised while taking data (a picture to save).
    pending: Vec<crate::app::Effect>,
    /// The runs the audit tables hold a record of, by run id.
    audit: std::sync::Arc<crate::cloud::audit::records::AuditLinks>,
    /// A run the audit pane asked for, opened when its job's runs arrive.
    pending_run: Option<String>,
    /// A word for the status line raised while taking data.
    notice: Option<String>,
}

impl GluePane {
    pub fn view(&self) -> &Level {
        self.drill.level()
    }

    pub fn jobs(&self) -> &[GlueJob] {
        &self.jobs
    }

    /// Jobs in display order (sorted and filtered).
    pub fn visible_jobs(&self) -> impl Iterator<Item = &GlueJob> {
        self.order.iter().map(|i| &self.jobs[*i])
    }

    pub fn selected_job(&self) -> Option<&GlueJob> {
        match self.drill.level() {
            Level::List => self
                .order
                .get(self.drill.list.cursor.selected)
                .map(|i| &self.jobs[*i]),
            Level::Sub { parent: job } | Level::Detail { parent: job, .. } => self.job(job),
        }
    }

    pub fn job(&self, name: &str) -> Option<&GlueJob> {
        self.jobs.iter().find(|j| j.name == name)
    }

    /// The runs of a job: the drill-down fetch when there is one, else the
    /// copy that came with the job list. Newest first.
    /// The same for a job already in hand: no search through the list,
    /// which matters when drawing thousands of rows.
    pub fn runs_for<'a>(&'a self, job: &'a GlueJob) -> &'a [JobRun] {
        self.runs
            .get(&job.name)
            .map_or(job.runs.as_slice(), Vec::as_slice)
    }

    pub fn runs_of(&self, job: &str) -> &[JobRun] {
        self.runs
            .get(job)
            .map(Vec::as_slice)
            .or_else(|| self.job(job).map(|j| j.runs.as_slice()))
            .unwrap_or(&[])
    }

    /// The runs shown in the runs view, filtered.
    pub fn visible_runs(&self, job: &str) -> Vec<&JobRun> {
        let needle = self.drill.sub.needle();
        self.runs_of(job)
            .iter()
            .filter(|r| {
                let error = r.error_message.as_deref().unwrap_or("");
                matches(&needle, &[&r.id, r.state.as_aws(), error])
            })
            .collect()
    }

    pub fn selected_run(&self) -> Option<&JobRun> {
        match self.drill.level() {
            Level::List => self.selected_job().and_then(|j| j.latest_run()),
            Level::Sub { parent: job } => self
                .visible_runs(job)
                .get(self.drill.sub.cursor.selected)
                .copied(),
            Level::Detail {
                parent: job,
                item: run_id,
            } => self.runs_of(job).iter().find(|r| &r.id == run_id),
        }
    }

    /// Jobs failing: their newest ended run FAILED, ERROR, TIMEOUT or
    /// EXPIRED and none succeeded since (a retry running does not count).
    pub fn failed_jobs(&self) -> usize {
        self.jobs.iter().filter(|j| j.is_failing()).count()
    }

    /// Jobs read so far of all, while the list streams in.
    pub fn reading(&self) -> Option<(usize, usize)> {
        self.reading
    }

    pub fn filter_text(&self) -> &str {
        self.drill.filter_text()
    }
}

/// A run's logs in Insights (the triage key): the job's DefaultArguments
/// go with the run, as continuous logging and its group are usually set
/// there.
fn triage(job: Option<&GlueJob>, run: &JobRun) -> crate::panes::Reply {
    crate::panes::Reply::Handoff {
        to: crate::panes::PaneId::Insights,
        handoff: crate::panes::Handoff::TriageGlueRun(Box::new(match job {
            Some(j) => j.with_job_settings(run),
            None => run.clone(),
        })),
    }
}
