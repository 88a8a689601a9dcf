//! TOML loading with errors that name the file, the line and the problem.

use serde::de::DeserializeOwned;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.path.display(), self.problem),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.path.display(), self.problem),
            _ => write!(f, "{}: {}", self.path.display(), self.problem),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub fn io(path: &Path, err: std::io::Error) -> Self {
        Self {
            path: path.to_path_buf(),
            line: None,
            column: None,
            problem: format!("cannot read: {err}"),
        }
    }

    pub fn other(path: &Path, problem: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line: None,
            column: None,
            problem: problem.into(),
        }
    }
}

pub fn parse_toml<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_col(text, s.start))
            .map(|(l, c)| (Some(l), Some(c)))
            .unwrap_or((None, None));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            problem: e.message().trim().to_string(),
        }
    })
}

pub fn read_toml<T: DeserializeOwned>(path: &Path) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, e))?;
    parse_toml(&text, path)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(offset, |i| offset - i - 1) + 1;
    (line, col)
}
