//! Colour themes: TOML presets embedded from `themes/`, or a user file.

use super::load::{parse_toml, ConfigError};
use ratatui::style::Color;
use serde::Deserialize;
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ThemeColor(pub Color);

impl TryFrom<String> for ThemeColor {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Color::from_str(&s).map(ThemeColor).map_err(|_| {
            format!("unknown colour '{s}' (use a name like \"red\", \"reset\", a number 0-255, or \"#rrggbb\")")
        })
    }
}

/// Every colour the UI uses, named by meaning rather than by hue, so a
/// theme can be high-contrast or light without touching the widgets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Palette {
    pub fg: ThemeColor,
    pub bg: ThemeColor,
    pub muted: ThemeColor,
    pub accent: ThemeColor,
    pub border: ThemeColor,
    pub header_fg: ThemeColor,
    pub header_bg: ThemeColor,
    pub selection_fg: ThemeColor,
    pub selection_bg: ThemeColor,
    /// Succeeded runs, healthy counts.
    pub ok: ThemeColor,
    /// Running and starting runs.
    pub active: ThemeColor,
    /// Stopped runs, warnings, read-only banner.
    pub warn: ThemeColor,
    /// Failed, error, timeout: what on-call must see first.
    pub failure: ThemeColor,
    pub key: ThemeColor,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    colors: Palette,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    pub c: Palette,
}

pub const PRESETS: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

impl Theme {
    pub fn preset(name: &str) -> Option<Theme> {
        PRESETS.iter().find(|(n, _)| *n == name).map(|(n, text)| {
            Self::parse(text, Path::new(&format!("<embedded themes/{n}.toml>")))
                .expect("embedded theme parses")
        })
    }

    pub fn parse(text: &str, path: &Path) -> Result<Theme, ConfigError> {
        let f: ThemeFile = parse_toml(text, path)?;
        Ok(Theme {
            name: f.name,
            c: f.colors,
        })
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::preset("dark").expect("dark theme")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse() {
        for (n, _) in PRESETS {
            assert!(Theme::preset(n).is_some());
        }
    }

    #[test]
    fn bad_colour_names_line() {
        let text =
            include_str!("../../themes/dark.toml").replace("failure = ", "failure = \"blurple\" #");
        let err = Theme::parse(&text, Path::new("t.toml")).unwrap_err();
        assert!(err.line.is_some(), "{err}");
        assert!(err.to_string().contains("blurple"), "{err}");
    }
}
