//! The EMR pane's keys: the one table its dispatch, footer and help read.

use super::EmrPane;
use crate::config::Command;
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::Reply;

type K = KeyAction<EmrPane>;

fn in_lists(p: &EmrPane) -> bool {
    p.drill.in_lists()
}

impl KeyTable for EmrPane {
    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            K::moves(EmrPane::move_cursor),
            K::new(
                Command::Open,
                "open",
                "a cluster's steps; a step's detail",
                |p, _| p.open(),
            )
            .when(in_lists),
            K::new(
                Command::Filter,
                "filter",
                "filter the clusters (or a cluster's steps) by what they show",
                |p, _| {
                    p.drill.filtering = true;
                    Reply::Handled(vec![])
                },
            )
            .when(in_lists),
            K::new(
                Command::Stop,
                "cancel step",
                "cancel the selected pending or running step (type the cluster's name)",
                |p, _| p.cancel(),
            )
            .offered(|p| p.selected_step().is_some_and(|s| s.state.is_cancellable())),
            K::new(
                Command::Copy,
                "copy log",
                "copy the failed step's log location",
                |p, _| p.copy_log(),
            )
            .offered(|p| {
                p.selected_step()
                    .is_some_and(|s| s.failure.as_ref().is_some_and(|f| f.log_file.is_some()))
            }),
            K::new(
                Command::Back,
                "back",
                "back to the cluster's steps, then the clusters; clears a filter first",
                |p, _| p.back(),
            )
            .when(|p| p.drill.can_go_back())
            .offered(|p| !p.drill.at_top()),
        ];
        KEYS
    }
}
