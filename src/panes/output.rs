//! Getting a result table out, for every pane that has one (Insights,
//! Athena): to a file (`E`, then the path in the command line), or to the
//! clipboard (`y` the row as JSON, `Y` the whole result as a Markdown
//! table). What is shown is what leaves: the current sort and filter apply.

use crate::app::Effect;
use crate::config::Command;
use crate::export::Format;
use crate::panes::keys::KeyAction;
use crate::panes::{Ctx, Reply};
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

/// A pane showing a result table (Insights, Athena): what the keys every
/// result table answers need of it.
pub trait ResultPane {
    fn results(&self) -> &ResultsTable;
    fn results_mut(&mut self) -> &mut ResultsTable;
    /// The rows are what is looked at (no picker or record over them).
    fn on_results(&self) -> bool;
    /// `/` starts typing the rows' filter.
    fn start_filter(&mut self);
    /// Where `E` proposes to write, and the word in the file's name.
    fn export_place(&self) -> (&str, &'static str);
}

fn with_rows<P: ResultPane>(p: &P) -> bool {
    p.on_results() && !p.results().is_empty()
}

fn filter<P: ResultPane>(p: &mut P, _: &Ctx) -> Reply {
    p.start_filter();
    Reply::Handled(vec![])
}

fn sort<P: ResultPane>(p: &mut P, _: &Ctx) -> Reply {
    p.results_mut().cycle_sort();
    Reply::Handled(vec![])
}

fn export<P: ResultPane>(p: &mut P, ctx: &Ctx) -> Reply {
    let (dir, kind) = p.export_place();
    export_prompt(p.results(), dir, kind, ctx.now)
}

fn clear_filter<P: ResultPane>(p: &mut P, _: &Ctx) -> Reply {
    let rows = p.results_mut();
    rows.list.clear_filter();
    rows.reorder();
    Reply::Handled(vec![])
}

/// The result table's own keys, one constructor each so every pane puts
/// them where its footer wants them.
pub const fn filter_key<P: ResultPane>() -> KeyAction<P> {
    KeyAction::new(
        Command::Filter,
        "filter",
        "filter the rows by what they show",
        filter::<P>,
    )
    .when(P::on_results)
    .offered(with_rows::<P>)
}

pub const fn sort_key<P: ResultPane>() -> KeyAction<P> {
    KeyAction::new(Command::Sort, "sort", "sort by the next column", sort::<P>)
        .when(P::on_results)
        .offered(with_rows::<P>)
}

pub const fn export_key<P: ResultPane>() -> KeyAction<P> {
    KeyAction::new(
        Command::Export,
        "export",
        "write the result to a file (.csv, .json or .md)",
        export::<P>,
    )
    .offered(with_rows::<P>)
}

pub const fn copy_row_key<P: ResultPane>() -> KeyAction<P> {
    KeyAction::new(
        Command::Copy,
        "copy row",
        "copy the selected row as JSON",
        |p: &mut P, _: &Ctx| copy_row(p.results()),
    )
    .when(P::on_results)
    .offered(with_rows::<P>)
}

pub const fn copy_all_key<P: ResultPane>() -> KeyAction<P> {
    KeyAction::new(
        Command::CopyAll,
        "copy all",
        "copy every row, as a Markdown table",
        |p: &mut P, _: &Ctx| copy_all(p.results()),
    )
    .offered(with_rows::<P>)
}

/// Back clears the rows' filter while there is one.
pub const fn clear_filter_key<P: ResultPane>() -> KeyAction<P> {
    KeyAction::new(
        Command::Back,
        "back",
        "clear the rows' filter",
        clear_filter::<P>,
    )
    .when(|p: &P| p.on_results() && p.results().list.has_filter())
}
