//! The Glue pane's ties to the pipelines' own records: a run's audit
//! record (found by its run id or its `--run_id` argument, `a` opens it),
//! and a Glue run asked for by the audit pane (by id, in the job the
//! record names or in whichever job holds it).

use super::GluePane;
use crate::app::{Effect, Resource};
use crate::cloud::audit::records::AuditLink;
use crate::cloud::JobRun;
use crate::panes::{Handoff, PaneId, Reply};
use crate::ui::components::drill::Level;

/// The ids an audit record may know a Glue run by: its own id and the
/// `--run_id` a scheduler passed it.
pub fn ids_of(run: &JobRun) -> Vec<String> {
    std::iter::once(run.id.clone())
        .chain(run.arguments.get("--run_id").cloned())
        .collect()
}

impl GluePane {
    /// The selected run's audit record, when the audit tables hold one.
    pub fn audit_link(&self, run: &JobRun) -> Option<&AuditLink> {
        let ids = ids_of(run);
        self.audit.find(ids.iter().map(String::as_str))
    }

    /// `a` on a run: its audit record, in the audit pane.
    pub(super) fn to_audit(&self) -> Reply {
        match self.selected_run() {
            Some(run) if self.audit_link(run).is_some() => Reply::Handoff {
                to: PaneId::Audit,
                handoff: Handoff::OpenAuditRun { ids: ids_of(run) },
            },
            Some(run) => Reply::Say(crate::cloud::audit::records::no_record(&run.id)),
            None => Reply::Say("no run selected".into()),
        }
    }

    /// The audit pane asks for a Glue run: opened where it is known; else
    /// the record's job is read and the run opened when it arrives.
    pub(super) fn open_run(
        &mut self,
        job_hint: Option<String>,
        run_id: String,
        logs: bool,
    ) -> Reply {
        let holder = self
            .jobs
            .iter()
            .find(|j| self.runs_for(j).iter().any(|r| r.id == run_id))
            .map(|j| j.name.clone());
        let job = holder.or(job_hint.filter(|j| self.job(j).is_some()));
        let Some(job) = job else {
            return Reply::Say(match self.status.last_ok {
                None => format!("the Glue jobs are still being read: run {run_id} not found yet"),
                Some(_) => format!("no Glue job read holds run {run_id}"),
            });
        };
        // The jobs list unfiltered, its cursor on the job: Esc lands there.
        self.drill.list.clear_filter();
        self.reorder();
        let pos = self.visible_jobs().position(|j| j.name == job);
        if let Some(pos) = pos {
            self.drill.list.cursor.selected = pos;
        }
        self.drill.open_sub(job.clone());
        let known = self.runs_of(&job).iter().find(|r| r.id == run_id).cloned();
        match known {
            Some(run) => {
                self.drill.open_detail(run_id);
                match logs {
                    true => super::triage(self.job(&job), &run),
                    false => Reply::Handled(vec![]),
                }
            }
            None => {
                self.pending_run = Some(run_id.clone());
                Reply::Tell {
                    effects: vec![Effect::Refresh(Resource::GlueRuns { job: job.clone() })],
                    text: format!(
                        "reading the runs of {job} for {run_id}{}",
                        if logs { " (then t for its logs)" } else { "" }
                    ),
                }
            }
        }
    }

    /// The runs of `job` arrived (or their read failed): the run the audit
    /// pane asked for opens, or the status line says why it did not.
    pub(super) fn open_pending(&mut self, job: &str, read_ok: bool) {
        let Some(id) = self.pending_run.take() else {
            return;
        };
        if !matches!(self.drill.level(), Level::Sub { parent } if parent == job) {
            return;
        }
        if !read_ok {
            self.notice = Some(format!(
                "the runs of {job} could not be read: {id} not opened"
            ));
        } else if self.runs_of(job).iter().any(|r| r.id == id) {
            self.drill.open_detail(id);
        } else {
            self.notice = Some(format!(
                "{id} is not among the {} runs of {job} read (older runs are not listed)",
                self.runs_of(job).len()
            ));
        }
    }
}
