//! Snapshot tests of the whole screen on ratatui's TestBackend, over the
//! demo account frozen at one instant. Where colour carries meaning (a
//! FAILED state) the snapshot records styles too.

use crate::common;

use common::*;
use pipedeck::app::{Overlay, State};
use pipedeck::config::{Keymap, Mode, Theme};
use pipedeck::panes::PaneId;
use pipedeck::ui::RenderCtx;
use ratatui::style::Modifier;

fn at_sizes(name: &str, s: &State) {
    for (w, h) in [(100, 30), (60, 15)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&render(s, w, h)));
    }
}

#[test]
fn glue_list() {
    let s = demo_state(false);
    at_sizes("glue_list", &s);
    // The failing rows must be red and bold in the dark theme.
    insta::assert_snapshot!("glue_list_styled_100x30", styled(&render(&s, 100, 30)));
}

#[test]
fn glue_list_marks_failures_in_the_failure_colour() {
    let s = demo_state(false);
    let buf = render(&s, 100, 30);
    let failure = theme().c.failure.0;
    let row = (0..30)
        .find(|y| {
            text(&buf)
                .lines()
                .nth(*y as usize)
                .unwrap()
                .contains("raw-to-silver-transform")
        })
        .unwrap();
    let x = (0..100).find(|x| buf[(*x, row)].symbol() == "F").unwrap();
    assert_eq!(buf[(x, row)].fg, failure);
    assert!(buf[(x, row)].modifier.contains(Modifier::BOLD));
}

#[test]
fn run_detail() {
    let mut s = demo_state(false);
    // The first job is the failing file-arrival job; open its latest run.
    press(&mut s, &["enter", "enter"]);
    at_sizes("run_detail", &s);
}

#[test]
fn runs_of_a_job() {
    let mut s = demo_state(false);
    press(&mut s, &["enter"]);
    at_sizes("runs", &s);
}

#[test]
fn help_overlay() {
    let mut s = demo_state(false);
    press(&mut s, &["?"]);
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    at_sizes("help", &s);
}

#[test]
fn confirmation_dialog() {
    let mut s = demo_state(false);
    // dq-orders-silver: failed, MaxConcurrentRuns 1, nothing running.
    press(&mut s, &["/"]);
    type_text(&mut s, "dq");
    press(&mut s, &["enter", "R"]);
    assert!(
        matches!(s.overlay, Some(Overlay::Confirm(_))),
        "{:?}",
        s.flash
    );
    at_sizes("confirm_rerun", &s);
}

#[test]
fn typed_confirmation_dialog() {
    let mut s = demo_state(false);
    press(&mut s, &["/"]);
    type_text(&mut s, "generic");
    press(&mut s, &["enter", "X"]);
    type_text(&mut s, "generic");
    at_sizes("confirm_stop_typed", &s);
}

#[test]
fn read_only_header_and_refusal() {
    let mut s = demo_state(true);
    press(&mut s, &["R"]);
    insta::assert_snapshot!("read_only_refusal_100x30", text(&render(&s, 100, 30)));
}

#[test]
fn no_panic_on_tiny_or_odd_terminals() {
    let mut s = demo_state(false);
    for (w, h) in [(20, 5), (1, 1), (30, 8), (200, 3), (10, 60)] {
        render(&s, w, h);
    }
    press(&mut s, &["enter", "enter"]);
    render(&s, 20, 5);
    render(&s, 31, 9);
    press(&mut s, &["?"]);
    render(&s, 31, 9);
    let small = text(&render(&s, 20, 5));
    assert!(small.contains("needs"), "{small}");
}

#[test]
fn every_theme_renders_the_list() {
    for (name, _) in pipedeck::config::theme::PRESETS {
        let s = demo_state(false);
        let backend = ratatui::backend::TestBackend::new(100, 30);
        let mut term = ratatui::Terminal::new(backend).unwrap();
        let t = Theme::preset(name).unwrap();
        term.draw(|f| pipedeck::ui::render(&s, f, &t, chrono::FixedOffset::east_opt(0).unwrap()))
            .unwrap();
        let buf = term.backend().buffer();
        assert!(text(buf).contains("raw-to-silver-transform"));
        // The theme is really applied: the failed state wears its colour.
        let screen = text(buf);
        let row = screen
            .lines()
            .position(|l| l.contains("raw-to-silver-transform"))
            .unwrap() as u16;
        let x = (0..100).find(|x| buf[(*x, row)].symbol() == "F").unwrap();
        assert_eq!(buf[(x, row)].fg, t.c.failure.0, "{name}");
    }
    let failures: std::collections::BTreeSet<String> = pipedeck::config::theme::PRESETS
        .iter()
        .map(|(n, _)| format!("{:?}", Theme::preset(n).unwrap().c.failure.0))
        .collect();
    assert_eq!(
        failures.len(),
        pipedeck::config::theme::PRESETS.len(),
        "themes differ"
    );
}

