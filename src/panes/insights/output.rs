//! Getting a result out: to a file (`E`, then the path in the command
//! line), or to the clipboard (`y` the row as JSON, `Y` the whole result as
//! a Markdown table). What is shown is what leaves: the current sort and
//! filter apply.

use super::InsightsPane;
use crate::app::Effect;
use crate::export::Format;
use crate::panes::Reply;
use chrono::{DateTime, Utc};
use std::path::Path;

impl InsightsPane {
    /// `E`: the command line, pre-filled with a path to edit.
    pub(super) fn export_prompt(&self, now: DateTime<Utc>) -> Reply {
        if self.results.is_empty() {
            return Reply::Say("no rows to export yet".into());
        }
        let dir = self.export_dir.trim_end_matches('/');
        let name = format!("pipedeck-insights-{}.csv", now.format("%Y%m%d-%H%M%S"));
        Reply::Prompt(format!("export {dir}/{name}"))
    }

    /// `:export PATH` — the format from the extension.
    pub(super) fn export_to(&self, path: &str) -> Reply {
        let path = path.trim();
        if path.is_empty() {
            return Reply::Say(":export PATH — .csv, .json or .md".into());
        }
        if self.results.is_empty() {
            return Reply::Say("no rows to export yet".into());
        }
        let format = match Format::from_path(Path::new(path)) {
            Ok(f) => f,
            Err(e) => return Reply::Say(e),
        };
        let table = self.results.shown_table();
        let (shown, all) = (table.rows.len(), self.results.len());
        let done = if shown == all {
            format!("wrote {shown} row(s) as {}", format.extension())
        } else {
            format!(
                "wrote {shown} of {all} row(s) (filtered) as {}",
                format.extension()
            )
        };
        Reply::Handled(vec![Effect::Export {
            path: path.to_string(),
            table,
            format,
            done,
        }])
    }

    /// `y`: the selected row as one line of JSON.
    pub(super) fn copy_row(&self) -> Reply {
        let row = self.results.selected_row();
        if row.is_empty() {
            return Reply::Ignored;
        }
        let object: serde_json::Map<String, serde_json::Value> = row
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        Reply::Handled(vec![Effect::Copy(
            serde_json::Value::Object(object).to_string(),
        )])
    }

    /// `Y`: every shown row as a Markdown table.
    pub(super) fn copy_all(&self) -> Reply {
        if self.results.is_empty() {
            return Reply::Ignored;
        }
        Reply::Handled(vec![Effect::Copy(self.results.shown_table().to_markdown())])
    }
}
