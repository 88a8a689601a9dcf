//! Saved queries (Logs Insights query definitions): list, load, save,
//! delete. Saving and deleting change the account for everyone, so they are
//! gate actions; listing and loading are reads.

use super::{Focus, InsightsPane};
use crate::app::{Effect, Resource};
use crate::cloud::QueryDefinition;
use crate::gate::Action;
use crate::panes::Reply;

impl InsightsPane {
    pub(super) fn open_saved(&mut self) -> Reply {
        self.focus = Focus::Saved;
        self.saved.status = Default::default();
        Reply::Handled(vec![Effect::Refresh(Resource::QueryDefinitions)])
    }

    pub(super) fn selected_saved(&self) -> Option<&QueryDefinition> {
        self.saved.items.get(self.saved.cursor.selected)
    }

    /// Enter on a saved query: its text into the editor, its groups chosen.
    pub(super) fn load_saved(&mut self) -> Reply {
        let Some(def) = self.selected_saved().cloned() else {
            return Reply::Ignored;
        };
        self.editor.set_text(&def.query);
        // It runs in its own language, not the editor's last one.
        self.language = def.language.clone();
        if !def.groups.is_empty() {
            self.memory.groups = def.groups.clone();
        }
        self.focus = Focus::Results;
        self.triage = None;
        let text = match def.language.cannot_run() {
            Some(why) => format!("loaded \"{}\", but {why}", def.name),
            // Only another language than the usual one is worth a word.
            None => format!(
                "loaded \"{}\" ({}{} group(s)); run it, or :save to replace it",
                def.name,
                match def.language.is_cwli() {
                    true => String::new(),
                    false => format!("{}, ", def.language.name()),
                },
                def.groups.len()
            ),
        };
        self.saved.loaded = Some(def);
        Reply::Tell {
            effects: vec![self.save_memory()],
            text,
        }
    }

    /// `:save NAME` — the editor's query and groups under NAME (replacing a
    /// saved query of that name); `:save` alone replaces the one loaded.
    pub(super) fn save_as(&self, name: &str) -> Reply {
        let name = name.trim();
        let existing = |n: &str| {
            self.saved
                .items
                .iter()
                .chain(self.saved.loaded.as_ref())
                .find(|d| d.name == n)
                .and_then(|d| d.id.clone())
        };
        let (name, id) = match (name, &self.saved.loaded) {
            ("", Some(loaded)) => (loaded.name.clone(), loaded.id.clone()),
            ("", None) => {
                return Reply::Say(
                    ":save NAME — folders with /, e.g. :save glue/errors by job".into(),
                )
            }
            (n, _) => (n.to_string(), existing(n)),
        };
        let query = self.editor.text();
        if query.trim().is_empty() {
            return Reply::Say("the query is empty: nothing to save".into());
        }
        if let Some(why) = self.language.cannot_run() {
            return Reply::Say(format!("not saved: {why}"));
        }
        Reply::Act {
            action: Action::SaveQueryDefinition {
                definition: QueryDefinition {
                    id,
                    name,
                    query,
                    // SQL's groups are in its text, not beside it.
                    groups: if self.language.groups_in_text() {
                        vec![]
                    } else {
                        self.memory.groups.clone()
                    },
                    last_modified: None,
                    language: self.language.clone(),
                },
            },
            precheck: Ok(()),
        }
    }

    pub(super) fn delete_saved(&self) -> Reply {
        match self.selected_saved() {
            Some(QueryDefinition {
                id: Some(id), name, ..
            }) => Reply::Act {
                action: Action::DeleteQueryDefinition {
                    id: id.clone(),
                    name: name.clone(),
                },
                precheck: Ok(()),
            },
            _ => Reply::Ignored,
        }
    }
}
