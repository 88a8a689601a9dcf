//! Panes: one folder each, with its state, its update and its view.
//!
//! Adding a pane: write `panes/<name>/` implementing [`Pane`], add a
//! [`PaneId`] variant and a field in [`Panes`]; if it needs new data, add a
//! [`Resource`]/[`Data`] pair and the call in `runtime::fetch`. Nothing in the
//! other panes changes.

pub mod alarms;
pub mod athena;
pub mod audit;
pub mod dlq;
pub mod emr;
pub mod glue;
pub mod insights;
pub mod journal;
pub mod kept;
pub mod keys;
pub mod output;

use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::gate::{Action, ActionReport};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;
use strum::{EnumIter, IntoEnumIterator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter)]
pub enum PaneId {
    Glue,
    Emr,
    Dlq,
    Alarms,
    Insights,
    Athena,
    Audit,
    Journal,
}

impl PaneId {
    pub fn all() -> Vec<PaneId> {
        PaneId::iter().collect()
    }

    pub fn index(self) -> usize {
        PaneId::iter().position(|p| p == self).unwrap_or(0)
    }
}

/// What a pane asks of the app after a key.
#[derive(Debug, PartialEq)]
pub enum Reply {
    /// Done; maybe with effects (e.g. a refresh).
    Handled(Vec<Effect>),
    /// Not a key this pane uses here.
    Ignored,
    /// A mutating action, with the pane's own pre-check; the app sends it
    /// through the gate.
    Act {
        action: Action,
        precheck: Result<(), String>,
    },
    /// Tell the user something (e.g. "nothing to stop").
    Say(String),
    /// Done, with effects and a note for the status line (info, not warning).
    Tell { effects: Vec<Effect>, text: String },
    /// Switch to another pane and hand it something to work on.
    Handoff { to: PaneId, handoff: Handoff },
    /// Open the command line with this text, for the user to finish
    /// (`export <default path>`).
    Prompt(String),
}

/// Work one pane gives another.
#[derive(Debug, Clone, PartialEq)]
pub enum Handoff {
    /// Open this Glue run's logs in Insights (the triage key).
    TriageGlueRun(Box<crate::cloud::JobRun>),
    /// Open the audit record of the first of these run ids that has one
    /// (from a Glue run, or a message that names its run).
    OpenAuditRun { ids: Vec<String> },
    /// Open this Glue run (its job, when known by the record's pipeline
    /// name); `logs`: go on to its logs in Insights.
    OpenGlueRun {
        job: Option<String>,
        run_id: String,
        logs: bool,
    },
}

pub struct Ctx {
    pub now: DateTime<Utc>,
    /// Who is at the keyboard, as STS says (the caller's ARN), once known:
    /// what a pane writes into AWS names them.
    pub caller: Option<String>,
}

/// What a pane knows when it reads its state back at start.
pub struct Restore {
    pub now: DateTime<Utc>,
    /// The AWS profile in use (state is often kept per profile).
    pub profile: String,
    /// Where the console looks (profile, Region, endpoint): a picture of
    /// what it showed is kept per scope, never mixed between accounts or
    /// Regions; `None` on the demo account, which keeps no picture.
    pub scope: Option<String>,
}

