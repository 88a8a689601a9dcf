//! How the Glue pane reacts to keys and data.

use super::GluePane;
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::{CloudError, GlueJob, JobRun};
use crate::gate::{concurrency_message, short_id, Action, ActionReport};
use crate::panes::{Pane, PaneId, Reply};
use crate::ui::components::drill::Level;
use crate::ui::components::list::{matches, Move};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::cmp::Ordering;
use std::time::Duration;

/// Failed first, then active, then the rest; newest start first within a
/// group; name last so equal rows never swap places between polls.
/// A job's history with fresher copies of some of its runs: each replaced
/// by id, new ones added, older history kept; newest first.
fn merge_runs(history: &mut Vec<JobRun>, fresh: &[JobRun]) {
    for run in fresh {
        match history.iter_mut().find(|r| r.id == run.id) {
            Some(old) => *old = run.clone(),
            None => history.push(run.clone()),
        }
    }
    history.sort_by(JobRun::newest_first);
}

fn job_order(a: &GlueJob, b: &GlueJob) -> Ordering {
    fn group(j: &GlueJob) -> u8 {
        match j.latest_run() {
            _ if j.is_failing() => 0,
            Some(r) if r.state.is_active() => 1,
            _ => 2,
        }
    }
    let started = |j: &GlueJob| j.latest_run().and_then(|r| r.started_on);
    group(a)
        .cmp(&group(b))
        .then_with(|| started(b).cmp(&started(a)))
        .then_with(|| a.name.cmp(&b.name))
}

impl GluePane {
    /// Re-sorts and re-filters, keeping the cursor on the same job.
    pub(super) fn reorder(&mut self) {
        let keep = self.selected_job().map(|j| j.name.clone());
        self.reorder_keeping(keep);
    }

    /// Sorts and filters; the cursor stays on `keep` (captured before new
    /// data replaced the old: the old order's indices mean nothing in it).
    fn reorder_keeping(&mut self, keep: Option<String>) {
        let needle = self.drill.list.needle();
        let mut order: Vec<usize> = (0..self.jobs.len())
            .filter(|i| matches(&needle, &[&self.jobs[*i].name]))
            .collect();
        order.sort_by(|a, b| job_order(&self.jobs[*a], &self.jobs[*b]));
        self.order = order;
        self.column_widths = (
            {
                let texts: Vec<String> = self
                    .order
                    .iter()
                    .map(|i| {
                        super::view::job_state_text(&self.jobs[*i])
                            .map_or("– never run".into(), |(_, t)| t)
                    })
                    .collect();
                texts
                    .iter()
                    .map(|t| t.chars().count() + 2)
                    .max()
                    .unwrap_or(11)
                    .clamp(11, 40) as u16
            },
            self.order
                .iter()
                .map(|i| self.jobs[*i].name.chars().count())
                .max()
                .unwrap_or(8)
                .clamp(8, 48) as u16,
        );
        if let (Level::List, Some(name)) = (self.drill.level(), keep) {
            if let Some(pos) = self.order.iter().position(|i| self.jobs[*i].name == name) {
                self.drill.list.cursor.selected = pos;
            }
        }
        self.drill.list.cursor.clamp(self.order.len());
    }

    pub(super) fn move_cursor(&mut self, m: Move) {
        let runs = match self.drill.parent() {
            Some(job) => self.visible_runs(job).len(),
            None => 0,
        };
        self.drill.move_cursor(m, self.order.len(), runs);
    }

    pub(super) fn open(&mut self) -> Reply {
        match self.drill.level() {
            Level::List => match self.selected_job() {
                Some(job) => {
                    let job = job.name.clone();
                    self.drill.open_sub(job.clone());
                    self.runs_status = PollStatus::default();
                    Reply::Handled(vec![Effect::Refresh(Resource::GlueRuns { job })])
                }
                None => Reply::Ignored,
            },
            Level::Sub { .. } => match self.selected_run() {
                Some(run) => {
                    self.drill.open_detail(run.id.clone());
                    Reply::Handled(vec![])
                }
                None => Reply::Ignored,
            },
            Level::Detail { .. } => Reply::Ignored,
        }
    }

    pub(super) fn back(&mut self) -> Reply {
        match self.drill.back_resorts() {
            None => Reply::Ignored,
            Some(resort) => {
                // The job list is shown again (or its filter went).
                if resort {
                    self.reorder();
                }
                Reply::Handled(vec![])
            }
        }
    }

    /// Last session's picture of a job is for looking, not acting: its runs
    /// carry no arguments and their states may be hours old.
    fn still_last_seen(&self) -> Option<Reply> {
        let job = self.selected_job()?;
        self.from_picture.contains(&job.name).then(|| {
            Reply::Say(format!(
                "{} is shown as last seen; wait for its fresh read before acting on it",
                job.name
            ))
        })
    }

