//! Entering and leaving the terminal. `ratatui::init` installs a panic hook
//! that restores the terminal; the guard restores it on every other exit.

use ratatui::DefaultTerminal;

pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> std::io::Result<(DefaultTerminal, TerminalGuard)> {
        let terminal = ratatui::try_init()?;
        // ratatui's hook restores the terminal on any panic. A panic in a
        // background task (a poller, an action) must not: tokio contains it,
        // the UI keeps running and the poller is restarted. So only the UI
        // thread restores; other threads log to the log file, never to the
        // screen.
        let restore_and_report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("main") {
                restore_and_report(info);
            } else {
                tracing::error!(panic = %info, "background task panicked");
            }
        }));
        Ok((terminal, TerminalGuard))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
