//! Words that stay true: a status message belongs to the view it was raised
//! in and to its cause; the message log keeps them all; `/` and `:words`
//! say where they work; the Insights range has one source of truth; help
//! and the footer come from the keymap and the panes' own declarations.

use crate::common;

use common::*;
use pipedeck::app::{update, Data, Level, Msg, Overlay, Resource, State};
use pipedeck::cloud::RunState;
use pipedeck::panes::PaneId;

fn flash(s: &State) -> Option<String> {
    s.flash.as_ref().map(|f| f.text.clone())
}

#[test]
fn a_message_about_one_job_goes_when_the_cursor_moves_to_another() {
    // orders-bronze-to-silver: MaxConcurrentRuns 1, a run going.
    let jobs = vec![
        job(
            "first-job",
            1,
            vec![run("first-job", "jr_a", RunState::Running, 5)],
        ),
        job(
            "second-job",
            3,
            vec![run("second-job", "jr_b", RunState::Failed, 9)],
        ),
    ];
    let mut s = state_with_jobs(jobs, false);
    // Failed first: second-job, then first-job (at its limit).
    press(&mut s, &["j"]);
    let first = s.panes.glue.selected_job().unwrap().name.clone();
    assert_eq!(first, "first-job");
    press(&mut s, &["R"]);
    let said = flash(&s).expect("the concurrency refusal");
    assert!(said.contains(&first), "{said}");
    press(&mut s, &["k"]);
    assert_ne!(s.panes.glue.selected_job().unwrap().name, first);
    assert_eq!(flash(&s), None, "the refusal outlived its job");
    // It is still in the log.
    assert!(s.messages.iter().any(|m| m.text == said));
}

#[test]
fn a_message_stays_while_the_user_stays() {
    let mut s = demo_state(false);
    press(&mut s, &["/"]);
    type_text(&mut s, "zzz-no-such-job");
    press(&mut s, &["esc"]);
    s.say(Level::Info, "copied jr_x");
    update(&mut s, Msg::Tick(now() + chrono::Duration::seconds(2)));
    assert_eq!(flash(&s).as_deref(), Some("copied jr_x"));
}

#[test]
fn refreshing_goes_when_the_refresh_lands() {
    let mut s = demo_state(false);
    press(&mut s, &["r"]);
    assert_eq!(flash(&s).as_deref(), Some("refreshing…"));
    update(
        &mut s,
        loaded(Resource::GlueJobs, Data::GlueJobs(demo_jobs())),
    );
    assert_eq!(flash(&s), None);
}

#[test]
fn the_triage_says_checking_under_the_editor_not_in_a_lasting_message() {
    let mut s = demo_state(false);
    press(&mut s, &["enter", "enter", "t"]);
    assert_eq!(s.active, pipedeck::panes::PaneId::Insights);
    assert!(
        !flash(&s).unwrap_or_default().contains("checking"),
        "{:?}",
        flash(&s)
    );
    let screen = text(&render(&s, 110, 30));
    assert!(screen.contains("checking 3 log group(s)…"), "{screen}");
}

#[test]
fn the_message_log_keeps_every_message_newest_first() {
    let mut s = demo_state(false);
    s.say(Level::Info, "first thing");
    s.say(Level::Error, "second thing");
    press(&mut s, &["m"]);
    assert!(matches!(s.overlay, Some(Overlay::Messages { .. })));
    let screen = text(&render(&s, 100, 30));
    let a = screen.find("second thing").expect(&screen);
    let b = screen.find("first thing").expect(&screen);
    assert!(a < b, "{screen}");
    press(&mut s, &["esc"]);
    assert!(s.overlay.is_none());
}

#[test]
fn slash_where_nothing_filters_says_so_and_letters_stay_keys() {
    let mut s = demo_state(false);
    press(&mut s, &["enter", "enter"]);
    press(&mut s, &["/"]);
    let said = flash(&s).unwrap_or_default();
    assert!(said.contains("nothing to filter"), "{said}");
    assert_eq!(s.mode(), pipedeck::config::Mode::Normal);
}

#[test]
fn a_pane_word_typed_elsewhere_says_where_it_works() {
    let mut s = demo_state(false);
    press(&mut s, &[":"]);
    type_text(&mut s, "redrive orders");
    press(&mut s, &["enter"]);
    let said = flash(&s).unwrap_or_default();
    assert!(!said.contains("unknown command"), "{said}");
    assert!(said.contains("DLQ pane") && said.contains(":dlq"), "{said}");
    press(&mut s, &[":"]);
    type_text(&mut s, "export /tmp/x.csv");
    press(&mut s, &["enter"]);
    assert!(flash(&s).unwrap_or_default().contains(":insights"));
}

