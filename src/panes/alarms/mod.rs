//! The alarms pane: what is red right now, why, and since when; an alarm's
//! metric as a chart against its threshold, its state history, a
//! composite's children; actions on/off through the gate; local snoozes.

mod chart;
mod keys;
mod picture;
mod reason;
pub mod snooze;
mod update;
mod view;

pub use chart::downsample;

use crate::app::{Effect, PollStatus};
use crate::cloud::{Alarm, AlarmHistoryItem, AlarmState, ChartWindow, MetricSeries};
use crate::ui::components::list::{matches, ListLevel};
use chrono::{DateTime, Utc};
use snooze::Snoozes;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    Detail {
        name: String,
    },
}

/// Which states the list shows (`s` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateFilter {
    #[default]
    All,
    Only(u8),
}

#[derive(Debug, Default)]
pub struct AlarmsPane {
    alarms: Vec<Alarm>,
    /// Each alarm's reason as the list shows it (same index as `alarms`),
    /// worked out when the alarms arrive rather than on every frame.
    reasons: Vec<String>,
    /// Indices into `alarms`: ALARM, INSUFFICIENT_DATA, OK; longest in state
    /// first; filtered.
    order: Vec<usize>,
    status: PollStatus,
    list: ListLevel,
    filtering: bool,
    state_filter: StateFilter,
    view: View,
    window: ChartWindow,
    history: Option<(String, Vec<AlarmHistoryItem>)>,
    history_status: PollStatus,
    chart: Option<(String, ChartWindow, MetricSeries)>,
    chart_status: PollStatus,
    snoozed: Snoozes,
    /// States at the previous load (None before the first): a bell rings
    /// only for an alarm that was not in ALARM then.
    seen: Option<BTreeMap<String, AlarmState>>,
    bell: bool,
    snooze_minutes: i64,
    now: DateTime<Utc>,
    /// Effects raised while handling data (bell, snooze saves).
    pending: Vec<Effect>,
    detail_scroll: u16,
    /// When the list shown was read, while it is last session's picture
    /// (cleared by the first fresh read).
    stale_since: Option<DateTime<Utc>>,
    /// The list's last picture, kept for the next start.
    kept: crate::panes::kept::Kept<picture::Picture>,
}

impl AlarmsPane {
    pub fn new(bell: bool, snooze_minutes: i64) -> Self {
        Self {
            bell,
            snooze_minutes: snooze_minutes.max(1),
            ..Self::default()
        }
    }

    /// Snoozes read from the state dir at start.
    /// Keeps the snoozes in the state dir.
    fn save_snoozes(&self) -> crate::app::Effect {
        crate::app::Effect::SaveState {
            file: snooze::FILE,
            json: snooze::to_json(&self.snoozed),
        }
    }

    pub fn load_snoozes(&mut self, snoozes: Snoozes, now: DateTime<Utc>) {
        self.now = now;
        self.snoozed = snoozes.into_iter().filter(|(_, t)| *t > now).collect();
    }

    /// When the list shown was read, while it is last session's picture.
    pub fn stale_since(&self) -> Option<DateTime<Utc>> {
        self.stale_since
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn alarms(&self) -> &[Alarm] {
        &self.alarms
    }

    pub fn visible(&self) -> impl Iterator<Item = &Alarm> {
        self.order.iter().map(|i| &self.alarms[*i])
    }

    pub fn alarm(&self, name: &str) -> Option<&Alarm> {
        self.alarms.iter().find(|a| a.name == name)
    }

    pub fn selected(&self) -> Option<&Alarm> {
        match &self.view {
            View::List => self
                .order
                .get(self.list.cursor.selected)
                .map(|i| &self.alarms[*i]),
            View::Detail { name } => self.alarm(name),
        }
    }

    pub fn window(&self) -> ChartWindow {
        self.window
    }

    pub fn snoozed_until(&self, name: &str) -> Option<DateTime<Utc>> {
        self.snoozed.get(name).copied().filter(|t| *t > self.now)
    }

    /// In ALARM and not snoozed: what the header counts.
    pub fn firing(&self) -> usize {
        self.alarms
            .iter()
            .filter(|a| a.state == AlarmState::Alarm && self.snoozed_until(&a.name).is_none())
            .count()
    }

    pub fn filter_text(&self) -> &str {
        &self.list.filter.text
    }

    pub fn state_filter(&self) -> StateFilter {
        self.state_filter
    }

    fn reorder(&mut self) {
        let keep = self.selected().map(|a| a.name.clone());
        self.reorder_keeping(keep);
    }

    /// Sorts and filters; the cursor stays on `keep` (captured before new
    /// data replaced the old: the old order's indices mean nothing in it).
    fn reorder_keeping(&mut self, keep: Option<String>) {
        let needle = self.list.needle();
        let mut order: Vec<usize> = (0..self.alarms.len())
            .filter(|i| {
                let a = &self.alarms[*i];
                let state_ok = match self.state_filter {
                    StateFilter::All => true,
                    StateFilter::Only(rank) => a.state.rank() == rank,
                };
                state_ok && matches(&needle, &[&a.name])
            })
            .collect();
        order.sort_by(|a, b| Alarm::most_urgent_first(&self.alarms[*a], &self.alarms[*b]));
        self.order = order;
        if let (View::List, Some(name)) = (&self.view, keep) {
            if let Some(pos) = self.order.iter().position(|i| self.alarms[*i].name == name) {
                self.list.cursor.selected = pos;
            }
        }
        self.list.cursor.clamp(self.order.len());
    }
}
