//! How the EMR pane reacts to keys and data.

use super::EmrPane;
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::{CloudError, EmrCluster, EmrStep};
use crate::gate::{Action, ActionReport};
use crate::panes::{Pane, PaneId, Reply};
use crate::ui::components::drill::Level;
use crate::ui::components::list::{matches, Move};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::cmp::Ordering;
use std::time::Duration;

/// Failing clusters first (terminated with errors, or a failed step), then
/// the ones still up, then the rest; newest first within a group.
fn cluster_order(a: &EmrCluster, b: &EmrCluster) -> Ordering {
    fn group(c: &EmrCluster) -> u8 {
        if c.needs_attention() {
            0
        } else if c.state.is_active() {
            1
        } else {
            2
        }
    }
    group(a)
        .cmp(&group(b))
        .then_with(|| b.created.cmp(&a.created))
        .then_with(|| a.name.cmp(&b.name))
}

impl EmrPane {
    fn reorder(&mut self) {
        let keep = self.selected_cluster().map(|c| c.id.clone());
        self.reorder_keeping(keep);
    }

    /// Sorts and filters; the cursor stays on `keep` (captured before new
    /// data replaced the old: the old order's indices mean nothing in it).
    fn reorder_keeping(&mut self, keep: Option<String>) {
        let needle = self.drill.list.needle();
        let mut order: Vec<usize> = (0..self.clusters.len())
            .filter(|i| {
                let c = &self.clusters[*i];
                matches(&needle, &[&c.name, &c.id, c.state.as_aws()])
            })
            .collect();
        order.sort_by(|a, b| cluster_order(&self.clusters[*a], &self.clusters[*b]));
        self.order = order;
        if let (Level::List, Some(id)) = (self.drill.level(), keep) {
            if let Some(pos) = self.order.iter().position(|i| self.clusters[*i].id == id) {
                self.drill.list.cursor.selected = pos;
            }
        }
        self.drill.list.cursor.clamp(self.order.len());
    }

    pub(super) fn move_cursor(&mut self, m: Move) {
        let steps = match self.drill.parent() {
            Some(cluster_id) => self.visible_steps(cluster_id).len(),
            None => 0,
        };
        self.drill.move_cursor(m, self.order.len(), steps);
    }

    pub(super) fn open(&mut self) -> Reply {
        match self.drill.level() {
            Level::List => match self.selected_cluster() {
                Some(c) => {
                    let cluster_id = c.id.clone();
                    self.drill.open_sub(cluster_id.clone());
                    self.steps_status = PollStatus::default();
                    Reply::Handled(vec![Effect::Refresh(Resource::EmrSteps { cluster_id })])
                }
                None => Reply::Ignored,
            },
            Level::Sub { .. } => match self.selected_step() {
                Some(s) => {
                    self.drill.open_detail(s.id.clone());
                    Reply::Handled(vec![])
                }
                None => Reply::Ignored,
            },
            Level::Detail { .. } => Reply::Ignored,
        }
    }

    pub(super) fn back(&mut self) -> Reply {
        match self.drill.back_resorts() {
            None => Reply::Ignored,
            Some(resort) => {
                // The cluster list is shown again (or its filter went).
                if resort {
                    self.reorder();
                }
                Reply::Handled(vec![])
            }
        }
    }

    pub(super) fn cancel(&self) -> Reply {
        let (Some(cluster), Some(step)) = (self.selected_cluster(), self.selected_step()) else {
            return match self.drill.level() {
                Level::List => {
                    Reply::Say("open a cluster (Enter) and pick the step to cancel".into())
                }
                _ => Reply::Ignored,
            };
        };
        if !step.state.is_cancellable() {
            return Reply::Say(format!(
                "step {} is {}; only PENDING or RUNNING steps can be cancelled",
                step.name,
                step.state.as_aws()
            ));
        }
        Reply::Act {
            action: Action::CancelEmrSteps {
                cluster_id: cluster.id.clone(),
                cluster_name: cluster.name.clone(),
                step_ids: vec![step.id.clone()],
                step_names: vec![step.name.clone()],
            },
            precheck: Ok(()),
        }
    }

