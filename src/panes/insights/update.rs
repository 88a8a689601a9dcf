//! How the Insights pane reacts to keys, data and the clock.

use super::{Focus, InsightsPane, Range};
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::CloudError;
use crate::config::Mode;
use crate::gate::{Action, ActionReport};
use crate::panes::{Ctx, Handoff, Pane, PaneId, Reply};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::Frame;

impl Pane for InsightsPane {
    fn id(&self) -> PaneId {
        PaneId::Insights
    }

    fn title(&self) -> &'static str {
        "Insights"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["insights", "logs", "li"]
    }

    fn state_files(&self) -> &'static [&'static str] {
        &[super::memory::FILE]
    }

    fn restore(&mut self, _file: &str, text: &str, at: &crate::panes::Restore) {
        let mut all = super::memory::parse(text);
        self.memory = super::memory::for_profile(&all, &at.profile);
        all.remove(&at.profile);
        self.other_profiles = all;
    }

    fn input_mode(&self) -> Option<Mode> {
        match self.focus {
            Focus::Editor => Some(Mode::Editor),
            Focus::Groups if self.picker.typing => Some(Mode::Picker),
            _ => None,
        }
    }

    /// Text while typing in the editor or the picker's search (what the
    /// mode's keymap binds was taken by the key table first): the editor
    /// takes everything (arrows, Enter for a new line, undo…), the search
    /// line printable characters.
    fn on_text_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Reply {
        self.now = ctx.now;
        match self.focus {
            Focus::Editor => {
                self.editor.input(*key);
                self.recall = None;
            }
            Focus::Groups if self.picker.typing => {
                if let KeyCode::Char(c) = key.code {
                    if crate::config::keys::KeySpec::is_text(key) {
                        self.picker.search.apply(Edit::Insert(c));
                    }
                }
            }
            _ => return Reply::Ignored,
        }
        Reply::Handled(vec![])
    }

    fn on_handoff(&mut self, handoff: Handoff, ctx: &Ctx) -> Reply {
        self.now = ctx.now;
        match handoff {
            Handoff::TriageGlueRun(run) => self.triage_run(&run, ctx.now),
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
                "save [NAME]",
                "save the query as NAME, or replace the loaded one (asks)",
            ),
            (
                "range START END",
                "query an absolute range (RFC 3339 or epoch seconds)",
            ),
        ]
    }

    fn view_key(&self) -> String {
        format!("{:?}", self.focus)
    }

    fn on_command_line(&mut self, word: &str, args: &[&str], _ctx: &Ctx) -> Option<Reply> {
        match word {
            // Paths and names may hold spaces: the words are joined again.
            "export" => {
                return Some(crate::panes::output::export_to(
                    &self.results,
                    &args.join(" "),
                ))
            }
            "save" => return Some(self.save_as(&args.join(" "))),
            _ => {}
        }
        (word == "range").then(|| match args {
            [a, b] => match (
                crate::cloud::logs::parse_time(a),
                crate::cloud::logs::parse_time(b),
            ) {
                (Some(a), Some(b)) if a < b => {
                    self.range = Range::Absolute(a, b);
                    Reply::Handled(vec![])
                }
                _ => Reply::Say(
                    ":range START END — RFC 3339 or epoch seconds, START before END".into(),
                ),
            },
            _ => Reply::Say(
                ":range START END — e.g. :range 2026-11-27T02:00:00Z 2026-11-27T03:00:00Z".into(),
            ),
        })
    }

    fn is_filtering(&self) -> bool {
        self.filtering
            || self.focus == Focus::Editor
            || (self.focus == Focus::Groups && self.picker.typing)
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
        match (resource, result) {
            (Resource::InsightsStart { run, .. }, r) => {
                let fx = self.on_start_answer(*run, r);
                self.pending.extend(fx);
            }
            (Resource::InsightsResults { query_id }, r)
                if self.run.as_ref().and_then(|x| x.id.as_ref()) == Some(query_id) =>
            {
                self.results_status.record(at, r, next_in);
                match r {
                    Ok(Data::QueryResults(q)) => self.results_loaded(at, q),
                    Err(e) if !e.is_throttle() => self.error = Some(e.to_string()),
                    _ => {}
                }
            }
            (Resource::LogGroups { prefix }, r) if *prefix == self.picker.search.text => {
                self.picker.status.record(at, r, next_in);
                if let Ok(Data::LogGroups(g)) = r {
                    self.picker.found = g.clone();
                    let len = g.len();
                    self.picker.cursor.clamp(len);
                }
            }
            (Resource::ExistingLogGroups { names }, r) => self.triage_groups_known(names, at, r),
            (Resource::QueryDefinitions, r) => {
                self.saved.status.record(at, r, next_in);
                if let Ok(Data::QueryDefinitions(defs)) = r {
                    self.saved.items = defs.clone();
                    let len = defs.len();
                    self.saved.cursor.clamp(len);
                }
            }
            (Resource::LogRecord { ptr }, r) => {
                if let Some((want, slot)) = self.record.as_mut() {
                    if want == ptr {
                        *slot = match r {
                            Ok(Data::LogRecord(rec)) => Ok(super::pretty_record(rec)),
                            Err(e) => Err(e.to_string()),
                            _ => Err("unexpected answer".into()),
                        };
                    }
                }
            }
            _ => {}
        }
    }

    fn on_action_done(&mut self, report: &ActionReport) -> Vec<Effect> {
        match &report.action {
            Action::SaveQueryDefinition { definition } if report.ok => {
                // What is in the editor is now that saved query.
                self.saved.loaded = Some(definition.clone());
                vec![Effect::Refresh(Resource::QueryDefinitions)]
            }
            Action::DeleteQueryDefinition { id, .. } => {
                // Gone: `:save` alone must not try to replace it.
                if report.ok && self.saved.loaded.as_ref().and_then(|d| d.id.as_ref()) == Some(id) {
                    self.saved.loaded = None;
                }
                vec![Effect::Refresh(Resource::QueryDefinitions)]
            }
            Action::SaveQueryDefinition { .. } => {
                vec![Effect::Refresh(Resource::QueryDefinitions)]
            }
            _ => vec![],
        }
    }

    fn on_tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    fn on_quit(&mut self) -> Vec<Effect> {
        self.stop_effects()
    }

    fn subscriptions(&self) -> Vec<Resource> {
        match &self.run {
            Some(r) if r.is_active() => {
                r.id.clone()
                    .map(|query_id| vec![Resource::InsightsResults { query_id }])
                    .unwrap_or_default()
            }
            _ => vec![],
        }
    }

    /// A query that is running keeps being polled at full speed even when
    /// another pane is shown: its status is what the user waits for.
    fn always_visible(&self) -> bool {
        true
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.focus {
            Focus::Groups => Some(&self.picker.status),
            Focus::Saved => Some(&self.saved.status),
            // Nothing polls until a query runs, and a query refused at
            // StartQuery never will: no "loading…" then (the pane says
            // what happened).
            _ if self.run.is_none() => None,
            _ if self.error.is_some() && !self.results_status.loaded_once() => None,
            _ => Some(&self.results_status),
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
