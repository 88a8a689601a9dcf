//! The Athena pane: choose a work group, write SQL, watch it run with what
//! it scans and costs, read the rows. The editor, the results table and
//! export are the components Insights uses; this pane adds work groups,
//! the execution's lifecycle and Athena's cost rules.

pub mod catalog;
mod catalog_view;
pub mod guard;
pub mod history;
mod history_view;
mod keys;
mod run;
mod update;
mod view;

use crate::app::{Effect, PollStatus};
use crate::cloud::athena::{AthenaQuery, Column, Execution, Pricing, RowSource, WorkGroup};
use crate::config::AthenaConfig;
use crate::ui::components::editor::QueryEditor;
use crate::ui::components::highlight::SQL;
use crate::ui::components::list::Cursor;
use crate::ui::components::results::ResultsTable;
use chrono::{DateTime, Utc};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Results,
    Editor,
    /// The work group picker.
    WorkGroups,
    /// The data catalog browser.
    Catalog,
    /// What ran in the work group.
    History,
    /// The work group's saved queries.
    Saved,
    /// A run held by the guardrails: y runs it, n does not.
    Guard,
}

/// A query that was started (or is starting), and where its polling is.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub number: u64,
    pub query: AthenaQuery,
    pub id: Option<String>,
    pub started: DateTime<Utc>,
    pub execution: Option<Execution>,
    /// The user stopped it (StopQueryExecution sent, or to be sent when
    /// the start answers).
    pub stopped: bool,
    /// When GetQueryExecution is asked next; `None` while one is asked or
    /// once the query has ended.
    pub next_poll: Option<DateTime<Utc>>,
    /// Doubled by throttling (up to 30 s), on top of the elapsed-time rule.
    pub throttled: u32,
    /// Rows: asked once the query SUCCEEDED; done when the read ends.
    pub rows: RowsRead,
    /// Started by this pane. One re-opened from the history may be
    /// someone else's running query: it is watched, never stopped.
    pub ours: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum RowsRead {
    #[default]
    NotYet,
    Reading,
    Done,
    Failed(String),
}

impl Run {
    pub fn is_active(&self) -> bool {
        !self.stopped && !self.execution.as_ref().is_some_and(Execution::is_final)
    }

    pub fn poll_interval(&self, now: DateTime<Utc>) -> Duration {
        crate::cloud::athena::poll_delay((now - self.started).num_seconds(), self.throttled)
    }
}

#[derive(Debug, Default)]
pub struct GroupPicker {
    pub groups: Vec<WorkGroup>,
    pub cursor: Cursor,
    pub status: PollStatus,
    /// Asked and not answered yet.
    pub asked: bool,
}

#[derive(Debug)]
pub struct AthenaPane {
    editor: QueryEditor,
    focus: Focus,
    filtering: bool,
    /// Where the next query runs.
    workgroup: String,
    catalog: String,
    database: Option<String>,
    reuse_minutes: Option<i32>,
    /// `[athena] output_location`: for a group without one of its own.
    output_location: Option<String>,
    pricing: Pricing,
    picker: GroupPicker,
    browser: catalog::Browser,
    run: Option<Run>,
    runs: u64,
    results: ResultsTable,
    columns: Vec<Column>,
    source: Option<RowSource>,
    /// The service's message for the last start or poll that failed.
    error: Option<String>,
    export_dir: String,
    /// Rows a CTAS / INSERT wrote (its result has none to show).
    update_count: Option<i64>,
    now: DateTime<Utc>,
    pending: Vec<Effect>,
    history: history::HistoryList,
    saved: history::SavedList,
    /// Tables of the databases a guardrail check (or the browser) read.
    tables: guard::TableCache,
    guard: Option<guard::Guard>,
    /// Where a guardrail question returns to.
    guard_return: Focus,
    guard_config: guard::GuardConfig,
    /// Said on the status line after data was taken.
    notice: Option<String>,
}

const STARTER: &str = "SELECT *\nFROM information_schema.tables\nLIMIT 20";

impl AthenaPane {
    pub fn new(config: &AthenaConfig, export_dir: Option<String>) -> Self {
        Self {
            editor: QueryEditor::new(STARTER, &SQL),
            focus: Focus::Results,
            filtering: false,
            workgroup: config.workgroup.clone(),
            catalog: config.catalog.clone(),
            database: config.database.clone(),
            reuse_minutes: (config.reuse_max_age_minutes > 0)
                .then_some(config.reuse_max_age_minutes),
            output_location: config.output_location.clone(),
            pricing: Pricing {
                usd_per_tb: config.usd_per_tb,
            },
            picker: GroupPicker::default(),
            browser: catalog::Browser::default(),
            run: None,
            runs: 0,
            results: ResultsTable::default(),
            columns: Vec::new(),
            source: None,
            error: None,
            export_dir: export_dir.unwrap_or_else(|| ".".into()),
            update_count: None,
            now: DateTime::<Utc>::MIN_UTC,
            pending: Vec::new(),
            history: Default::default(),
            saved: Default::default(),
            tables: Default::default(),
            guard: None,
            guard_return: Focus::Results,
            guard_config: guard::GuardConfig {
                full_scan: config.warn_full_scan,
                no_scan_limit: config.warn_no_scan_limit,
            },
            notice: None,
        }
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn query_text(&self) -> String {
        self.editor.text()
    }

    pub fn set_query_text(&mut self, sql: &str) {
        self.editor.set_text(sql);
    }

    pub fn workgroup(&self) -> &str {
        &self.workgroup
    }

    pub fn run(&self) -> Option<&Run> {
        self.run.as_ref()
    }

    pub fn results(&self) -> &ResultsTable {
        &self.results
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn picker(&self) -> &GroupPicker {
        &self.picker
    }

    pub fn browser(&self) -> &catalog::Browser {
        &self.browser
    }

    pub fn history(&self) -> &history::HistoryList {
        &self.history
    }

    pub fn saved(&self) -> &history::SavedList {
        &self.saved
    }

    /// The run the guardrails hold, while they hold one.
    pub fn guard(&self) -> Option<&guard::Guard> {
        self.guard.as_ref()
    }

    pub fn source(&self) -> Option<&RowSource> {
        self.source.as_ref()
    }

    /// The chosen work group as last read (its scan limit, its billing).
    pub fn chosen_group(&self) -> Option<&WorkGroup> {
        self.picker.groups.iter().find(|g| g.name == self.workgroup)
    }

    fn on_reservation(&self) -> bool {
        self.chosen_group().is_some_and(|g| g.reservation.is_some())
    }

    /// StopQueryExecution for a query still going (re-running and quitting
    /// stop what this pane started).
    fn stop_effects(&mut self) -> Vec<Effect> {
        match self.run.as_mut() {
            Some(r) if r.is_active() && r.ours => {
                r.stopped = true;
                r.next_poll = None;
                match r.id.clone() {
                    Some(id) => vec![Effect::StopAthena(id)],
                    // Not started yet: the start's answer is stopped.
                    None => vec![],
                }
            }
            _ => vec![],
        }
    }
}

impl crate::panes::output::ResultPane for AthenaPane {
    fn results(&self) -> &ResultsTable {
        &self.results
    }

    fn results_mut(&mut self) -> &mut ResultsTable {
        &mut self.results
    }

    fn on_results(&self) -> bool {
        self.focus == Focus::Results
    }

    fn start_filter(&mut self) {
        self.filtering = true;
    }

    fn export_place(&self) -> (&str, &'static str) {
        (&self.export_dir, "athena")
    }
}
