//! Keymaps: which key runs which command in which input mode.
//!
//! Presets are TOML files embedded from `keymaps/`; a user file overrides
//! them per command. The footer and the help overlay are generated from the
//! active keymap, so a hint can never drift from the binding.

use super::keys::{normalize, KeySpec};
use super::load::{parse_toml, ConfigError};
use crossterm::event::KeyEvent;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};

/// Everything a key can ask for. The names are the keymap file's vocabulary.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    // normal mode: reading and navigating
    Quit,
    Help,
    CommandLine,
    Filter,
    Refresh,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    /// Copy the selected location (e.g. a step's log file) to the clipboard.
    Copy,
    /// Mark or unmark the selected item (messages to redrive).
    Mark,
    /// Cycle the list's state filter (alarms: all, ALARM, INSUFFICIENT_DATA, OK).
    StateFilter,
    /// Cycle a chart's time window.
    Window,
    /// Snooze an alarm locally (hidden from the header count for a while).
    Snooze,
    /// Edit the query (Insights).
    Edit,
    /// Run the query.
    Run,
    /// Pick log groups.
    Groups,
    /// Sort the results by the next column.
    Sort,
    /// Recall an earlier query.
    History,
    /// Show a `stats` result as a chart or as a table.
    Chart,
    /// The saved queries (Logs Insights query definitions).
    Saved,
    /// The data catalog: catalogs, databases, tables and their columns.
    Catalog,
    /// Write the result to a file (CSV, JSON or Markdown).
    Export,
    /// Copy the whole result (as a Markdown table).
    CopyAll,
    /// From a Glue run to its logs in Insights.
    Triage,
    /// The same run elsewhere: a Glue run's (or a message's) audit record,
    /// an audit record's Glue run.
    Linked,
    /// The recent status-line messages.
    Messages,
    NextPane,
    PrevPane,
    Pane1,
    Pane2,
    Pane3,
    Pane4,
    Pane5,
    Pane6,
    Pane7,
    Pane8,
    Pane9,
    // normal mode: mutating (capital letters by convention)
    Rerun,
    Stop,
    Purge,
    ToggleActions,
    /// Delete the selected saved query.
    Delete,
    // input mode (filter, command line, editors)
    Accept,
    Cancel,
    DeleteBack,
    ClearLine,
    // confirmation dialogs
    Yes,
    No,
}

