//! The Insights pane's keys: the one table its dispatch, footer and help
//! read — normal mode by focus, and the `[editor]` / `[picker]` modes of
//! its text contexts.

use super::{Focus, InsightsPane, Range, Run, PRESETS};
use crate::app::{Edit, Effect};
use crate::config::{Command, Mode};
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::{output, Ctx, Reply};
use crate::ui::components::list::Move;

type K = KeyAction<InsightsPane>;

fn on_results(p: &InsightsPane) -> bool {
    p.focus == Focus::Results
}

fn with_rows(p: &InsightsPane) -> bool {
    on_results(p) && !p.results.is_empty()
}

fn never(_: &InsightsPane) -> bool {
    false
}

fn move_cursor(p: &mut InsightsPane, m: Move) {
    match p.focus {
        Focus::Groups => {
            let len = p.picker.found.len();
            p.picker.cursor.apply(m, len);
        }
        Focus::Record => p.record_scroll = m.scroll(p.record_scroll),
        Focus::Saved => {
            let len = p.saved.items.len();
            p.saved.cursor.apply(m, len);
        }
        _ => p.results.move_cursor(m),
    }
}

fn focus(p: &mut InsightsPane, to: Focus) -> Reply {
    p.focus = to;
    Reply::Handled(vec![])
}

fn run(p: &mut InsightsPane, ctx: &Ctx) -> Reply {
    p.start(ctx.now)
}

fn stop(p: &mut InsightsPane, _: &Ctx) -> Reply {
    p.stop()
}

fn toggle_group(p: &mut InsightsPane, _: &Ctx) -> Reply {
    p.toggle_group()
}

fn to_results(p: &mut InsightsPane, _: &Ctx) -> Reply {
    focus(p, Focus::Results)
}

/// The picker and the saved list and one record are views over the
/// results; `back` returns there.
fn in_sub_view(p: &InsightsPane) -> bool {
    matches!(p.focus, Focus::Groups | Focus::Record | Focus::Saved)
}

impl KeyTable for InsightsPane {
    fn before_key(&mut self, ctx: &Ctx) {
        self.now = ctx.now;
    }

    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            K::moves(move_cursor).when(|p| !on_results(p)),
            // The log-group picker.
            K::new(
                Command::Mark,
                "select",
                "select or unselect the log group",
                toggle_group,
            )
            .when(|p| p.focus == Focus::Groups),
            K::new(Command::Open, "select", "", toggle_group)
                .when(|p| p.focus == Focus::Groups)
                .offered(never),
            K::new(
                Command::Filter,
                "search",
                "search log groups by name (prefix; a pattern with *)",
                |p, _| {
                    p.picker.typing = true;
                    Reply::Handled(vec![])
                },
            )
            .when(|p| p.focus == Focus::Groups),
            // One record.
            K::new(
                Command::Copy,
                "copy",
                "copy the record's JSON",
                |p, _| match &p.record {
                    Some((_, Ok(pretty))) => Reply::Handled(vec![Effect::Copy(pretty.clone())]),
                    _ => Reply::Ignored,
                },
            )
            .when(|p| p.focus == Focus::Record),
            // The saved queries.
            K::new(
                Command::Open,
                "load",
                "load the saved query into the editor",
                |p, _| p.load_saved(),
            )
            .when(|p| p.focus == Focus::Saved),
            K::new(
                Command::Delete,
                "delete",
                "delete the saved query from the account (asks)",
                |p, _| p.delete_saved(),
            )
            .when(|p| p.focus == Focus::Saved),
            K::new(Command::Back, "back", "back to the results", to_results).when(in_sub_view),
            // The editor and the results; these also act from the views
            // above (r runs the query from the picker), but are offered on
            // the results.
            K::new(Command::Edit, "edit", "type in the query editor", |p, _| {
                focus(p, Focus::Editor)
            })
            .offered(on_results),
            K::new(Command::Run, "run", "run the query", run).offered(on_results),
            K::new(Command::Stop, "stop query", "stop the running query", stop)
                .offered(|p| on_results(p) && p.run.as_ref().is_some_and(Run::is_active)),
            K::new(
                Command::Groups,
                "groups",
                "choose the log groups to query",
                |p, _| {
                    p.focus = Focus::Groups;
                    let fx = if p.picker.found.is_empty() {
                        p.search_groups()
                    } else {
                        vec![]
                    };
                    Reply::Handled(fx)
                },
            )
            .offered(on_results),
            K::new(
                Command::Window,
                "range",
                "the time range: cycle the presets",
                |p, _| {
                    p.range = match p.range {
                        Range::Last(i) => Range::Last((i + 1) % PRESETS.len()),
                        Range::Absolute(..) => Range::Last(0),
                    };
                    Reply::Handled(vec![])
                },
            )
            .offered(on_results),
            K::new(
                Command::Saved,
                "saved",
                "the account's saved queries",
                |p, _| p.open_saved(),
            )
            .offered(on_results),
            K::new(
                Command::Chart,
                "chart/table",
                "switch a stats result between chart and table",
                |p, _| match p.chart {
                    Some(_) => {
                        p.show_table = !p.show_table;
                        Reply::Handled(vec![])
                    }
                    None => Reply::Say("only a stats result can be drawn as a chart".into()),
                },
            )
            .offered(|p| on_results(p) && p.chart.is_some()),
            // Placed here so the footer leads with edit and run.
            K::moves(move_cursor).when(on_results).offered(with_rows),
            K::new(
                Command::Open,
                "record",
                "the whole record behind the row",
                |p, _| p.open_record(),
            )
            .when(on_results)
            .offered(with_rows),
            output::filter_key(),
            output::sort_key(),
            output::export_key(),
            output::copy_row_key(),
            output::copy_all_key(),
            K::new(
                Command::History,
                "history",
                "the previous query you ran (again: older)",
                |p, _| p.recall(),
            )
            .offered(on_results),
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
            // The picker's search line ([picker]).
            K::new(Command::Accept, "search", "search", |p, _| {
                Reply::Handled(p.search_groups())
            })
            .in_mode(Mode::Picker),
            K::new(Command::Cancel, "done typing", "stop typing", |p, _| {
                p.picker.typing = false;
                Reply::Handled(vec![])
            })
            .in_mode(Mode::Picker),
            K::new(
                Command::DeleteBack,
                "delete",
                "delete the character before the cursor",
                |p, _| {
                    p.picker.search.apply(Edit::DeleteBack);
                    Reply::Handled(vec![])
                },
            )
            .in_mode(Mode::Picker),
        ];
        KEYS
    }
}
