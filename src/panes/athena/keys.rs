//! The Athena pane's keys: the one table its dispatch, footer and help
//! read — normal mode by focus, and the `[editor]` mode of its SQL editor.

use super::{AthenaPane, Focus, Run};
use crate::config::{Command, Mode};
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::{output, Ctx, Reply};
use crate::ui::components::list::Move;

type K = KeyAction<AthenaPane>;

fn on_results(p: &AthenaPane) -> bool {
    p.focus == Focus::Results
}

fn with_rows(p: &AthenaPane) -> bool {
    on_results(p) && !p.results.is_empty()
}

fn on_groups(p: &AthenaPane) -> bool {
    p.focus == Focus::WorkGroups
}

fn in_catalog(p: &AthenaPane) -> bool {
    p.focus == Focus::Catalog
}

fn in_history(p: &AthenaPane) -> bool {
    p.focus == Focus::History
}

fn in_saved(p: &AthenaPane) -> bool {
    p.focus == Focus::Saved
}

fn move_cursor(p: &mut AthenaPane, m: Move) {
    match p.focus {
        Focus::History => {
            let len = p.history.executions.len();
            p.history.cursor.apply(m, len);
        }
        Focus::Saved => {
            let len = p.saved.items.len();
            p.saved.cursor.apply(m, len);
        }
        Focus::WorkGroups => {
            let len = p.picker.groups.len();
            p.picker.cursor.apply(m, len);
        }
        Focus::Catalog => {
            let len = p.browser.len();
            p.browser.cursor.apply(m, len);
        }
        _ => p.results.move_cursor(m),
    }
}

fn run(p: &mut AthenaPane, ctx: &Ctx) -> Reply {
    p.start(ctx.now)
}

fn stop(p: &mut AthenaPane, _: &Ctx) -> Reply {
    p.stop()
}

fn to_results(p: &mut AthenaPane, _: &Ctx) -> Reply {
    p.focus = Focus::Results;
    Reply::Handled(vec![])
}

impl KeyTable for AthenaPane {
    fn before_key(&mut self, ctx: &Ctx) {
        self.now = ctx.now;
    }

    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            // The work group picker.
            K::moves(move_cursor).when(on_groups),
            K::new(
                Command::Open,
                "choose",
                "run the next queries in this work group",
                |p, _| p.choose_group(),
            )
            .when(on_groups),
            K::new(Command::Back, "back", "back to the results", to_results).when(on_groups),
            // The data catalog browser.
            K::moves(move_cursor).when(in_catalog),
            K::new(
                Command::Open,
                "open",
                "a catalog's databases, a database's tables; a table's name into the query",
                |p, _| p.catalog_open(),
            )
            .when(in_catalog),
            K::new(
                Command::Back,
                "up",
                "one level up (from the catalogs: the results)",
                |p, _| p.catalog_back(),
            )
            .when(in_catalog),
            // What ran in the work group.
            K::moves(move_cursor).when(in_history),
            K::new(
                Command::Open,
                "open",
                "its result (or failure) in the result view, its SQL in the editor",
                |p, _| p.reopen(),
            )
            .when(in_history),
            K::new(Command::Back, "back", "back to the results", to_results).when(in_history),
            // Saved queries.
            K::moves(move_cursor).when(in_saved),
            K::new(
                Command::Open,
                "load",
                "its SQL into the editor, its database the default",
                |p, _| p.load_saved(),
            )
            .when(in_saved),
            K::new(
                Command::Delete,
                "delete",
                "delete it for everyone who uses the work group (DeleteNamedQuery; asks first)",
                |p, _| p.delete_saved(),
            )
            .when(in_saved),
            K::new(Command::Back, "back", "back to the results", to_results).when(in_saved),
            // A run the guardrails hold.
            K::new(
                Command::Yes,
                "run anyway",
                "run the query as it is",
                |p, _| p.guard_yes(),
            )
            .in_mode(Mode::Confirm),
            K::new(Command::No, "don't run", "back, without running", |p, _| {
                p.guard_no()
            })
            .in_mode(Mode::Confirm),
            // The editor and the results; run and the picker also act from
            // the picker, but are offered on the results.
            K::new(Command::Edit, "edit", "type in the SQL editor", |p, _| {
                p.focus = Focus::Editor;
                Reply::Handled(vec![])
            })
            .offered(on_results),
            K::new(Command::Run, "run", "run the query in the work group", run).offered(on_results),
            K::new(
                Command::Stop,
                "stop query",
                "stop the running query (StopQueryExecution)",
                stop,
            )
            .offered(|p| on_results(p) && p.run.as_ref().is_some_and(Run::is_active)),
            K::new(
                Command::Groups,
                "work group",
                "choose the work group: its result location, scan limit, engine",
                |p, _| p.open_groups(),
            )
            .offered(on_results),
            K::new(
                Command::Catalog,
                "catalog",
                "browse catalogs, databases and tables (columns, partition keys)",
                |p, _| p.open_catalog(),
            )
            .offered(on_results),
            K::moves(move_cursor).when(on_results).offered(with_rows),
            output::filter_key(),
            output::sort_key(),
            output::export_key(),
            output::copy_row_key(),
            output::copy_all_key(),
            output::clear_filter_key(),
            K::new(
                Command::History,
                "history",
                "what ran in the work group: state, scan, cost; the last 24 h spend; runaway scans",
                |p, _| p.open_history(),
            )
            .offered(on_results),
            K::new(
                Command::Saved,
                "saved",
                "the work group's saved queries (:save NAME keeps the editor's)",
                |p, _| p.open_saved(),
            )
            .offered(on_results),
            // The editor ([editor]: letters and Enter are text).
            K::new(Command::Run, "run", "run the query", run).in_mode(Mode::Editor),
            K::new(Command::Stop, "stop", "stop the running query", stop).in_mode(Mode::Editor),
            K::new(
                Command::Back,
                "leave editor",
                "leave the editor",
                to_results,
            )
            .in_mode(Mode::Editor),
        ];
        KEYS
    }
}
