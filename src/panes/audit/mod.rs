//! The audit pane (`:audit`): what the pipelines' own records say — the
//! last 24 hours across pipelines and every run still RUNNING, failed and
//! partial first, stuck runs flagged; a run's detail with its numbers, DQ
//! score against its threshold, its error, and what the record lacks.

mod detect;
mod keys;
mod records;
mod records_view;
mod update;
mod view;

use crate::app::PollStatus;
use crate::cloud::audit::records::{RunRecords, RunRef};
use crate::cloud::audit::{needs_a_look, stuck_flags, AuditRun, TableRead};
use crate::ui::components::list::{matches, ListLevel};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    /// A run, by its index in `runs`.
    Detail(usize),
    /// `:audit detect TABLE`: the mapping proposed for it.
    Detect { table: String },
}

#[derive(Debug, Default)]
pub struct AuditPane {
    /// Each table's read: its notes and errors.
    tables: Vec<TableRead>,
    /// Every table's runs, most urgent first.
    runs: Vec<AuditRun>,
    /// Same index as `runs`: RUNNING past its limit.
    stuck: Vec<bool>,
    /// Indices into `runs`, filtered.
    order: Vec<usize>,
    status: PollStatus,
    list: ListLevel,
    filtering: bool,
    view: View,
    stuck_after: Option<std::time::Duration>,
    now: DateTime<Utc>,
    detail_scroll: u16,
    /// What `:audit detect` read, for the table it names.
    detection: Option<crate::cloud::audit::detect::Detection>,
    detect_status: PollStatus,
    config_file: Option<std::path::PathBuf>,
    attention: usize,
    status_width: usize,
    /// The open run's DQ results, errors and last runs, for the run named.
    records: Option<(RunRef, RunRecords)>,
    records_status: PollStatus,
}

impl AuditPane {
    pub fn new(config: &crate::config::AuditConfig) -> Self {
        Self {
            stuck_after: config.stuck_after(),
            ..Self::default()
        }
    }

    pub fn with_config_file(mut self, path: Option<std::path::PathBuf>) -> Self {
        self.config_file = path;
        self
    }

    pub fn detection(&self) -> Option<&crate::cloud::audit::detect::Detection> {
        self.detection.as_ref()
    }

    pub fn runs(&self) -> &[AuditRun] {
        &self.runs
    }

    pub fn tables(&self) -> &[TableRead] {
        &self.tables
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn is_stuck(&self, i: usize) -> bool {
        self.stuck.get(i).copied().unwrap_or(false)
    }

    pub fn visible(&self) -> impl Iterator<Item = &AuditRun> {
        self.order.iter().map(|i| &self.runs[*i])
    }

    pub fn selected_index(&self) -> Option<usize> {
        match self.view {
            View::List => self.order.get(self.list.cursor.selected).copied(),
            View::Detail(i) => Some(i),
            View::Detect { .. } => None,
        }
    }

    pub fn selected(&self) -> Option<&AuditRun> {
        self.selected_index().map(|i| &self.runs[i])
    }

    /// Failed, partial and stuck: what the header counts (worked out when
    /// the runs arrive, not on every frame).
    pub fn needing_attention(&self) -> usize {
        self.attention
    }

    /// The status column's width: the longest word shown, 9 to 24.
    pub fn status_width(&self) -> usize {
        self.status_width
    }

    fn runs_loaded(&mut self, tables: &[TableRead], now: DateTime<Utc>) {
        let keep = self.selected().map(run_key);
        self.now = now;
        // The tables' notes and errors; their runs once, in `runs`.
        self.tables = tables.iter().map(TableRead::clone_without_runs).collect();
        self.runs = tables.iter().flat_map(|t| t.runs.iter().cloned()).collect();
        // Each pipeline's usual duration from its own table's runs (as the
        // snapshot judges them).
        let stuck: Vec<bool> = tables
            .iter()
            .flat_map(|t| stuck_flags(&t.runs, now, self.stuck_after))
            .collect();
        // A stuck run is as urgent as a failure: right after the failed
        // and partial ones.
        let mut both: Vec<(AuditRun, bool)> = std::mem::take(&mut self.runs)
            .into_iter()
            .zip(stuck)
            .collect();
        both.sort_by(|(a, sa), (b, sb)| {
            let rank = |r: &AuditRun, s: bool| match s {
                true => 1,
                false => r.status.rank() * 2,
            };
            rank(a, *sa)
                .cmp(&rank(b, *sb))
                .then_with(|| b.when().cmp(&a.when()))
        });
        (self.runs, self.stuck) = both.into_iter().unzip();
        self.attention = self
            .runs
            .iter()
            .zip(&self.stuck)
            .filter(|(r, s)| needs_a_look(r, **s))
            .count();
        if let View::Detail(_) = self.view {
            self.view = match keep
                .as_ref()
                .and_then(|k| self.runs.iter().position(|r| run_key(r) == *k))
            {
                Some(i) => View::Detail(i),
                None => View::List,
            };
        }
        self.reorder_keeping(keep);
    }

    fn reorder_keeping(&mut self, keep: Option<String>) {
        let needle = self.list.needle();
        self.order = (0..self.runs.len())
            .filter(|i| {
                let r = &self.runs[*i];
                matches(
                    &needle,
                    &[
                        r.pipeline.as_deref().unwrap_or(""),
                        r.run_id.as_deref().unwrap_or(""),
                        r.status.label(),
                        r.error_message.as_deref().unwrap_or(""),
                        &r.table,
                    ],
                )
            })
            .collect();
        if let Some(k) = keep {
            if let Some(pos) = self.order.iter().position(|i| run_key(&self.runs[*i]) == k) {
                self.list.cursor.selected = pos;
            }
        }
        self.list.cursor.clamp(self.order.len());
        // An unknown word whole, within reason.
        self.status_width = self
            .order
            .iter()
            .map(|i| self.runs[*i].status.label().chars().count())
            .max()
            .unwrap_or(6)
            .clamp(9, 24);
    }

    pub fn filter_text(&self) -> &str {
        &self.list.filter.text
    }
}

/// A run's identity across reads: its table and key.
fn run_key(r: &AuditRun) -> String {
    format!(
        "{}|{}",
        r.table,
        r.key
            .iter()
            .map(|(k, v)| format!("{k}={}", v.text()))
            .collect::<Vec<_>>()
            .join(",")
    )
}
