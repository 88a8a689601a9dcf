//! How the Athena pane reacts to keys, data and the clock.

use super::{AthenaPane, Focus};
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::CloudError;
use crate::config::Mode;
use crate::panes::{output, Ctx, Pane, PaneId, Reply};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

impl AthenaPane {
    /// The picker: its work groups are polled while it is open (and `r`
    /// reads them again), so it has no key of its own for that.
    pub(super) fn open_groups(&mut self) -> Reply {
        self.focus = Focus::WorkGroups;
        if let Some(i) = self
            .picker
            .groups
            .iter()
            .position(|g| g.name == self.workgroup)
        {
            self.picker.cursor.selected = i;
        }
        Reply::Handled(vec![])
    }

    pub(super) fn choose_group(&mut self) -> Reply {
        let Some(g) = self.picker.groups.get(self.picker.cursor.selected) else {
            return Reply::Ignored;
        };
        if !g.enabled {
            return Reply::Say(format!(
                "work group {} is disabled: it runs no queries",
                g.name
            ));
        }
        self.workgroup = g.name.clone();
        self.focus = Focus::Results;
        Reply::Tell {
            effects: vec![],
            text: format!("queries now run in work group {}", g.name),
        }
    }

    /// `:database NAME` / `:catalog NAME`: the query's default context.
    fn set_context(&mut self, word: &str, args: &[&str]) -> Reply {
        let value = args.join(" ");
        match (word, value.trim()) {
            ("database", "") => {
                self.database = None;
                Reply::Say("no default database: name tables as db.table".into())
            }
            ("database", v) => {
                self.database = Some(v.to_string());
                Reply::Handled(vec![])
            }
            ("catalog", "") => Reply::Say(":catalog NAME — e.g. :catalog AwsDataCatalog".into()),
            (_, v) => {
                self.catalog = v.to_string();
                Reply::Handled(vec![])
            }
        }
    }
}

impl Pane for AthenaPane {
    fn id(&self) -> PaneId {
        PaneId::Athena
    }

    fn title(&self) -> &'static str {
        "Athena"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["athena", "sql"]
    }

    fn input_mode(&self) -> Option<Mode> {
        match self.focus {
            Focus::Editor => Some(Mode::Editor),
            // The guardrail question answers to the [confirm] keys.
            Focus::Guard => Some(Mode::Confirm),
            _ => None,
        }
    }

    fn on_text_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Reply {
        self.now = ctx.now;
        match self.focus {
            Focus::Editor => {
                self.editor.input(*key);
                Reply::Handled(vec![])
            }
            // Only y or n answer the question.
            Focus::Guard => Reply::Handled(vec![]),
            _ => Reply::Ignored,
        }
    }

    fn command_words(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "export PATH",
                "write the result to PATH (.csv, .json or .md)",
            ),
            (
                "database NAME",
                "the database unqualified tables are read from",
            ),
            ("catalog NAME", "the data catalog (default AwsDataCatalog)"),
            (
                "save NAME",
                "keep the editor's SQL as a saved query of the work group (asks first)",
            ),
        ]
    }

    fn on_command_line(&mut self, word: &str, args: &[&str], _ctx: &Ctx) -> Option<Reply> {
        match word {
            "export" => Some(output::export_to(&self.results, &args.join(" "))),
            "database" | "catalog" => Some(self.set_context(word, args)),
            "save" => Some(self.save_as(&args.join(" "))),
            _ => None,
        }
    }

    fn view_key(&self) -> String {
        format!("{:?}", self.focus)
    }

    fn is_filtering(&self) -> bool {
        self.filtering || self.focus == Focus::Editor
    }

    fn edit_filter(&mut self, edit: Edit) {
        self.results.list.edit(edit);
        self.results.reorder();
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            self.results.list.clear_filter();
            self.results.reorder();
        }
    }

    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        let fx = match resource {
            Resource::AthenaStart { run, .. } => self.started(*run, at, result),
            Resource::AthenaExecution { id } => self.polled(id, at, result),
            Resource::AthenaRows { id } => {
                self.rows_done(id, result);
                vec![]
            }
            Resource::AthenaCatalogs
            | Resource::AthenaDatabases { .. }
            | Resource::AthenaTables { .. } => {
                self.catalog_loaded(resource, at, result, next_in);
                self.guard_learned(resource, result);
                vec![]
            }
            Resource::AthenaWorkGroups => {
                self.picker.asked = false;
                self.picker.status.record(at, result, next_in);
                if let Ok(Data::AthenaWorkGroups(g)) = result {
                    self.picker.groups = g.clone();
                    self.picker.cursor.clamp(g.len());
                }
                self.guard_learned(resource, result);
                vec![]
            }
            Resource::AthenaHistory { workgroup } => {
                self.history_loaded(workgroup, at, result, next_in);
                vec![]
            }
            Resource::AthenaNamedQueries { workgroup } => {
                self.saved_loaded(workgroup, at, result);
                vec![]
            }
            _ => vec![],
        };
        self.pending.extend(fx);
    }

    fn on_progress(&mut self, resource: &Resource, data: &Data, _done: usize, _total: usize) {
        if let (Resource::AthenaRows { id }, Data::AthenaRows(part)) = (resource, data) {
            self.rows_arrived(id, part);
        }
    }

    fn on_tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        let fx = self.poll_due(now);
        self.pending.extend(fx);
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// A saved query created or deleted: the list read again.
    fn on_action_done(&mut self, report: &crate::gate::ActionReport) -> Vec<Effect> {
        match &report.action {
            crate::gate::Action::SaveNamedQuery { .. }
            | crate::gate::Action::DeleteNamedQuery { .. } => {
                vec![Effect::Refresh(self.saved_resource())]
            }
            _ => vec![],
        }
    }

    fn on_quit(&mut self) -> Vec<Effect> {
        self.stop_effects()
    }

    /// A query keeps its own schedule (ticks); the work groups and the
    /// catalog's current level are polled while shown (`r` reads again).
    fn subscriptions(&self) -> Vec<Resource> {
        match self.focus {
            Focus::WorkGroups => vec![Resource::AthenaWorkGroups],
            Focus::Catalog => vec![self.browser.resource()],
            Focus::History => vec![Resource::AthenaHistory {
                workgroup: self.history.workgroup.clone(),
            }],
            _ => vec![],
        }
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.focus {
            Focus::WorkGroups => Some(&self.picker.status),
            Focus::Catalog => Some(&self.browser.status),
            Focus::History => Some(&self.history.status),
            Focus::Saved => Some(&self.saved.status),
            _ => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
