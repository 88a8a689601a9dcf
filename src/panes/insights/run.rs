//! A query's lifecycle in the Insights pane: start (stopping the one still
//! running), stop, the start's answer, rows replacing rows, the record,
//! the picker's choices, the history.

use super::memory::{HistoryEntry, HISTORY_MAX};
use super::{Focus, InsightsPane, Range, Run, MAX_GROUPS};
use crate::app::{Data, Effect, PollStatus, Resource};
use crate::cloud::logs::field;
use crate::cloud::{CloudError, InsightsQuery, QueryResults, QueryStatus};
use crate::panes::Reply;
use chrono::{DateTime, Utc};

impl InsightsPane {
    /// ctrl-r / F5: stops a query still running, starts this one.
    pub(super) fn start(&mut self, now: DateTime<Utc>) -> Reply {
        let text = self.editor.text();
        if text.trim().is_empty() {
            return Reply::Say("the query is empty: e edits it".into());
        }
        if let Some(why) = self.language.cannot_run() {
            return Reply::Say(why);
        }
        // SQL names its groups in the query text (StartQuery's reference).
        let groups_in_text = self.language.groups_in_text();
        if self.memory.groups.is_empty() && !groups_in_text {
            // (No key named: the footer shows the picker's, as bound.)
            return Reply::Say(
                "choose log groups first: open the group picker (see the footer)".into(),
            );
        }
        let mut effects = self.stop_effects();
        let (start, end) = self.range.window(now);
        let query = InsightsQuery {
            groups: if groups_in_text {
                vec![]
            } else {
                self.memory.groups.clone()
            },
            start,
            end,
            query: text.clone(),
            language: self.language.clone(),
        };
        self.runs += 1;
        self.run = Some(Run {
            number: self.runs,
            query: query.clone(),
            id: None,
            started: now,
            status: None,
            stats: Default::default(),
            ended: None,
        });
        self.error = None;
        // An edited triage query is the user's own now.
        if self.triage.as_ref().is_some_and(|t| t.triage.query != text) {
            self.triage = None;
        }
        self.chart = None;
        self.show_table = false;
        self.results.clear();
        self.results_status = PollStatus::default();
        self.record = None;
        // Running from the editor keeps the editor: the next letters typed
        // are still text, never commands (a stray `q` must not quit).
        if self.focus != Focus::Editor {
            self.focus = Focus::Results;
        }
        self.recall = None;
        self.remember(&text, now);
        effects.push(Effect::Refresh(Resource::InsightsStart {
            run: self.runs,
            query,
        }));
        effects.push(self.save_memory());
        Reply::Handled(effects)
    }

    fn remember(&mut self, text: &str, now: DateTime<Utc>) {
        let entry = HistoryEntry {
            query: text.to_string(),
            groups: self.memory.groups.clone(),
            range: self.range.label(),
            at: now.to_rfc3339(),
            language: self.language.clone(),
        };
        let h = &mut self.memory.history;
        h.retain(|e| {
            !(e.query == entry.query && e.groups == entry.groups && e.language == entry.language)
        });
        h.push(entry);
        if h.len() > HISTORY_MAX {
            h.remove(0);
        }
    }

    /// StopQuery for the running query, if any.
    pub(super) fn stop_effects(&mut self) -> Vec<Effect> {
        match self.run.as_mut() {
            Some(r) if r.is_active() => match r.id.clone() {
                Some(id) => {
                    r.status = Some(QueryStatus::Cancelled);
                    r.ended = Some(self.now);
                    vec![Effect::StopQuery(id)]
                }
                // Not started yet: the start's answer will be stopped.
                None => {
                    r.status = Some(QueryStatus::Cancelled);
                    vec![]
                }
            },
            _ => vec![],
        }
    }

    pub(super) fn stop(&mut self) -> Reply {
        let fx = self.stop_effects();
        if fx.is_empty() && self.run.as_ref().is_none_or(|r| r.id.is_some()) {
            return Reply::Say("no query is running".into());
        }
        Reply::Tell {
            effects: fx,
            text: "query stopped (StopQuery sent)".into(),
        }
    }

