//! Entering and leaving the terminal. `ratatui::init` installs a panic hook
//! that restores the terminal; the guard restores it on every other exit.

use ratatui::DefaultTerminal;

pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> std::io::Result<(DefaultTerminal, TerminalGuard)> {
        let terminal = ratatui::try_init()?;
        Ok((terminal, TerminalGuard))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
