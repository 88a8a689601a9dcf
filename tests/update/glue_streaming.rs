//! A long Glue list streams in: each job shows as its runs arrive, a failed
//! one rises to the top at once, the title says how many are read, and the
//! whole list replaces the parts when it lands.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::RunState;

fn part(s: &mut pipedeck::app::State, job: pipedeck::cloud::GlueJob, done: usize, total: usize) {
    update(
        s,
        Msg::Progress {
            resource: Resource::GlueJobs,
            data: Data::GlueJobs(vec![job]),
            done,
            total,
        },
    );
}

#[test]
fn jobs_stream_in_failed_first_with_a_reading_note() {
    let mut s = empty_state(false);
    let ok = job(
        "a-fine-job",
        1,
        vec![run("a-fine-job", "jr_1", RunState::Succeeded, 5)],
    );
    let broken = job(
        "z-broken-job",
        1,
        vec![run("z-broken-job", "jr_2", RunState::Failed, 3)],
    );
    part(&mut s, ok.clone(), 1, 300);
    let screen = text(&render(&s, 120, 20));
    assert!(screen.contains("reading 1/300"), "{screen}");
    assert!(screen.contains("a-fine-job"), "{screen}");
    part(&mut s, broken.clone(), 2, 300);
    assert_eq!(
        s.panes.glue.visible_jobs().next().unwrap().name,
        "z-broken-job",
        "the failed job is at the top as soon as it is read"
    );
    assert_eq!(
        s.panes.glue.selected_job().unwrap().name,
        "a-fine-job",
        "the cursor stays where the user put it"
    );
    // A job told again (read anew) replaces itself, never doubles.
    part(&mut s, ok.clone(), 3, 300);
    assert_eq!(s.panes.glue.jobs().len(), 2);
    // The whole list lands: the note goes.
    update(
        &mut s,
        loaded(Resource::GlueJobs, Data::GlueJobs(vec![ok, broken])),
    );
    let screen = text(&render(&s, 120, 20));
    assert!(!screen.contains("reading"), "{screen}");
    assert!(screen.contains("Glue (2)"), "{screen}");
}

/// What the pane asks the runtime to save.
fn saved(fx: &[pipedeck::app::Effect]) -> Option<String> {
    fx.iter().find_map(|e| match e {
        pipedeck::app::Effect::SaveState { file, json } if *file == "glue.json" => {
            Some(json.clone())
        }
        _ => None,
    })
}

#[test]
fn the_last_picture_shows_at_start_marked_stale_until_fresh_data() {
    let dir = tempfile::tempdir().unwrap();
    // A first session reads the jobs: their picture is saved, once.
    let mut first = empty_state(false);
    // No file yet: the pane still learns whose jobs it will keep.
    // A real account's console (the demo keeps no picture).
    first.conn.demo = false;
    pipedeck::startup::restore_panes(&mut first, dir.path(), now());
    let jobs = vec![
        job(
            "nightly",
            1,
            vec![run("nightly", "jr_9", RunState::Failed, 30)],
        ),
        job(
            "hourly",
            1,
            vec![run("hourly", "jr_8", RunState::Succeeded, 5)],
        ),
    ];
    let fx = update(
        &mut first,
        loaded(Resource::GlueJobs, Data::GlueJobs(jobs.clone())),
    );
    let json = saved(&fx).expect("the picture is saved");
    assert!(
        saved(&update(
            &mut first,
            loaded(Resource::GlueJobs, Data::GlueJobs(jobs.clone())),
        ))
        .is_none(),
        "nothing changed: nothing written"
    );
    std::fs::write(dir.path().join("glue.json"), json).unwrap();

    // The next start shows it at once, stale, failed job on top.
    let mut next = empty_state(false);
    next.conn.demo = false;
    pipedeck::startup::restore_panes(&mut next, dir.path(), now());
    assert_eq!(next.panes.glue.jobs().len(), 2);
    assert_eq!(next.panes.glue.selected_job().unwrap().name, "nightly");
    let screen = text(&render(&next, 120, 20));
    assert!(screen.contains("as last seen"), "{screen}");
    assert!(screen.contains("nightly"), "{screen}");
    // Looking, not acting: its runs have no arguments and may be old.
    for key in ["R", "X"] {
        press(&mut next, &[key]);
        assert!(next.overlay.is_none(), "{key} asked on a picture");
        let said = next.flash.as_ref().unwrap().text.clone();
        assert!(said.contains("wait for its fresh read"), "{said}");
    }
    // Fresh data replaces it and the mark goes.
    update(
        &mut next,
        loaded(Resource::GlueJobs, Data::GlueJobs(jobs[1..].to_vec())),
    );
    let screen = text(&render(&next, 120, 20));
    let title = screen.lines().find(|l| l.contains("Glue (")).unwrap();
    assert!(!title.contains("as last seen"), "{screen}");
    assert_eq!(next.panes.glue.jobs().len(), 1);
}

#[test]
fn a_list_poll_keeps_the_open_jobs_full_history() {
    let many: Vec<_> = (0..30)
        .map(|i| run("etl", &format!("jr_{i:02}"), RunState::Succeeded, 10 + i))
        .collect();
    let mut s = state_with_jobs(vec![job("etl", 1, many[..10].to_vec())], false);
    press(&mut s, &["enter"]);
    update(
        &mut s,
        loaded(
            Resource::GlueRuns { job: "etl".into() },
            Data::GlueRuns(many.clone()),
        ),
    );
    press(&mut s, &["G"]);
    assert_eq!(s.panes.glue.selected_run().unwrap().id, "jr_29");
    // The list poll brings the newest ten, one of them new.
    let mut latest = vec![run("etl", "jr_new", RunState::Running, 1)];
    latest.extend(many[..9].iter().cloned());
    update(
        &mut s,
        loaded(
            Resource::GlueJobs,
            Data::GlueJobs(vec![job("etl", 1, latest)]),
        ),
    );
    assert_eq!(
        s.panes.glue.runs_of("etl").len(),
        31,
        "history kept, new run added"
    );
    assert_eq!(s.panes.glue.runs_of("etl")[0].id, "jr_new");
    assert!(
        s.panes.glue.selected_run().is_some(),
        "the cursor still on a run"
    );
}