    /// ctrl-p: the previous query of this profile, then the one before.
    pub(super) fn recall(&mut self) -> Reply {
        let n = self.memory.history.len();
        if n == 0 {
            return Reply::Say("no earlier queries for this profile yet".into());
        }
        let pos = self.recall.map_or(0, |p| (p + 1) % n);
        self.recall = Some(pos);
        let e = self.memory.history[n - 1 - pos].clone();
        self.editor.set_text(&e.query);
        // Run again in the language it ran in.
        self.language = e.language.clone();
        if !e.groups.is_empty() {
            self.memory.groups = e.groups.clone();
        }
        // The range comes back with the query, so the range line and the
        // query agree.
        if let Some(range) = Range::parse_label(&e.range) {
            self.range = range;
        }
        let when = chrono::DateTime::parse_from_rfc3339(&e.at)
            .map(|t| {
                format!(
                    ", run {} ago",
                    crate::app::age(t.with_timezone(&chrono::Utc), self.now)
                )
            })
            .unwrap_or_default();
        // The range line under the editor shows the range; the message only
        // names it (an absolute one in words: its times are on that line).
        let range = match self.range {
            Range::Last(_) => self.range.label(),
            Range::Absolute(..) => "its own time range".into(),
        };
        Reply::Tell {
            effects: vec![],
            text: format!("recalled query {} of {n} ({range}{when})", pos + 1),
        }
    }

    pub(super) fn open_record(&mut self) -> Reply {
        match self.results.selected_key().map(str::to_string) {
            Some(ptr) => {
                self.focus = Focus::Record;
                self.record_scroll = 0;
                self.record = Some((ptr.clone(), Err("loading…".into())));
                Reply::Handled(vec![Effect::Refresh(Resource::LogRecord { ptr })])
            }
            None if self.results.is_empty() => Reply::Ignored,
            None => Reply::Say("this row has no @ptr (a stats row): nothing more to open".into()),
        }
    }

    pub(super) fn toggle_group(&mut self) -> Reply {
        let Some(g) = self.picker.found.get(self.picker.cursor.selected) else {
            return Reply::Ignored;
        };
        let name = g.name.clone();
        if let Some(i) = self.memory.groups.iter().position(|n| *n == name) {
            self.memory.groups.remove(i);
        } else if self.memory.groups.len() >= MAX_GROUPS {
            return Reply::Say(format!(
                "a query can search {MAX_GROUPS} log groups at most"
            ));
        } else {
            self.memory.groups.push(name);
        }
        Reply::Handled(vec![self.save_memory()])
    }

    pub(super) fn search_groups(&mut self) -> Vec<Effect> {
        self.picker.typing = false;
        self.picker.status = PollStatus::default();
        vec![Effect::Refresh(Resource::LogGroups {
            prefix: self.picker.search.text.clone(),
        })]
    }

    pub(super) fn results_loaded(&mut self, at: DateTime<Utc>, r: &QueryResults) {
        let Some(run) = self.run.as_mut() else { return };
        run.status = Some(r.status.clone());
        run.stats = r.stats;
        if r.status.is_done() {
            run.ended = Some(at);
        }
        // Each poll returns every row so far: replace, never append.
        let table = r.table();
        let keys = r
            .rows
            .iter()
            .map(|row| field(row, "@ptr").map(str::to_string))
            .collect();
        // Charts read Logs Insights QL's `stats … by bin()`; PPL and SQL
        // results stay a table rather than be charted by a misreading.
        self.chart = if run.query.language.is_cwli() {
            super::chart::Chart::from_results(&run.query.query, &table)
        } else {
            None
        };
        self.results.set(table.columns, table.rows, keys);
    }

    pub(super) fn on_start_answer(
        &mut self,
        run_no: u64,
        result: &Result<Data, CloudError>,
    ) -> Vec<Effect> {
        let Some(run) = self.run.as_mut().filter(|r| r.number == run_no) else {
            // An older run answered after a newer one began: stop it.
            return match result {
                Ok(Data::QueryStarted(id)) => vec![Effect::StopQuery(id.clone())],
                _ => vec![],
            };
        };
        match result {
            Ok(Data::QueryStarted(id)) => {
                run.id = Some(id.clone());
                // Stopped (or re-run) before the id came back.
                if !run.is_active() {
                    return vec![Effect::StopQuery(id.clone())];
                }
                vec![Effect::Refresh(Resource::InsightsResults {
                    query_id: id.clone(),
                })]
            }
            Err(e) => {
                run.status = Some(QueryStatus::Failed);
                self.error = Some(e.to_string());
                vec![]
            }
            _ => vec![],
        }
    }
}
