//! What `?` shows, generated from the keymap in use and from what each pane
//! declares (its keys with its own words, its `:` commands), so the help
//! can never disagree with what a key does. The current pane comes first.

use crate::app::State;
use crate::config::{Command, Keymap, Mode};

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

pub fn help_entries(state: &State) -> Vec<HelpLine> {
    let km = &state.keymap;
    let pane = state.panes.get(state.active);
    let mut out = vec![HelpLine::Heading(format!(
        "{} — keys here now",
        pane.title()
    ))];
    let here: Vec<Command> = pane
        .hints()
        .into_iter()
        .filter(|c| !GLOBAL.contains(c) || pane.key_help(*c).or(pane.hint_label(*c)).is_some())
        .collect();
    if here.is_empty() {
        out.push(HelpLine::Note("  (only the keys below)".into()));
    }
    for cmd in here {
        let text = pane
            .key_help(cmd)
            .or_else(|| pane.hint_label(cmd))
            .unwrap_or_else(|| cmd.describe())
            .to_string();
        push_key(&mut out, km, Mode::Normal, cmd, text);
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
        for cmd in other.keys() {
            if GLOBAL.contains(cmd) {
                continue;
            }
            let what = other.key_help(*cmd).unwrap_or_else(|| cmd.describe());
            push_key(
                &mut out,
                km,
                Mode::Normal,
                *cmd,
                format!("{} — {what}", other.title()),
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
    out.push(HelpLine::Heading(
        "Query editor (letters and Enter are text)".into(),
    ));
    for cmd in [Command::Run, Command::Stop, Command::Back] {
        let text = match cmd {
            Command::Back => "leave the editor".to_string(),
            other => other.describe().to_string(),
        };
        push_key(&mut out, km, Mode::Editor, cmd, text);
    }
    out.push(HelpLine::Blank);
    out.push(HelpLine::Heading("Picker search".into()));
    for (cmd, text) in [
        (Command::Accept, "search"),
        (Command::Cancel, "stop typing"),
        (
            Command::DeleteBack,
            "delete the character before the cursor",
        ),
    ] {
        push_key(&mut out, km, Mode::Picker, cmd, text.to_string());
    }
    out.push(HelpLine::Blank);
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
        "move down / up".to_string()
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
