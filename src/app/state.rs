//! The one application state. Rendering reads it; only `update` writes it.

use super::{PollStatus, Resource, TextLine};
use crate::cloud::{ConnInfo, Identity};
use crate::config::{Keymap, Mode};
use crate::gate::{ConfirmKind, JournalContext, PendingConfirm};
use crate::panes::{PaneId, Panes};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// The recent status-line messages, newest first.
    Messages {
        scroll: u16,
    },
    Confirm(Box<PendingConfirm>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A message in the status bar. It fades after a while, and it belongs to
/// the view it was raised in: it goes when the user moves to another view
/// or item, or when its cause is over (a refresh that landed).
#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub level: Level,
    pub at: DateTime<Utc>,
    /// The active pane's view when the message was raised; stamped at the
    /// end of the update that raised it.
    pub view: Option<String>,
    /// "refreshing…": goes as soon as the refresh lands.
    pub until_loaded: bool,
}

/// How many messages the log (`m`) keeps.
pub const MESSAGE_LOG: usize = 100;

/// How long a flash stays; errors linger because they matter more.
pub const FLASH_SECS: i64 = 8;
pub const FLASH_ERROR_SECS: i64 = 20;

pub struct Settings {
    pub read_only: bool,
    pub typed_confirm: Vec<String>,
    pub dlq: crate::config::DlqConfig,
    pub alarms: crate::config::AlarmsConfig,
    pub insights: crate::config::InsightsConfig,
    pub athena: crate::config::AthenaConfig,
    pub audit: crate::config::AuditConfig,
    /// The config file `:audit detect` adds a table to.
    pub config_file: Option<std::path::PathBuf>,
}

pub struct State {
    pub conn: ConnInfo,
    pub identity: Option<Identity>,
    pub identity_status: PollStatus,
    pub settings: Settings,
    pub keymap: Keymap,
    pub active: PaneId,
    pub panes: Panes,
    pub cmdline: Option<TextLine>,
    pub overlay: Option<Overlay>,
    pub flash: Option<Flash>,
    pub now: DateTime<Utc>,
    pub quitting: bool,
    /// Every status-line message of this session, newest last (capped).
    pub messages: std::collections::VecDeque<Flash>,
    /// The terminal's size (columns, rows), once known.
    pub screen: Option<(u16, u16)>,
}

impl State {
    pub fn new(conn: ConnInfo, keymap: Keymap, settings: Settings, now: DateTime<Utc>) -> Self {
        let panes = Panes::new(
            &settings.dlq,
            &settings.alarms,
            &settings.insights,
            &settings.athena,
            &settings.audit,
            settings.config_file.clone(),
        );
        Self {
            conn,
            identity: None,
            identity_status: PollStatus::default(),
            settings,
            keymap,
            active: PaneId::Glue,
            panes,
            cmdline: None,
            overlay: None,
            flash: None,
            now,
            quitting: false,
            messages: Default::default(),
            screen: None,
        }
    }

    /// The input mode, derived so it can never disagree with what is open.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Confirm(p)) => match p.kind {
                ConfirmKind::YesNo => Mode::Confirm,
                ConfirmKind::Typed { .. } => Mode::Input,
            },
            _ if self.cmdline.is_some() => Mode::Input,
            _ => {
                let pane = self.panes.get(self.active);
                match pane.input_mode() {
                    Some(mode) => mode,
                    None if pane.is_filtering() => Mode::Input,
                    None => Mode::Normal,
                }
            }
        }
    }

    /// What should be polled, and whether its pane is visible (hidden panes
    /// poll slower). The identity feeds the header, so it always counts as
    /// visible.
    pub fn subscriptions(&self) -> Vec<(Resource, bool)> {
        let mut subs = vec![(Resource::Identity, true)];
        for pane in self.panes.iter() {
            let active = pane.id() == self.active || pane.always_visible();
            for r in pane.subscriptions() {
                // Alarms feed the header's `ALARM n`: never the slow lane.
                let visible = active || r == Resource::Alarms;
                match subs.iter_mut().find(|(have, _)| *have == r) {
                    Some(existing) => existing.1 |= visible,
                    None => subs.push((r, visible)),
                }
            }
        }
        subs
    }

    /// What a pane knows when it takes a key or a hand-off: the clock,
    /// and who is at the keyboard (the caller's ARN, once STS answered).
    pub fn pane_ctx(&self) -> crate::panes::Ctx {
        crate::panes::Ctx {
            now: self.now,
            caller: self.identity.as_ref().and_then(|i| i.arn.clone()),
        }
    }

    pub fn journal_context(&self) -> JournalContext {
        JournalContext {
            caller_arn: self.identity.as_ref().and_then(|i| i.arn.clone()),
            account: self.identity.as_ref().and_then(|i| i.account.clone()),
            profile: self.conn.profile.clone(),
            region: self.conn.region.clone(),
            demo: self.conn.demo,
        }
    }

    pub fn say(&mut self, level: Level, text: impl Into<String>) {
        let flash = Flash {
            text: text.into(),
            level,
            at: self.now,
            view: None,
            until_loaded: false,
        };
        if self.messages.len() == MESSAGE_LOG {
            self.messages.pop_front();
        }
        self.messages.push_back(flash.clone());
        self.flash = Some(flash);
    }

    /// Where the user is: the active pane and its view and selection.
    /// A message raised here goes when this changes.
    pub fn view_key(&self) -> String {
        format!(
            "{:?}/{}",
            self.active,
            self.panes.get(self.active).view_key()
        )
    }
}