impl Command {
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// One line for the help overlay.
    pub fn describe(self) -> &'static str {
        use Command::*;
        match self {
            Quit => "quit pipedeck",
            Help => "show or hide this help",
            CommandLine => "command line (its commands are listed below)",
            Filter => "filter the current list",
            Refresh => "refresh the current pane now",
            Up => "move up",
            Down => "move down",
            PageUp => "page up",
            PageDown => "page down",
            Top => "go to the first row",
            Bottom => "go to the last row",
            Open => "open the selected item",
            Back => "go back / close",
            Copy => "copy: a run's error or id, a step's log, an Insights row",
            Mark => "mark a message (R then redrives only the marked)",
            StateFilter => "show only ALARM / INSUFFICIENT_DATA / OK / all",
            Window => "chart window: 1h, 3h, 12h, 24h, 7d",
            Snooze => "snooze an alarm locally (off the header count)",
            Edit => "edit the query (Esc leaves the editor)",
            Run => "run the query (re-running stops the running one)",
            Groups => "pick log groups (prefix search, up to 50)",
            Sort => "sort the results by the next column",
            History => "recall an earlier query of this profile",
            Chart => "show a stats result as a chart or a table",
            Saved => "saved queries: Enter loads, D deletes, :save NAME saves",
            Catalog => "the data catalog: catalogs, databases, tables and their columns",
            Export => "export the result to a file (.csv, .json or .md)",
            CopyAll => "copy the whole result as a Markdown table",
            Triage => "a Glue run's logs in Insights, error lines first",
            Linked => "the same run elsewhere: a Glue run's or a message's audit record, a record's Glue run",
            Messages => "recent messages (the status line's history)",
            NextPane => "next pane",
            PrevPane => "previous pane",
            Pane1 | Pane2 | Pane3 | Pane4 | Pane5 | Pane6 | Pane7 | Pane8 | Pane9 => "go to pane N",
            Rerun => "re-run a job / redrive a DLQ or marked messages (asks)",
            Stop => "stop a run / cancel a step or a redrive (asks)",
            Purge => "purge a DLQ: delete all messages (type its name)",
            ToggleActions => "disable / enable an alarm's actions (asks)",
            Delete => "delete the selected saved query (asks)",
            Accept => "accept the input",
            Cancel => "cancel the input",
            DeleteBack => "delete the character before the cursor",
            ClearLine => "clear the input",
            Yes => "confirm the action",
            No => "cancel the action",
        }
    }

    /// A short label for the footer.
    pub fn short(self) -> &'static str {
        use Command::*;
        match self {
            Quit => "quit",
            Help => "help",
            CommandLine => "cmd",
            Filter => "filter",
            Refresh => "refresh",
            Up | Down => "move",
            Open => "open",
            Back => "back",
            Copy => "copy",
            Mark => "mark",
            Purge => "purge",
            StateFilter => "state",
            Window => "window",
            Snooze => "snooze",
            Edit => "edit",
            Run => "run",
            Groups => "groups",
            Sort => "sort",
            History => "history",
            Chart => "chart/table",
            Saved => "saved",
            Catalog => "catalog",
            Export => "export",
            CopyAll => "copy all",
            Triage => "logs",
            Linked => "linked",
            Messages => "messages",
            Delete => "delete",
            ToggleActions => "actions",
            NextPane | PrevPane | Pane1 | Pane2 | Pane3 | Pane4 | Pane5 | Pane6 | Pane7 | Pane8
            | Pane9 => "pane",
            Rerun => "re-run",
            Stop => "stop/cancel",
            Accept => "apply",
            Cancel => "cancel",
            DeleteBack => "delete",
            ClearLine => "clear",
            PageUp | PageDown => "page",
            Top => "top",
            Bottom => "bottom",
            Yes => "yes",
            No => "no",
        }
    }

    pub fn pane_index(self) -> Option<usize> {
        use Command::*;
        [
            Pane1, Pane2, Pane3, Pane4, Pane5, Pane6, Pane7, Pane8, Pane9,
        ]
        .iter()
        .position(|c| *c == self)
    }

    pub fn is_mutating(self) -> bool {
        matches!(
            self,
            Command::Rerun
                | Command::Stop
                | Command::Purge
                | Command::ToggleActions
                | Command::Delete
        )
    }
}

/// Input modes. In `Input`, printable keys are text and only keys bound in
/// the `[input]` table act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Mode {
    Normal,
    Input,
    Confirm,
    /// A multi-line editor (the query): letters and Enter are text; these
    /// act.
    Editor,
    /// A search line inside a picker (log groups).
    Picker,
}

type Table = BTreeMap<Command, Vec<KeySpec>>;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    normal: BTreeMap<Command, Vec<KeySpecField>>,
    #[serde(default)]
    input: BTreeMap<Command, Vec<KeySpecField>>,
    #[serde(default)]
    confirm: BTreeMap<Command, Vec<KeySpecField>>,
    #[serde(default)]
    editor: BTreeMap<Command, Vec<KeySpecField>>,
    #[serde(default)]
    picker: BTreeMap<Command, Vec<KeySpecField>>,
}

#[derive(Debug, Deserialize)]
#[serde(try_from = "String")]
struct KeySpecField(KeySpec);

impl TryFrom<String> for KeySpecField {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        KeySpec::try_from(s).map(KeySpecField)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub name: String,
    tables: BTreeMap<Mode, Table>,
}

pub const PRESETS: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("arrows", include_str!("../../keymaps/arrows.toml")),
];

impl Keymap {
    /// A preset by name; panics only if an embedded preset is broken, which
    /// a unit test rules out.
    pub fn preset(name: &str) -> Option<Keymap> {
        PRESETS.iter().find(|(n, _)| *n == name).map(|(n, text)| {
            Self::parse(text, Path::new(&format!("<embedded keymaps/{n}.toml>")))
                .expect("embedded keymap parses")
                .named(n)
        })
    }

