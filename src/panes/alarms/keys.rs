//! The Alarms pane's keys: the one table its dispatch, footer and help read.

use super::{AlarmsPane, View};
use crate::config::Command;
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::Reply;
use crate::ui::components::list::Move;

type K = KeyAction<AlarmsPane>;

fn on_list(p: &AlarmsPane) -> bool {
    p.view == View::List
}

fn selected(p: &AlarmsPane) -> bool {
    p.selected().is_some()
}

fn actions_enabled(p: &AlarmsPane) -> bool {
    p.selected().is_some_and(|a| a.actions_enabled)
}

fn snoozed(p: &AlarmsPane) -> bool {
    p.selected()
        .is_some_and(|a| p.snoozed_until(&a.name).is_some())
}

fn move_cursor(p: &mut AlarmsPane, m: Move) {
    match p.view {
        View::List => p.list.cursor.apply(m, p.order.len()),
        View::Detail { .. } => p.detail_scroll = m.scroll(p.detail_scroll),
    }
}

fn toggle_snooze(p: &mut AlarmsPane, ctx: &crate::panes::Ctx) -> Reply {
    p.toggle_snooze(ctx.now)
}

fn toggle_actions(p: &mut AlarmsPane, _: &crate::panes::Ctx) -> Reply {
    p.toggle_actions()
}

impl KeyTable for AlarmsPane {
    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            K::moves(move_cursor),
            K::new(
                Command::Open,
                "open",
                "the alarm's chart, reason and history",
                |p, _| p.open(),
            )
            .offered(on_list),
            K::new(
                Command::Filter,
                "filter",
                "filter the alarms by name or reason",
                |p, _| {
                    p.filtering = true;
                    Reply::Handled(vec![])
                },
            )
            .when(on_list),
            K::new(
                Command::StateFilter,
                "state",
                "show only ALARM, then INSUFFICIENT_DATA, then OK, then all",
                |p, _| p.cycle_state_filter(),
            )
            .when(on_list),
            K::new(
                Command::Window,
                "window",
                "the chart's time window: 1 h, 3 h, 12 h, 24 h, 7 days",
                |p, _| p.cycle_window(),
            )
            .offered(|p| !on_list(p) && p.selected().is_some_and(|a| !a.is_composite())),
            K::new(
                Command::Snooze,
                "unsnooze",
                "wake the snoozed alarm (it counts in the header again)",
                toggle_snooze,
            )
            .when(snoozed),
            K::new(
                Command::Snooze,
                "snooze",
                "hide the alarm from the header count for a while (local only; AWS still notifies)",
                toggle_snooze,
            )
            .offered(selected),
            K::new(
                Command::ToggleActions,
                "disable actions",
                "disable the alarm's actions: no notifications (asks)",
                toggle_actions,
            )
            .when(actions_enabled),
            K::new(
                Command::ToggleActions,
                "enable actions",
                "enable the alarm's actions again (asks)",
                toggle_actions,
            )
            .offered(selected),
            K::new(
                Command::Back,
                "back",
                "back to the alarms; clears a filter first",
                |p, _| p.back(),
            )
            .when(|p| !on_list(p) || p.list.has_filter())
            .offered(|p| !on_list(p)),
        ];
        KEYS
    }
}
