//! How the DLQ pane reacts to keys and data.

use super::{DlqPane, Peek, View};
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::CloudError;
use crate::gate::{Action, ActionReport};
use crate::panes::{Ctx, Pane, PaneId, Reply};
use crate::ui::components::list::Move;
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::time::Duration;

impl DlqPane {
    pub(super) fn move_cursor(&mut self, m: Move) {
        match (&self.view, self.peek.as_mut()) {
            // Pages scroll the selected body; lines move between messages.
            (View::Peek { .. }, Some(p)) if matches!(m, Move::PageUp | Move::PageDown) => {
                p.body_scroll = m.scroll(p.body_scroll);
            }
            (View::Peek { .. }, Some(p)) => {
                let before = p.cursor.selected;
                p.cursor.apply(m, p.messages.len());
                if p.cursor.selected != before {
                    p.body_scroll = 0;
                }
            }
            _ => self.list.cursor.apply(m, self.order.len()),
        }
    }

    /// Enter: peek at the selected DLQ (or peek again). Never automatic.
    pub(super) fn open(&mut self) -> Reply {
        let Some(d) = self.selected() else {
            return Reply::Ignored;
        };
        let (name, url) = (d.name.clone(), d.url.clone());
        self.view = View::Peek {
            queue: name.clone(),
        };
        let marked = self
            .peek
            .take()
            .filter(|p| p.queue == name)
            .map(|p| p.marked)
            .unwrap_or_default();
        let mut peek = Peek::new(&name, &url);
        peek.marked = marked;
        self.peek = Some(peek);
        Reply::Handled(vec![Effect::Refresh(Resource::DlqPeek {
            url,
            max: self.peek_max,
        })])
    }

    pub(super) fn back(&mut self) -> Reply {
        match self.view {
            View::Peek { .. } => {
                self.view = View::Queues;
                self.reorder();
            }
            View::Queues if self.list.has_filter() => {
                self.list.clear_filter();
                self.reorder();
            }
            View::Queues => return Reply::Ignored,
        }
        Reply::Handled(vec![])
    }

    pub(super) fn mark(&mut self) -> Reply {
        match (&self.view, self.peek.as_mut()) {
            (View::Peek { .. }, Some(p)) => {
                p.toggle_mark();
                let len = p.messages.len();
                p.cursor.apply(Move::Down, len);
                Reply::Handled(vec![])
            }
            _ => Reply::Say("peek at a DLQ (Enter) to mark messages".into()),
        }
    }

    fn dlqs_loaded(&mut self, at: DateTime<Utc>, dlqs: &[crate::cloud::Dlq]) {
        let keep = self.selected().map(|d| d.name.clone());
        self.stale_since = None;
        self.dlqs = dlqs.to_vec();
        self.keep_picture(at);
        for d in dlqs {
            self.history.sample(&d.name, at, d.visible as f64);
        }
        self.reorder_keeping(keep);
    }

    /// Writes the DLQs' picture for the next start when which DLQs there
    /// are, or which hold messages, changed.
    fn keep_picture(&mut self, at: DateTime<Utc>) {
        let p = super::picture::Picture::of(&self.dlqs, at);
        if let Some(fx) = self
            .kept
            .keep(super::picture::FILE, p, |last, next| last.same_as(next))
        {
            self.pending.push(fx);
        }
    }

    fn metrics_loaded(&mut self, m: &crate::cloud::DlqMetrics) {
        for (name, q) in &m.queues {
            self.history.backfill(name, &q.depth);
        }
        self.metrics = m.clone();
    }

    fn peeked(&mut self, url: &str, at: DateTime<Utc>, result: &Result<Data, CloudError>) {
        let Some(p) = self.peek.as_mut().filter(|p| p.url == url) else {
            return;
        };
        p.stale = false;
        p.status.record(at, result, None);
        if let Ok(Data::Peeked(messages)) = result {
            // Marks survive a second peek only for messages still there.
            p.set_messages(messages.clone());
        }
    }

    /// The DLQ names whose CloudWatch figures are wanted.
    /// The DLQs whose CloudWatch age and depth history are worth asking
    /// for: those holding messages. GetMetricData is billed per metric, and
    /// an empty DLQ's history is a flat zero.
    fn metric_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .dlqs
            .iter()
            .filter(|d| d.total() > 0)
            .map(|d| d.name.clone())
            .collect();
        names.sort();
        names
    }
}

impl Pane for DlqPane {
    fn id(&self) -> PaneId {
        PaneId::Dlq
    }

