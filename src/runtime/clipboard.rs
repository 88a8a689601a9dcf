//! Where Copy goes. OSC 52 by default: the terminal puts the text on the
//! clipboard, also over SSH and in tmux (with set-clipboard). With
//! `[display] system_clipboard = true` the desktop clipboard is used where
//! there is one (X11, Wayland through XWayland, macOS, Windows), through
//! `arboard`; without a display it falls back to OSC 52.

use base64::Engine;
use std::io::Write;

#[derive(Default)]
pub enum Clipboard {
    /// Tests and headless runs: nothing is written anywhere.
    #[default]
    Off,
    Terminal,
    /// The desktop clipboard, opened on first use; kept open because on
    /// X11 the text lives only as long as its owner.
    System(Option<arboard::Clipboard>),
}

impl Clipboard {
    pub fn copy(&mut self, text: &str) {
        match self {
            Clipboard::Off => {}
            Clipboard::Terminal => osc52(text),
            Clipboard::System(slot) => {
                if slot.is_none() {
                    match arboard::Clipboard::new() {
                        Ok(c) => *slot = Some(c),
                        Err(e) => tracing::info!(error = %e, "no system clipboard; using OSC 52"),
                    }
                }
                let done = slot.as_mut().is_some_and(|c| match c.set_text(text) {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::warn!(error = %e, "system clipboard refused the text; using OSC 52");
                        false
                    }
                });
                if !done {
                    osc52(text);
                }
            }
        }
    }

    /// Whether the terminal may be written to (the bell shares this).
    pub fn on_terminal(&self) -> bool {
        !matches!(self, Clipboard::Off)
    }
}

fn osc52(text: &str) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{b64}\x07");
    let _ = out.flush();
}
