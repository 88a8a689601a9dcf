//! `update(state, msg) -> effects`: pure and synchronous. No I/O, no clock,
//! no awaits; time arrives inside messages.

use super::confirm::{approve, on_confirm_key, scroll_confirm};
use super::state::{FLASH_ERROR_SECS, FLASH_SECS};
use super::{Data, Edit, Effect, Level, Msg, Overlay, State, TextLine};
use crate::config::keys::KeySpec;
use crate::config::{Command, Mode};
use crate::gate::{self, Decision, GatePolicy};
use crate::panes::{PaneId, Reply};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = dispatch(state, msg);
    settle_flash(state);
    effects
}

/// A message belongs to the view it was raised in: stamp a new one with
/// it, drop an old one whose view the user has left.
fn settle_flash(state: &mut State) {
    // Most updates (ticks, polls) carry no message: no key to build then.
    if state.flash.is_none() {
        return;
    }
    let here = state.view_key();
    match &mut state.flash {
        Some(f) if f.view.is_none() => f.view = Some(here),
        Some(f) if f.view.as_deref() != Some(here.as_str()) => state.flash = None,
        _ => {}
    }
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Tick(now) => {
            state.now = now;
            expire_flash(state);
            state.panes.for_each_mut(|p| p.on_tick(now));
            pane_effects(state)
        }
        Msg::Progress {
            resource,
            data,
            done,
            total,
        } => {
            state
                .panes
                .for_each_mut(|p| p.on_progress(&resource, &data, done, total));
            vec![]
        }
        Msg::Footprint(f) => {
            state.panes.journal.set_footprint(f);
            vec![]
        }
        Msg::Resize { width, height } => {
            state.screen = Some((width, height));
            super::confirm::clamp_confirm_scroll(state);
            vec![]
        }
        Msg::Loaded {
            resource,
            at,
            result,
            next_in,
        } => {
            state.now = state.now.max(at);
            if let Ok(Data::Identity(id)) = &result {
                state.identity = Some(id.clone());
                // The profile may name the region; show the one in use.
                if let Some(r) = &id.region {
                    state.conn.region = r.clone();
                }
            }
            if resource == super::Resource::Identity {
                state.identity_status.record(at, &result, next_in);
            }
            // "refreshing…" is over once what the pane shows has landed.
            if state.flash.as_ref().is_some_and(|f| f.until_loaded)
                && state
                    .panes
                    .get(state.active)
                    .subscriptions()
                    .contains(&resource)
            {
                state.flash = None;
            }
            state
                .panes
                .for_each_mut(|p| p.on_loaded(&resource, at, &result, next_in));
            pane_effects(state)
        }
        Msg::ActionDone(report) => {
            let level = if report.ok { Level::Info } else { Level::Error };
            state.say(level, report.summary.clone());
            let mut effects = Vec::new();
            state
                .panes
                .for_each_mut(|p| effects.extend(p.on_action_done(&report)));
            effects
        }
        Msg::Journaled(Ok(entry)) => {
            state.panes.journal.record(entry);
            vec![]
        }
        Msg::Journaled(Err(e)) => {
            state.say(Level::Error, format!("journal not written: {e}"));
            vec![]
        }
        Msg::FileWritten(Ok(text)) => {
            state.say(Level::Info, text);
            vec![]
        }
        Msg::FileWritten(Err(e)) => {
            state.say(Level::Error, e);
            vec![]
        }
    }
}

/// What the panes raised while taking data or the clock (a bell, a save).
fn pane_effects(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut notices = Vec::new();
    state.panes.for_each_mut(|p| {
        effects.extend(p.take_effects());
        notices.extend(p.take_notice());
    });
    for n in notices {
        state.say(Level::Info, n);
    }
    effects
}

