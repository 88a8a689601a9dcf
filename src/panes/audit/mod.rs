//! The audit pane (`:audit`): what the pipelines' own records say — the
//! last 24 hours across pipelines and every run still RUNNING, failed and
//! partial first, stuck runs flagged; a run's detail with its numbers, DQ
//! score against its threshold, its error, and what the record lacks.

mod detect;
mod keys;
mod pipelines;
mod pipelines_view;
mod records;
mod records_view;
mod update;
mod view;

use crate::app::PollStatus;
use crate::cloud::audit::records::PipelineRuns;
use crate::cloud::audit::records::{RunRecords, RunRef};
use crate::cloud::audit::{is_stuck, median_duration, needs_a_look, AuditRun, TableRead};
use crate::ui::components::list::{matches, ListLevel};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    /// A run, by its index in `runs`.
    Detail(usize),
    /// `:audit detect TABLE`: the mapping proposed for it.
    Detect { table: String },
    /// Each pipeline (seen in the last 7 days, or named in config) with
    /// its last runs.
    Pipelines,
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
    /// The detail's last scroll offset that still fills the screen, as the
    /// last frame measured it: scrolling stops there, so `G` then `k`
    /// moves at once.
    detail_last: std::cell::Cell<Option<u16>>,
    /// What `:audit detect` read, for the table it names.
    detection: Option<crate::cloud::audit::detect::Detection>,
    detect_status: PollStatus,
    config_file: Option<std::path::PathBuf>,
    attention: usize,
    status_width: usize,
    /// The open run's DQ results, errors and last runs, for the run named.
    records: Option<(RunRef, RunRecords)>,
    records_status: PollStatus,
    /// Pipelines `[audit] pipelines` names, always listed.
    named: Vec<String>,
    /// How many runs of each the pipelines view reads.
    last_runs: usize,
    /// "table\tpipeline" → when a read last saw it (kept 7 days, in
    /// `audit-pipelines.json`).
    seen: BTreeMap<String, DateTime<Utc>>,
    kept_seen: crate::panes::kept::Kept<BTreeMap<String, DateTime<Utc>>>,
    /// The pipelines view: each pipeline's last runs, most urgent first.
    pipelines: Vec<PipelineRuns>,
    pipelines_status: PollStatus,
    plist: ListLevel,
    /// Usual durations: from the day's runs, and (better) from each
    /// pipeline's last runs once the pipelines view read them.
    day_medians: HashMap<(String, String), f64>,
    history_medians: HashMap<(String, String), f64>,
    /// Effects raised while taking data (the seen pipelines to save).
    pending: Vec<crate::app::Effect>,
    /// What is shown is the first read's urgent part: its failed, partial
    /// and running runs, the succeeded ones still coming.
    partial: bool,
    /// The list shows only this pipeline's runs (table, pipeline): opened
    /// from the pipelines view, which Esc goes back to.
    pipeline_filter: Option<(String, String)>,
}

impl AuditPane {
    pub fn new(config: &crate::config::AuditConfig) -> Self {
        Self {
            stuck_after: config.stuck_after(),
            named: config.pipelines.clone(),
            last_runs: config.last_runs,
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
            View::Detect { .. } | View::Pipelines => None,
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

    /// `complete`: the whole read (else its urgent part, shown at start
    /// while the succeeded pages are still coming).
    fn runs_loaded(&mut self, tables: &[TableRead], now: DateTime<Utc>, complete: bool) {
        self.partial = !complete;
        let keep = self.selected().map(run_key);
        self.now = now;
        // The tables' notes and errors; their runs once, in `runs`.
        self.tables = tables.iter().map(TableRead::clone_without_runs).collect();
        self.runs = tables.iter().flat_map(|t| t.runs.iter().cloned()).collect();
        // Each pipeline's usual duration from the day's runs of its own
        // table (as the snapshot judges them) …
        let mut by_pipeline: HashMap<(&str, &str), Vec<&AuditRun>> = HashMap::new();
        for r in &self.runs {
            // Runs with no pipeline are judged together, as one.
            let p = r.pipeline.as_deref().unwrap_or("");
            by_pipeline.entry((&r.table, p)).or_default().push(r);
        }
        self.day_medians = by_pipeline
            .into_iter()
            .filter_map(|((t, p), runs)| {
                median_duration(&runs).map(|m| ((t.to_string(), p.to_string()), m))
            })
            .collect();
        if complete {
            self.note_seen(now);
        }
        self.flag_and_sort(keep);
    }

    /// A run's usual duration: over its pipeline's last runs once the
    /// pipelines view read them, else over the day's.
    pub fn usual_s(&self, r: &AuditRun) -> Option<f64> {
        let key = (r.table.clone(), r.pipeline.clone().unwrap_or_default());
        self.history_medians
            .get(&key)
            .or(self.day_medians.get(&key))
            .copied()
    }

    pub fn stuck_after(&self) -> Option<std::time::Duration> {
        self.stuck_after
    }

    /// Stuck flags (… or, once the pipelines view has read them, from the
    /// pipeline's last runs), then the order: a stuck run is as urgent as
    /// a failure, right after the failed and partial ones.
    fn flag_and_sort(&mut self, keep: Option<String>) {
        let stuck: Vec<bool> = self
            .runs
            .iter()
            .map(|r| {
                // Only a RUNNING run can be stuck: no key built for the rest.
                if r.status != crate::cloud::audit::RunStatus::Running {
                    return false;
                }
                is_stuck(r, self.now, self.stuck_after, self.usual_s(r))
            })
            .collect();
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
        let only = self.pipeline_filter.as_ref();
        self.order = (0..self.runs.len())
            .filter(|i| {
                let r = &self.runs[*i];
                if let Some((t, p)) = only {
                    if r.table != *t || r.pipeline.as_deref() != Some(p.as_str()) {
                        return false;
                    }
                }
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