    pub(super) fn rerun(&self) -> Reply {
        let Some(job) = self.selected_job() else {
            return Reply::Ignored;
        };
        if let Some(wait) = self.still_last_seen() {
            return wait;
        }
        let Some(run) = self.selected_run() else {
            return Reply::Say(format!("{} has no run to re-run", job.name));
        };
        Reply::Act {
            action: Action::RerunGlueJob {
                job: job.name.clone(),
                from_run: run.id.clone(),
                arguments: run.arguments.clone(),
            },
            precheck: self.concurrency_check(job),
        }
    }

    /// Refuses a re-run that Glue would reject: the job's active runs
    /// (STARTING, RUNNING, STOPPING, WAITING) already reach MaxConcurrentRuns.
    fn concurrency_check(&self, job: &GlueJob) -> Result<(), String> {
        let active = self
            .runs_for(job)
            .iter()
            .filter(|r| r.state.is_active())
            .count();
        let max = job.max_concurrent_runs.max(1) as usize;
        if active >= max {
            Err(format!(
                "{} ({active} active of {max})",
                concurrency_message(&job.name)
            ))
        } else {
            Ok(())
        }
    }

    pub(super) fn stop(&self) -> Reply {
        let Some(run) = self.selected_run() else {
            return Reply::Ignored;
        };
        if let Some(wait) = self.still_last_seen() {
            return wait;
        }
        if !run.state.is_stoppable() {
            return Reply::Say(format!(
                "run {} is {}; only STARTING, RUNNING or WAITING runs can be stopped",
                short_id(&run.id),
                run.state.as_aws()
            ));
        }
        Reply::Act {
            action: Action::StopGlueRuns {
                job: run.job_name.clone(),
                run_ids: vec![run.id.clone()],
            },
            precheck: Ok(()),
        }
    }

    /// In a run's detail: its error message (for the incident channel), or
    /// its id when it has none; in the lists: the selected run's id.
    pub(super) fn copy(&self) -> Reply {
        let Some(run) = self.selected_run() else {
            return Reply::Ignored;
        };
        let text = match (self.drill.level(), &run.error_message) {
            (Level::Detail { .. }, Some(m)) => m.clone(),
            _ => run.id.clone(),
        };
        Reply::Handled(vec![Effect::Copy(text)])
    }

    /// Writes the list's picture for the next start when what it shows
    /// changed (not on every poll).
    fn keep_picture(&mut self, at: DateTime<Utc>) {
        let p = super::picture::Picture::of(&self.jobs, at);
        if let Some(fx) = self
            .kept
            .keep(super::picture::FILE, p, |a, b| a.digest() == b.digest())
        {
            self.pending.push(fx);
        }
    }

    /// Jobs arriving one by one while the list is read: each takes its
    /// place (failed ones rise to the top at once), the rest stay.
    fn jobs_arriving(&mut self, jobs: &[GlueJob], done: usize, total: usize) {
        let keep = self.selected_job().map(|j| j.name.clone());
        for job in jobs {
            let mut job = job.clone();
            job.runs.sort_by(JobRun::newest_first);
            self.from_picture.remove(&job.name);
            match self.jobs.iter_mut().find(|j| j.name == job.name) {
                Some(old) => *old = job,
                None => self.jobs.push(job),
            }
        }
        self.reading = (done < total).then_some((done, total));
        self.reorder_keeping(keep);
    }

    fn jobs_loaded(&mut self, jobs: &[GlueJob], at: DateTime<Utc>) {
        let keep = self.selected_job().map(|j| j.name.clone());
        self.reading = None;
        self.stale_since = None;
        self.jobs = jobs.to_vec();
        self.from_picture.clear();
        // The latest run, the failure streak and the runs view all read
        // runs newest first; whatever order a backend gives, make it so.
        for j in &mut self.jobs {
            j.runs.sort_by(JobRun::newest_first);
        }
        self.keep_picture(at);
        // The list carries every job's latest runs; an older drill-down copy
        // must not outlive it (it would show a stopped run as active). The
        // open job's full history stays, with the list's runs merged in:
        // a list poll reads only its last few.
        let open = self.drill.parent().map(str::to_string);
        self.runs.retain(|job, _| Some(job) == open.as_ref());
        for (name, history) in self.runs.iter_mut() {
            if let Some(j) = self.jobs.iter().find(|j| &j.name == name) {
                merge_runs(history, &j.runs);
            }
        }
        self.reorder_keeping(keep);
    }

