//! `update()` tests of the EMR pane.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Overlay, Resource};
use pipedeck::cloud::StepState;
use pipedeck::gate::{Action, ConfirmKind};
use pipedeck::panes::PaneId;
use pipedeck::ui::components::drill::Level;

fn emr_state() -> pipedeck::app::State {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Emr);
    s
}

fn flash(s: &pipedeck::app::State) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

#[test]
fn failing_clusters_first_then_active_then_ended() {
    let s = emr_state();
    let names: Vec<_> = s
        .panes
        .emr
        .visible_clusters()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "daily-pipeline-7f3a9c21",  // TERMINATED_WITH_ERRORS
            "production-spark-cluster", // up, with a failed step
            "bronze-ingestion-cluster", // up, healthy
            "cost-optimized-cluster",   // ended cleanly
        ]
    );
    assert_eq!(s.panes.emr.failing(), 2);
}

#[test]
fn open_cluster_then_step_then_back() {
    let mut s = emr_state();
    let fx = press(&mut s, &["j", "enter"]);
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::EmrSteps {
            cluster_id: "j-3KQ8B0W5XN1ZP".into()
        })]
    );
    assert!(s.subscriptions().contains(&(
        Resource::EmrSteps {
            cluster_id: "j-3KQ8B0W5XN1ZP".into()
        },
        true
    )));
    // Newest first: the pending step, the running one, then the failure.
    let states: Vec<_> = s
        .panes
        .emr
        .visible_steps("j-3KQ8B0W5XN1ZP")
        .iter()
        .map(|st| st.state.clone())
        .collect();
    assert_eq!(states[0], StepState::Pending);
    assert_eq!(states[1], StepState::Running);
    press(&mut s, &["j", "j", "enter"]);
    assert_eq!(
        s.panes.emr.view(),
        &Level::Detail {
            parent: "j-3KQ8B0W5XN1ZP".into(),
            item: "s-1N5C9X2B7LQ4M".into()
        }
    );
    assert_eq!(
        s.panes.emr.selected_step().unwrap().state,
        StepState::Failed
    );
    press(&mut s, &["esc", "esc"]);
    assert_eq!(s.panes.emr.view(), &Level::List);
}

#[test]
fn copy_puts_the_log_location_on_the_clipboard() {
    let mut s = emr_state();
    press(&mut s, &["enter", "enter"]);
    let step = s.panes.emr.selected_step().unwrap().clone();
    assert_eq!(step.state, StepState::Failed);
    let fx = press(&mut s, &["y"]);
    let log = step.failure.unwrap().log_file.unwrap();
    assert_eq!(fx, vec![Effect::Copy(log.clone())]);
    assert!(flash(&s).contains(&log));
    // A step without a failure has nothing to copy.
    press(&mut s, &["esc", "j", "enter"]);
    assert!(press(&mut s, &["y"]).is_empty());
    assert!(flash(&s).contains("no log file"), "{}", flash(&s));
}

#[test]
fn cancel_a_pending_step_needs_the_cluster_name() {
    let mut s = emr_state();
    press(&mut s, &["j", "enter"]);
    assert_eq!(
        s.panes.emr.selected_step().unwrap().state,
        StepState::Pending
    );
    press(&mut s, &["X"]);
    let Some(Overlay::Confirm(p)) = &s.overlay else {
        panic!("{:?}", s.flash)
    };
    assert_eq!(
        p.kind,
        ConfirmKind::Typed {
            expect: "production-spark-cluster".into()
        }
    );
    assert!(p.question.contains("Gold Aggregate"), "{}", p.question);
    assert!(p.question.contains("j-3KQ8B0W5XN1ZP"), "{}", p.question);
    type_text(&mut s, "production-spark-cluster");
    let fx = press(&mut s, &["enter"]);
    let [Effect::Execute(a)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(
        a.action(),
        &Action::CancelEmrSteps {
            cluster_id: "j-3KQ8B0W5XN1ZP".into(),
            cluster_name: "production-spark-cluster".into(),
            step_ids: vec!["s-2QH7LJ0P4D1XE".into()],
            step_names: vec!["Gold Aggregate".into()],
        }
    );
}

#[test]
fn cancel_explains_when_it_cannot_apply() {
    let mut s = emr_state();
    assert!(press(&mut s, &["X"]).is_empty());
    assert!(flash(&s).contains("open a cluster"), "{}", flash(&s));
    press(&mut s, &["enter"]);
    // daily-pipeline's newest step FAILED: not cancellable.
    assert!(press(&mut s, &["X"]).is_empty());
    assert!(s.overlay.is_none());
    assert!(
        flash(&s).contains("only PENDING or RUNNING"),
        "{}",
        flash(&s)
    );
}

#[test]
fn cancel_is_refused_in_read_only_mode() {
    let mut s = demo_state(true);
    goto(&mut s, PaneId::Emr);
    press(&mut s, &["j", "enter", "X"]);
    assert!(s.overlay.is_none());
    assert!(flash(&s).contains("read-only"), "{}", flash(&s));
}

#[test]
fn filter_clusters_and_steps() {
    let mut s = emr_state();
    press(&mut s, &["/"]);
    type_text(&mut s, "TERMINATED");
    press(&mut s, &["enter"]);
    assert_eq!(s.panes.emr.visible_clusters().count(), 2);
    press(&mut s, &["esc"]);
    assert_eq!(s.panes.emr.visible_clusters().count(), 4);
    press(&mut s, &["j", "enter", "/"]);
    type_text(&mut s, "gold");
    assert_eq!(s.panes.emr.visible_steps("j-3KQ8B0W5XN1ZP").len(), 1);
}

#[test]
fn a_fresh_cluster_list_replaces_older_steps() {
    let mut s = emr_state();
    press(&mut s, &["j", "enter"]);
    let id = "j-3KQ8B0W5XN1ZP".to_string();
    let steps = s.panes.emr.steps_of(&id).to_vec();
    update(
        &mut s,
        loaded(
            Resource::EmrSteps {
                cluster_id: id.clone(),
            },
            Data::EmrSteps(steps),
        ),
    );
    let mut clusters = demo_clusters();
    let c = clusters.iter_mut().find(|c| c.id == id).unwrap();
    c.steps[0].state = StepState::Cancelled;
    update(
        &mut s,
        loaded(Resource::EmrClusters, Data::EmrClusters(clusters)),
    );
    assert_eq!(s.panes.emr.steps_of(&id)[0].state, StepState::Cancelled);
}
