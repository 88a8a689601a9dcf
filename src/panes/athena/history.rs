//! What ran in the work group (`ctrl-p`): its executions newest first with
//! the last 24 hours' spend above them and runaway scans flagged; Enter
//! re-opens one in the result view. And its saved queries (`b`): preview,
//! load, `:save NAME`, delete — saving and deleting change the account for
//! everyone, so they go through the gate.

use super::{AthenaPane, Focus, RowsRead, Run};
use crate::app::{Data, Effect, PollStatus, Resource};
use crate::cloud::athena::history::spend_24h;
use crate::cloud::athena::{AthenaQuery, Execution, NamedQuery, Spend};
use crate::cloud::CloudError;
use crate::gate::Action;
use crate::panes::Reply;
use crate::ui::components::list::Cursor;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct HistoryList {
    /// Whose history it is: the work group when it was read.
    pub workgroup: String,
    pub executions: Vec<Execution>,
    /// Runaway executions: id → times the same query's median scan.
    pub runaway: BTreeMap<String, i64>,
    pub spend: Spend,
    pub unprocessed: Vec<(String, String)>,
    pub more: bool,
    pub cursor: Cursor,
    pub status: PollStatus,
}

impl HistoryList {
    pub fn selected(&self) -> Option<&Execution> {
        self.executions.get(self.cursor.selected)
    }
}

#[derive(Debug, Default)]
pub struct SavedList {
    pub workgroup: String,
    pub items: Vec<NamedQuery>,
    pub unprocessed: Vec<(String, String)>,
    pub cursor: Cursor,
    pub status: PollStatus,
}

impl SavedList {
    pub fn selected(&self) -> Option<&NamedQuery> {
        self.items.get(self.cursor.selected)
    }
}

impl AthenaPane {
    pub(super) fn open_history(&mut self) -> Reply {
        if self.history.workgroup != self.workgroup {
            self.history = HistoryList {
                workgroup: self.workgroup.clone(),
                ..HistoryList::default()
            };
        }
        self.focus = Focus::History;
        Reply::Handled(vec![])
    }

    pub(super) fn history_loaded(
        &mut self,
        workgroup: &str,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        if workgroup != self.history.workgroup {
            return;
        }
        let h = &mut self.history;
        h.status.record(at, result, next_in);
        if let Ok(Data::AthenaHistory(read)) = result {
            let keep = h.selected().map(|e| e.id.clone());
            h.runaway = read.runaway.clone();
            h.spend = spend_24h(&read.executions, at, self.pricing);
            h.executions = read.executions.clone();
            h.unprocessed = read.unprocessed.clone();
            h.more = read.more;
            if let Some(i) = keep.and_then(|id| h.executions.iter().position(|e| e.id == id)) {
                h.cursor.selected = i;
            }
            h.cursor.clamp(h.executions.len());
        }
    }

    /// Enter on an execution: its SQL into the editor and its result (or
    /// failure) in the result view, read as part 1 reads a run's.
    pub(super) fn reopen(&mut self) -> Reply {
        let Some(e) = self.history.selected().cloned() else {
            return Reply::Ignored;
        };
        let mut effects = self.stop_effects();
        self.runs += 1;
        self.run = Some(Run {
            number: self.runs,
            query: AthenaQuery {
                sql: e.sql.clone(),
                workgroup: e
                    .workgroup
                    .clone()
                    .unwrap_or_else(|| self.workgroup.clone()),
                ..AthenaQuery::default()
            },
            id: Some(e.id.clone()),
            started: e.submitted.unwrap_or(self.now),
            execution: Some(e.clone()),
            stopped: false,
            next_poll: None,
            throttled: 0,
            rows: RowsRead::NotYet,
            // Perhaps someone else's, still running: watched, not stopped.
            ours: false,
        });
        self.editor.set_text(&e.sql);
        self.results.clear();
        self.columns.clear();
        self.source = None;
        self.update_count = None;
        self.error = None;
        self.focus = Focus::Results;
        // Its state as of now (a running one goes on being polled; an
        // ended one reads its rows).
        effects.push(Effect::Refresh(Resource::AthenaExecution {
            id: e.id.clone(),
        }));
        Reply::Tell {
            effects,
            text: format!("execution {} re-opened; its SQL is in the editor", e.id),
        }
    }

    pub(super) fn open_saved(&mut self) -> Reply {
        if self.saved.workgroup != self.workgroup {
            self.saved = SavedList {
                workgroup: self.workgroup.clone(),
                ..SavedList::default()
            };
        }
        self.focus = Focus::Saved;
        Reply::Handled(vec![Effect::Refresh(self.saved_resource())])
    }

    pub(super) fn saved_resource(&self) -> Resource {
        Resource::AthenaNamedQueries {
            workgroup: self.saved.workgroup.clone(),
        }
    }

    pub(super) fn saved_loaded(
        &mut self,
        workgroup: &str,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
    ) {
        if workgroup != self.saved.workgroup {
            return;
        }
        let s = &mut self.saved;
        s.status.record(at, result, None);
        if let Ok(Data::AthenaNamedQueries(read)) = result {
            s.items = read.queries.clone();
            s.unprocessed = read.unprocessed.clone();
            s.cursor.clamp(s.items.len());
        }
    }

    /// Enter on a saved query: its SQL into the editor, its database the
    /// default one.
    pub(super) fn load_saved(&mut self) -> Reply {
        let Some(q) = self.saved.selected().cloned() else {
            return Reply::Ignored;
        };
        self.editor.set_text(&q.sql);
        if !q.database.is_empty() {
            self.database = Some(q.database.clone());
        }
        self.focus = Focus::Results;
        Reply::Say(format!(
            "loaded \"{}\" (database {}); run it, or :save NAME to keep a changed copy",
            q.name, q.database
        ))
    }

    /// `:save NAME` — the editor's SQL as a saved query of the work group
    /// (CreateNamedQuery: Athena keeps every save, even of the same name).
    pub(super) fn save_as(&self, name: &str) -> Reply {
        let name = name.trim();
        if name.is_empty() {
            return Reply::Say(":save NAME — e.g. :save daily orders by customer".into());
        }
        let sql = self.editor.text();
        if sql.trim().is_empty() {
            return Reply::Say("the query is empty: nothing to save".into());
        }
        Reply::Act {
            action: Action::SaveNamedQuery {
                query: NamedQuery {
                    id: None,
                    name: name.to_string(),
                    description: None,
                    sql,
                    // The API wants one; unqualified tables read from it.
                    database: self.database.clone().unwrap_or_else(|| "default".into()),
                    workgroup: Some(self.workgroup.clone()),
                },
            },
            precheck: Ok(()),
        }
    }

    pub(super) fn delete_saved(&self) -> Reply {
        match self.saved.selected() {
            Some(NamedQuery {
                id: Some(id), name, ..
            }) => Reply::Act {
                action: Action::DeleteNamedQuery {
                    id: id.clone(),
                    name: name.clone(),
                },
                precheck: Ok(()),
            },
            _ => Reply::Ignored,
        }
    }
}
