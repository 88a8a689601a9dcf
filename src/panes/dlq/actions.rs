//! What R, X, P and `:redrive` ask the gate for. Choosing between a move
//! task and a client-side redrive happens here:
//! - marked messages → client-side (a move task cannot pick messages);
//! - a DLQ with SQS sources → StartMessageMoveTask (to the sources, or to
//!   the queue named on `:redrive`);
//! - a DLQ nothing in SQS points at (SNS, Lambda) → client-side, and only to
//!   a queue the user names.

use super::{DlqPane, View};
use crate::cloud::sqs::queue_name;
use crate::cloud::sqs::redrive::{Destination, RedrivePlan};
use crate::cloud::Dlq;
use crate::gate::Action;
use crate::panes::Reply;
use std::collections::BTreeSet;

/// A queue the user named on `:redrive`: a name in the DLQ's account and
/// region, or a full URL or ARN.
struct Target {
    name: String,
    url: String,
    arn: String,
}

fn sibling(of: &str, sep: char, name: &str) -> String {
    match of.rfind(sep) {
        Some(i) => format!("{}{name}", &of[..=i]),
        None => name.to_string(),
    }
}

fn target(dlq: &Dlq, given: &str) -> Target {
    let name = queue_name(given).to_string();
    let url = if given.contains("://") {
        given.to_string()
    } else {
        sibling(&dlq.url, '/', &name)
    };
    let arn = if given.starts_with("arn:") {
        given.to_string()
    } else {
        sibling(&dlq.arn, ':', &name)
    };
    Target { name, url, arn }
}

fn say(s: impl Into<String>) -> Reply {
    Reply::Say(s.into())
}

impl DlqPane {
    fn marked_ids(&self) -> Option<BTreeSet<String>> {
        match (&self.view, &self.peek) {
            (View::Peek { .. }, Some(p)) if !p.marked.is_empty() => Some(p.marked.clone()),
            _ => None,
        }
    }

    /// `R`: everything back where it came from (or the marked messages).
    /// Last session's picture is for looking, not acting: its counts may
    /// be hours old and a running task is not in it.
    fn still_last_seen(&self) -> Option<Reply> {
        self.stale_since.map(|_| {
            Reply::Say(
                "the DLQs are shown as last seen; wait for their fresh read before acting".into(),
            )
        })
    }

    pub(super) fn redrive(&self) -> Reply {
        if let Some(wait) = self.still_last_seen() {
            return wait;
        }
        let Some(d) = self.selected() else {
            return Reply::Ignored;
        };
        if let Some(ids) = self.marked_ids() {
            return self.redrive_marked(d, ids);
        }
        if let Some(reply) = busy_or_empty(d) {
            return reply;
        }
        if !d.can_move_task() {
            return say(format!(
                "no SQS queue names {} as its DLQ (fed by SNS or Lambda?): choose where the messages go with :redrive <queue>",
                d.name
            ));
        }
        move_task(d, None, None)
    }

    fn redrive_marked(&self, d: &Dlq, ids: BTreeSet<String>) -> Reply {
        let peek = self.peek.as_ref().expect("marked implies a peek");
        let urls = d
            .sources
            .iter()
            .map(|s| (s.arn.clone(), s.url.clone()))
            .collect();
        let fallback = match d.sources.as_slice() {
            [only] => Some(only.url.clone()),
            _ => None,
        };
        let unknown = peek.marked_messages().iter().any(|m| {
            m.source_arn
                .as_ref()
                .is_none_or(|a| !d.sources.iter().any(|s| s.arn == *a))
        });
        if unknown && fallback.is_none() {
            return say(format!(
                "SQS did not record which of {}'s {} source queue(s) some marked messages came from: choose with :redrive <queue>",
                d.name,
                d.sources.len()
            ));
        }
        let names: Vec<String> = d.sources.iter().map(|s| s.name.clone()).collect();
        self.client_action(
            d,
            Some(ids),
            format!("their source ({})", names.join(", ")),
            Destination::BySource { urls, fallback },
        )
    }

