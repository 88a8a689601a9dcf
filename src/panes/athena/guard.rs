//! Guardrails before a run: a query that reads a partitioned table with no
//! predicate on any partition key, or a work group with no scan limit,
//! asks first ("scans every partition of silver_db.orders — run anyway?
//! y/n"). What the check needs and does not have yet (the work group's
//! settings, a database's tables and their partition keys) is read first;
//! SQL the parser cannot read is said ("could not check partitions"),
//! never guessed. `[athena] warn_full_scan` / `warn_no_scan_limit` turn
//! each off.

use super::{AthenaPane, Focus};
use crate::app::{Data, Effect, Resource};
use crate::cloud::athena::guard::reads;
use crate::cloud::athena::TableMeta;
use crate::cloud::CloudError;
use crate::panes::Reply;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// (catalog, database) → its tables, or why they could not be read.
pub type TableCache = BTreeMap<(String, String), Result<Vec<TableMeta>, String>>;

/// A run held by the guardrails.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    /// The SQL it was asked for (a changed editor is a new run).
    pub sql: String,
    /// What the run would do, one line each; asked while non-empty.
    pub warnings: Vec<String>,
    /// What could not be checked.
    pub notes: Vec<String>,
    /// Reads still awaited before it can be decided.
    pub waiting: Vec<Resource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardConfig {
    pub full_scan: bool,
    pub no_scan_limit: bool,
}

impl AthenaPane {
    /// What the guardrails say of `sql` with what is known now.
    pub(super) fn check(&self, sql: &str) -> Guard {
        let mut g = Guard {
            sql: sql.to_string(),
            warnings: vec![],
            notes: vec![],
            waiting: vec![],
        };
        if self.guard_config.no_scan_limit {
            match self.chosen_group() {
                // A reservation bills by DPU, not by bytes.
                Some(w) if w.scan_cutoff.is_none() && w.reservation.is_none() => {
                    g.warnings.push(format!(
                        "work group {} has no scan limit: nothing stops a runaway scan",
                        w.name
                    ))
                }
                Some(_) => {}
                None if self.picker.status.last_ok.is_none()
                    && self.picker.status.error.is_none() =>
                {
                    g.waiting.push(Resource::AthenaWorkGroups)
                }
                None => g.notes.push(format!(
                    "could not check the scan limit of {}",
                    self.workgroup
                )),
            }
        }
        if self.guard_config.full_scan {
            self.check_partitions(sql, &mut g);
        }
        g
    }

    fn check_partitions(&self, sql: &str, g: &mut Guard) {
        let tables = match reads(sql) {
            Ok(t) => t,
            Err(e) => {
                g.notes.push(format!("could not check partitions: {e}"));
                return;
            }
        };
        for t in tables {
            let Some((catalog, db, name)) = t.resolve(&self.catalog, self.database.as_deref())
            else {
                g.notes.push(format!(
                    "could not check partitions of {}: no database (:database NAME)",
                    t.parts.join(".")
                ));
                continue;
            };
            match self.tables.get(&(catalog.clone(), db.clone())) {
                None => {
                    let r = Resource::AthenaTables {
                        catalog,
                        database: db,
                    };
                    if !g.waiting.contains(&r) {
                        g.waiting.push(r);
                    }
                }
                Some(Err(e)) => g
                    .notes
                    .push(format!("could not check partitions of {db}.{name}: {e}")),
                Some(Ok(list)) => {
                    let Some(meta) = list.iter().find(|m| m.name.eq_ignore_ascii_case(&name))
                    else {
                        g.notes.push(format!(
                            "could not check partitions of {db}.{name}: not in the catalog's listing"
                        ));
                        continue;
                    };
                    if t.scans_every_partition(meta) {
                        let keys: Vec<&str> = meta
                            .partition_keys
                            .iter()
                            .map(|k| k.name.as_str())
                            .collect();
                        let line = format!(
                            "scans every partition of {db}.{name} (no predicate on {})",
                            keys.join(", ")
                        );
                        if !g.warnings.contains(&line) {
                            g.warnings.push(line);
                        }
                    }
                }
            }
        }
    }