    fn title(&self) -> &'static str {
        "DLQ"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["dlq", "dlqs", "sqs", "queues"]
    }

    fn command_words(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "redrive QUEUE [MSG/S]",
            "redrive the selected DLQ to QUEUE (asks)",
        )]
    }

    fn view_key(&self) -> String {
        format!(
            "{:?}/{}",
            self.view,
            self.selected().map_or("", |d| d.name.as_str())
        )
    }

    fn state_files(&self) -> &'static [&'static str] {
        &[super::picture::FILE]
    }

    /// Last session's picture of this profile's DLQs, shown as stale until
    /// the first fresh read.
    fn restore(&mut self, _file: &str, text: &str, at: &crate::panes::Restore) {
        if let Some(p) = self.kept.restore(text, at.scope.as_deref()) {
            if self.dlqs.is_empty() {
                self.dlqs = p.dlqs.clone();
                self.stale_since = Some(p.at);
                self.reorder_keeping(None);
            }
        }
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    fn on_command_line(&mut self, word: &str, args: &[&str], _ctx: &Ctx) -> Option<Reply> {
        (word == "redrive").then(|| self.redrive_to(args))
    }

    fn is_filtering(&self) -> bool {
        self.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        self.list.edit(edit);
        self.reorder();
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            self.list.clear_filter();
            self.reorder();
        }
    }

    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<Duration>,
    ) {
        match (resource, result) {
            (Resource::Dlqs { .. }, r) => {
                self.status.record(at, r, next_in);
                if let Ok(Data::Dlqs(d)) = r {
                    self.dlqs_loaded(at, d);
                }
            }
            (Resource::DlqMetrics { .. }, r) => {
                self.metrics_status.record(at, r, next_in);
                if let Ok(Data::DlqMetrics(m)) = r {
                    self.metrics_loaded(m);
                }
            }
            (Resource::DlqPeek { url, .. }, r) => self.peeked(url, at, r),
            (Resource::AuditRuns, Ok(Data::AuditRuns(day))) => {
                self.audit = day.links.clone();
            }
            (Resource::DlqProgress { url, .. }, Ok(Data::DlqProgress(p))) => {
                if let Some(d) = self.dlqs.iter_mut().find(|d| d.url == *url) {
                    d.visible = p.visible;
                    d.in_flight = p.in_flight;
                    d.delayed = p.delayed;
                    d.move_task = p.move_task.clone();
                    let (name, visible) = (d.name.clone(), d.visible);
                    self.history.sample(&name, at, visible as f64);
                    self.reorder();
                }
            }
            _ => {}
        }
    }

    fn on_action_done(&mut self, report: &ActionReport) -> Vec<Effect> {
        let touched = matches!(
            report.action,
            Action::RedriveDlq { .. }
                | Action::CancelRedrive { .. }
                | Action::PurgeDlq { .. }
                | Action::ClientRedrive { .. }
        );
        if !touched {
            return vec![];
        }
        if let Some(p) = self.peek.as_mut() {
            if matches!(
                report.action,
                Action::ClientRedrive { .. } | Action::PurgeDlq { .. }
            ) {
                p.marked.clear();
                p.stale = true;
            }
        }
        vec![Effect::Refresh(Resource::Dlqs {
            configured: self.configured.clone(),
        })]
    }

    fn subscriptions(&self) -> Vec<Resource> {
        let mut subs = vec![Resource::Dlqs {
            configured: self.configured.clone(),
        }];
        // A running redrive is watched closely, one queue at a time.
        subs.extend(
            self.dlqs
                .iter()
                .filter(|d| d.active_task().is_some())
                .map(|d| Resource::DlqProgress {
                    url: d.url.clone(),
                    arn: d.arn.clone(),
                }),
        );
        let names = self.metric_names();
        if !names.is_empty() {
            subs.push(Resource::DlqMetrics { queues: names });
        }
        subs
    }

    fn status(&self) -> Option<&PollStatus> {
        Some(&self.status)
    }

    fn header_note(&self, compact: bool) -> Option<String> {
        let running: Vec<String> = self
            .dlqs
            .iter()
            .filter_map(|d| {
                d.active_task().map(|t| {
                    let of = t.to_move.map_or(String::new(), |n| format!("/{n}"));
                    if compact {
                        format!("⟳{}{of}", t.moved)
                    } else {
                        format!("⟳ {} {}{of}", d.name, t.moved)
                    }
                })
            })
            .collect();
        (!running.is_empty()).then(|| running.join(" "))
    }

    fn alert_count(&self) -> Option<(&'static str, Option<usize>)> {
        let known = self.status.last_ok.is_some();
        Some((
            "DLQ msgs",
            known.then(|| self.total_messages().max(0) as usize),
        ))
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
