//! How the EMR pane reacts to keys and data.

use super::{EmrPane, View};
use crate::app::{Data, Edit, Effect, PollStatus, Resource};
use crate::cloud::{CloudError, EmrCluster, EmrStep};
use crate::gate::{Action, ActionReport};
use crate::panes::{Pane, PaneId, Reply};
use crate::ui::components::list::{matches, ListLevel, Move};
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
        let needle = self.clusters_list.needle();
        let mut order: Vec<usize> = (0..self.clusters.len())
            .filter(|i| {
                let c = &self.clusters[*i];
                matches(&needle, &[&c.name, &c.id, c.state.as_aws()])
            })
            .collect();
        order.sort_by(|a, b| cluster_order(&self.clusters[*a], &self.clusters[*b]));
        self.order = order;
        if let (View::Clusters, Some(id)) = (&self.view, keep) {
            if let Some(pos) = self.order.iter().position(|i| self.clusters[*i].id == id) {
                self.clusters_list.cursor.selected = pos;
            }
        }
        self.clusters_list.cursor.clamp(self.order.len());
    }

    pub(super) fn move_cursor(&mut self, m: Move) {
        match &self.view {
            View::Clusters => self.clusters_list.cursor.apply(m, self.order.len()),
            View::Steps { cluster_id } => {
                let len = self.visible_steps(cluster_id).len();
                self.steps_list.cursor.apply(m, len);
            }
            View::Step { .. } => {
                self.detail_scroll = m.scroll(self.detail_scroll);
            }
        }
    }

    pub(super) fn open(&mut self) -> Reply {
        match self.view.clone() {
            View::Clusters => match self.selected_cluster() {
                Some(c) => {
                    let cluster_id = c.id.clone();
                    self.view = View::Steps {
                        cluster_id: cluster_id.clone(),
                    };
                    self.steps_list = ListLevel::default();
                    self.steps_status = PollStatus::default();
                    Reply::Handled(vec![Effect::Refresh(Resource::EmrSteps { cluster_id })])
                }
                None => Reply::Ignored,
            },
            View::Steps { cluster_id } => match self.selected_step() {
                Some(s) => {
                    self.view = View::Step {
                        cluster_id,
                        step_id: s.id.clone(),
                    };
                    self.detail_scroll = 0;
                    Reply::Handled(vec![])
                }
                None => Reply::Ignored,
            },
            View::Step { .. } => Reply::Ignored,
        }
    }

    pub(super) fn back(&mut self) -> Reply {
        match self.view.clone() {
            View::Step { cluster_id, .. } => self.view = View::Steps { cluster_id },
            View::Steps { .. } if self.steps_list.has_filter() => self.steps_list.clear_filter(),
            View::Steps { .. } => {
                self.view = View::Clusters;
                self.reorder();
            }
            View::Clusters if self.clusters_list.has_filter() => {
                self.clusters_list.clear_filter();
                self.reorder();
            }
            View::Clusters => return Reply::Ignored,
        }
        Reply::Handled(vec![])
    }

    pub(super) fn cancel(&self) -> Reply {
        let (Some(cluster), Some(step)) = (self.selected_cluster(), self.selected_step()) else {
            return match self.view {
                View::Clusters => {
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
        if let View::Steps { cluster_id: open } = &self.view {
            let visible = self.visible_steps(open);
            let pos = keep.and_then(|id| visible.iter().position(|s| s.id == id));
            let len = visible.len();
            if let Some(pos) = pos {
                self.steps_list.cursor.selected = pos;
            }
            self.steps_list.cursor.clamp(len);
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
        format!("{:?}/{cluster}/{step}", self.view)
    }

    fn is_filtering(&self) -> bool {
        self.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        match self.view {
            View::Clusters => {
                self.clusters_list.edit(edit);
                self.reorder();
            }
            _ => {
                self.steps_list.edit(edit);
            }
        }
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            match self.view {
                View::Clusters => {
                    self.clusters_list.clear_filter();
                    self.reorder();
                }
                _ => self.steps_list.clear_filter(),
            }
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
                let open = matches!(&self.view,
                    View::Steps { cluster_id: c } | View::Step { cluster_id: c, .. } if c == cluster_id);
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
        match &self.view {
            View::Clusters => vec![Resource::EmrClusters],
            View::Steps { cluster_id } | View::Step { cluster_id, .. } => vec![
                Resource::EmrClusters,
                Resource::EmrSteps {
                    cluster_id: cluster_id.clone(),
                },
            ],
        }
    }

    fn status(&self) -> Option<&PollStatus> {
        match self.view {
            View::Clusters => Some(&self.status),
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
