//! The audit pane's keys: the one table its dispatch, footer and help read.

use super::{AuditPane, View};
use crate::cloud::audit::RunStatus;
use crate::config::Command;
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::Reply;
use crate::ui::components::list::Move;

type K = KeyAction<AuditPane>;

fn on_list(p: &AuditPane) -> bool {
    p.view == View::List
}

fn move_cursor(p: &mut AuditPane, m: Move) {
    match p.view {
        View::List => p.list.cursor.apply(m, p.order.len()),
        View::Pipelines => p.plist.cursor.apply(m, p.pipelines.len()),
        // From where the view is (a G beyond the end shows the last
        // screenful), once a frame has measured it.
        View::Detail(_) => {
            let at = p
                .detail_last
                .get()
                .map_or(p.detail_scroll, |last| p.detail_scroll.min(last));
            p.detail_scroll = m.scroll(at);
        }
        View::Detect { .. } => p.detail_scroll = m.scroll(p.detail_scroll),
    }
}

impl KeyTable for AuditPane {
    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            K::moves(move_cursor),
            K::new(
                Command::Open,
                "open",
                "the run's record: numbers, DQ score, error, what it lacks",
                |p, _| p.open(),
            )
            .when(on_list),
            K::new(
                Command::Open,
                "its runs",
                "the day's runs of the pipeline (the list filtered by its name)",
                |p, _| p.open_pipeline(),
            )
            .when(|p| p.view == View::Pipelines),
            K::new(
                Command::Groups,
                "pipelines",
                "each pipeline seen in 7 days (or named in [audit] pipelines) with its last runs; again: back",
                |p, _| p.toggle_pipelines(),
            )
            .when(|p| matches!(p.view, View::List | View::Pipelines)),
            K::new(
                Command::Filter,
                "filter",
                "filter the runs by pipeline, run id, status, error or table",
                |p, _| {
                    p.filtering = true;
                    Reply::Handled(vec![])
                },
            )
            .when(on_list),
            K::new(
                Command::Stop,
                "mark failed",
                "mark the RUNNING run FAILED in its table (only while it still says so; asks)",
                |p, ctx| p.mark_failed(ctx.now, ctx.caller.as_deref()),
            )
            .offered(|p| p.selected().is_some_and(|r| r.status == RunStatus::Running)),
            K::new(
                Command::Linked,
                "Glue run",
                "the Glue run this record names, in the Glue pane",
                |p, _| p.to_glue_run(false),
            )
            .when(|p| p.selected().is_some())
            .offered(|p| p.glue_run_of_open().is_some()),
            K::new(
                Command::Triage,
                "logs",
                "the logs of the Glue run this record names, in Insights",
                |p, _| p.to_glue_run(true),
            )
            .when(|p| p.selected().is_some())
            .offered(|p| p.glue_run_of_open().is_some()),
            K::new(
                Command::Yes,
                "add",
                "add the proposed mapping to the config file",
                |p, _| p.keep_proposal(),
            )
            .in_mode(crate::config::Mode::Confirm),
            K::new(
                Command::No,
                "leave",
                "back to the runs, nothing written",
                |p, _| p.drop_proposal(),
            )
            .in_mode(crate::config::Mode::Confirm),
            K::new(
                Command::Back,
                "back",
                "back to the runs; clears a filter first",
                |p, _| p.back(),
            )
            .when(|p| !on_list(p) || p.list.has_filter() || p.pipeline_filter.is_some())
            .offered(|p| !on_list(p) || p.pipeline_filter.is_some()),
        ];
        KEYS
    }
}
