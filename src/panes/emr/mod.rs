//! The EMR pane: clusters (active, and ended in the last 7 days), a
//! cluster's steps, a step's failure details.

mod keys;
mod update;
mod view;

use crate::app::PollStatus;
use crate::cloud::{EmrCluster, EmrStep};
use crate::ui::components::drill::{Drill, Level};
use crate::ui::components::list::matches;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct EmrPane {
    clusters: Vec<EmrCluster>,
    /// Indices into `clusters`: failing first, then active, then the rest;
    /// filtered.
    order: Vec<usize>,
    status: PollStatus,
    /// Steps fetched while a cluster is open; fresher than the list's copy.
    steps: BTreeMap<String, Vec<EmrStep>>,
    steps_status: PollStatus,
    /// Clusters → a cluster's steps → a step: where the user is, the
    /// cursors and filters.
    drill: Drill,
}

impl EmrPane {
    pub fn view(&self) -> &Level {
        self.drill.level()
    }

    pub fn clusters(&self) -> &[EmrCluster] {
        &self.clusters
    }

    pub fn visible_clusters(&self) -> impl Iterator<Item = &EmrCluster> {
        self.order.iter().map(|i| &self.clusters[*i])
    }

    pub fn cluster(&self, id: &str) -> Option<&EmrCluster> {
        self.clusters.iter().find(|c| c.id == id)
    }

    pub fn selected_cluster(&self) -> Option<&EmrCluster> {
        match self.drill.level() {
            Level::List => self
                .order
                .get(self.drill.list.cursor.selected)
                .map(|i| &self.clusters[*i]),
            Level::Sub { parent: cluster_id }
            | Level::Detail {
                parent: cluster_id, ..
            } => self.cluster(cluster_id),
        }
    }

    /// The steps of a cluster, newest first: the drill-down fetch when
    /// there is one, else the list's copy.
    pub fn steps_of(&self, cluster_id: &str) -> &[EmrStep] {
        self.steps
            .get(cluster_id)
            .map(Vec::as_slice)
            .or_else(|| self.cluster(cluster_id).map(|c| c.steps.as_slice()))
            .unwrap_or(&[])
    }

    pub fn visible_steps(&self, cluster_id: &str) -> Vec<&EmrStep> {
        let needle = self.drill.sub.needle();
        self.steps_of(cluster_id)
            .iter()
            .filter(|s| matches(&needle, &[&s.name, &s.id, s.state.as_aws()]))
            .collect()
    }

    pub fn selected_step(&self) -> Option<&EmrStep> {
        match self.drill.level() {
            Level::List => None,
            Level::Sub { parent: cluster_id } => self
                .visible_steps(cluster_id)
                .get(self.drill.sub.cursor.selected)
                .copied(),
            Level::Detail {
                parent: cluster_id,
                item: step_id,
            } => self.steps_of(cluster_id).iter().find(|s| &s.id == step_id),
        }
    }

    /// Clusters that terminated with errors or have a failed step.
    pub fn failing(&self) -> usize {
        self.clusters.iter().filter(|c| c.needs_attention()).count()
    }

    pub fn filter_text(&self) -> &str {
        self.drill.filter_text()
    }
}
