//! `update()` tests: messages in, state and effects out.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Effect, Level, Msg, Overlay, Resource};
use pipedeck::cloud::{CloudError, RunState};
use pipedeck::gate::{concurrency_message, Action, ActionReport, ConfirmKind, Phase};
use pipedeck::panes::PaneId;
use pipedeck::ui::components::drill::Level as At;

fn selected_job(s: &pipedeck::app::State) -> String {
    s.panes.glue.selected_job().unwrap().name.clone()
}

fn flash(s: &pipedeck::app::State) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

#[test]
fn jobs_sort_failed_first_then_running() {
    let s = demo_state(false);
    let states: Vec<RunState> = s
        .panes
        .glue
        .visible_jobs()
        .map(|j| j.latest_run().unwrap().state.clone())
        .collect();
    let first_ok = states.iter().position(|st| !st.is_failure()).unwrap();
    assert!(
        first_ok >= 2,
        "the demo incident has two failing jobs: {states:?}"
    );
    assert!(states[..first_ok].iter().all(RunState::is_failure));
    let first_idle = states[first_ok..]
        .iter()
        .position(|st| !st.is_active())
        .unwrap()
        + first_ok;
    assert!(
        states[first_ok..first_idle].iter().all(RunState::is_active),
        "{states:?}"
    );
    assert!(first_idle > first_ok, "a running job follows the failures");
    assert!(states[first_idle..]
        .iter()
        .all(|st| !st.is_active() && !st.is_failure()));
}

#[test]
fn latest_run_is_newest_started_even_if_given_oldest_first() {
    let runs = vec![
        run("j", "old", RunState::Failed, 60),
        run("j", "new", RunState::Succeeded, 5),
    ];
    // Handed to the pane oldest first, as given: it orders them itself,
    // and the header counts from the latest run.
    let jobs = vec![job("j", 1, runs)];
    assert_eq!(jobs[0].runs[0].id, "old");
    let mut s = state_with_jobs(jobs, false);
    assert_eq!(s.panes.glue.selected_run().unwrap().id, "new");
    assert_eq!(s.panes.glue.failed_jobs(), 0);
    // The same for a job's runs fetched on their own.
    press(&mut s, &["enter"]);
    update(
        &mut s,
        loaded(
            Resource::GlueRuns { job: "j".into() },
            Data::GlueRuns(vec![
                run("j", "older", RunState::Failed, 90),
                run("j", "newest", RunState::Running, 1),
            ]),
        ),
    );
    assert_eq!(s.panes.glue.selected_run().unwrap().id, "newest");
}

#[test]
fn navigation_opens_runs_then_detail_and_goes_back() {
    let mut s = demo_state(false);
    let first = selected_job(&s);
    press(&mut s, &["j"]);
    let second = selected_job(&s);
    assert_ne!(first, second);
    press(&mut s, &["k"]);
    assert_eq!(selected_job(&s), first);
    let fx = press(&mut s, &["enter"]);
    assert_eq!(
        s.panes.glue.view(),
        &At::Sub {
            parent: first.clone()
        }
    );
    assert_eq!(
        fx,
        vec![Effect::Refresh(Resource::GlueRuns { job: first.clone() })]
    );
    assert!(s
        .subscriptions()
        .contains(&(Resource::GlueRuns { job: first.clone() }, true)));
    press(&mut s, &["j", "enter"]);
    let At::Detail {
        parent: job,
        item: run_id,
    } = s.panes.glue.view().clone()
    else {
        panic!("expected detail, got {:?}", s.panes.glue.view());
    };
    assert_eq!(job, first);
    let second_run = &s.panes.glue.runs_of(&first)[1];
    assert_eq!(run_id, second_run.id);
    press(&mut s, &["esc"]);
    assert!(matches!(s.panes.glue.view(), At::Sub { .. }));
    press(&mut s, &["esc"]);
    assert_eq!(s.panes.glue.view(), &At::List);
    assert!(!s
        .subscriptions()
        .iter()
        .any(|(r, _)| matches!(r, Resource::GlueRuns { .. })));
}

