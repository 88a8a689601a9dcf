//! Key specifications as written in keymap files ("j", "ctrl-r", "shift-tab",
//! "F5") and their matching against crossterm key events.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        normalize(ev) == *self
    }

    /// True for keys that produce text in an input field: a printable
    /// character without ctrl or alt.
    pub fn is_text(ev: &KeyEvent) -> bool {
        matches!(ev.code, KeyCode::Char(_))
            && !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

/// Terminals report Shift+j as 'J' with SHIFT, and Shift+Tab as BackTab with
/// SHIFT; drop the redundant shift so "J" and "shift-tab" match plainly.
pub fn normalize(ev: &KeyEvent) -> KeySpec {
    KeySpec {
        code: ev.code,
        ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
        alt: ev.modifiers.contains(KeyModifiers::ALT),
    }
}

impl TryFrom<String> for KeySpec {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        parse(&s)
    }
}

fn parse(s: &str) -> Result<KeySpec, String> {
    let mut ctrl = false;
    let mut alt = false;
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.len() > 1 && lower.starts_with("ctrl-") {
            ctrl = true;
            rest = &rest[5..];
        } else if rest.len() > 1 && lower.starts_with("alt-") {
            alt = true;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let lower = rest.to_ascii_lowercase();
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdown" | "pgdn" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            let n: u8 = f[1..].parse().unwrap_or(0);
            if !(1..=12).contains(&n) {
                return Err(format!("function key '{s}' must be F1..F12"));
            }
            KeyCode::F(n)
        }
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => {
                    // ctrl-R and ctrl-r are the same key to a terminal.
                    KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                }
                _ => {
                    return Err(format!(
                        "unknown key '{s}' (examples: j, J, ctrl-r, enter, shift-tab, F5, pgdown)"
                    ))
                }
            }
        }
    };
    Ok(KeySpec { code, ctrl, alt })
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            write!(f, "ctrl-")?;
        }
        if self.alt {
            write!(f, "alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => write!(f, "space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => write!(f, "enter"),
            KeyCode::Esc => write!(f, "esc"),
            KeyCode::Tab => write!(f, "tab"),
            KeyCode::BackTab => write!(f, "shift-tab"),
            KeyCode::Backspace => write!(f, "backspace"),
            KeyCode::Delete => write!(f, "del"),
            KeyCode::Up => write!(f, "↑"),
            KeyCode::Down => write!(f, "↓"),
            KeyCode::Left => write!(f, "←"),
            KeyCode::Right => write!(f, "→"),
            KeyCode::Home => write!(f, "home"),
            KeyCode::End => write!(f, "end"),
            KeyCode::PageUp => write!(f, "pgup"),
            KeyCode::PageDown => write!(f, "pgdn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn parses_and_matches() {
        let j = parse("j").unwrap();
        assert!(j.matches(&key(KeyCode::Char('j'), KeyModifiers::NONE)));
        let big_r = parse("R").unwrap();
        assert!(big_r.matches(&key(KeyCode::Char('R'), KeyModifiers::SHIFT)));
        assert!(!big_r.matches(&key(KeyCode::Char('r'), KeyModifiers::NONE)));
        let ctrl_r = parse("ctrl-r").unwrap();
        assert!(ctrl_r.matches(&key(KeyCode::Char('r'), KeyModifiers::CONTROL)));
        let back = parse("shift-tab").unwrap();
        assert!(back.matches(&key(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert_eq!(parse("F5").unwrap().code, KeyCode::F(5));
        assert!(parse("F13").is_err());
        assert!(parse("hyper-x").is_err());
    }
}
