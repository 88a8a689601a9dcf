//! What `?` shows, generated from the keymap in use and from what each pane
//! declares (its keys with its own words, its `:` commands), so the help
//! can never disagree with what a key does. The current pane comes first.

use crate::app::State;
use crate::config::{Command, Keymap, Mode};
use crate::panes::keys::KeyInfo;

/// One line of the help, before styling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(String),
    /// Keys, what they do, whether they change AWS.
    Key {
        keys: String,
        text: String,
        mutating: bool,
    },
    Note(String),
    Blank,
}

/// Commands every pane answers the same way.
const GLOBAL: &[Command] = &[
    Command::Up,
    Command::Down,
    Command::PageUp,
    Command::PageDown,
    Command::Top,
    Command::Bottom,
    Command::Open,
    Command::Back,
    Command::Filter,
    Command::Refresh,
    Command::NextPane,
    Command::PrevPane,
    Command::Pane1,
    Command::CommandLine,
    Command::Messages,
    Command::Help,
    Command::Quit,
];

/// The first entry of each command (a pane's table may word one command
/// two ways, by when it applies; the first that applies is what runs).
fn once_per_command(keys: impl Iterator<Item = KeyInfo>) -> Vec<KeyInfo> {
    let mut out: Vec<KeyInfo> = Vec::new();
    for k in keys {
        if !out.iter().any(|o| o.cmd == k.cmd) {
            out.push(k);
        }
    }
    out
}

pub fn help_entries(state: &State) -> Vec<HelpLine> {
    let km = &state.keymap;
    let pane = state.panes.get(state.active);
    let mut out = vec![HelpLine::Heading(format!(
        "{} — keys here now",
        pane.title()
    ))];
    let here = once_per_command(
        pane.key_infos()
            .into_iter()
            .filter(|k| k.mode == Mode::Normal && k.applies && !k.help.is_empty()),
    );
    if here.is_empty() {
        out.push(HelpLine::Note("  (only the keys below)".into()));
    }
    for k in here {
        push_key(&mut out, km, Mode::Normal, k.cmd, k.help.to_string());
    }
    for (usage, what) in pane.command_words() {
        out.push(HelpLine::Key {
            keys: format!(":{usage}"),
            text: what.to_string(),
            mutating: false,
        });
    }
    out.push(HelpLine::Blank);
    out.push(HelpLine::Heading("Everywhere".into()));
    for cmd in GLOBAL {
        let text = if *cmd == Command::Pane1 {
            "go to pane N".to_string()
        } else {
            cmd.describe().to_string()
        };
        push_key(&mut out, km, Mode::Normal, *cmd, text);
    }
    out.push(HelpLine::Blank);
    out.push(HelpLine::Heading("Other panes' keys".into()));
    for other in state.panes.iter().filter(|p| p.id() != state.active) {
        let mut seen: Vec<(Command, &str)> = Vec::new();
        for k in other.key_infos() {
            // Moving, opening, going back and filtering are the same
            // everywhere ("Everywhere" above lists them).
            if k.mode != Mode::Normal
                || k.help.is_empty()
                || GLOBAL.contains(&k.cmd)
                || seen.contains(&(k.cmd, k.help))
            {
                continue;
            }
            seen.push((k.cmd, k.help));
            push_key(
                &mut out,
                km,
                Mode::Normal,
                k.cmd,
                format!("{} — {}", other.title(), k.help),
            );
        }
    }
    out.push(HelpLine::Blank);
    out.push(HelpLine::Heading("Typing (filter, command line)".into()));
    for cmd in [
        Command::Accept,
        Command::Cancel,
        Command::DeleteBack,
        Command::ClearLine,
    ] {
        push_key(&mut out, km, Mode::Input, cmd, cmd.describe().to_string());
    }
    out.push(HelpLine::Blank);
    // The panes' own text contexts, from their key tables.
    for p in state.panes.iter() {
        for (mode, heading) in [
            (Mode::Editor, "editor (letters and Enter are text)"),
            (Mode::Picker, "picker search"),
        ] {
            let keys: Vec<KeyInfo> = p
                .key_infos()
                .into_iter()
                .filter(|k| k.mode == mode)
                .collect();
            if keys.is_empty() {
                continue;
            }
            out.push(HelpLine::Heading(format!("{} {heading}", p.title())));
            for k in keys {
                push_key(&mut out, km, mode, k.cmd, k.help.to_string());
            }
            out.push(HelpLine::Blank);
        }
    }
    out.push(HelpLine::Heading("Confirmation".into()));
    for cmd in [Command::Yes, Command::No, Command::Down] {
        let text = if cmd == Command::Down {
            "scroll what the dialog lists".to_string()
        } else {
            cmd.describe().to_string()
        };
        push_key(&mut out, km, Mode::Confirm, cmd, text);
    }
    out.push(HelpLine::Blank);
    out.push(HelpLine::Heading("Commands (:)".into()));
    let mut panes: Vec<String> = state
        .panes
        .iter()
        .map(|p| format!(":{}", p.aliases()[0]))
        .collect();
    panes.extend([":help".into(), ":q".into()]);
    out.push(HelpLine::Note(format!("  {}", panes.join(" "))));
    for p in state.panes.iter().filter(|p| p.id() != state.active) {
        for (usage, what) in p.command_words() {
            out.push(HelpLine::Key {
                keys: format!(":{usage}"),
                text: format!("{what} — {} pane", p.title()),
                mutating: false,
            });
        }
    }
    out.push(HelpLine::Blank);
    out.push(HelpLine::Note(format!("Keymap: {}", km.name)));
    out
}

fn push_key(out: &mut Vec<HelpLine>, km: &Keymap, mode: Mode, cmd: Command, text: String) {
    let keys = match cmd {
        Command::Pane1 => "1..9".to_string(),
        Command::Down => {
            let up = km.label(mode, Command::Up);
            let down = km.label(mode, Command::Down);
            match (up.is_empty(), down.is_empty()) {
                (false, false) => format!("{up} {down}"),
                _ => down,
            }
        }
        _ => km.label(mode, cmd),
    };
    // Unbound commands are not shown: help lists what the keys do.
    if keys.is_empty() || (cmd == Command::Up && mode == Mode::Normal) {
        return;
    }
    let text = if cmd == Command::Down && mode == Mode::Normal {
        "move up / down".to_string()
    } else {
        text
    };
    out.push(HelpLine::Key {
        keys,
        text,
        mutating: cmd.is_mutating(),
    });
}

/// The help box: its width, and how many rows it may use on a
/// `height`-row body.
pub const HELP_W: u16 = 76;

/// The furthest `?` scrolls when its box is `rows` tall (borders included).
pub fn max_scroll(lines: usize, rows: u16) -> u16 {
    (lines as u16).saturating_sub(rows.saturating_sub(2))
}