/// Its keys come from its [`keys::KeyTable`] (dispatch, footer and help).
pub trait Pane: keys::PaneKeys {
    fn id(&self) -> PaneId;
    fn title(&self) -> &'static str;
    /// Names that open this pane on the command line (`:glue`).
    fn aliases(&self) -> &'static [&'static str];
    /// Which keymap mode the pane's own text context uses while it takes
    /// raw keys (the query editor, a picker's search); `None` otherwise.
    fn input_mode(&self) -> Option<crate::config::Mode> {
        None
    }
    /// A raw key in the pane's `input_mode` that no key of its table took:
    /// text for the widget (letters, arrows, Enter in the editor).
    fn on_text_key(&mut self, _key: &crossterm::event::KeyEvent, _ctx: &Ctx) -> Reply {
        Reply::Ignored
    }
    /// Work handed over by another pane (it has just been switched to).
    fn on_handoff(&mut self, _handoff: Handoff, _ctx: &Ctx) -> Reply {
        Reply::Ignored
    }
    /// The files under the state dir this pane keeps (each saved with
    /// `Effect::SaveState`); empty: it remembers nothing.
    fn state_files(&self) -> &'static [&'static str] {
        &[]
    }
    /// One of the pane's files as it was at start (empty text when there
    /// is none yet). Unreadable text is no state, never a reason not to
    /// start.
    fn restore(&mut self, _file: &str, _text: &str, _at: &Restore) {}
    /// Effects to run before quitting (a running query is stopped).
    fn on_quit(&mut self) -> Vec<Effect> {
        Vec::new()
    }
    /// Its subscriptions poll at full speed even while hidden.
    fn always_visible(&self) -> bool {
        false
    }
    /// The `:word` lines this pane answers, as (usage, what it does), for
    /// help and for saying where a word works when typed elsewhere.
    fn command_words(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// A `:word args…` line the app does not know (e.g. `:redrive q 10`);
    /// `None` when it is not this pane's either.
    fn on_command_line(&mut self, _word: &str, _args: &[&str], _ctx: &Ctx) -> Option<Reply> {
        None
    }
    /// Where the user is in this pane (view and selected item), so that a
    /// message raised about one thing goes when the user moves to another.
    fn view_key(&self) -> String {
        String::new()
    }
    /// True while the pane's filter line is being typed into.
    fn is_filtering(&self) -> bool;
    fn edit_filter(&mut self, edit: Edit);
    /// Enter keeps the filter, Esc clears it; both leave input mode.
    fn end_filter(&mut self, keep: bool);
    /// Fresh data for any resource; ignore what is not yours.
    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, crate::cloud::CloudError>,
        next_in: Option<std::time::Duration>,
    );
    /// Part of a read still going (a Glue job as its runs arrive): `done`
    /// of `total` are in; the whole follows through `on_loaded`.
    fn on_progress(&mut self, _resource: &Resource, _data: &Data, _done: usize, _total: usize) {}
    fn on_action_done(&mut self, _report: &ActionReport) -> Vec<Effect> {
        Vec::new()
    }
    /// The clock, once a second (expiring snoozes and the like).
    fn on_tick(&mut self, _now: DateTime<Utc>) {}
    /// Effects the pane raised while taking data or the clock (a bell).
    fn take_effects(&mut self) -> Vec<Effect> {
        Vec::new()
    }
    /// A word for the status line the pane raised while taking data (a
    /// run its guardrails let go once their reads came back).
    fn take_notice(&mut self) -> Option<String> {
        None
    }
    /// What this pane wants polled right now.
    fn subscriptions(&self) -> Vec<Resource>;
    /// The poll status of what the pane currently shows.
    fn status(&self) -> Option<&PollStatus>;
    /// Header badge: label and count of things that need attention;
    /// the count is `None` until the pane has loaded once.
    fn alert_count(&self) -> Option<(&'static str, Option<usize>)> {
        None
    }
    /// Something in progress the header should show (a running redrive);
    /// `compact` asks for the few-character form of narrow terminals.
    fn header_note(&self, _compact: bool) -> Option<String> {
        None
    }
    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx);
}

/// All panes, in tab order.
pub struct Panes {
    pub glue: glue::GluePane,
    pub emr: emr::EmrPane,
    pub dlq: dlq::DlqPane,
    pub alarms: alarms::AlarmsPane,
    pub insights: insights::InsightsPane,
    pub athena: athena::AthenaPane,
    pub audit: audit::AuditPane,
    pub journal: journal::JournalPane,
}

impl Panes {
    pub fn new(
        dlq_config: &crate::config::DlqConfig,
        alarms_config: &crate::config::AlarmsConfig,
        insights_config: &crate::config::InsightsConfig,
        athena_config: &crate::config::AthenaConfig,
        audit_config: &crate::config::AuditConfig,
        config_file: Option<std::path::PathBuf>,
    ) -> Self {
        Self {
            glue: glue::GluePane::default(),
            emr: emr::EmrPane::default(),
            dlq: dlq::DlqPane::new(dlq_config.queues.clone(), dlq_config.peek_max),
            alarms: alarms::AlarmsPane::new(alarms_config.bell, alarms_config.snooze_minutes),
            insights: insights::InsightsPane::new(insights_config),
            athena: athena::AthenaPane::new(athena_config, insights_config.export_dir.clone()),
            audit: audit::AuditPane::new(audit_config).with_config_file(config_file),
            journal: journal::JournalPane::default(),
        }
    }

    pub fn get(&self, id: PaneId) -> &dyn Pane {
        match id {
            PaneId::Glue => &self.glue,
            PaneId::Emr => &self.emr,
            PaneId::Dlq => &self.dlq,
            PaneId::Alarms => &self.alarms,
            PaneId::Insights => &self.insights,
            PaneId::Athena => &self.athena,
            PaneId::Audit => &self.audit,
            PaneId::Journal => &self.journal,
        }
    }

    pub fn get_mut(&mut self, id: PaneId) -> &mut dyn Pane {
        match id {
            PaneId::Glue => &mut self.glue,
            PaneId::Emr => &mut self.emr,
            PaneId::Dlq => &mut self.dlq,
            PaneId::Alarms => &mut self.alarms,
            PaneId::Insights => &mut self.insights,
            PaneId::Athena => &mut self.athena,
            PaneId::Audit => &mut self.audit,
            PaneId::Journal => &mut self.journal,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn Pane> {
        PaneId::iter().map(move |id| self.get(id))
    }

    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut dyn Pane)) {
        for id in PaneId::iter() {
            f(self.get_mut(id));
        }
    }
}
