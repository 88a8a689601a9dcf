//! A query's lifecycle in the Athena pane: start (stopping the one still
//! going), the start's answer, GetQueryExecution on a schedule the pane
//! keeps (2 s, then 10 s, then 20 s; throttling doubles it), the rows
//! streaming in once it SUCCEEDED, and stop.

use super::{AthenaPane, Focus, RowsRead, Run};
use crate::app::{Data, Effect, Resource};
use crate::cloud::athena::{AthenaQuery, Execution, QueryState, ResultPart};
use crate::cloud::CloudError;
use crate::panes::Reply;
use chrono::{DateTime, Utc};

/// The first look comes sooner: a reused result is back in under a second.
const FIRST_POLL_SECS: i64 = 1;

impl AthenaPane {
    /// Run (ctrl-r / F5), once the guardrails let it: stops a query
    /// still going, starts this one.
    pub(super) fn launch(&mut self, sql: String, now: DateTime<Utc>) -> Reply {
        let mut effects = self.stop_effects();
        let query = AthenaQuery {
            sql,
            workgroup: self.workgroup.clone(),
            catalog: Some(self.catalog.clone()).filter(|c| !c.is_empty()),
            database: self.database.clone(),
            reuse_minutes: self.reuse_minutes,
            // Only where the group has no place of its own (or is not
            // read yet): a group's own location is never overridden.
            output_location: self.output_location.clone().filter(|_| {
                self.chosen_group()
                    .is_none_or(|g| g.output_location.is_none())
            }),
        };
        self.runs += 1;
        self.run = Some(Run {
            number: self.runs,
            query: query.clone(),
            id: None,
            started: now,
            execution: None,
            stopped: false,
            next_poll: None,
            throttled: 0,
            rows: RowsRead::NotYet,
            ours: true,
        });
        self.results.clear();
        self.columns.clear();
        self.source = None;
        self.update_count = None;
        self.error = None;
        if matches!(
            self.focus,
            Focus::WorkGroups | Focus::History | Focus::Saved
        ) {
            self.focus = Focus::Results;
        }
        effects.push(Effect::Refresh(Resource::AthenaStart {
            run: self.runs,
            query,
        }));
        // The group's scan limit and billing, for the cost line.
        if self.picker.groups.is_empty() && !self.picker.asked {
            effects.push(self.read_groups());
        }
        Reply::Handled(effects)
    }

    pub(super) fn read_groups(&mut self) -> Effect {
        self.picker.asked = true;
        Effect::Refresh(Resource::AthenaWorkGroups)
    }

    pub(super) fn stop(&mut self) -> Reply {
        if self.run.as_ref().is_some_and(|r| r.is_active() && !r.ours) {
            return Reply::Say(
                "this query was not started here (it was re-opened from the history): pipedeck stops only its own".into(),
            );
        }
        let still_starting = self
            .run
            .as_ref()
            .is_some_and(|r| r.is_active() && r.id.is_none());
        let effects = self.stop_effects();
        if effects.is_empty() && !still_starting {
            return Reply::Say("no query is running".into());
        }
        // Polled on until CANCELLED: a cancelled query pays for its scan.
        if let Some(r) = self.run.as_mut().filter(|r| r.id.is_some()) {
            r.next_poll = Some(self.now + chrono::Duration::seconds(FIRST_POLL_SECS));
        }
        Reply::Tell {
            effects,
            text: "query stopped (StopQueryExecution sent)".into(),
        }
    }

    /// The clock: ask GetQueryExecution when its time has come.
    pub(super) fn poll_due(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(r) = self.run.as_mut() else {
            return vec![];
        };
        match (&r.id, r.next_poll) {
            (Some(id), Some(at)) if at <= now => {
                r.next_poll = None;
                vec![Effect::Refresh(Resource::AthenaExecution {
                    id: id.clone(),
                })]
            }
            _ => vec![],
        }
    }