    fn runs_loaded(&mut self, job: &str, runs: &[JobRun]) {
        let keep = self.selected_run().map(|r| r.id.clone());
        let mut runs = runs.to_vec();
        runs.sort_by(JobRun::newest_first);
        self.runs.insert(job.to_string(), runs);
        if let (Level::Sub { parent: open }, Some(id)) = (self.drill.level(), keep) {
            if let Some(pos) = self.visible_runs(open).iter().position(|r| r.id == id) {
                self.drill.sub.cursor.selected = pos;
            }
        }
        if let Level::Sub { parent: job } = self.drill.level() {
            let len = self.visible_runs(job).len();
            self.drill.sub.cursor.clamp(len);
        }
    }
}

impl Pane for GluePane {
    fn id(&self) -> PaneId {
        PaneId::Glue
    }

    fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    fn on_handoff(&mut self, handoff: crate::panes::Handoff, _ctx: &crate::panes::Ctx) -> Reply {
        match handoff {
            crate::panes::Handoff::OpenGlueRun { job, run_id, logs } => {
                self.open_run(job, run_id, logs)
            }
            _ => Reply::Ignored,
        }
    }

    fn title(&self) -> &'static str {
        "Glue"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["glue", "jobs"]
    }

    fn view_key(&self) -> String {
        let job = self.selected_job().map_or("", |j| j.name.as_str());
        // In the job list the job is the subject (its latest run changes
        // with every poll); in a job's runs, the run under the cursor.
        let run = match self.drill.level() {
            Level::List => "",
            _ => self.selected_run().map_or("", |r| r.id.as_str()),
        };
        format!("{:?}/{job}/{run}", self.drill.level())
    }

    fn is_filtering(&self) -> bool {
        self.drill.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        if self.drill.edit_filter(edit) {
            self.reorder();
        }
    }

    fn end_filter(&mut self, keep: bool) {
        if self.drill.end_filter(keep) {
            self.reorder();
        }
    }

    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<Duration>,
    ) {
        match (resource, result) {
            (Resource::GlueJobs, r) => {
                self.status.record(at, r, next_in);
                // A read that failed part-way is over too.
                self.reading = None;
                if let Ok(Data::GlueJobs(jobs)) = r {
                    self.jobs_loaded(jobs, at);
                }
            }
            (Resource::GlueRuns { job }, r) => {
                let open = matches!(self.drill.level(), Level::Sub { parent: j } | Level::Detail { parent: j, .. } if j == job);
                if open {
                    self.runs_status.record(at, r, next_in);
                }
                if let Ok(Data::GlueRuns(runs)) = r {
                    self.runs_loaded(job, runs);
                }
                self.open_pending(job, r.is_ok());
            }
            (Resource::AuditRuns, Ok(Data::AuditRuns(day))) => {
                self.audit = day.links.clone();
            }
            _ => {}
        }
    }

    fn state_files(&self) -> &'static [&'static str] {
        &[super::picture::FILE]
    }

    /// Last session's picture of this profile's jobs, shown as stale until
    /// the first fresh read.
    fn restore(&mut self, _file: &str, text: &str, at: &crate::panes::Restore) {
        if let Some(p) = self.kept.restore(text, at.scope.as_deref()) {
            if self.jobs.is_empty() {
                self.jobs = p.jobs();
                self.from_picture = self.jobs.iter().map(|j| j.name.clone()).collect();
                self.stale_since = Some(p.at);
                self.reorder_keeping(None);
            }
        }
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    fn on_progress(&mut self, resource: &Resource, data: &Data, done: usize, total: usize) {
        if let (Resource::GlueJobs, Data::GlueJobs(jobs)) = (resource, data) {
            self.jobs_arriving(jobs, done, total);
        }
    }

    fn on_action_done(&mut self, report: &ActionReport) -> Vec<Effect> {
        match &report.action {
            Action::RerunGlueJob { job, .. } | Action::StopGlueRuns { job, .. } => vec![
                Effect::Refresh(Resource::GlueJobs),
                Effect::Refresh(Resource::GlueRuns { job: job.clone() }),
            ],
            _ => vec![],
        }
    }

    fn subscriptions(&self) -> Vec<Resource> {
        match self.drill.level() {
            Level::List => vec![Resource::GlueJobs],
            Level::Sub { parent: job } | Level::Detail { parent: job, .. } => {
                vec![Resource::GlueJobs, Resource::GlueRuns { job: job.clone() }]
            }
        }
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.drill.level() {
            Level::List => Some(&self.status),
            _ if self.runs_status.loaded_once() => Some(&self.runs_status),
            _ => Some(&self.status),
        }
    }

    fn alert_count(&self) -> Option<(&'static str, Option<usize>)> {
        let known = self.status.last_ok.is_some();
        Some(("Glue failed", known.then(|| self.failed_jobs())))
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
