//! The DLQ pane's keys: the one table its dispatch, footer and help read.

use super::{DlqPane, View};
use crate::app::Effect;
use crate::config::Command;
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::Reply;

type K = KeyAction<DlqPane>;

fn peeking(p: &DlqPane) -> bool {
    matches!(p.view, View::Peek { .. })
}

fn marked(p: &DlqPane) -> bool {
    peeking(p) && p.peek.as_ref().is_some_and(|k| !k.marked.is_empty())
}

fn redrive_running(p: &DlqPane) -> bool {
    p.selected()
        .is_some_and(|d| d.active_task().is_some_and(|t| t.is_cancellable()))
}

fn redrive(p: &mut DlqPane, _: &crate::panes::Ctx) -> Reply {
    p.redrive()
}

impl KeyTable for DlqPane {
    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[K] = &[
            K::moves(DlqPane::move_cursor),
            K::new(
                Command::Open,
                "peek",
                "peek at the DLQ's messages (counts as a receive)",
                |p, _| p.open(),
            )
            .when(|p| p.view == View::Queues),
            K::new(
                Command::Open,
                "peek again",
                "peek again (the messages seen are hidden for the visibility timeout)",
                |p, _| p.open(),
            ),
            K::new(
                Command::Filter,
                "filter",
                "filter the DLQs by name or source",
                |p, _| {
                    p.filtering = true;
                    Reply::Handled(vec![])
                },
            )
            .when(|p| p.view == View::Queues),
            K::new(
                Command::Mark,
                "mark",
                "mark (or unmark) the message and go to the next, for a redrive of only the marked",
                |p, _| p.mark(),
            )
            .offered(peeking),
            K::new(
                Command::Copy,
                "copy body",
                "copy the message body",
                |p, _| match p.peek.as_ref().and_then(|k| k.selected()) {
                    Some(m) => Reply::Handled(vec![Effect::Copy(m.body.clone())]),
                    None => Reply::Ignored,
                },
            )
            .when(peeking),
            K::new(
                Command::Linked,
                "audit",
                "the audit record of the run the message names (its run_id)",
                |p, _| match p.message_run() {
                    Some((ids, Some(_))) => Reply::Handoff {
                        to: crate::panes::PaneId::Audit,
                        handoff: crate::panes::Handoff::OpenAuditRun { ids: ids.to_vec() },
                    },
                    Some((ids, None)) => {
                        Reply::Say(crate::cloud::audit::records::no_record(&ids.join(" / ")))
                    }
                    None => Reply::Say("this message names no run (no run_id in its body)".into()),
                },
            )
            .when(peeking)
            .offered(|p| p.message_run().is_some_and(|(_, link)| link.is_some())),
            K::new(
                Command::Stop,
                "cancel redrive",
                "cancel the running redrive (asks)",
                |p, _| p.cancel(),
            )
            .offered(redrive_running),
            K::new(
                Command::Rerun,
                "redrive marked",
                "redrive only the marked messages to their source (asks)",
                redrive,
            )
            .when(marked),
            K::new(
                Command::Rerun,
                "redrive",
                "redrive the DLQ to its sources (asks)",
                redrive,
            )
            .offered(|p| !redrive_running(p) && p.selected().is_some_and(|d| d.visible > 0)),
            K::new(
                Command::Purge,
                "purge",
                "purge the DLQ: delete every message (type its name)",
                |p, _| p.purge(),
            )
            .offered(|p| p.selected().is_some_and(|d| d.total() > 0)),
            K::new(
                Command::Back,
                "back",
                "back to the DLQs; clears a filter first",
                |p, _| p.back(),
            )
            .when(|p| p.view != View::Queues || p.list.has_filter())
            .offered(|p| p.view != View::Queues),
        ];
        KEYS
    }
}