#[test]
fn cursor_stays_on_the_same_job_when_the_list_resorts() {
    let mut s = demo_state(false);
    press(&mut s, &["G"]);
    let name = selected_job(&s);
    // The selected job's latest run fails: it moves to the top group.
    let mut jobs = demo_jobs();
    let j = jobs.iter_mut().find(|j| j.name == name).unwrap();
    j.runs[0].state = RunState::Failed;
    update(&mut s, loaded(Resource::GlueJobs, Data::GlueJobs(jobs)));
    assert_eq!(selected_job(&s), name);
}

#[test]
fn filter_is_an_input_mode_and_q_is_text() {
    let mut s = demo_state(false);
    let fx = press(&mut s, &["/"]);
    assert!(fx.is_empty());
    assert_eq!(s.mode(), pipedeck::config::Mode::Input);
    let fx = type_text(&mut s, "dq");
    assert!(!fx.contains(&Effect::Quit));
    assert_eq!(
        s.panes
            .glue
            .visible_jobs()
            .map(|j| j.name.as_str())
            .collect::<Vec<_>>(),
        vec!["dq-orders-silver"]
    );
    // 'q' and 'R' while typing are letters, not quit or re-run.
    let fx = type_text(&mut s, "qR");
    assert!(fx.is_empty(), "{fx:?}");
    assert!(!s.quitting);
    assert!(s.overlay.is_none());
    assert_eq!(s.panes.glue.filter_text(), "dqqR");
    press(&mut s, &["backspace", "backspace"]);
    assert_eq!(s.panes.glue.filter_text(), "dq");
    // Enter keeps the filter and leaves input mode; then q quits.
    press(&mut s, &["enter"]);
    assert_eq!(s.mode(), pipedeck::config::Mode::Normal);
    assert_eq!(s.panes.glue.visible_jobs().count(), 1);
    // Esc in normal mode clears a kept filter.
    press(&mut s, &["esc"]);
    assert_eq!(s.panes.glue.visible_jobs().count(), 8);
    // Esc while typing cancels the filter.
    press(&mut s, &["/", "z", "esc"]);
    assert_eq!(s.panes.glue.visible_jobs().count(), 8);
    let fx = press(&mut s, &["q"]);
    assert_eq!(fx, vec![Effect::Quit]);
}

#[test]
fn command_line_switches_panes_and_quits() {
    let mut s = demo_state(false);
    press(&mut s, &[":"]);
    type_text(&mut s, "journal");
    assert_eq!(s.active, PaneId::Glue, "typing does not act before Enter");
    press(&mut s, &["enter"]);
    assert_eq!(s.active, PaneId::Journal);
    press(&mut s, &[":"]);
    type_text(&mut s, "glue");
    press(&mut s, &["enter"]);
    assert_eq!(s.active, PaneId::Glue);
    press(&mut s, &[":"]);
    type_text(&mut s, "nonsense");
    press(&mut s, &["enter"]);
    assert!(
        flash(&s).contains("unknown command ':nonsense'"),
        "{}",
        flash(&s)
    );
    press(&mut s, &[":", "q"]);
    assert!(!s.quitting, "':q' needs Enter");
    let fx = press(&mut s, &["enter"]);
    assert_eq!(fx, vec![Effect::Quit]);
}