fn expire_flash(state: &mut State) {
    if let Some(f) = &state.flash {
        let ttl = if f.level == Level::Error {
            FLASH_ERROR_SECS
        } else {
            FLASH_SECS
        };
        if (state.now - f.at).num_seconds() >= ttl {
            state.flash = None;
        }
    }
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Key release/repeat events (kitty protocol, Windows) must not act twice.
    if key.kind == KeyEventKind::Release {
        return vec![];
    }
    // Under the frame's minimum nothing but "pipedeck needs 30×8" is drawn:
    // no key may act unseen (a peek counts as a receive), except quitting.
    let too_small = state
        .screen
        .is_some_and(|(w, h)| w < crate::ui::MIN_W || h < crate::ui::MIN_H);
    if too_small {
        return match state.keymap.lookup(Mode::Normal, &key) {
            Some(Command::Quit) if state.mode() == Mode::Normal => quit(state),
            _ => vec![],
        };
    }
    match state.mode() {
        // The gate's dialog: only it mints an action's token.
        Mode::Confirm if matches!(state.overlay, Some(Overlay::Confirm(_))) => {
            on_confirm_key(state, &key)
        }
        // A pane's own text context, or its own y/n question (Athena's
        // guardrails: a read held, nothing to approve).
        mode @ (Mode::Editor | Mode::Picker | Mode::Confirm) => {
            // The pane's table acts on what the mode's keymap binds;
            // every other key is text for its widget.
            let cmd = state.keymap.lookup(mode, &key);
            let ctx = state.pane_ctx();
            let pane = state.panes.get_mut(state.active);
            let reply = match cmd.and_then(|c| pane.on_key_command(mode, c, &ctx)) {
                Some(reply) => reply,
                None => pane.on_text_key(&key, &ctx),
            };
            on_reply(state, reply)
        }
        Mode::Input => on_input_key(state, &key),
        Mode::Normal => match state.keymap.lookup(Mode::Normal, &key) {
            Some(cmd) => on_command(state, cmd),
            None => vec![],
        },
    }
}

/// Input mode: printable keys are text; only `[input]` bindings act.
fn on_input_key(state: &mut State, key: &KeyEvent) -> Vec<Effect> {
    let edit = match state.keymap.lookup(Mode::Input, key) {
        Some(Command::Accept) => return finish_input(state, true),
        Some(Command::Cancel) => return finish_input(state, false),
        Some(Command::DeleteBack) => Edit::DeleteBack,
        Some(Command::ClearLine) => Edit::Clear,
        // Arrows and paging keys scroll a typed confirmation's details.
        _ if !KeySpec::is_text(key)
            && matches!(state.overlay, Some(Overlay::Confirm(_)))
            && state
                .keymap
                .lookup(Mode::Confirm, key)
                .is_some_and(|cmd| scroll_confirm(state, cmd)) =>
        {
            return vec![]
        }
        _ if KeySpec::is_text(key) => match key.code {
            KeyCode::Char(c) => Edit::Insert(c),
            _ => return vec![],
        },
        _ => return vec![],
    };
    if let Some(Overlay::Confirm(p)) = &mut state.overlay {
        let mut line = TextLine {
            text: std::mem::take(&mut p.typed),
        };
        line.apply(edit);
        p.typed = line.text;
    } else if let Some(line) = &mut state.cmdline {
        line.apply(edit);
    } else {
        state.panes.get_mut(state.active).edit_filter(edit);
    }
    vec![]
}

fn finish_input(state: &mut State, accept: bool) -> Vec<Effect> {
    if matches!(state.overlay, Some(Overlay::Confirm(_))) {
        if accept {
            return approve(state);
        }
        state.overlay = None;
        state.say(Level::Info, "cancelled; nothing was changed");
        return vec![];
    }
    if let Some(line) = state.cmdline.take() {
        return if accept {
            run_command_line(state, line.text.trim())
        } else {
            vec![]
        };
    }
    state.panes.get_mut(state.active).end_filter(accept);
    vec![]
}

