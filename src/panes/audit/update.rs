//! How the audit pane reacts to keys and data.

use super::{AuditPane, View};
use crate::app::{Data, Edit, PollStatus, Resource};
use crate::cloud::CloudError;
use crate::gate::{Action, ActionReport};
use crate::panes::{Pane, PaneId, Reply};
use crate::ui::components::list::ListLevel;
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;

impl AuditPane {
    pub(super) fn open(&mut self) -> Reply {
        match self.selected_index() {
            Some(i) => {
                self.view = View::Detail(i);
                self.detail_scroll = 0;
                self.detail_last.set(None);
                // Another run's read (or its failure) is not this one's.
                self.records_status = PollStatus::default();
                Reply::Handled(vec![])
            }
            None => Reply::Ignored,
        }
    }

    /// `X` on a RUNNING run: the table's failed word, through the gate —
    /// a conditional update on the word it holds now, so a run that ended
    /// meanwhile is left alone.
    pub(super) fn mark_failed(&self, now: DateTime<Utc>, caller: Option<&str>) -> Reply {
        let Some(i) = self.selected_index() else {
            return Reply::Ignored;
        };
        let r = &self.runs[i];
        if r.status != crate::cloud::audit::RunStatus::Running {
            return Reply::Say(format!(
                "only a RUNNING run can be marked failed; this one is {}",
                r.status.label()
            ));
        }
        let (Some(word), false) = (r.status_word.clone(), r.key.is_empty()) else {
            return Reply::Say(
                "this record's key or status was not read: it cannot be marked".into(),
            );
        };
        let running_for = r.age_s(now).map_or(String::new(), |s| {
            format!(", RUNNING for {}", crate::app::duration(s.max(0.0) as i64))
        });
        let why = if self.is_stuck(i) {
            format!("stuck{running_for}")
        } else {
            format!("no longer running{running_for}")
        };
        Reply::Act {
            action: Action::MarkRunFailed {
                table: r.table.clone(),
                pipeline: r.pipeline.clone().unwrap_or_default(),
                run_id: r.run_id.clone().unwrap_or_else(|| "(no run id)".into()),
                key: r.key.clone(),
                running_word: word,
                message: format!(
                    "marked FAILED{} from pipedeck at {} UTC: {why}",
                    caller.map_or(String::new(), |c| format!(" by {c}")),
                    now.format("%Y-%m-%d %H:%M")
                ),
            },
            precheck: Ok(()),
        }
    }

    pub(super) fn back(&mut self) -> Reply {
        match self.view {
            View::Detail(_) | View::Detect { .. } | View::Pipelines => self.view = View::List,
            View::List if self.pipeline_filter.is_some() => {
                self.pipeline_filter = None;
                self.reorder_keeping(None);
                self.view = View::Pipelines;
            }
            View::List if self.list.has_filter() => {
                self.list = ListLevel::default();
                self.reorder_keeping(None);
            }
            View::List => return Reply::Ignored,
        }
        Reply::Handled(vec![])
    }
}

impl Pane for AuditPane {
    fn id(&self) -> PaneId {
        PaneId::Audit
    }

    fn title(&self) -> &'static str {
        "Audit"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["audit", "runs", "records"]
    }

    /// The proposal answers to the `[confirm]` keys (y adds, n leaves).
    fn input_mode(&self) -> Option<crate::config::Mode> {
        (matches!(self.view, View::Detect { .. }) && self.detection.is_some())
            .then_some(crate::config::Mode::Confirm)
    }

    fn on_text_key(
        &mut self,
        _key: &crossterm::event::KeyEvent,
        _ctx: &crate::panes::Ctx,
    ) -> Reply {
        // Only y or n answer the proposal.
        Reply::Handled(vec![])
    }

    fn command_words(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "audit detect TABLE",
            "read a table's keys, indexes and 25 items; propose its [[audit.tables]] mapping (y adds it)",
        )]
    }

    fn on_command_line(
        &mut self,
        word: &str,
        args: &[&str],
        _ctx: &crate::panes::Ctx,
    ) -> Option<Reply> {
        match (word, args) {
            (w, ["detect", rest @ ..]) if self.aliases().contains(&w) => Some(self.detect(rest)),
            _ => None,
        }
    }

    fn view_key(&self) -> String {
        format!("{:?}", self.view)
    }

    fn is_filtering(&self) -> bool {
        self.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        let keep = self.selected().map(super::run_key);
        self.list.edit(edit);
        self.reorder_keeping(keep);
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            self.list.clear_filter();
            self.reorder_keeping(None);
        }
    }

    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        if let Resource::AuditDetect { table } = resource {
            self.detected(table, at, result);
            return;
        }
        if let Resource::AuditPipelines { .. } = resource {
            self.pipelines_loaded(at, result, next_in);
            return;
        }
        if let Resource::AuditRecords(run) = resource {
            self.records_loaded(run, at, result, next_in);
            return;
        }
        if *resource != Resource::AuditRuns {
            return;
        }
        self.status.record(at, result, next_in);
        if let Ok(Data::AuditRuns(day)) = result {
            self.runs_loaded(&day.tables, at, true);
        }
    }

    /// The first read's failed, partial and running runs, before its
    /// succeeded pages (a refresh keeps the whole list it has instead).
    fn on_progress(&mut self, resource: &Resource, data: &Data, _done: usize, _total: usize) {
        if let (Resource::AuditRuns, Data::AuditRuns(day)) = (resource, data) {
            if self.status.last_ok.is_none() {
                self.runs_loaded(&day.tables, self.now, false);
            }
        }
    }

    fn on_tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
    }

    /// A run marked (or found finished): the tables read again.
    fn on_action_done(&mut self, report: &ActionReport) -> Vec<crate::app::Effect> {
        match report.action {
            Action::MarkRunFailed { .. } => vec![crate::app::Effect::Refresh(Resource::AuditRuns)],
            _ => vec![],
        }
    }

    /// Polled while shown, and slowly while hidden: it feeds the header
    /// and the other panes' links to records.
    fn subscriptions(&self) -> Vec<Resource> {
        let mut subs = vec![Resource::AuditRuns];
        subs.extend(self.records_subscription());
        subs.extend(self.pipelines_subscription());
        subs
    }

    fn state_files(&self) -> &'static [&'static str] {
        &[super::pipelines::FILE]
    }

    /// The pipelines seen in the last 7 days, for the pipelines view.
    fn restore(&mut self, _file: &str, text: &str, at: &crate::panes::Restore) {
        self.restore_seen(text, at.scope.as_deref(), at.now);
    }

    fn take_effects(&mut self) -> Vec<crate::app::Effect> {
        std::mem::take(&mut self.pending)
    }

    fn on_handoff(&mut self, handoff: crate::panes::Handoff, _ctx: &crate::panes::Ctx) -> Reply {
        match handoff {
            crate::panes::Handoff::OpenAuditRun { ids } => self.open_by_ids(&ids),
            _ => Reply::Ignored,
        }
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.view {
            View::Detect { .. } => Some(&self.detect_status),
            View::Pipelines => Some(&self.pipelines_status),
            _ => Some(&self.status),
        }
    }

    fn alert_count(&self) -> Option<(&'static str, Option<usize>)> {
        // No tables: nothing to count, no badge.
        match self.status.last_ok {
            Some(_) if self.tables.is_empty() => None,
            Some(_) => Some(("AUDIT", Some(self.needing_attention()))),
            None => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