    /// Run: checked first; runs at once when nothing is to be asked. The
    /// question's place is taken at once, before any read the check needs
    /// comes back, so an answer never lands in the editor.
    pub(super) fn start(&mut self, now: DateTime<Utc>) -> Reply {
        let sql = self.editor.text();
        if sql.trim().is_empty() {
            return Reply::Say("the query is empty: e edits it".into());
        }
        // A read that failed last time is tried again.
        self.tables.retain(|_, t| t.is_ok());
        self.decide(self.check(&sql), now)
    }

    fn decide(&mut self, g: Guard, now: DateTime<Utc>) -> Reply {
        if !g.waiting.is_empty() {
            let effects = g.waiting.iter().cloned().map(Effect::Refresh).collect();
            if g.waiting.contains(&Resource::AthenaWorkGroups) {
                self.picker.asked = true;
            }
            self.guard = Some(g);
            self.enter_guard();
            return Reply::Tell {
                effects,
                text: "checking the query's tables and work group before it runs…".into(),
            };
        }
        if !g.warnings.is_empty() {
            self.guard = Some(g);
            self.enter_guard();
            return Reply::Handled(vec![]);
        }
        self.guard = None;
        self.leave_guard();
        // Exactly what was checked, whatever the editor holds now.
        let reply = self.launch(g.sql, now);
        match (g.notes.is_empty(), reply) {
            (false, Reply::Handled(effects)) => Reply::Tell {
                effects,
                text: format!("running; {}", g.notes.join("; ")),
            },
            (_, reply) => reply,
        }
    }

    fn enter_guard(&mut self) {
        if self.focus != Focus::Guard {
            self.guard_return = self.focus;
        }
        self.focus = Focus::Guard;
    }

    fn leave_guard(&mut self) {
        if self.focus == Focus::Guard {
            self.focus = match self.guard_return {
                Focus::Guard => Focus::Results,
                f => f,
            };
        }
    }

    /// y: run anyway — once there is something to answer.
    pub(super) fn guard_yes(&mut self) -> Reply {
        match self.guard.take() {
            Some(g) if !g.waiting.is_empty() => {
                self.guard = Some(g);
                Reply::Say("still checking the query's tables; n cancels the run".into())
            }
            Some(g) => {
                self.leave_guard();
                let now = self.now;
                self.launch(g.sql, now)
            }
            None => {
                self.leave_guard();
                Reply::Ignored
            }
        }
    }

    /// n / Esc: not run.
    pub(super) fn guard_no(&mut self) -> Reply {
        self.guard = None;
        self.leave_guard();
        Reply::Say("not run".into())
    }

    /// A read the guardrails (or the browser) made: kept, and a waiting
    /// run decided once nothing is awaited.
    pub(super) fn guard_learned(&mut self, resource: &Resource, result: &Result<Data, CloudError>) {
        if let Resource::AthenaTables { catalog, database } = resource {
            let entry = match result {
                Ok(Data::AthenaTables(t)) => Ok(t.clone()),
                Err(e) => Err(e.to_string()),
                Ok(_) => return,
            };
            self.tables
                .insert((catalog.clone(), database.clone()), entry);
        }
        let Some(g) = self.guard.as_mut() else {
            return;
        };
        // Only an awaited read moves a held run on (not the browser's).
        if !g.waiting.contains(resource) {
            return;
        }
        g.waiting.retain(|r| r != resource);
        if !g.waiting.is_empty() {
            return;
        }
        let sql = g.sql.clone();
        let now = self.now;
        match self.decide(self.check(&sql), now) {
            Reply::Handled(fx) => self.pending.extend(fx),
            Reply::Tell { effects, text } => {
                self.pending.extend(effects);
                self.notice = Some(text);
            }
            Reply::Say(text) => self.notice = Some(text),
            _ => {}
        }
    }
}
