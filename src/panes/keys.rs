//! A pane's keys, declared once.
//!
//! Each pane writes one table of [`KeyAction`]s: the command, the pane's own
//! word for it (the footer), what it does (`?`), when it applies, and what it
//! runs. Dispatch, the footer and help are all read from that table, so the
//! three can never disagree (the shape of gitui's `CommandInfo` and k9s's
//! `KeyActions`). Which physical key sends a command is the keymap's
//! business, never the pane's.
//!
//! A command may appear more than once with different `when`s (DLQ `o` is
//! "peek" on the list and "peek again" on a peek): the first entry that
//! applies wins.

use super::{Ctx, Reply};
use crate::config::{Command, Mode};
use crate::ui::components::list::Move;

/// What an entry does when its command arrives.
pub enum Does<P> {
    Act(fn(&mut P, &Ctx) -> Reply),
    /// The pane's cursor: this one entry (declared on `Down`) answers every
    /// move command, ↑ ↓ page up/down, top and bottom.
    Move(fn(&mut P, Move)),
}

/// One key of a pane: see the module comment.
pub struct KeyAction<P> {
    /// Normal, or the pane's own text context (editor, picker).
    pub mode: Mode,
    pub cmd: Command,
    /// The footer's word (short).
    pub label: &'static str,
    /// What it does, in this pane's words, for `?`; empty: the global
    /// description says it all (moves), so help does not repeat it.
    pub help: &'static str,
    /// Whether it applies now: dispatched and shown only then.
    pub when: fn(&P) -> bool,
    /// Whether the footer offers it now, when that differs from `when` (an
    /// action that applies to explain why it cannot run is not offered).
    pub offered: fn(&P) -> bool,
    pub does: Does<P>,
}

fn always<P>(_: &P) -> bool {
    true
}

impl<P> KeyAction<P> {
    /// A normal-mode key that always applies.
    pub const fn new(
        cmd: Command,
        label: &'static str,
        help: &'static str,
        run: fn(&mut P, &Ctx) -> Reply,
    ) -> Self {
        Self {
            mode: Mode::Normal,
            cmd,
            label,
            help,
            when: always,
            offered: always,
            does: Does::Act(run),
        }
    }

    /// The pane's cursor movement (one entry for every move command).
    pub const fn moves(step: fn(&mut P, Move)) -> Self {
        Self {
            mode: Mode::Normal,
            cmd: Command::Down,
            label: "move",
            help: "",
            when: always,
            offered: always,
            does: Does::Move(step),
        }
    }

    /// Applies (and is offered) only while `f` holds.
    pub const fn when(mut self, f: fn(&P) -> bool) -> Self {
        self.when = f;
        self.offered = f;
        self
    }

    /// Offered in the footer only while `f` holds (it still applies per
    /// `when`, e.g. to say why it cannot run).
    pub const fn offered(mut self, f: fn(&P) -> bool) -> Self {
        self.offered = f;
        self
    }

    /// A key of the pane's own text context (`[editor]`, `[picker]`).
    pub const fn in_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    fn answers(&self, mode: Mode, cmd: Command) -> bool {
        self.mode == mode
            && match self.does {
                Does::Move(_) => Move::from_command(cmd).is_some(),
                Does::Act(_) => self.cmd == cmd,
            }
    }
}

/// A pane whose keys are a [`KeyAction`] table.
pub trait KeyTable: Sized + 'static {
    fn key_table() -> &'static [KeyAction<Self>];
    /// Runs before any entry does (a pane that keeps the clock takes it).
    fn before_key(&mut self, _ctx: &Ctx) {}
}

/// One key as the frame sees it (footer, help), whatever the pane's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    pub mode: Mode,
    pub cmd: Command,
    pub label: &'static str,
    pub help: &'static str,
    /// It applies now.
    pub applies: bool,
    /// The footer offers it now.
    pub offered: bool,
}

/// What the app asks of any pane's keys; every [`KeyTable`] has it.
pub trait PaneKeys {
    /// A command in `mode`; `None` when no entry applies.
    fn on_key_command(&mut self, mode: Mode, cmd: Command, ctx: &Ctx) -> Option<Reply>;
    /// Every entry of the table, evaluated now.
    fn key_infos(&self) -> Vec<KeyInfo>;
}