#[test]
fn tab_digits_and_hidden_panes_poll_slower() {
    let mut s = demo_state(false);
    assert!(s.subscriptions().contains(&(Resource::GlueJobs, true)));
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Emr);
    assert!(s.subscriptions().contains(&(Resource::EmrClusters, true)));
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Dlq);
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Alarms);
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Insights);
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Athena);
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Audit);
    press(&mut s, &["tab"]);
    assert_eq!(s.active, PaneId::Journal);
    // Alarms feed the header: polled at full speed even while hidden.
    assert!(s.subscriptions().contains(&(Resource::Alarms, true)));
    assert!(s.subscriptions().contains(&(Resource::GlueJobs, false)));
    assert!(s.subscriptions().contains(&(Resource::EmrClusters, false)));
    assert!(s.subscriptions().contains(&(Resource::Identity, true)));
    press(
        &mut s,
        &[
            "backtab", "backtab", "backtab", "backtab", "backtab", "backtab", "backtab",
        ],
    );
    assert_eq!(s.active, PaneId::Glue);
    press(&mut s, &["backtab"]);
    assert_eq!(s.active, PaneId::Journal, "shift-tab wraps around");
    goto(&mut s, PaneId::Emr);
    assert_eq!(s.active, PaneId::Emr);
    goto(&mut s, PaneId::Dlq);
    assert_eq!(s.active, PaneId::Dlq);
    goto(&mut s, PaneId::Alarms);
    assert_eq!(s.active, PaneId::Alarms);
    goto(&mut s, PaneId::Insights);
    assert_eq!(s.active, PaneId::Insights);
    goto(&mut s, PaneId::Journal);
    assert_eq!(s.active, PaneId::Journal);
    goto(&mut s, PaneId::Glue);
    assert_eq!(s.active, PaneId::Glue);
    press(&mut s, &["9"]);
    assert_eq!(s.active, PaneId::Glue, "no ninth pane: nothing happens");
}

#[test]
fn help_overlay_opens_and_closes() {
    let mut s = demo_state(false);
    press(&mut s, &["?"]);
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    press(&mut s, &["j"]);
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 1 })));
    press(&mut s, &["esc"]);
    assert!(s.overlay.is_none());
}

#[test]
fn refresh_asks_for_the_visible_resources_all_read_anew() {
    let mut s = demo_state(false);
    // `r` means "show me now": nothing is skipped as unchanged.
    assert_eq!(
        press(&mut s, &["r"]),
        vec![Effect::ReadEverything, Effect::Refresh(Resource::GlueJobs)]
    );
}

fn guard_state(max: i32, active: usize) -> pipedeck::app::State {
    let mut runs: Vec<_> = (0..active)
        .map(|i| {
            run(
                "etl",
                &format!("jr_active{i}"),
                RunState::Running,
                i as i64 + 1,
            )
        })
        .collect();
    runs.push(run("etl", "jr_done", RunState::Failed, 90));
    state_with_jobs(vec![job("etl", max, runs)], false)
}

#[test]
fn rerun_refused_when_active_runs_reach_max_concurrent_runs_1() {
    let mut s = guard_state(1, 1);
    let fx = press(&mut s, &["R"]);
    assert!(
        s.overlay.is_none(),
        "no confirmation when the guard refuses"
    );
    assert_eq!(fx.len(), 1);
    let Effect::Journal(entry) = &fx[0] else {
        panic!("{fx:?}")
    };
    assert_eq!(entry.phase, Phase::Refused);
    assert!(
        flash(&s).contains(&concurrency_message("etl")),
        "{}",
        flash(&s)
    );
    assert!(flash(&s).contains("(1 active of 1)"), "{}", flash(&s));
}

#[test]
fn rerun_guard_with_max_concurrent_runs_3() {
    let mut s = guard_state(3, 2);
    assert!(press(&mut s, &["R"]).is_empty());
    assert!(
        matches!(s.overlay, Some(Overlay::Confirm(_))),
        "2 of 3: allowed, asks first"
    );
    let mut s = guard_state(3, 3);
    let fx = press(&mut s, &["R"]);
    assert!(matches!(fx.as_slice(), [Effect::Journal(_)]));
    assert!(flash(&s).contains("(3 active of 3)"), "{}", flash(&s));
    // STOPPING and WAITING count as active too.
    let runs = vec![
        run("etl", "a", RunState::Stopping, 1),
        run("etl", "b", RunState::Waiting, 2),
        run("etl", "c", RunState::Starting, 3),
    ];
    let mut s = state_with_jobs(vec![job("etl", 3, runs)], false);
    assert!(matches!(
        press(&mut s, &["R"]).as_slice(),
        [Effect::Journal(_)]
    ));
}

