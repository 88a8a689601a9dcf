//! The pipelines view (`p`): each pipeline the reads saw in the last 7
//! days (remembered in `audit-pipelines.json`, per profile, Region and
//! endpoint) and each `[audit] pipelines` names, with its last runs (one
//! Query each, newest first). Their durations make "stuck?" judge a run
//! against its pipeline's usual, not just the day's.

use super::{AuditPane, View};
use crate::app::{Data, Resource};
use crate::cloud::audit::records::{PipelineRef, PipelineRuns};
use crate::cloud::audit::RunStatus;
use crate::cloud::CloudError;
use crate::panes::Reply;
use crate::ui::components::list::ListLevel;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// Where the pipelines seen are kept.
pub const FILE: &str = "audit-pipelines.json";
/// How long a pipeline stays listed after a read last saw it.
const REMEMBERED_DAYS: i64 = 7;

fn key(table: &str, pipeline: &str) -> String {
    format!("{table}\t{pipeline}")
}

impl AuditPane {
    /// Each read's pipelines, remembered for 7 days; saved when one comes
    /// or goes (not on every poll).
    pub(super) fn note_seen(&mut self, now: DateTime<Utc>) {
        for r in &self.runs {
            if let Some(p) = &r.pipeline {
                self.seen.insert(key(&r.table, p), now);
            }
        }
        self.seen
            .retain(|_, at| now - *at <= Duration::days(REMEMBERED_DAYS));
        let same = |a: &BTreeMap<String, DateTime<Utc>>, b: &BTreeMap<String, DateTime<Utc>>| {
            a.keys().eq(b.keys())
                // Refreshed once a day, so the 7 days count from a recent sighting.
                && a.iter()
                    .zip(b)
                    .all(|((_, x), (_, y))| (*x - *y).abs() < Duration::days(1))
        };
        if let Some(e) = self.kept_seen.keep(FILE, self.seen.clone(), same) {
            self.pending.push(e);
        }
    }

    pub(super) fn restore_seen(&mut self, text: &str, scope: Option<&str>, now: DateTime<Utc>) {
        if let Some(seen) = self.kept_seen.restore(text, scope) {
            self.seen = seen
                .into_iter()
                .filter(|(_, at)| now - *at <= Duration::days(REMEMBERED_DAYS))
                .collect();
        }
    }

    /// What the view reads: the pipelines seen, and those config names in
    /// each runs table read.
    pub fn pipeline_refs(&self) -> Vec<PipelineRef> {
        // Only tables mapped now (before the first read: all remembered).
        let mapped = |t: &str| self.tables.is_empty() || self.tables.iter().any(|x| x.table == t);
        let mut out: Vec<PipelineRef> = self
            .seen
            .keys()
            .filter_map(|k| k.split_once('\t'))
            .filter(|(t, _)| mapped(t))
            .map(|(t, p)| PipelineRef {
                table: t.to_string(),
                pipeline: p.to_string(),
            })
            .collect();
        for t in self.tables.iter().filter(|t| t.error.is_none()) {
            for p in &self.named {
                out.push(PipelineRef {
                    table: t.table.clone(),
                    pipeline: p.clone(),
                });
            }
        }
        out.sort();
        out.dedup();
        out
    }

    pub(super) fn pipelines_subscription(&self) -> Option<Resource> {
        (self.view == View::Pipelines).then(|| Resource::AuditPipelines {
            pipelines: self.pipeline_refs(),
            n: self.last_runs,
        })
    }

    pub fn pipelines(&self) -> &[PipelineRuns] {
        &self.pipelines
    }

    pub fn pipelines_status(&self) -> &crate::app::PollStatus {
        &self.pipelines_status
    }

    pub fn pipeline_cursor(&self) -> usize {
        self.plist.cursor.selected
    }

    pub(super) fn pipelines_loaded(
        &mut self,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        self.pipelines_status.record(at, result, next_in);
        let Ok(Data::AuditPipelines(got)) = result else {
            return;
        };
        let keep = self
            .pipelines
            .get(self.plist.cursor.selected)
            .map(|p| (p.table.clone(), p.pipeline.clone()));
        let mut got = got.clone();
        // A pipeline named in config is asked in every runs table: its
        // empty rows go when another table has its runs.
        let found: Vec<String> = got
            .iter()
            .filter(|p| !p.runs.is_empty())
            .map(|p| p.pipeline.clone())
            .collect();
        got.retain(|p| !p.runs.is_empty() || p.error.is_some() || !found.contains(&p.pipeline));
        // Latest run failed first, then running, then the rest; by name.
        got.sort_by(|a, b| {
            let rank = |p: &PipelineRuns| p.runs.first().map_or(5, |r| r.status.rank());
            rank(a)
                .cmp(&rank(b))
                .then_with(|| a.pipeline.cmp(&b.pipeline))
        });
        self.history_medians = got
            .iter()
            .filter_map(|p| {
                p.median_s()
                    .map(|m| ((p.table.clone(), p.pipeline.clone()), m))
            })
            .collect();
        self.pipelines = got;
        if let Some(pos) = keep.and_then(|(t, n)| {
            self.pipelines
                .iter()
                .position(|p| p.table == t && p.pipeline == n)
        }) {
            self.plist.cursor.selected = pos;
        }
        self.plist.cursor.clamp(self.pipelines.len());
        // The list's cursor, whichever view is shown.
        let keep_run = self
            .order
            .get(self.list.cursor.selected)
            .map(|i| super::run_key(&self.runs[*i]));
        self.flag_and_sort(keep_run);
    }

    /// `p`: the pipelines view, or back to the runs.
    pub(super) fn toggle_pipelines(&mut self) -> Reply {
        if self.pipeline_filter.take().is_some() {
            self.reorder_keeping(None);
        }
        self.view = match self.view {
            View::Pipelines => View::List,
            _ => View::Pipelines,
        };
        self.plist = ListLevel {
            cursor: self.plist.cursor,
            ..ListLevel::default()
        };
        Reply::Handled(vec![])
    }

    /// Enter on a pipeline: the day's runs of it (the list filtered by its
    /// name).
    pub(super) fn open_pipeline(&mut self) -> Reply {
        let Some(p) = self.pipelines.get(self.plist.cursor.selected) else {
            return Reply::Ignored;
        };
        self.pipeline_filter = Some((p.table.clone(), p.pipeline.clone()));
        self.view = View::List;
        self.list = ListLevel::default();
        self.reorder_keeping(None);
        Reply::Handled(vec![])
    }
}

/// A pipeline's last runs as a strip, newest first: ✗ failed, ~ partial,
/// ▶ running, ✓ succeeded, ? anything else.
pub fn strip(p: &PipelineRuns) -> String {
    p.runs
        .iter()
        .map(|r| match r.status {
            RunStatus::Failed => '✗',
            RunStatus::Partial => '~',
            RunStatus::Running => '▶',
            RunStatus::Succeeded => '✓',
            RunStatus::Other(_) | RunStatus::Missing => '?',
        })
        .collect()
}
