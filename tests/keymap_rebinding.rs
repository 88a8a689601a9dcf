//! Every key that acts comes from the keymap: rebind each command and the
//! footer, `?` and the action follow, and the old key no longer acts —
//! the query editor's run and stop included.

mod common;

use common::*;
use pipedeck::app::{update, Effect, Msg, Overlay, State};
use pipedeck::config::{Command, Keymap, Mode};
use std::path::Path;

/// Every normal-mode command moved to a key nothing else uses
/// (alt-letters, alt-digits, then F-keys).
fn everything_moved() -> (Keymap, Vec<(Command, String)>) {
    let preset = Keymap::preset("default").unwrap();
    let fresh: Vec<String> = ('a'..='z')
        .map(|c| format!("alt-{c}"))
        .chain(('0'..='9').map(|c| format!("alt-{c}")))
        .chain((1..=12).map(|n| format!("F{n}")))
        .collect();
    let bound: Vec<Command> = preset
        .bindings(Mode::Normal)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(bound.len() <= fresh.len(), "{} commands", bound.len());
    let moved: Vec<(Command, String)> = bound.into_iter().zip(fresh).collect();
    let mut text = String::from("[normal]\n");
    for (cmd, key) in &moved {
        text.push_str(&format!("{} = [\"{key}\"]\n", cmd.name()));
    }
    let user = Keymap::parse(&text, Path::new("keymap.toml")).unwrap();
    (preset.overlay(user), moved)
}

fn with_keymap(km: Keymap) -> State {
    let mut s = demo_state(false);
    s.keymap = km;
    s
}

fn key_of(moved: &[(Command, String)], cmd: Command) -> String {
    moved.iter().find(|(c, _)| *c == cmd).unwrap().1.clone()
}

#[test]
fn every_command_answers_its_new_key_and_not_its_old_one() {
    let preset = Keymap::preset("default").unwrap();
    let (km, moved) = everything_moved();
    for (cmd, new) in &moved {
        assert_eq!(km.lookup(Mode::Normal, &key(new)), Some(*cmd), "{cmd:?}");
        for old in preset.keys_for(Mode::Normal, *cmd) {
            let old = old.to_string();
            let now = km.lookup(Mode::Normal, &key(&old));
            assert_ne!(now, Some(*cmd), "{cmd:?} still on {old}");
        }
    }
}

#[test]
fn help_and_footer_show_the_new_keys_and_the_actions_follow_them() {
    let (km, moved) = everything_moved();
    let mut s = with_keymap(km);
    // The old keys do nothing: no help, no refresh, no quit.
    assert!(press(&mut s, &["?"]).is_empty());
    assert!(s.overlay.is_none());
    assert!(press(&mut s, &["r"]).is_empty());
    press(&mut s, &["q"]);
    assert!(!s.quitting);
    // The footer names the new keys.
    let footer = text(&render(&s, 200, 30))
        .lines()
        .last()
        .unwrap()
        .to_string();
    for cmd in [
        Command::Help,
        Command::Quit,
        Command::Refresh,
        Command::Filter,
    ] {
        assert!(footer.contains(&key_of(&moved, cmd)), "{cmd:?}: {footer}");
    }
    // Help opens on its new key and lists each command under its new key.
    press(&mut s, &[&key_of(&moved, Command::Help)]);
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    update(
        &mut s,
        Msg::Resize {
            width: 120,
            height: 400,
        },
    );
    let screen = text(&render(&s, 120, 400));
    for cmd in [
        Command::Refresh,
        Command::Filter,
        Command::Messages,
        Command::Rerun,
        Command::Triage,
        Command::Purge,
        Command::Run,
        Command::Snooze,
    ] {
        let k = key_of(&moved, cmd);
        assert!(
            screen.lines().any(|l| l.contains(&format!("  {k} "))),
            "{cmd:?} on {k} not in help:\n{screen}"
        );
    }
    press(&mut s, &[&key_of(&moved, Command::Help)]);
    assert!(s.overlay.is_none());
    // Actions follow: refresh, re-run (asks), quit.
    let fx = press(&mut s, &[&key_of(&moved, Command::Refresh)]);
    assert!(fx.iter().any(|e| matches!(e, Effect::Refresh(_))), "{fx:?}");
    press(&mut s, &[&key_of(&moved, Command::Rerun)]);
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    press(&mut s, &["esc"]);
    press(&mut s, &[&key_of(&moved, Command::Quit)]);
    assert!(s.quitting);
}

#[test]
fn the_editors_run_and_stop_follow_the_keymap() {
    let user = Keymap::parse(
        "[editor]\nrun = [\"F9\"]\nstop = [\"ctrl-x\"]\nback = [\"F10\"]\n",
        Path::new("keymap.toml"),
    )
    .unwrap();
    let mut s = insights_state();
    s.keymap = Keymap::preset("default").unwrap().overlay(user);
    press(&mut s, &["e"]);
    let screen = text(&render(&s, 120, 24));
    // The pane's own words name the keys as bound, not as shipped.
    assert!(screen.contains("editing — F9 runs, F10 leaves"), "{screen}");
    let footer = screen.lines().last().unwrap().to_string();
    assert!(footer.contains("F9 run"), "{footer}");
    assert!(footer.contains("ctrl-x stop"), "{footer}");
    assert!(footer.contains("F10 leave editor"), "{footer}");
    assert!(!footer.contains("ctrl-r"), "{footer}");
    // The old run key is no longer run (and no query starts).
    let fx = press(&mut s, &["ctrl-r"]);
    assert!(insights_start(&fx).is_none(), "{fx:?}");
    let fx = press(&mut s, &["F9"]);
    let (run, query) = insights_start(&fx).expect("F9 runs");
    update(
        &mut s,
        loaded(
            pipedeck::app::Resource::InsightsStart { run, query },
            pipedeck::app::Data::QueryStarted("q-1".into()),
        ),
    );
    // ctrl-c is text-less but no longer stop; ctrl-x stops.
    let fx = press(&mut s, &["ctrl-c"]);
    assert!(!fx.contains(&Effect::StopQuery("q-1".into())), "{fx:?}");
    let fx = press(&mut s, &["ctrl-x"]);
    assert!(fx.contains(&Effect::StopQuery("q-1".into())), "{fx:?}");
    // Esc is no longer the way out; F10 is.
    press(&mut s, &["esc"]);
    assert_eq!(s.mode(), Mode::Editor);
    press(&mut s, &["F10"]);
    assert_eq!(s.mode(), Mode::Normal);
}

#[test]
fn the_pickers_keys_follow_the_keymap() {
    let user = Keymap::parse(
        "[picker]\naccept = [\"F2\"]\ncancel = [\"F3\"]\n",
        Path::new("keymap.toml"),
    )
    .unwrap();
    let mut s = insights_state();
    s.keymap = Keymap::preset("default").unwrap().overlay(user);
    press(&mut s, &["p", "/"]);
    assert_eq!(s.mode(), Mode::Picker, "typing in the picker");
    type_text(&mut s, "/aws");
    assert!(
        !press(&mut s, &["enter"])
            .iter()
            .any(|e| matches!(e, Effect::Refresh(_))),
        "enter no longer searches"
    );
    let fx = press(&mut s, &["F2"]);
    assert!(fx.iter().any(|e| matches!(e, Effect::Refresh(_))), "{fx:?}");
    press(&mut s, &["/"]);
    press(&mut s, &["F3"]);
    assert_eq!(s.mode(), Mode::Normal);
}