#[test]
fn rerun_confirmation_yes_executes_no_cancels() {
    let mut s = guard_state(3, 0);
    press(&mut s, &["R"]);
    let Some(Overlay::Confirm(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(p.kind, ConfirmKind::YesNo);
    assert!(p.question.contains("etl"));
    assert!(
        p.question.contains("eu-west-1"),
        "names the region: {}",
        p.question
    );
    // 'j' and 'q' do nothing inside a confirmation.
    assert!(press(&mut s, &["j", "q"]).is_empty());
    assert!(!s.quitting);
    assert!(press(&mut s, &["n"]).is_empty());
    assert!(s.overlay.is_none());
    press(&mut s, &["R"]);
    let fx = press(&mut s, &["y"]);
    let [Effect::Execute(approved)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(
        approved.action(),
        &Action::RerunGlueJob {
            job: "etl".into(),
            from_run: "jr_done".into(),
            arguments: [("--env".to_string(), "prod".to_string())].into(),
        }
    );
    assert!(s.overlay.is_none());
}

#[test]
fn stop_needs_the_typed_job_name() {
    let mut s = guard_state(3, 1);
    // The first row's latest run is the running one.
    press(&mut s, &["X"]);
    let Some(Overlay::Confirm(p)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(
        p.kind,
        ConfirmKind::Typed {
            expect: "etl".into()
        }
    );
    // 'y' is just a letter here.
    assert!(press(&mut s, &["y"]).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    press(&mut s, &["backspace"]);
    type_text(&mut s, "et");
    assert!(
        press(&mut s, &["enter"]).is_empty(),
        "a wrong name does not proceed"
    );
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    type_text(&mut s, "l");
    let fx = press(&mut s, &["enter"]);
    let [Effect::Execute(a)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(
        a.action(),
        &Action::StopGlueRuns {
            job: "etl".into(),
            run_ids: vec!["jr_active0".into()]
        }
    );
    // Esc cancels a typed confirmation.
    press(&mut s, &["X"]);
    assert!(press(&mut s, &["esc"]).is_empty());
    assert!(s.overlay.is_none());
}

#[test]
fn stop_of_a_finished_run_says_why() {
    let mut s = guard_state(3, 0);
    assert!(press(&mut s, &["X"]).is_empty());
    assert!(s.overlay.is_none());
    assert!(
        flash(&s).contains("only STARTING, RUNNING or WAITING"),
        "{}",
        flash(&s)
    );
}

#[test]
fn read_only_refuses_rerun_and_stop_with_a_journal_line() {
    let mut s = guard_state(3, 1);
    s.settings.read_only = true;
    for k in ["R", "X"] {
        let fx = press(&mut s, &[k]);
        let [Effect::Journal(e)] = fx.as_slice() else {
            panic!("{k}: {fx:?}")
        };
        assert_eq!(e.phase, Phase::Refused);
        assert_eq!(e.result, "refused");
        assert!(s.overlay.is_none());
        assert!(flash(&s).contains("read-only"), "{}", flash(&s));
    }
}

#[test]
fn action_done_reports_and_refreshes() {
    let mut s = demo_state(false);
    let report = ActionReport {
        action: Action::RerunGlueJob {
            job: "dq-orders-silver".into(),
            from_run: "jr_x".into(),
            arguments: Default::default(),
        },
        ok: false,
        summary: concurrency_message("dq-orders-silver"),
        entries: vec![],
    };
    let fx = update(&mut s, Msg::ActionDone(report));
    assert!(fx.contains(&Effect::Refresh(Resource::GlueJobs)));
    assert!(fx.contains(&Effect::Refresh(Resource::GlueRuns {
        job: "dq-orders-silver".into()
    })));
    assert_eq!(s.flash.as_ref().unwrap().level, Level::Error);
}

#[test]
fn errors_keep_the_last_data_and_clear_on_success() {
    let mut s = demo_state(false);
    let n = s.panes.glue.jobs().len();
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now(),
            result: Err(CloudError::Throttled {
                op: "glue:GetJobs".into(),
            }),
            next_in: Some(std::time::Duration::from_secs(60)),
        },
    );
    assert_eq!(s.panes.glue.jobs().len(), n, "stale data stays visible");
    use pipedeck::panes::Pane;
    let st = s.panes.glue.status().unwrap();
    assert_eq!(st.error.as_ref().unwrap().label(), "throttled");
    assert_eq!(st.next_in, Some(std::time::Duration::from_secs(60)));
    update(
        &mut s,
        loaded(Resource::GlueJobs, Data::GlueJobs(demo_jobs())),
    );
    assert!(s.panes.glue.status().unwrap().error.is_none());
}

#[test]
fn flash_fades_with_the_clock() {
    let mut s = demo_state(false);
    s.say(Level::Info, "hello");
    update(&mut s, Msg::Tick(now() + chrono::Duration::seconds(3)));
    assert!(s.flash.is_some());
    update(&mut s, Msg::Tick(now() + chrono::Duration::seconds(30)));
    assert!(s.flash.is_none());
}

#[test]
fn a_fresh_job_list_replaces_an_older_drill_down_copy() {
    let mut s = guard_state(3, 1);
    press(&mut s, &["enter"]);
    let running = s.panes.glue.runs_of("etl").to_vec();
    update(
        &mut s,
        loaded(
            Resource::GlueRuns { job: "etl".into() },
            Data::GlueRuns(running.clone()),
        ),
    );
    press(&mut s, &["esc"]);
    let mut stopped = running;
    stopped[0].state = RunState::Stopped;
    update(
        &mut s,
        loaded(
            Resource::GlueJobs,
            Data::GlueJobs(vec![job("etl", 3, stopped)]),
        ),
    );
    assert_eq!(s.panes.glue.runs_of("etl")[0].state, RunState::Stopped);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("0/3"), "{screen}");
}

#[test]
fn the_resolved_region_replaces_the_placeholder() {
    let mut s = empty_state(false);
    s.conn.region = "(from profile)".into();
    let id = pipedeck::cloud::Identity {
        account: Some("111122223333".into()),
        arn: None,
        region: Some("ap-south-1".into()),
    };
    update(&mut s, loaded(Resource::Identity, Data::Identity(id)));
    assert_eq!(s.conn.region, "ap-south-1");
    let header = text(&render(&s, 120, 30));
    assert!(header.lines().next().unwrap().contains("ap-south-1"));
}

#[test]
fn copy_gives_the_error_in_detail_and_the_run_id_in_lists() {
    let mut s = demo_state(false);
    let run = s.panes.glue.selected_run().unwrap().clone();
    assert_eq!(press(&mut s, &["y"]), vec![Effect::Copy(run.id.clone())]);
    press(&mut s, &["enter", "enter"]);
    let msg = run.error_message.clone().expect("the top job failed");
    assert_eq!(press(&mut s, &["y"]), vec![Effect::Copy(msg)]);
    assert!(s.flash.unwrap().text.starts_with("copied ValueError"));
}

#[test]
fn the_cursor_stays_on_its_job_when_jobs_appear_and_vanish() {
    let mut jobs = demo_jobs();
    let mut s = state_with_jobs(jobs.clone(), false);
    press(&mut s, &["j", "j"]);
    let picked = s.panes.glue.selected_job().unwrap().name.clone();
    // A new job listed first, and the last one deleted: the raw positions
    // shift, the selection must not.
    let mut extra = jobs[0].clone();
    extra.name = "aaa-new-job".into();
    jobs.insert(0, extra);
    jobs.pop();
    update(&mut s, loaded(Resource::GlueJobs, Data::GlueJobs(jobs)));
    assert_eq!(s.panes.glue.selected_job().unwrap().name, picked);
}