fn run_command_line(state: &mut State, line: &str) -> Vec<Effect> {
    let mut words = line.trim_start_matches(':').split_whitespace();
    let word = words.next().unwrap_or("");
    let args: Vec<&str> = words.collect();
    let ctx = state.pane_ctx();
    if let Some(reply) = state
        .panes
        .get_mut(state.active)
        .on_command_line(word, &args, &ctx)
    {
        return on_reply(state, reply);
    }
    match word {
        "" => vec![],
        "q" | "q!" | "quit" | "exit" => quit(state),
        "help" | "h" | "?" => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            vec![]
        }
        _ => {
            let target = state
                .panes
                .iter()
                .find(|p| p.aliases().contains(&word))
                .map(|p| p.id());
            // A pane's own word typed elsewhere: say where it works.
            let owner = state.panes.iter().find_map(|p| {
                p.command_words()
                    .iter()
                    .find(|(usage, _)| usage.split_whitespace().next() == Some(word))
                    .map(|(usage, _)| (p.title(), p.aliases()[0], *usage))
            });
            match (target, owner) {
                // `:audit detect TABLE` from anywhere: the pane, then its
                // own command.
                (Some(id), _) if !args.is_empty() => {
                    let mut effects = switch_to(state, id);
                    let reply = state.panes.get_mut(id).on_command_line(word, &args, &ctx);
                    if let Some(reply) = reply {
                        effects.extend(on_reply(state, reply));
                    }
                    effects
                }
                (Some(id), _) => switch_to(state, id),
                (None, Some((title, alias, usage))) => {
                    state.say(
                        Level::Warn,
                        format!(":{usage} works in the {title} pane: :{alias} first, then :{word} there"),
                    );
                    vec![]
                }
                (None, None) => {
                    let names: Vec<String> = state
                        .panes
                        .iter()
                        .map(|p| format!(":{}", p.aliases()[0]))
                        .collect();
                    state.say(
                        Level::Warn,
                        format!(
                            "unknown command ':{word}' — try {}, :help, :q",
                            names.join(", ")
                        ),
                    );
                    vec![]
                }
            }
        }
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quitting = true;
    let mut effects = Vec::new();
    state.panes.for_each_mut(|p| effects.extend(p.on_quit()));
    effects.push(Effect::Quit);
    effects
}

fn switch_to(state: &mut State, id: PaneId) -> Vec<Effect> {
    state.active = id;
    vec![]
}

/// Rows of the box `?` and `m` draw in, so scrolling stops at the end.
fn list_overlay_max_scroll(state: &State) -> u16 {
    let lines = match &state.overlay {
        Some(Overlay::Help { .. }) => crate::ui::overlay::help_rows(state),
        Some(Overlay::Messages { .. }) => crate::ui::overlay::message_rows(state),
        _ => return 0,
    };
    // Before the first size is known there is nothing to measure against.
    let Some((w, h)) = state.screen else {
        return u16::MAX;
    };
    let rows = crate::ui::overlay_area(w, h, state).height;
    crate::ui::help::max_scroll(lines, (lines as u16 + 2).min(rows))
}

