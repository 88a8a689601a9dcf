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
    pipedeck::startup::restore_panes(&mut first, dir.path(), now());
    let load = |s: &mut pipedeck::app::State, d: Vec<pipedeck::cloud::Dlq>| {
        update(
            s,
            loaded(Resource::Dlqs { configured: vec![] }, Data::Dlqs(d)),
        )
    };
    let json = saved(&load(&mut first, dlqs.clone())).expect("the picture is saved");
    assert!(!json.contains("\"body\""), "never a message");
    // Depths move on every poll; only a DLQ starting or stopping to fill
    // writes the file again.
    let mut deeper = dlqs.clone();
    let i = deeper.iter().position(|d| d.total() > 0).unwrap();
    deeper[i].visible += 5;
    assert!(saved(&load(&mut first, deeper.clone())).is_none());
    let j = deeper.iter().position(|d| d.total() == 0).unwrap();
    deeper[j].visible = 1;
    assert!(saved(&load(&mut first, deeper)).is_some());
    std::fs::write(dir.path().join("dlq.json"), json).unwrap();

    let mut next = empty_state(false);
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
    load(&mut next, dlqs);
    let screen = text(&render(&next, 140, 30));
    assert!(!screen.contains("as last seen"), "{screen}");
}