fn range_line(s: &State) -> String {
    let screen = text(&render(s, 160, 30));
    screen
        .lines()
        .find(|l| l.contains("range "))
        .unwrap_or_else(|| panic!("{screen}"))
        .to_string()
}

#[test]
fn the_insights_range_line_has_one_source_of_truth() {
    let mut s = insights_state();
    let first = s.panes.insights.range().label();
    press(&mut s, &["ctrl-r"]);
    assert!(!range_line(&s).contains("(shown:"), "{}", range_line(&s));
    // `w` changes the range: the line shows the new one and, since the rows
    // on screen came from the old window, says which that was.
    press(&mut s, &["w"]);
    let second = s.panes.insights.range().label();
    assert_ne!(first, second);
    let line = range_line(&s);
    assert!(line.contains(&second), "{line}");
    assert!(line.contains("(shown:"), "{line}");
    // ctrl-p brings back the query's own range, said in words, not RFC 3339.
    press(&mut s, &["ctrl-p"]);
    assert_eq!(s.panes.insights.range().label(), first);
    let said = flash(&s).unwrap_or_default();
    assert!(said.contains(&first), "{said}");
    assert!(!said.contains("T0") && !said.contains("+00:00"), "{said}");
    assert!(!range_line(&s).contains("(shown:"), "{}", range_line(&s));
}

#[test]
fn a_relative_range_run_long_ago_says_which_window_the_rows_are_from() {
    let mut s = insights_state();
    press(&mut s, &["ctrl-r"]);
    update(&mut s, Msg::Tick(now() + chrono::Duration::minutes(10)));
    let line = range_line(&s);
    assert!(line.contains("(shown:"), "{line}");
}

#[test]
fn help_starts_with_this_panes_keys_in_its_own_words_and_stops_at_its_end() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Dlq);
    update(
        &mut s,
        Msg::Resize {
            width: 100,
            height: 36,
        },
    );
    press(&mut s, &["?"]);
    let screen = text(&render(&s, 100, 36));
    let first_heading = screen.find("DLQ — keys here now").expect(&screen);
    let redrive = screen.find("redrive").expect(&screen);
    let everywhere = screen.find("Everywhere").expect(&screen);
    assert!(first_heading < redrive && redrive < everywhere, "{screen}");
    assert!(screen.contains("more"), "no scroll marker: {screen}");
    assert!(screen.contains(":redrive QUEUE"), "{screen}");
    // Scrolling stops at the last line: no blank screens past the end.
    for _ in 0..200 {
        press(&mut s, &["j"]);
    }
    let screen = text(&render(&s, 100, 36));
    assert!(screen.contains("Keymap: default"), "{screen}");
    assert!(screen.contains(":save [NAME]"), "{screen}");
    // The command list comes from the panes, not a fixed string.
    assert!(
        screen.contains(":insights") && screen.contains(":alarms"),
        "{screen}"
    );
}

#[test]
fn the_editor_footer_names_its_own_keys() {
    let mut s = insights_state();
    press(&mut s, &["e"]);
    let screen = text(&render(&s, 110, 24));
    let footer = screen.lines().last().unwrap();
    assert!(
        footer.contains("run") && footer.contains("new line"),
        "{footer}"
    );
    assert!(
        !footer.contains("delete_back") && !footer.contains("apply"),
        "{footer}"
    );
    // A filter line has human words too.
    let mut s = demo_state(false);
    press(&mut s, &["/"]);
    let screen = text(&render(&s, 110, 24));
    let footer = screen.lines().last().unwrap();
    assert!(footer.contains("backspace delete"), "{footer}");
    assert!(!footer.contains("delete_back"), "{footer}");
}

#[test]
fn one_time_format_everywhere() {
    let mut s = demo_state(false);
    press(&mut s, &["enter", "enter"]);
    let screen = text(&render(&s, 120, 40));
    assert!(screen.contains(":00 UTC ("), "{screen}");
    assert!(!screen.contains("Z ("), "{screen}");
    goto(&mut s, PaneId::Emr);
    press(&mut s, &["enter", "enter"]);
    let screen = text(&render(&s, 120, 40));
    assert!(!screen.contains("+00:00"), "{screen}");
    assert!(screen.contains(" UTC ("), "{screen}");
}

#[test]
fn a_next_refresh_that_is_not_coming_is_not_promised() {
    let mut s = demo_state(false);
    // Long after the last poll with nothing since: no "next in 0s".
    update(&mut s, Msg::Tick(now() + chrono::Duration::minutes(3)));
    let screen = text(&render(&s, 100, 30));
    assert!(!screen.contains("next in 0s"), "{screen}");
    assert!(screen.contains("refreshed 3m ago"), "{screen}");
    // Before the poll is due, a countdown.
    let mut s = demo_state(false);
    update(&mut s, Msg::Tick(now() + chrono::Duration::seconds(10)));
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("next in 20s"), "{screen}");
}