fn on_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    if let Some(Overlay::Help { .. } | Overlay::Messages { .. }) = &state.overlay {
        let max = list_overlay_max_scroll(state);
        let page = state.screen.map_or(10, |(_, h)| h / 2);
        let Some(Overlay::Help { scroll } | Overlay::Messages { scroll }) = &mut state.overlay
        else {
            return vec![];
        };
        match cmd {
            Command::Quit => return quit(state),
            Command::Down => *scroll = scroll.saturating_add(1).min(max),
            Command::Up => *scroll = scroll.saturating_sub(1),
            Command::PageDown => *scroll = scroll.saturating_add(page).min(max),
            Command::PageUp => *scroll = scroll.saturating_sub(page),
            Command::Top => *scroll = 0,
            Command::Bottom => *scroll = max,
            Command::Help | Command::Back | Command::Messages => state.overlay = None,
            _ => {}
        }
        return vec![];
    }
    let panes = PaneId::all();
    match cmd {
        Command::Quit => quit(state),
        Command::Help => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            vec![]
        }
        Command::CommandLine => {
            state.cmdline = Some(TextLine::default());
            vec![]
        }
        Command::Messages => {
            state.overlay = Some(Overlay::Messages { scroll: 0 });
            vec![]
        }
        Command::NextPane => {
            let i = (state.active.index() + 1) % panes.len();
            switch_to(state, panes[i])
        }
        Command::PrevPane => {
            let i = (state.active.index() + panes.len() - 1) % panes.len();
            switch_to(state, panes[i])
        }
        Command::Refresh => {
            let subs = state.panes.get(state.active).subscriptions();
            if subs.is_empty() {
                return vec![];
            }
            state.say(Level::Info, "refreshing…");
            if let Some(f) = &mut state.flash {
                f.until_loaded = true;
            }
            std::iter::once(Effect::ReadEverything)
                .chain(subs.into_iter().map(Effect::Refresh))
                .collect()
        }
        c if c.pane_index().is_some() => match c.pane_index().and_then(|i| panes.get(i)) {
            Some(id) => switch_to(state, *id),
            None => vec![],
        },
        other => {
            let ctx = state.pane_ctx();
            let reply = state
                .panes
                .get_mut(state.active)
                .on_key_command(Mode::Normal, other, &ctx)
                .unwrap_or(Reply::Ignored);
            // `/` where nothing can be filtered says so, rather than
            // leaving the user to type letters that then act as keys.
            if other == Command::Filter
                && reply == Reply::Ignored
                && !state.panes.get(state.active).is_filtering()
            {
                state.say(
                    Level::Warn,
                    format!(
                        "nothing to filter here: {} filters a list (go back to one first)",
                        state.keymap.label(Mode::Normal, Command::Filter)
                    ),
                );
                return vec![];
            }
            on_reply(state, reply)
        }
    }
}

fn on_reply(state: &mut State, reply: Reply) -> Vec<Effect> {
    match reply {
        Reply::Handled(effects) => {
            for e in &effects {
                if let Effect::Copy(text) = e {
                    // A path or id is shown whole; a message body can be a
                    // megabyte: its start and size.
                    let n = text.chars().count();
                    let what = if n <= 200 && !text.contains('\n') {
                        text.clone()
                    } else {
                        let first: String =
                            text.lines().next().unwrap_or("").chars().take(60).collect();
                        format!("{first}… ({n} characters)")
                    };
                    state.say(Level::Info, format!("copied {what}"));
                }
            }
            effects
        }
        Reply::Ignored => vec![],
        Reply::Tell { effects, text } => {
            state.say(Level::Info, text);
            effects
        }
        Reply::Say(text) => {
            state.say(Level::Warn, text);
            vec![]
        }
        Reply::Handoff { to, handoff } => {
            let mut effects = switch_to(state, to);
            let ctx = state.pane_ctx();
            let reply = state.panes.get_mut(to).on_handoff(handoff, &ctx);
            effects.extend(on_reply(state, reply));
            effects
        }
        Reply::Prompt(text) => {
            state.cmdline = Some(TextLine { text });
            vec![]
        }
        Reply::Act { action, precheck } => {
            let policy = GatePolicy {
                read_only: state.settings.read_only,
                typed_confirm: &state.settings.typed_confirm,
                context: state.journal_context(),
            };
            match gate::request(action, precheck, policy) {
                Decision::Refused { reason, entry } => {
                    state.say(Level::Error, reason);
                    vec![Effect::Journal(*entry)]
                }
                Decision::Confirm(pending) => {
                    state.overlay = Some(Overlay::Confirm(pending));
                    vec![]
                }
            }
        }
    }
}