    pub(super) fn copy_log(&self) -> Reply {
        match self
            .selected_step()
            .and_then(|s| s.failure.as_ref())
            .and_then(|f| f.log_file.clone())
        {
            Some(path) => Reply::Handled(vec![Effect::Copy(path)]),
            None => Reply::Say("this step has no log file to copy".into()),
        }
    }

    fn clusters_loaded(&mut self, clusters: &[EmrCluster]) {
        let keep = self.selected_cluster().map(|c| c.id.clone());
        self.clusters = clusters.to_vec();
        // The list carries every cluster's steps; an older drill-down copy
        // must not outlive it.
        self.steps.clear();
        self.reorder_keeping(keep);
    }

    fn steps_loaded(&mut self, cluster_id: &str, steps: &[EmrStep]) {
        let keep = self.selected_step().map(|s| s.id.clone());
        self.steps.insert(cluster_id.to_string(), steps.to_vec());
        if let Level::Sub { parent: open } = self.drill.level() {
            let visible = self.visible_steps(open);
            let pos = keep.and_then(|id| visible.iter().position(|s| s.id == id));
            let len = visible.len();
            if let Some(pos) = pos {
                self.drill.sub.cursor.selected = pos;
            }
            self.drill.sub.cursor.clamp(len);
        }
    }
}

impl Pane for EmrPane {
    fn id(&self) -> PaneId {
        PaneId::Emr
    }

    fn title(&self) -> &'static str {
        "EMR"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["emr", "clusters", "steps"]
    }

    fn view_key(&self) -> String {
        let cluster = self.selected_cluster().map_or("", |c| c.id.as_str());
        let step = self.selected_step().map_or("", |s| s.id.as_str());
        format!("{:?}/{cluster}/{step}", self.drill.level())
    }

    fn is_filtering(&self) -> bool {
        self.drill.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        if self.drill.edit_filter(edit) {
            self.reorder();
        }
    }

    fn end_filter(&mut self, keep: bool) {
        if self.drill.end_filter(keep) {
            self.reorder();
        }
    }

    fn on_loaded(
        &mut self,
        resource: &Resource,
        at: DateTime<Utc>,
        result: &Result<Data, CloudError>,
        next_in: Option<Duration>,
    ) {
        match (resource, result) {
            (Resource::EmrClusters, r) => {
                self.status.record(at, r, next_in);
                if let Ok(Data::EmrClusters(c)) = r {
                    self.clusters_loaded(c);
                }
            }
            (Resource::EmrSteps { cluster_id }, r) => {
                let open = matches!(self.drill.level(),
                    Level::Sub { parent: c } | Level::Detail { parent: c, .. } if c == cluster_id);
                if open {
                    self.steps_status.record(at, r, next_in);
                }
                if let Ok(Data::EmrSteps(steps)) = r {
                    self.steps_loaded(cluster_id, steps);
                }
            }
            _ => {}
        }
    }

    fn on_action_done(&mut self, report: &ActionReport) -> Vec<Effect> {
        match &report.action {
            Action::CancelEmrSteps { cluster_id, .. } => vec![
                Effect::Refresh(Resource::EmrClusters),
                Effect::Refresh(Resource::EmrSteps {
                    cluster_id: cluster_id.clone(),
                }),
            ],
            _ => vec![],
        }
    }

    fn subscriptions(&self) -> Vec<Resource> {
        match self.drill.level() {
            Level::List => vec![Resource::EmrClusters],
            Level::Sub { parent: cluster_id }
            | Level::Detail {
                parent: cluster_id, ..
            } => vec![
                Resource::EmrClusters,
                Resource::EmrSteps {
                    cluster_id: cluster_id.clone(),
                },
            ],
        }
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.drill.level() {
            Level::List => Some(&self.status),
            _ if self.steps_status.loaded_once() => Some(&self.steps_status),
            _ => Some(&self.status),
        }
    }

    fn alert_count(&self) -> Option<(&'static str, Option<usize>)> {
        let known = self.status.last_ok.is_some();
        Some(("EMR failing", known.then(|| self.failing())))
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        super::view::render(self, f, area, rc);
    }
}
