//! The Glue pane's keys: the one table its dispatch, footer and help read.

use super::GluePane;
use crate::config::Command;
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::Reply;

type K = KeyAction<GluePane>;

fn in_lists(p: &GluePane) -> bool {
    p.drill.in_lists()
}

fn has_run(p: &GluePane) -> bool {
    p.selected_run().is_some()
}

impl KeyTable for GluePane {
    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            K::moves(GluePane::move_cursor),
            K::new(
                Command::Open,
                "open",
                "a job's runs; a run's detail",
                |p, _| p.open(),
            )
            .when(in_lists),
            K::new(
                Command::Filter,
                "filter",
                "filter the jobs (or a job's runs) by what they show",
                |p, _| {
                    p.drill.filtering = true;
                    Reply::Handled(vec![])
                },
            )
            .when(in_lists),
            K::new(
                Command::Rerun,
                "re-run",
                "re-run the job with the selected run's arguments (asks)",
                |p, _| p.rerun(),
            )
            .offered(has_run),
            K::new(
                Command::Stop,
                "stop",
                "stop the selected run (asks)",
                |p, _| p.stop(),
            )
            .offered(|p| p.selected_run().is_some_and(|r| r.state.is_stoppable())),
            K::new(
                Command::Copy,
                "copy",
                "copy the run's error, else its id",
                |p, _| p.copy(),
            )
            .offered(has_run),
            K::new(
                Command::Triage,
                "logs",
                "the run's logs in Insights, error lines first",
                |p, _| match p.selected_run() {
                    Some(run) => super::triage(p.selected_job(), run),
                    None => Reply::Say("no run selected: its logs need a run".into()),
                },
            )
            .offered(has_run),
            K::new(
                Command::Linked,
                "audit",
                "the run's audit record (its pipeline's own account of it)",
                |p, _| p.to_audit(),
            )
            .offered(|p| p.selected_run().is_some_and(|r| p.audit_link(r).is_some())),
            K::new(
                Command::Back,
                "back",
                "back to the job's runs, then the jobs; clears a filter first",
                |p, _| p.back(),
            )
            .when(|p| p.drill.can_go_back())
            .offered(|p| !p.drill.at_top()),
        ];
        KEYS
    }
}
