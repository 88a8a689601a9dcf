//! How the Glue pane reacts to keys and data.

use super::{GluePane, View};
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::{CloudError, GlueJob, JobRun};
use crate::config::Command;
use crate::gate::{concurrency_message, short_id, Action, ActionReport};
use crate::panes::{Ctx, Handoff, Pane, PaneId, Reply};
use crate::ui::components::list::{matches, ListLevel, Move};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::cmp::Ordering;
use std::time::Duration;

/// Failed first, then active, then the rest; newest start first within a
/// group; name last so equal rows never swap places between polls.
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
    fn reorder(&mut self) {
        let keep = self.selected_job().map(|j| j.name.clone());
        self.reorder_keeping(keep);
    }

    /// Sorts and filters; the cursor stays on `keep` (captured before new
    /// data replaced the old: the old order's indices mean nothing in it).
    fn reorder_keeping(&mut self, keep: Option<String>) {
        let needle = self.jobs_list.needle();
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
        if let (View::Jobs, Some(name)) = (&self.view, keep) {
            if let Some(pos) = self.order.iter().position(|i| self.jobs[*i].name == name) {
                self.jobs_list.cursor.selected = pos;
            }
        }
        self.jobs_list.cursor.clamp(self.order.len());
    }

    fn move_cursor(&mut self, m: Move) {
        match &self.view {
            View::Jobs => self.jobs_list.cursor.apply(m, self.order.len()),
            View::Runs { job } => {
                let len = self.visible_runs(job).len();
                self.runs_list.cursor.apply(m, len);
            }
            View::Detail { .. } => {
                self.detail_scroll = m.scroll(self.detail_scroll);
            }
        }
    }

    fn open(&mut self) -> Reply {
        match self.view.clone() {
            View::Jobs => match self.selected_job() {
                Some(job) => {
                    let job = job.name.clone();
                    self.view = View::Runs { job: job.clone() };
                    self.runs_list = ListLevel::default();
                    self.runs_status = PollStatus::default();
                    Reply::Handled(vec![Effect::Refresh(Resource::GlueRuns { job })])
                }
                None => Reply::Ignored,
            },
            View::Runs { job } => match self.selected_run() {
                Some(run) => {
                    self.view = View::Detail {
                        job,
                        run_id: run.id.clone(),
                    };
                    self.detail_scroll = 0;
                    Reply::Handled(vec![])
                }
                None => Reply::Ignored,
            },
            View::Detail { .. } => Reply::Ignored,
        }
    }

    fn back(&mut self) -> Reply {
        match self.view.clone() {
            View::Detail { job, .. } => self.view = View::Runs { job },
            View::Runs { .. } if self.runs_list.has_filter() => self.runs_list.clear_filter(),
            View::Runs { .. } => {
                self.view = View::Jobs;
                self.reorder();
            }
            View::Jobs if self.jobs_list.has_filter() => {
                self.jobs_list.clear_filter();
                self.reorder();
            }
            View::Jobs => return Reply::Ignored,
        }
        Reply::Handled(vec![])
    }

    fn rerun(&self) -> Reply {
        let Some(job) = self.selected_job() else {
            return Reply::Ignored;
        };
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

    fn stop(&self) -> Reply {
        let Some(run) = self.selected_run() else {
            return Reply::Ignored;
        };
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
    fn copy(&self) -> Reply {
        let Some(run) = self.selected_run() else {
            return Reply::Ignored;
        };
        let text = match (&self.view, &run.error_message) {
            (View::Detail { .. }, Some(m)) => m.clone(),
            _ => run.id.clone(),
        };
        Reply::Handled(vec![Effect::Copy(text)])
    }

    fn jobs_loaded(&mut self, jobs: &[GlueJob]) {
        let keep = self.selected_job().map(|j| j.name.clone());
        self.jobs = jobs.to_vec();
        // The list carries every job's recent runs; an older drill-down copy
        // must not outlive it (it would show a stopped run as active).
        self.runs.clear();
        self.reorder_keeping(keep);
    }

    fn runs_loaded(&mut self, job: &str, runs: &[JobRun]) {
        let keep = self.selected_run().map(|r| r.id.clone());
        self.runs.insert(job.to_string(), runs.to_vec());
        if let (View::Runs { job: open }, Some(id)) = (&self.view, keep) {
            if let Some(pos) = self.visible_runs(open).iter().position(|r| r.id == id) {
                self.runs_list.cursor.selected = pos;
            }
        }
        if let View::Runs { job } = &self.view {
            let len = self.visible_runs(job).len();
            self.runs_list.cursor.clamp(len);
        }
    }
}

impl Pane for GluePane {
    fn id(&self) -> PaneId {
        PaneId::Glue
    }

    fn title(&self) -> &'static str {
        "Glue"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["glue", "jobs"]
    }

    fn keys(&self) -> &'static [Command] {
        &[
            Command::Open,
            Command::Back,
            Command::Filter,
            Command::Copy,
            Command::Triage,
            Command::Rerun,
            Command::Stop,
        ]
    }

    fn key_help(&self, cmd: Command) -> Option<&'static str> {
        Some(match cmd {
            Command::Open => "a job's runs; a run's detail",
            Command::Rerun => "re-run the job with the selected run's arguments (asks)",
            Command::Stop => "stop the selected run (asks)",
            Command::Copy => "copy the run's error, else its id",
            Command::Triage => "the run's logs in Insights, error lines first",
            _ => return None,
        })
    }

    fn view_key(&self) -> String {
        let job = self.selected_job().map_or("", |j| j.name.as_str());
        // In the job list the job is the subject (its latest run changes
        // with every poll); in a job's runs, the run under the cursor.
        let run = match self.view {
            View::Jobs => "",
            _ => self.selected_run().map_or("", |r| r.id.as_str()),
        };
        format!("{:?}/{job}/{run}", self.view)
    }

    fn on_command(&mut self, cmd: Command, _ctx: &Ctx) -> Reply {
        if let Some(m) = Move::from_command(cmd) {
            self.move_cursor(m);
            return Reply::Handled(vec![]);
        }
        match cmd {
            Command::Open => self.open(),
            Command::Back => self.back(),
            Command::Filter if !matches!(self.view, View::Detail { .. }) => {
                self.filtering = true;
                Reply::Handled(vec![])
            }
            Command::Rerun => self.rerun(),
            Command::Stop => self.stop(),
            Command::Copy => self.copy(),
            // The job's DefaultArguments go with the run: continuous
            // logging and its group are usually set there.
            Command::Triage => match (self.selected_job(), self.selected_run()) {
                (Some(job), Some(run)) => Reply::Handoff {
                    to: PaneId::Insights,
                    handoff: Handoff::TriageGlueRun(job.with_job_settings(run)),
                },
                (None, Some(run)) => Reply::Handoff {
                    to: PaneId::Insights,
                    handoff: Handoff::TriageGlueRun(run.clone()),
                },
                (_, None) => Reply::Say("no run selected: its logs need a run".into()),
            },
            _ => Reply::Ignored,
        }
    }

    fn is_filtering(&self) -> bool {
        self.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        match self.view {
            View::Jobs => {
                self.jobs_list.edit(edit);
                self.reorder();
            }
            _ => {
                self.runs_list.edit(edit);
            }
        }
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            match self.view {
                View::Jobs => {
                    self.jobs_list.clear_filter();
                    self.reorder();
                }
                _ => self.runs_list.clear_filter(),
            }
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
                if let Ok(Data::GlueJobs(jobs)) = r {
                    self.jobs_loaded(jobs);
                }
            }
            (Resource::GlueRuns { job }, r) => {
                let open = matches!(&self.view, View::Runs { job: j } | View::Detail { job: j, .. } if j == job);
                if open {
                    self.runs_status.record(at, r, next_in);
                }
                if let Ok(Data::GlueRuns(runs)) = r {
                    self.runs_loaded(job, runs);
                }
            }
            _ => {}
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
        match &self.view {
            View::Jobs => vec![Resource::GlueJobs],
            View::Runs { job } | View::Detail { job, .. } => {
                vec![Resource::GlueJobs, Resource::GlueRuns { job: job.clone() }]
            }
        }
    }

    fn hints(&self) -> Vec<Command> {
        let mut h = vec![Command::Down, Command::Open, Command::Filter];
        if matches!(self.view, View::Detail { .. }) {
            h = vec![Command::Down];
        }
        if self.selected_run().is_some() {
            h.push(Command::Rerun);
        }
        if self.selected_run().is_some_and(|r| r.state.is_stoppable()) {
            h.push(Command::Stop);
        }
        if self.selected_run().is_some() {
            h.push(Command::Copy);
            h.push(Command::Triage);
        }
        if self.view != View::Jobs {
            h.push(Command::Back);
        }
        h
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.view {
            View::Jobs => Some(&self.status),
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