impl<P: KeyTable> PaneKeys for P {
    fn on_key_command(&mut self, mode: Mode, cmd: Command, ctx: &Ctx) -> Option<Reply> {
        let entry = P::key_table()
            .iter()
            .find(|k| k.answers(mode, cmd) && (k.when)(self))?;
        self.before_key(ctx);
        Some(match entry.does {
            Does::Act(run) => run(self, ctx),
            Does::Move(step) => {
                step(self, Move::from_command(cmd)?);
                Reply::Handled(vec![])
            }
        })
    }

    fn key_infos(&self) -> Vec<KeyInfo> {
        P::key_table()
            .iter()
            .map(|k| KeyInfo {
                mode: k.mode,
                cmd: k.cmd,
                label: k.label,
                help: k.help,
                applies: (k.when)(self),
                offered: (k.offered)(self),
            })
            .collect()
    }
}

/// The footer's commands and words for `mode` now: each command once, by
/// the first entry offered.
pub fn offered(keys: &[KeyInfo], mode: Mode) -> Vec<(Command, &'static str)> {
    let mut out: Vec<(Command, &'static str)> = Vec::new();
    for k in keys.iter().filter(|k| k.mode == mode && k.offered) {
        if !out.iter().any(|(c, _)| *c == k.cmd) {
            out.push((k.cmd, k.label));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Toy {
        open: bool,
        moved: Vec<Move>,
    }

    impl KeyTable for Toy {
        fn key_table() -> &'static [KeyAction<Self>] {
            const KEYS: &[KeyAction<Toy>] = &[
                KeyAction::<Toy>::moves(|t, m| t.moved.push(m)),
                KeyAction::<Toy>::new(Command::Open, "open", "open it", |t, _| {
                    t.open = true;
                    Reply::Handled(vec![])
                })
                .when(|t| !t.open),
                KeyAction::new(Command::Open, "again", "open it again", |_, _| {
                    Reply::Say("again".into())
                })
                .when(|t| t.open),
                KeyAction::new(Command::Stop, "stop", "stop it", |_, _| {
                    Reply::Say("nothing to stop".into())
                })
                .offered(|t| t.open),
                KeyAction::new(Command::Run, "run", "run", |_, _| Reply::Say("ran".into()))
                    .in_mode(Mode::Editor),
            ];
            KEYS
        }
    }

    fn ctx() -> Ctx {
        Ctx {
            caller: None,
            now: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_first_entry_that_applies_wins_and_moves_answer_every_move() {
        let mut t = Toy::default();
        let c = ctx();
        assert_eq!(
            t.on_key_command(Mode::Normal, Command::Open, &c),
            Some(Reply::Handled(vec![]))
        );
        assert_eq!(
            t.on_key_command(Mode::Normal, Command::Open, &c),
            Some(Reply::Say("again".into()))
        );
        t.on_key_command(Mode::Normal, Command::Bottom, &c);
        t.on_key_command(Mode::Normal, Command::PageUp, &c);
        assert_eq!(t.moved, vec![Move::Bottom, Move::PageUp]);
        assert_eq!(t.on_key_command(Mode::Normal, Command::Purge, &c), None);
    }

    #[test]
    fn modes_keep_their_own_keys() {
        let mut t = Toy::default();
        let c = ctx();
        assert_eq!(t.on_key_command(Mode::Normal, Command::Run, &c), None);
        assert_eq!(
            t.on_key_command(Mode::Editor, Command::Run, &c),
            Some(Reply::Say("ran".into()))
        );
    }

    #[test]
    fn the_footer_offers_what_is_offered_once_per_command() {
        let mut t = Toy::default();
        let words = |t: &Toy| offered(&t.key_infos(), Mode::Normal);
        assert_eq!(
            words(&t),
            vec![(Command::Down, "move"), (Command::Open, "open")]
        );
        t.open = true;
        assert_eq!(
            words(&t),
            vec![
                (Command::Down, "move"),
                (Command::Open, "again"),
                (Command::Stop, "stop")
            ]
        );
    }
}
