//! The Insights pane: write a Logs Insights query, watch it run, read the
//! rows. The editor and the results table are shared components
//! (`ui::components`); this pane adds log groups, the time range, the
//! query's lifecycle and the history.

pub mod chart;
mod chart_view;
mod keys;
pub mod memory;
mod output;
mod run;
mod saved;
mod triage;
mod update;
mod view;

use crate::app::{Effect, PollStatus, TextLine};
use crate::cloud::logs::triage::{GlueLogs, Triage};
use crate::cloud::{
    InsightsQuery, LogGroup, QueryDefinition, QueryLanguage, QueryStats, QueryStatus,
};
use crate::config::InsightsConfig;
use crate::ui::components::editor::QueryEditor;
use crate::ui::components::highlight::INSIGHTS;
use crate::ui::components::list::Cursor;
use crate::ui::components::results::ResultsTable;
use chrono::{DateTime, Duration, Utc};
use memory::ProfileMemory;
use std::collections::BTreeMap;

/// The most log groups one query may name (a Logs Insights limit).
pub const MAX_GROUPS: usize = 50;

pub const PRESETS: &[(&str, i64)] = &[
    ("5m", 5),
    ("15m", 15),
    ("1h", 60),
    ("3h", 180),
    ("12h", 720),
    ("24h", 1440),
    ("7d", 10_080),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Range {
    /// Index into [`PRESETS`]: the last N minutes when the query starts.
    Last(usize),
    Absolute(DateTime<Utc>, DateTime<Utc>),
}

impl Range {
    pub fn window(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        match self {
            Range::Last(i) => (now - Duration::minutes(PRESETS[*i].1), now),
            Range::Absolute(a, b) => (*a, *b),
        }
    }

    /// The range a [`label`](Self::label) was written from (history keeps
    /// labels).
    pub fn parse_label(label: &str) -> Option<Range> {
        if let Some(i) = PRESETS
            .iter()
            .position(|(l, _)| format!("last {l}") == label)
        {
            return Some(Range::Last(i));
        }
        let (a, b) = label.split_once(" – ")?;
        let a = DateTime::parse_from_rfc3339(a).ok()?.with_timezone(&Utc);
        let b = DateTime::parse_from_rfc3339(b).ok()?.with_timezone(&Utc);
        Some(Range::Absolute(a, b))
    }

    pub fn label(&self) -> String {
        match self {
            Range::Last(i) => format!("last {}", PRESETS[*i].0),
            Range::Absolute(a, b) => format!("{} – {}", a.to_rfc3339(), b.to_rfc3339()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The results table (and the editor above it, not being typed in).
    Results,
    /// Typing into the editor (input mode).
    Editor,
    /// The log-group picker.
    Groups,
    /// One record (GetLogRecord), as pretty JSON.
    Record,
    /// The saved queries.
    Saved,
}

/// A query that was started (or is starting).
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub number: u64,
    pub query: InsightsQuery,
    pub id: Option<String>,
    pub started: DateTime<Utc>,
    pub status: Option<QueryStatus>,
    pub stats: QueryStats,
    pub ended: Option<DateTime<Utc>>,
}

impl Run {
    pub fn is_active(&self) -> bool {
        self.status.as_ref().is_none_or(|s| !s.is_done())
    }
}

/// The record a row points at: its `@ptr` and the record as pretty JSON
/// (laid out once when it arrives, not on every frame), or why not.
pub type RecordView = (String, Result<String, String>);

/// A record as pretty JSON; a `@message` that is JSON itself is unfolded.
pub fn pretty_record(rec: &BTreeMap<String, String>) -> String {
    let value: serde_json::Map<String, serde_json::Value> = rec
        .iter()
        .map(|(k, v)| {
            let parsed = serde_json::from_str::<serde_json::Value>(v)
                .ok()
                .filter(|x| x.is_object() || x.is_array())
                .unwrap_or_else(|| serde_json::Value::String(v.clone()));
            (k.clone(), parsed)
        })
        .collect();
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[derive(Debug, Default)]
pub struct Picker {
    pub search: TextLine,
    pub typing: bool,
    pub found: Vec<LogGroup>,
    pub cursor: Cursor,
    pub status: PollStatus,
}

/// The saved queries (query definitions) as last listed.
#[derive(Debug, Default)]
pub struct SavedList {
    pub items: Vec<QueryDefinition>,
    pub cursor: Cursor,
    pub status: PollStatus,
    /// The one loaded into the editor: `:save` without a name replaces it.
    pub loaded: Option<QueryDefinition>,
}

/// A triage in progress: the run, its candidate groups, which exist.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageState {
    pub triage: Triage,
    /// None while DescribeLogGroups is asked; then the groups queried.
    pub found: Option<Vec<String>>,
    /// Why the existing groups could not be listed (all were tried).
    pub check_error: Option<String>,
    /// The run's own groups, when none existed and the defaults were tried.
    pub tried: Vec<String>,
}

impl TriageState {
    pub fn missing(&self) -> Vec<&str> {
        match &self.found {
            Some(found) if self.check_error.is_none() => self
                .tried
                .iter()
                .chain(&self.triage.candidates)
                .filter(|c| !found.contains(c))
                .map(String::as_str)
                .collect(),
            _ => vec![],
        }
    }
}

#[derive(Debug)]
pub struct InsightsPane {
    editor: QueryEditor,
    /// The editor's query language: a loaded saved query's (or a recalled
    /// one's), Logs Insights QL otherwise.
    language: QueryLanguage,
    focus: Focus,
    filtering: bool,
    picker: Picker,
    range: Range,
    run: Option<Run>,
    runs: u64,
    results: ResultsTable,
    results_status: PollStatus,
    record: Option<RecordView>,
    record_scroll: u16,
    /// The service's message for the last start or poll that failed.
    error: Option<String>,
    /// The chosen log groups and the history: one copy, the one saved.
    memory: ProfileMemory,
    /// The other profiles' memories, written back unchanged.
    other_profiles: memory::Memories,
    /// Position while recalling history (ctrl-p), from the newest.
    recall: Option<usize>,
    cost_per_gb: f64,
    glue_logs: GlueLogs,
    /// Where `E` proposes to write an export.
    export_dir: String,
    /// A `stats` result drawn as a chart (worked out when rows arrive).
    chart: Option<chart::Chart>,
    /// The user asked for the table instead of the chart.
    show_table: bool,
    saved: SavedList,
    triage: Option<TriageState>,
    now: DateTime<Utc>,
    pending: Vec<Effect>,
}

const STARTER: &str = "fields @timestamp, @message, @logStream\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 100";

impl InsightsPane {
    pub fn new(config: &InsightsConfig) -> Self {
        Self {
            editor: QueryEditor::new(STARTER, &INSIGHTS),
            language: QueryLanguage::Cwli,
            focus: Focus::Results,
            filtering: false,
            picker: Picker::default(),
            range: Range::Last(2),
            run: None,
            runs: 0,
            results: ResultsTable::default(),
            results_status: PollStatus::default(),
            record: None,
            record_scroll: 0,
            error: None,
            memory: ProfileMemory::default(),
            other_profiles: Default::default(),
            recall: None,
            cost_per_gb: config.cost_per_gb,
            glue_logs: config.glue.clone(),
            export_dir: config.export_dir.clone().unwrap_or_else(|| ".".into()),
            chart: None,
            show_table: false,
            saved: SavedList::default(),
            triage: None,
            now: DateTime::<Utc>::MIN_UTC,
            pending: Vec::new(),
        }
    }

    /// The profile's remembered groups and history, read at start.
    pub fn load_memory(&mut self, memory: ProfileMemory) {
        self.memory = memory;
    }

    /// Keeps this profile's history and groups in the state dir.
    pub(super) fn save_memory(&self) -> Effect {
        Effect::SaveState {
            file: memory::FILE,
            json: memory::to_json(&self.other_profiles, &self.memory),
        }
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn query_text(&self) -> String {
        self.editor.text()
    }

    pub fn editor(&self) -> &QueryEditor {
        &self.editor
    }

    pub fn language(&self) -> &QueryLanguage {
        &self.language
    }

    pub fn groups(&self) -> &[String] {
        &self.memory.groups
    }

    pub fn range(&self) -> &Range {
        &self.range
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

    pub fn history(&self) -> &[memory::HistoryEntry] {
        &self.memory.history
    }

    pub fn picker(&self) -> &Picker {
        &self.picker
    }

    pub fn record(&self) -> Option<&RecordView> {
        self.record.as_ref()
    }

    /// The chart when one is shown (a `stats` result, not toggled off).
    pub fn chart(&self) -> Option<&chart::Chart> {
        self.chart.as_ref().filter(|_| !self.show_table)
    }

    pub fn saved(&self) -> &SavedList {
        &self.saved
    }

    pub fn triage(&self) -> Option<&TriageState> {
        self.triage.as_ref()
    }
}
