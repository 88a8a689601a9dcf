//! How the alarms pane reacts to keys, data and the clock.

use super::{AlarmsPane, StateFilter, View};
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::{Alarm, AlarmState, CloudError};
use crate::gate::{Action, ActionReport};
use crate::panes::{Pane, PaneId, Reply};
use crate::ui::components::list::ListLevel;
use crate::ui::RenderCtx;
use chrono::{DateTime, Duration, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::collections::BTreeMap;

impl AlarmsPane {
    pub(super) fn open(&mut self) -> Reply {
        let Some(name) = self.selected().map(|a| a.name.clone()) else {
            return Reply::Ignored;
        };
        if self.view == View::List {
            self.view = View::Detail { name: name.clone() };
            self.detail_scroll = 0;
            self.history_status = PollStatus::default();
            self.chart_status = PollStatus::default();
        }
        Reply::Handled(self.detail_resources())
    }

    fn detail_resources(&self) -> Vec<Effect> {
        self.detail_subscriptions()
            .into_iter()
            .map(Effect::Refresh)
            .collect()
    }

    fn detail_subscriptions(&self) -> Vec<Resource> {
        let View::Detail { name } = &self.view else {
            return vec![];
        };
        let mut subs = vec![Resource::AlarmHistory { name: name.clone() }];
        if self.alarm(name).is_none_or(|a| !a.is_composite()) {
            subs.push(Resource::AlarmChart {
                name: name.clone(),
                window: self.window,
            });
        }
        subs
    }

    pub(super) fn back(&mut self) -> Reply {
        match self.view {
            View::Detail { .. } => {
                self.view = View::List;
                self.reorder();
            }
            View::List if self.list.has_filter() || self.state_filter != StateFilter::All => {
                self.list = ListLevel::default();
                self.state_filter = StateFilter::All;
                self.reorder();
            }
            View::List => return Reply::Ignored,
        }
        Reply::Handled(vec![])
    }

    pub(super) fn cycle_state_filter(&mut self) -> Reply {
        self.state_filter = match self.state_filter {
            StateFilter::All => StateFilter::Only(0),
            StateFilter::Only(0) => StateFilter::Only(1),
            StateFilter::Only(1) => StateFilter::Only(2),
            StateFilter::Only(_) => StateFilter::All,
        };
        self.reorder();
        Reply::Handled(vec![])
    }

    pub(super) fn cycle_window(&mut self) -> Reply {
        if !matches!(self.view, View::Detail { .. }) {
            return Reply::Ignored;
        }
        self.window = self.window.next();
        Reply::Handled(self.detail_resources())
    }

    pub(super) fn toggle_actions(&self) -> Reply {
        let Some(a) = self.selected() else {
            return Reply::Ignored;
        };
        // Last session's picture may say the opposite of what AWS now
        // holds, and the toggle acts on what it says.
        if self.stale_since.is_some() {
            return Reply::Say(
                "the alarms are shown as last seen; wait for their fresh read before acting".into(),
            );
        }
        Reply::Act {
            action: Action::SetAlarmActions {
                names: vec![a.name.clone()],
                enable: !a.actions_enabled,
            },
            precheck: Ok(()),
        }
    }

    /// `z`: hide from the header count for `snooze_minutes`, or wake it.
    pub(super) fn toggle_snooze(&mut self, now: DateTime<Utc>) -> Reply {
        let Some(name) = self.selected().map(|a| a.name.clone()) else {
            return Reply::Ignored;
        };
        self.now = now;
        let text = if self.snoozed.remove(&name).is_some() {
            format!("{name} is no longer snoozed")
        } else {
            let until = now + Duration::minutes(self.snooze_minutes);
            self.snoozed.insert(name.clone(), until);
            format!(
                "{name} snoozed for {} min (local only: hidden from the header count; AWS still notifies)",
                self.snooze_minutes
            )
        };
        Reply::Tell {
            effects: vec![self.save_snoozes()],
            text,
        }
    }

    fn alarms_loaded(&mut self, at: DateTime<Utc>, alarms: &[Alarm]) {
        let newly = self.seen.as_ref().is_some_and(|seen| {
            alarms.iter().any(|a| {
                a.state == AlarmState::Alarm
                    && seen.get(&a.name) != Some(&AlarmState::Alarm)
                    && self.snoozed_until(&a.name).is_none()
            })
        });
        if newly && self.bell {
            self.pending.push(Effect::Bell);
        }
        self.seen = Some(
            alarms
                .iter()
                .map(|a| (a.name.clone(), a.state.clone()))
                .collect::<BTreeMap<_, _>>(),
        );
        let keep = self.selected().map(|a| a.name.clone());
        self.stale_since = None;
        self.show(alarms.to_vec(), keep);
        let p = super::picture::Picture::of(&self.alarms, at);
        if let Some(fx) = self
            .kept
            .keep(super::picture::FILE, p, |last, next| last.same_as(next))
        {
            self.pending.push(fx);
        }
    }

    fn show(&mut self, alarms: Vec<Alarm>, keep: Option<String>) {
        self.alarms = alarms;
        self.reasons = self
            .alarms
            .iter()
            .map(|a| crate::ui::widgets::printable(&super::reason::reason_text(a), 300))
            .collect();
        self.reorder_keeping(keep);
    }
}

impl Pane for AlarmsPane {
    fn id(&self) -> PaneId {
        PaneId::Alarms
    }

    fn title(&self) -> &'static str {
        "Alarms"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["alarms", "alarm", "cw"]
    }

    fn state_files(&self) -> &'static [&'static str] {
        &[super::snooze::FILE, super::picture::FILE]
    }

    /// The snoozes (kept for every profile alike), and last session's
    /// picture of this profile's alarms, shown as stale until the first
    /// fresh read.
    fn restore(&mut self, file: &str, text: &str, at: &crate::panes::Restore) {
        if file == super::snooze::FILE {
            self.load_snoozes(super::snooze::parse(text, at.now), at.now);
        } else if let Some(p) = self.kept.restore(text, at.scope.as_deref()) {
            if self.alarms.is_empty() {
                self.stale_since = Some(p.at);
                self.show(p.alarms, None);
            }
        }
    }

    fn view_key(&self) -> String {
        format!(
            "{:?}/{}",
            self.view,
            self.selected().map_or("", |a| a.name.as_str())
        )
    }

    fn is_filtering(&self) -> bool {
        self.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        self.list.edit(edit);
        self.reorder();
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            self.list.clear_filter();
            self.reorder();
        }
    }

    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<std::time::Duration>,
    ) {
        let open = match &self.view {
            View::Detail { name } => Some(name.clone()),
            View::List => None,
        };
        match (resource, result) {
            (Resource::Alarms, r) => {
                self.status.record(at, r, next_in);
                if let Ok(Data::Alarms(a)) = r {
                    self.alarms_loaded(at, a);
                }
            }
            (Resource::AlarmHistory { name }, r) if open.as_ref() == Some(name) => {
                self.history_status.record(at, r, next_in);
                if let Ok(Data::AlarmHistory(h)) = r {
                    self.history = Some((name.clone(), h.clone()));
                }
            }
            (Resource::AlarmChart { name, window }, r)
                if open.as_ref() == Some(name) && *window == self.window =>
            {
                self.chart_status.record(at, r, next_in);
                if let Ok(Data::AlarmChart(s)) = r {
                    self.chart = Some((name.clone(), *window, s.clone()));
                }
            }
            _ => {}
        }
    }

    fn on_tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        let before = self.snoozed.len();
        self.snoozed.retain(|_, until| *until > now);
        if self.snoozed.len() != before {
            self.pending.push(self.save_snoozes());
        }
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.pending)
    }

    fn on_action_done(&mut self, report: &ActionReport) -> Vec<Effect> {
        match report.action {
            Action::SetAlarmActions { .. } => vec![Effect::Refresh(Resource::Alarms)],
            _ => vec![],
        }
    }

    fn subscriptions(&self) -> Vec<Resource> {
        let mut subs = vec![Resource::Alarms];
        subs.extend(self.detail_subscriptions());
        subs
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.view {
            View::Detail { .. } if self.chart_status.error.is_some() => Some(&self.chart_status),
            _ => Some(&self.status),
        }
    }

    fn alert_count(&self) -> Option<(&'static str, Option<usize>)> {
        let known = self.status.last_ok.is_some();
        Some(("ALARM", known.then(|| self.firing())))
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