    pub fn parse(text: &str, path: &Path) -> Result<Keymap, ConfigError> {
        let file: KeymapFile = parse_toml(text, path)?;
        let conv = |t: BTreeMap<Command, Vec<KeySpecField>>| -> Table {
            t.into_iter()
                .map(|(c, ks)| (c, ks.into_iter().map(|k| k.0).collect()))
                .collect()
        };
        let mut tables = BTreeMap::new();
        tables.insert(Mode::Normal, conv(file.normal));
        tables.insert(Mode::Input, conv(file.input));
        tables.insert(Mode::Confirm, conv(file.confirm));
        tables.insert(Mode::Editor, conv(file.editor));
        tables.insert(Mode::Picker, conv(file.picker));
        Ok(Keymap {
            name: path.display().to_string(),
            tables,
        })
    }

    fn named(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// Applies a user file on top: each command the user names gets exactly
    /// the user's keys in that mode; other commands keep the preset's.
    pub fn overlay(mut self, user: Keymap) -> Keymap {
        for (mode, table) in user.tables {
            let mine = self.tables.entry(mode).or_default();
            for (cmd, keys) in table {
                // A key moved to a new command stops meaning the old one.
                for other in mine.values_mut() {
                    other.retain(|k| !keys.contains(k));
                }
                mine.insert(cmd, keys);
            }
        }
        self.name = format!("{} + {}", self.name, user.name);
        self
    }

    pub fn lookup(&self, mode: Mode, ev: &KeyEvent) -> Option<Command> {
        let spec = normalize(ev);
        self.tables
            .get(&mode)?
            .iter()
            .find_map(|(cmd, keys)| keys.contains(&spec).then_some(*cmd))
    }

    pub fn keys_for(&self, mode: Mode, cmd: Command) -> &[KeySpec] {
        self.tables
            .get(&mode)
            .and_then(|t| t.get(&cmd))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// "j/↓" for the footer and help; empty when unbound.
    pub fn label(&self, mode: Mode, cmd: Command) -> String {
        self.keys_for(mode, cmd)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Every binding, in command order, for the help overlay.
    pub fn bindings(&self, mode: Mode) -> Vec<(Command, String)> {
        Command::iter()
            .filter_map(|c| {
                let l = self.label(mode, c);
                (!l.is_empty()).then_some((c, l))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn presets_parse_and_bind_the_basics() {
        for (name, _) in PRESETS {
            let km = Keymap::preset(name).unwrap();
            let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
            assert_eq!(km.lookup(Mode::Normal, &q), Some(Command::Quit), "{name}");
            let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
            assert_eq!(
                km.lookup(Mode::Input, &esc),
                Some(Command::Cancel),
                "{name}"
            );
            let y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE);
            assert_eq!(km.lookup(Mode::Confirm, &y), Some(Command::Yes), "{name}");
            // Mutations sit on capital letters, never on habit keys.
            for k in km
                .keys_for(Mode::Normal, Command::Rerun)
                .iter()
                .chain(km.keys_for(Mode::Normal, Command::Stop))
            {
                assert!(!k.ctrl, "{name}: mutation on a ctrl key");
                assert!(matches!(k.code, KeyCode::Char(c) if c.is_ascii_uppercase()));
            }
        }
    }

    #[test]
    fn every_command_has_human_words_for_the_footer() {
        for cmd in Command::iter() {
            let words = cmd.short();
            assert!(!words.contains('_'), "{cmd:?}: {words}");
            assert!(!cmd.describe().is_empty(), "{cmd:?}");
        }
    }

    #[test]
    fn user_overlay_rebinds_and_frees_the_key() {
        let user = Keymap::parse(
            "[normal]\nhelp = [\"F1\"]\nquit = [\"Q\"]\n",
            Path::new("u.toml"),
        )
        .unwrap();
        let km = Keymap::preset("default").unwrap().overlay(user);
        let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(km.lookup(Mode::Normal, &f1), Some(Command::Help));
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Mode::Normal, &q), None);
    }

    #[test]
    fn bad_key_names_file_and_line() {
        let err = Keymap::parse(
            "[normal]\nquit = [\"q\"]\nhelp = [\"hyper-x\"]\n",
            Path::new("k.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("k.toml:3"), "{err}");
        assert!(err.contains("hyper-x"), "{err}");
        let err = Keymap::parse("[normal]\nexplode = [\"x\"]\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("k.toml:2") && err.contains("explode"), "{err}");
    }
}
