//! Answering a confirmation: `y` / the typed name + Enter mint the gate's
//! token, but only from a dialog the user can read whole on this screen;
//! arrows and paging keys scroll what it lists.

use super::{Effect, Level, Overlay, State};
use crate::config::{Command, Mode};
use crate::gate;
use crate::ui::components::dialog;
use crossterm::event::KeyEvent;

pub(super) fn on_confirm_key(state: &mut State, key: &KeyEvent) -> Vec<Effect> {
    match state.keymap.lookup(Mode::Confirm, key) {
        Some(Command::Yes) => approve(state),
        Some(cmd) if scroll_confirm(state, cmd) => vec![],
        Some(Command::No) => {
            state.overlay = None;
            state.say(Level::Info, "cancelled; nothing was changed");
            vec![]
        }
        _ => vec![],
    }
}

/// Up/down/page keys move through a dialog's details; false for others.
pub(super) fn scroll_confirm(state: &mut State, cmd: Command) -> bool {
    let Some(Overlay::Confirm(p)) = &mut state.overlay else {
        return false;
    };
    let page = state.screen.map_or(10, |(_, h)| (h / 3).max(1) as usize);
    match cmd {
        Command::Up => p.scroll = p.scroll.saturating_sub(1),
        Command::Down => p.scroll += 1,
        Command::PageUp => p.scroll = p.scroll.saturating_sub(page),
        Command::PageDown => p.scroll += page,
        _ => return false,
    }
    clamp_confirm_scroll(state);
    true
}

pub(super) fn clamp_confirm_scroll(state: &mut State) {
    if let (Some(Overlay::Confirm(p)), Some((w, h))) = (&mut state.overlay, state.screen) {
        p.scroll = p.scroll.min(dialog::max_scroll(p, &state.keymap, w, h));
    }
}

pub(super) fn approve(state: &mut State) -> Vec<Effect> {
    // A dialog the user cannot read whole is never answered (its question
    // or the typed name would be off screen); nor is one whose screen size
    // was never learnt.
    if let Some(Overlay::Confirm(p)) = &state.overlay {
        let readable = state
            .screen
            .is_some_and(|(w, h)| dialog::fits(p, &state.keymap, w, h));
        if !readable {
            let no = state.keymap.label(Mode::Confirm, Command::No);
            state.say(
                Level::Warn,
                format!("the terminal is too small to show this confirmation; enlarge it, or {no} to cancel"),
            );
            return vec![];
        }
    }
    let Some(Overlay::Confirm(pending)) = state.overlay.take() else {
        return vec![];
    };
    match gate::confirm(pending) {
        Ok(approved) => {
            state.say(
                Level::Info,
                format!(
                    "{} on {}…",
                    approved.action().name(),
                    approved.action().target()
                ),
            );
            vec![Effect::Execute(approved)]
        }
        Err(pending) => {
            state.say(
                Level::Warn,
                format!(
                    "the name does not match; type it exactly, or {} to cancel",
                    state.keymap.label(Mode::Input, Command::Cancel)
                ),
            );
            state.overlay = Some(Overlay::Confirm(pending));
            vec![]
        }
    }
}
