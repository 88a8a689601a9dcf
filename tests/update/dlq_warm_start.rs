//! The DLQ list opens on last session's picture: the DLQs that were
//! filling, marked as last seen, until the first fresh read replaces it.
//! The picture is written only when which DLQs hold messages changes.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Resource};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::PaneId;

fn saved(fx: &[Effect]) -> Option<String> {
    fx.iter().find_map(|e| match e {
        Effect::SaveState { file, json } if *file == "dlq.json" => Some(json.clone()),
        _ => None,
    })
}

#[test]
fn the_dlqs_that_were_filling_show_at_start_until_fresh_data() {
    let dir = tempfile::tempdir().unwrap();
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let dlqs = futures::executor::block_on(demo.dlqs(&[])).unwrap();
    let filling = dlqs.iter().filter(|d| d.total() > 0).count();
    assert!(
        filling > 0 && filling < dlqs.len(),
        "the demo has both kinds"
    );

    let mut first = empty_state(false);
    // A real account's console (the demo keeps no picture).
    first.conn.demo = false;
    pipedeck::startup::restore_panes(&mut first, dir.path(), now());
    let load = |s: &mut pipedeck::app::State, d: Vec<pipedeck::cloud::Dlq>| {
        update(
            s,
            loaded(Resource::Dlqs { configured: vec![] }, Data::Dlqs(d)),
        )
    };
    let json = saved(&load(&mut first, dlqs.clone())).expect("the picture is saved");
    assert!(!json.contains("\"body\""), "never a message");
    // Depths move on every poll: written at most once a minute, at once
    // when a DLQ starts or stops filling.
    let mut deeper = dlqs.clone();
    let i = deeper.iter().position(|d| d.total() > 0).unwrap();
    deeper[i].visible += 5;
    assert!(saved(&load(&mut first, deeper.clone())).is_none());
    let later = |d: Vec<pipedeck::cloud::Dlq>| {
        loaded_at(
            Resource::Dlqs { configured: vec![] },
            Data::Dlqs(d),
            now() + chrono::Duration::minutes(2),
        )
    };
    assert!(
        saved(&update(&mut first, later(deeper.clone()))).is_some(),
        "new depths, a minute on: written"
    );
    let j = deeper.iter().position(|d| d.total() == 0).unwrap();
    deeper[j].visible = 1;
    assert!(saved(&load(&mut first, deeper)).is_some());
    std::fs::write(dir.path().join("dlq.json"), json).unwrap();

    let mut next = empty_state(false);
    next.conn.demo = false;
    pipedeck::startup::restore_panes(&mut next, dir.path(), now());
    goto(&mut next, PaneId::Dlq);
    assert_eq!(next.panes.dlq.dlqs().len(), dlqs.len());
    let screen = text(&render(&next, 140, 30));
    assert!(screen.contains("as last seen"), "{screen}");
    let deepest = next.panes.dlq.selected().unwrap().clone();
    assert!(
        deepest.total() > 0,
        "the filling DLQs first: {}",
        deepest.name
    );
    assert!(deepest.move_task.is_none(), "no live state is kept");
    // Looking, not acting: its counts may be hours old.
    for key in ["R", "P"] {
        press(&mut next, &[key]);
        assert!(next.overlay.is_none(), "{key} asked on a picture");
        let said = next.flash.as_ref().unwrap().text.clone();
        assert!(said.contains("wait for their fresh read"), "{said}");
    }
    load(&mut next, dlqs);
    let screen = text(&render(&next, 140, 30));
    let title = screen
        .lines()
        .find(|l| l.contains("Dead-letter queues"))
        .unwrap();
    assert!(!title.contains("as last seen"), "{screen}");
}

#[test]
fn the_demo_and_other_regions_never_see_a_picture() {
    let dir = tempfile::tempdir().unwrap();
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let dlqs = futures::executor::block_on(demo.dlqs(&[])).unwrap();
    // The demo account keeps nothing.
    let mut s = empty_state(false);
    pipedeck::startup::restore_panes(&mut s, dir.path(), now());
    let fx = update(
        &mut s,
        loaded(
            Resource::Dlqs { configured: vec![] },
            Data::Dlqs(dlqs.clone()),
        ),
    );
    assert!(saved(&fx).is_none(), "the demo writes no picture");
    // A picture of eu-west-1 is not shown on us-east-1 of the same profile.
    let mut eu = empty_state(false);
    eu.conn.demo = false;
    eu.conn.region = "eu-west-1".into();
    pipedeck::startup::restore_panes(&mut eu, dir.path(), now());
    let json = saved(&update(
        &mut eu,
        loaded(Resource::Dlqs { configured: vec![] }, Data::Dlqs(dlqs)),
    ))
    .unwrap();
    std::fs::write(dir.path().join("dlq.json"), json).unwrap();
    let mut us = empty_state(false);
    us.conn.demo = false;
    us.conn.region = "us-east-1".into();
    pipedeck::startup::restore_panes(&mut us, dir.path(), now());
    assert!(us.panes.dlq.dlqs().is_empty(), "another Region's DLQs");
}
