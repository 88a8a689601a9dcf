//! Every key that acts comes from the keymap: rebind each command and the
//! footer, `?` and the action follow, and the old key no longer acts —
//! the query editor's run and stop included.

use crate::common;

use common::*;
use pipedeck::app::{update, Effect, Msg, Overlay, State};
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::config::{Command, Keymap, Mode};
use pipedeck::panes::keys::offered;
use pipedeck::panes::PaneId;
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

/// What a key press can change that a user sees.
fn seen(s: &State) -> String {
    format!(
        "{:?} | {:?} | {:?} | {} | {:?} | cmdline {}",
        s.active,
        s.overlay,
        s.mode(),
        s.panes.get(s.active).view_key(),
        s.flash.as_ref().map(|f| &f.text),
        s.cmdline.is_some()
    )
}

/// The demo account on `pane` under `keymap`; `opened`: one level down
/// (a job's runs, a cluster's steps, a DLQ's peek, an alarm's detail),
/// with what opening asked for answered by the demo.
fn at(pane: PaneId, opened: bool, keymap: &Keymap) -> State {
    let mut s = with_keymap(keymap.clone());
    goto(&mut s, pane);
    if opened {
        let fx = press_cmd(&mut s, Command::Open);
        let demo = DemoCloud::new(Clock::Fixed(now()));
        futures::executor::block_on(drive(&mut s, &demo, fx));
    }
    s
}

/// Every key in every pane's table, in the list and one level down: under
/// a keymap that moves every command elsewhere, the footer shows the new
/// key with the pane's word, `?` lists it with the pane's words, pressing
/// it does exactly what the shipped key does under the shipped keymap, and
/// the shipped key does nothing at all.
#[test]
fn every_key_of_every_pane_follows_its_rebinding() {
    let preset = Keymap::preset("default").unwrap();
    let (km, moved) = everything_moved();
    let mut acted = 0;
    for pane in PaneId::all() {
        for opened in [false, true] {
            let probe = at(pane, opened, &km);
            let screen = text(&render(&probe, 250, 40));
            let footer = screen.lines().last().unwrap().to_string();
            let mut help = at(pane, opened, &km);
            press_cmd(&mut help, Command::Help);
            update(
                &mut help,
                Msg::Resize {
                    width: 120,
                    height: 400,
                },
            );
            let help = text(&render(&help, 120, 400));
            let infos = probe.panes.get(pane).key_infos();
            let mut helped: Vec<Command> = Vec::new();
            // The footer: each command once, in the words of its first
            // entry offered now.
            for (cmd, label) in offered(&infos, Mode::Normal) {
                let new = key_of(&moved, cmd);
                assert!(
                    footer.contains(&format!("{new} {label}")),
                    "{pane:?} (opened: {opened}) {cmd:?}: footer does not offer '{label}' on {new}:\n{footer}"
                );
            }
            for k in infos.iter().filter(|k| k.mode == Mode::Normal) {
                let new = key_of(&moved, k.cmd);
                let place = format!("{pane:?} (opened: {opened}) {:?} '{}'", k.cmd, k.label);
                if k.applies && !k.help.is_empty() && !helped.contains(&k.cmd) {
                    helped.push(k.cmd);
                    let words: String = k.help.chars().take(24).collect();
                    assert!(
                        help.lines()
                            .any(|l| l.contains(&format!("  {new} ")) && l.contains(&words)),
                        "{place}: ? does not list it on {new}:\n{help}"
                    );
                }
                if !k.applies {
                    continue;
                }
                // The shipped key under the shipped keymap…
                let old = preset.keys_for(Mode::Normal, k.cmd)[0];
                let mut shipped = at(pane, opened, &preset);
                let before = seen(&shipped);
                let want = update(&mut shipped, Msg::Key(event_of(&old)));
                let did = !want.is_empty() || seen(&shipped) != before;
                // …is what the new key does under the moved keymap…
                let mut rebound = at(pane, opened, &km);
                let got = press_cmd(&mut rebound, k.cmd);
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "{place}");
                assert_eq!(seen(&rebound), seen(&shipped), "{place}");
                // …and the shipped key no longer acts.
                let mut stale = at(pane, opened, &km);
                let before = seen(&stale);
                let fx = update(&mut stale, Msg::Key(event_of(&old)));
                assert!(fx.is_empty(), "{place}: {old} still acts: {fx:?}");
                assert_eq!(seen(&stale), before, "{place}: {old} still acts");
                if did {
                    acted += 1;
                }
            }
        }
    }
    // Enough keys did something for the comparison to mean something.
    assert!(acted >= 30, "only {acted} keys acted");
}
