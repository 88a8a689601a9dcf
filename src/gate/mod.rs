//! The action gate: the one way a mutating action reaches AWS.
//!
//! [`request`] (pure) refuses in read-only mode or when a pane's pre-check
//! fails, otherwise asks for confirmation. [`confirm`] turns an answered
//! confirmation into an [`Approved`] token — the only constructor of that
//! type — and [`execute`] journals intent, calls the mutating Cloud method
//! (which demands the token), and journals the outcome.

mod action;
mod call;
mod execute;
mod journal;
mod secrets;

pub use action::{concurrency_message, short_id, Action, Details};
pub use call::Call;
pub use execute::{execute, ActionReport};
pub use journal::{Journal, JournalContext, JournalEntry, Phase};
pub use secrets::{is_secret_name, mask_value, MASK};

/// Proof that an action passed the gate. Its fields are private and it has
/// no public constructor, so mutating Cloud methods cannot be called from
/// anywhere but [`confirm`]; it approves one action only (each mutating
/// method checks it with [`Approved::authorize`]), and it cannot be copied
/// to act twice:
///
/// ```compile_fail
/// fn twice(a: &pipedeck::gate::Approved) -> pipedeck::gate::Approved {
///     a.clone()
/// }
/// ```
#[derive(Debug, PartialEq)]
pub struct Approved {
    action: Action,
    context: JournalContext,
}

impl Approved {
    pub fn action(&self) -> &Action {
        &self.action
    }
}

/// What the user must do to let an action through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    /// `y` proceeds, `n` or Esc cancels.
    YesNo,
    /// The resource name must be typed, then Enter.
    Typed { expect: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PendingConfirm {
    /// Private from the question to the execution: what the user was asked
    /// about is what runs. Nothing outside the gate can swap it:
    ///
    /// ```compile_fail
    /// fn swap(p: &mut pipedeck::gate::PendingConfirm, other: pipedeck::gate::Action) {
    ///     p.action = other;
    /// }
    /// ```
    action: Action,
    pub question: String,
    /// What exactly will be sent, a line each (a re-run's arguments with
    /// secrets masked, the steps to cancel); the dialog scrolls them.
    pub details: Option<Details>,
    pub kind: ConfirmKind,
    pub typed: String,
    /// First detail line shown.
    pub scroll: usize,
    context: JournalContext,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Not allowed; the entry is for the journal, the reason for the screen.
    Refused {
        reason: String,
        entry: Box<JournalEntry>,
    },
    Confirm(Box<PendingConfirm>),
}

pub struct GatePolicy<'a> {
    pub read_only: bool,
    pub typed_confirm: &'a [String],
    pub context: JournalContext,
}

/// Decides what happens to a requested action. `precheck` is the pane's own
/// guard (e.g. MaxConcurrentRuns already reached).
pub fn request(action: Action, precheck: Result<(), String>, policy: GatePolicy<'_>) -> Decision {
    let refusal = if policy.read_only {
        Some(format!(
            "read-only mode: {} on {} refused (start without --read-only to act)",
            action.name(),
            action.target()
        ))
    } else {
        precheck.err()
    };
    if let Some(reason) = refusal {
        let entry = entry(&action, &policy.context, Phase::Refused, "refused", &reason);
        return Decision::Refused {
            reason,
            entry: Box::new(entry),
        };
    }
    let where_ = format!(
        "{}/{}",
        policy.context.account.as_deref().unwrap_or("account ?"),
        policy.context.region
    );
    let kind = if action.always_typed() || policy.typed_confirm.iter().any(|n| n == action.name()) {
        ConfirmKind::Typed {
            expect: action.target().to_string(),
        }
    } else {
        ConfirmKind::YesNo
    };
    Decision::Confirm(Box::new(PendingConfirm {
        question: action.question(&where_),
        details: action.details(),
        scroll: 0,
        action,
        kind,
        typed: String::new(),
        context: policy.context,
    }))
}

impl PendingConfirm {
    /// The action asked about.
    pub fn action(&self) -> &Action {
        &self.action
    }

    /// Whether a typed confirmation matches; always true for yes/no.
    pub fn typed_ok(&self) -> bool {
        match &self.kind {
            ConfirmKind::YesNo => true,
            ConfirmKind::Typed { expect } => self.typed == *expect,
        }
    }
}

/// The user said yes (or typed the name): mint the token. Returns the
/// pending confirmation back when a typed name does not match.
pub fn confirm(pending: Box<PendingConfirm>) -> Result<Approved, Box<PendingConfirm>> {
    if !pending.typed_ok() {
        return Err(pending);
    }
    let PendingConfirm {
        action, context, ..
    } = *pending;
    Ok(Approved { action, context })
}

/// A journal line without id and time; the writer stamps both.
fn entry(
    action: &Action,
    context: &JournalContext,
    phase: Phase,
    result: &str,
    detail: &str,
) -> JournalEntry {
    JournalEntry {
        time: String::new(),
        action_id: String::new(),
        phase,
        context: context.clone(),
        action: action.name().to_string(),
        target: action.target().to_string(),
        count: action.count(),
        result: result.to_string(),
        detail: detail.to_string(),
    }
}

/// Stamps an entry with the current time and a fresh id (refusals), or the
/// given id (intent/outcome pairs).
pub fn stamp(mut e: JournalEntry, id: Option<&str>) -> JournalEntry {
    e.time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    e.action_id = id
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    e
}
