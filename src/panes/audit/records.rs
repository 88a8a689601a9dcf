//! The audit pane's ties to what sits beside a run: the open run's DQ
//! results, errors and last runs (read while its detail is shown), the
//! Glue run it names (`a`, and `t` for its logs), and the record another
//! pane asks for by run id.

use super::{AuditPane, View};
use crate::app::{Data, Resource};
use crate::cloud::audit::records::{RunRecords, RunRef};
use crate::cloud::CloudError;
use crate::panes::{Handoff, PaneId, Reply};
use crate::ui::components::list::ListLevel;
use chrono::{DateTime, Utc};

impl AuditPane {
    /// The open run, as its neighbours are looked up.
    pub(super) fn open_run_ref(&self) -> Option<RunRef> {
        match self.view {
            View::Detail(i) => self.runs.get(i).map(RunRef::of),
            _ => None,
        }
    }

    /// The open run's neighbours, once they are read for it.
    pub fn records(&self) -> Option<&RunRecords> {
        let open = self.open_run_ref()?;
        self.records
            .as_ref()
            .filter(|(r, _)| *r == open)
            .map(|(_, recs)| recs)
    }

    pub fn records_status(&self) -> &crate::app::PollStatus {
        &self.records_status
    }

    pub(super) fn records_loaded(
        &mut self,
        run: &RunRef,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        if self.open_run_ref().as_ref() != Some(run) {
            return;
        }
        self.records_status.record(at, result, next_in);
        if let Ok(Data::AuditRecords(r)) = result {
            self.records = Some((run.clone(), (**r).clone()));
        }
    }

    /// The Glue run the selected (or open) record names: its Glue run id,
    /// else a run id in Glue's own form (`jr_…`, which P1 stores as the
    /// run id).
    pub fn glue_run_of_open(&self) -> Option<String> {
        let r = self.selected()?;
        r.glue_run_id
            .clone()
            .filter(|id| !id.is_empty())
            .or(r.run_id.clone().filter(|id| id.starts_with("jr_")))
    }

    /// `a` (the Glue run) and `t` (its logs) on an open record.
    pub(super) fn to_glue_run(&self, logs: bool) -> Reply {
        let Some(run_id) = self.glue_run_of_open() else {
            return Reply::Say("this record names no Glue run id".into());
        };
        Reply::Handoff {
            to: PaneId::Glue,
            handoff: Handoff::OpenGlueRun {
                job: self.selected().and_then(|r| r.pipeline.clone()),
                run_id,
                logs,
            },
        }
    }

    /// Another pane asks for the record of one of `ids`.
    pub(super) fn open_by_ids(&mut self, ids: &[String]) -> Reply {
        let hit = self.runs.iter().position(|r| {
            [&r.run_id, &r.glue_run_id]
                .into_iter()
                .flatten()
                .any(|id| ids.contains(id))
        });
        match hit {
            Some(i) => {
                if self.list.has_filter() {
                    self.list = ListLevel::default();
                    self.reorder_keeping(None);
                }
                if let Some(pos) = self.order.iter().position(|o| *o == i) {
                    self.list.cursor.selected = pos;
                }
                self.view = View::Detail(i);
                self.detail_scroll = 0;
                self.records_status = crate::app::PollStatus::default();
                Reply::Handled(vec![])
            }
            None if self.status.last_ok.is_none() => Reply::Say(format!(
                "the audit tables are still being read: no record of {} yet",
                ids.join(" / ")
            )),
            None if self.tables.is_empty() => {
                Reply::Say("no audit table is mapped: see :audit detect TABLE".into())
            }
            None => Reply::Say(crate::cloud::audit::records::no_record(&ids.join(" / "))),
        }
    }

    /// What the pane polls beyond the runs: the open run's neighbours.
    pub(super) fn records_subscription(&self) -> Option<Resource> {
        self.open_run_ref().map(Resource::AuditRecords)
    }
}
