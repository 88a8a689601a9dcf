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

fn move_cursor(p: &mut AthenaPane, m: Move) {
    match p.focus {
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