    pub(super) fn started(
        &mut self,
        number: u64,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
    ) -> Vec<Effect> {
        let current = self.run.as_mut().filter(|r| r.number == number);
        match (current, result) {
            // A run replaced before its start answered: stop what it started.
            (None, Ok(Data::AthenaStarted(id))) => vec![Effect::StopAthena(id.clone())],
            (None, _) => vec![],
            (Some(r), Ok(Data::AthenaStarted(id))) => {
                r.id = Some(id.clone());
                r.next_poll = Some(at + chrono::Duration::seconds(FIRST_POLL_SECS));
                match r.stopped {
                    true => vec![Effect::StopAthena(id.clone())],
                    false => vec![],
                }
            }
            (Some(_), Err(e)) => {
                self.error = Some(e.to_string());
                self.run = None;
                vec![]
            }
            (Some(_), Ok(_)) => vec![],
        }
    }

    pub(super) fn polled(
        &mut self,
        id: &str,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
    ) -> Vec<Effect> {
        let Some(r) = self.run.as_mut().filter(|r| r.id.as_deref() == Some(id)) else {
            return vec![];
        };
        match result {
            Ok(Data::AthenaExecution(e)) => {
                r.throttled = 0;
                r.execution = Some(e.clone());
                self.error = failure_text(e);
                if !e.is_final() {
                    r.next_poll = Some(at + interval(r, at));
                    return vec![];
                }
                r.next_poll = None;
                if e.state == Some(QueryState::Succeeded) && r.rows == RowsRead::NotYet {
                    r.rows = RowsRead::Reading;
                    return vec![Effect::Refresh(Resource::AthenaRows { id: id.to_string() })];
                }
                vec![]
            }
            Err(CloudError::NotFound { message }) => {
                r.next_poll = None;
                self.error = Some(message.clone());
                vec![]
            }
            Err(e) => {
                if e.is_throttle() {
                    r.throttled += 1;
                }
                // Said, and asked again: one failed poll does not end a run.
                self.error = Some(e.to_string());
                r.next_poll = Some(at + interval(r, at));
                vec![]
            }
            Ok(_) => vec![],
        }
    }

    /// Rows as they stream in.
    pub(super) fn rows_arrived(&mut self, id: &str, part: &ResultPart) {
        if self.run.as_ref().and_then(|r| r.id.as_deref()) != Some(id) {
            return;
        }
        if self.columns.is_empty() || self.columns != part.columns {
            self.columns = part.columns.clone();
        }
        self.source = part.source.clone();
        self.results.append(&self.columns, part.rows.clone());
    }

    pub(super) fn rows_done(&mut self, id: &str, result: &Result<Data, CloudError>) {
        let Some(r) = self.run.as_mut().filter(|r| r.id.as_deref() == Some(id)) else {
            return;
        };
        match result {
            Ok(Data::AthenaRows(part)) => {
                r.rows = RowsRead::Done;
                self.source = part.source.clone();
                if self.columns.is_empty() {
                    self.columns = part.columns.clone();
                    self.results.append(&self.columns, vec![]);
                }
                if let Some(n) = part.update_count {
                    self.error = None;
                    self.update_count = Some(n);
                }
            }
            Err(e) => r.rows = RowsRead::Failed(e.to_string()),
            Ok(_) => {}
        }
    }
}

fn interval(r: &Run, at: DateTime<Utc>) -> chrono::Duration {
    chrono::Duration::from_std(r.poll_interval(at)).unwrap_or(chrono::Duration::seconds(2))
}

/// FAILED's StateChangeReason and AthenaError, or a cancel's reason.
fn failure_text(e: &Execution) -> Option<String> {
    match e.state {
        Some(QueryState::Failed) => {
            let reason = e.reason.clone().unwrap_or_else(|| "no reason given".into());
            Some(match &e.error {
                Some(err) => format!("{reason} — {}", err.summary()),
                None => reason,
            })
        }
        Some(QueryState::Cancelled) => e.reason.clone(),
        _ => None,
    }
}