    fn client_action(
        &self,
        d: &Dlq,
        only: Option<BTreeSet<String>>,
        destination: String,
        to: Destination,
    ) -> Reply {
        Reply::Act {
            action: Action::ClientRedrive {
                queue: d.name.clone(),
                count: only.as_ref().map_or(d.visible as usize, BTreeSet::len),
                destination,
                plan: RedrivePlan {
                    dlq_url: d.url.clone(),
                    fifo: d.fifo,
                    destination: to,
                    only,
                    action_id: String::new(),
                },
            },
            precheck: Ok(()),
        }
    }

    /// `:redrive <queue> [max-per-second]`.
    pub(super) fn redrive_to(&self, args: &[&str]) -> Reply {
        let Some(d) = self.selected() else {
            return say("select a DLQ first");
        };
        if let Some(wait) = self.still_last_seen() {
            return wait;
        }
        let Some(given) = args.first() else {
            return self.redrive();
        };
        let rate = match args.get(1).map(|r| r.parse::<i32>()) {
            None => None,
            Some(Ok(r)) if (1..=500).contains(&r) => Some(r),
            Some(_) => {
                return say("the rate is messages per second, 1 to 500: :redrive <queue> [rate]")
            }
        };
        let t = target(d, given);
        if t.name.ends_with(".fifo") != d.fifo {
            return say(format!(
                "{} and {} are not the same queue type (FIFO and standard cannot be mixed)",
                d.name, t.name
            ));
        }
        if t.arn == d.arn {
            return say("the destination is the DLQ itself");
        }
        let label = t.name.clone();
        if let Some(ids) = self.marked_ids() {
            return self.client_action(d, Some(ids), label, Destination::Fixed { url: t.url });
        }
        if let Some(reply) = busy_or_empty(d) {
            return reply;
        }
        if !d.can_move_task() {
            return self.client_action(d, None, label, Destination::Fixed { url: t.url });
        }
        move_task(d, Some((t.name, t.arn)), rate)
    }

    /// `X`: cancel the running move task.
    pub(super) fn cancel(&self) -> Reply {
        if let Some(wait) = self.still_last_seen() {
            return wait;
        }
        let Some(d) = self.selected() else {
            return Reply::Ignored;
        };
        match d.active_task() {
            Some(t) if t.is_cancellable() => Reply::Act {
                action: Action::CancelRedrive {
                    queue: d.name.clone(),
                    task_handle: t.handle.clone().unwrap_or_default(),
                    moved: t.moved,
                    to_move: t.to_move,
                },
                precheck: Ok(()),
            },
            Some(t) => say(format!(
                "the redrive of {} is {}; it cannot be cancelled now",
                d.name, t.status
            )),
            None => say(format!("no redrive is running on {}", d.name)),
        }
    }

    /// `P`: purge, after the queue name is typed.
    pub(super) fn purge(&self) -> Reply {
        if let Some(wait) = self.still_last_seen() {
            return wait;
        }
        let Some(d) = self.selected() else {
            return Reply::Ignored;
        };
        if d.total() == 0 {
            return say(format!("{} is already empty", d.name));
        }
        Reply::Act {
            action: Action::PurgeDlq {
                queue: d.name.clone(),
                url: d.url.clone(),
                count: d.total() as usize,
            },
            precheck: Ok(()),
        }
    }
}

/// StartMessageMoveTask for everything visible in `d`.
fn move_task(d: &Dlq, destination: Option<(String, String)>, rate: Option<i32>) -> Reply {
    Reply::Act {
        action: Action::RedriveDlq {
            queue: d.name.clone(),
            dlq_arn: d.arn.clone(),
            count: d.visible as usize,
            sources: d.sources.iter().map(|s| s.name.clone()).collect(),
            destination,
            max_per_second: rate,
        },
        precheck: Ok(()),
    }
}

/// One task per queue: show the running one instead of failing.
fn busy_or_empty(d: &Dlq) -> Option<Reply> {
    if let Some(t) = d.active_task() {
        return Some(say(format!(
            "a redrive of {} is already {} ({} of {} moved); X cancels it",
            d.name,
            t.status,
            t.moved,
            t.to_move.map_or("?".into(), |n| n.to_string())
        )));
    }
    (d.visible == 0).then(|| say(format!("{} has no visible messages to redrive", d.name)))
}