#[test]
fn custom_binding_shows_in_the_help_overlay() {
    let user = Keymap::parse(
        "[normal]\nhelp = [\"F1\"]\nrerun = [\"ctrl-r\"]\n",
        std::path::Path::new("keymap.toml"),
    )
    .unwrap();
    let km = Keymap::preset("default").unwrap().overlay(user);
    let t = theme();
    let conn = demo_conn();
    let rc = RenderCtx {
        theme: &t,
        keymap: &km,
        conn: &conn,
        now: now(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
        mode: Mode::Normal,
    };
    let mut with_km = demo_state(false);
    with_km.keymap = km.clone();
    let lines: Vec<String> = pipedeck::ui::help_lines(&with_km, &rc)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.to_string()).collect())
        .collect();
    let help = lines
        .iter()
        .find(|l| l.contains("show or hide this help"))
        .unwrap();
    assert!(help.trim_start().starts_with("F1"), "{help}");
    let rerun = lines.iter().find(|l| l.contains("re-run the job")).unwrap();
    assert!(rerun.contains("ctrl-r"), "{rerun}");
    // And through the whole screen with the state's keymap.
    let mut s = demo_state(false);
    s.keymap = km;
    press(&mut s, &["?"]);
    assert!(s.overlay.is_none(), "'?' is no longer bound to help");
    s.overlay = Some(Overlay::Help { scroll: 0 });
    let screen = text(&render(&s, 100, 40));
    assert!(screen.contains("F1"), "{screen}");
}

#[test]
fn header_does_not_claim_health_before_the_first_load() {
    let s = empty_state(false);
    let screen = text(&render(&s, 160, 30));
    let header = screen.lines().next().unwrap();
    assert!(header.contains("? Glue failed ?"), "{header}");
    assert!(header.contains("? EMR failing ?"), "{header}");
    assert!(!header.contains('✓'), "{header}");
}

#[test]
fn narrow_header_keeps_the_facts_without_labels() {
    let s = demo_state(false);
    let screen = text(&render(&s, 60, 15));
    let header = screen.lines().next().unwrap();
    // Three failing jobs: orders-bronze-to-silver's retry runs after a
    // timeout, and a retry does not make a job healthy.
    assert!(header.contains("✗Glue 3"), "{header}");
    assert!(header.contains("123456789012"), "{header}");
    assert!(header.contains("eu-west-1"), "{header}");
    // However narrow, the way out and the way to help stay on screen.
    for w in [40, 60, 100] {
        let screen = text(&render(&s, w, 15));
        let footer = screen.lines().last().unwrap();
        assert!(footer.ends_with("q quit"), "{w}: {footer}");
        assert!(footer.contains("? help"), "{w}: {footer}");
    }
}

#[test]
fn hostile_error_messages_cannot_drive_the_terminal() {
    let mut r = run("etl", "jr_1", pipedeck::cloud::RunState::Failed, 5);
    let mut huge = String::from("Traceback \u{1b}]0;owned\u{7}\u{1b}[2J\r\n");
    for i in 0..5_000 {
        huge.push_str(&format!(
            "  at frame {i} \u{0}\u{1b}[31m{}\n",
            "x".repeat(300)
        ));
    }
    r.error_message = Some(huge);
    r.arguments
        .insert("--blob".into(), "\u{1b}[?1049l".repeat(10_000));
    let mut s = state_with_jobs(vec![job("etl", 1, vec![r])], false);
    press(&mut s, &["enter", "enter"]);
    for (w, h) in [(100, 30), (60, 15), (20, 5)] {
        let buf = render(&s, w, h);
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(|c| c.is_control()),
                "control character reached a cell at {w}x{h}: {:?}",
                cell.symbol()
            );
        }
    }
    let screen = text(&render(&s, 100, 30));
    assert!(
        screen.contains("␛[?1049l"),
        "escapes shown as pictures: {screen}"
    );
    press(&mut s, &["ctrl-f", "ctrl-f"]);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("Traceback ␛]0;owned␇␛[2J"), "{screen}");
    press(&mut s, &["G"]);
    let end = text(&render(&s, 100, 30));
    assert!(end.contains("more lines"), "{end}");
}

#[test]
fn emr_cluster_list() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Emr);
    at_sizes("emr_clusters", &s);
    insta::assert_snapshot!("emr_clusters_styled_100x30", styled(&render(&s, 100, 30)));
}

#[test]
fn emr_steps() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Emr);
    press(&mut s, &["j", "enter"]);
    at_sizes("emr_steps", &s);
}

#[test]
fn emr_step_detail() {
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Emr);
    press(&mut s, &["enter", "enter"]);
    at_sizes("emr_step_detail", &s);
}
