//! Getting a result table out, for every pane that has one (Insights,
//! Athena): to a file (`E`, then the path in the command line), or to the
//! clipboard (`y` the row as JSON, `Y` the whole result as a Markdown
//! table). What is shown is what leaves: the current sort and filter apply.

use crate::app::Effect;
use crate::export::Format;
use crate::panes::Reply;
use crate::ui::components::results::ResultsTable;
use chrono::{DateTime, Utc};
use std::path::Path;

/// `E`: the command line, pre-filled with a path to edit
/// (`<dir>/pipedeck-<kind>-<time>.csv`).
pub fn export_prompt(results: &ResultsTable, dir: &str, kind: &str, now: DateTime<Utc>) -> Reply {
    if results.is_empty() {
        return Reply::Say("no rows to export yet".into());
    }
    let dir = dir.trim_end_matches('/');
    let name = format!("pipedeck-{kind}-{}.csv", now.format("%Y%m%d-%H%M%S"));
    Reply::Prompt(format!("export {dir}/{name}"))
}

/// `:export PATH` — the format from the extension.
pub fn export_to(results: &ResultsTable, path: &str) -> Reply {
    let path = path.trim();
    if path.is_empty() {
        return Reply::Say(":export PATH — .csv, .json or .md".into());
    }
    if results.is_empty() {
        return Reply::Say("no rows to export yet".into());
    }
    let format = match Format::from_path(Path::new(path)) {
        Ok(f) => f,
        Err(e) => return Reply::Say(e),
    };
    let table = results.shown_table();
    let (shown, all) = (table.rows.len(), results.len());
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

/// `y`: the selected row as one line of JSON (NULL as null).
pub fn copy_row(results: &ResultsTable) -> Reply {
    let row = results.selected_row();
    if row.is_empty() {
        return Reply::Ignored;
    }
    let object: serde_json::Map<String, serde_json::Value> = row
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                v.map_or(serde_json::Value::Null, serde_json::Value::String),
            )
        })
        .collect();
    Reply::Handled(vec![Effect::Copy(
        serde_json::Value::Object(object).to_string(),
    )])
}

/// `Y`: every shown row as a Markdown table.
pub fn copy_all(results: &ResultsTable) -> Reply {
    if results.is_empty() {
        return Reply::Ignored;
    }
    Reply::Handled(vec![Effect::Copy(results.shown_table().to_markdown())])
}
