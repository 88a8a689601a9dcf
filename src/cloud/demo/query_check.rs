//! What StartQuery rejects before a query runs, as the service does: no
//! group, an unknown group, an empty query, a bad range, a pipe section
//! that does not start with a known command (`| sortt`).

use super::logs::GROUPS;
use crate::cloud::logs::InsightsQuery;
use crate::cloud::{CloudError, CloudResult};

/// What the service rejects before running: no group, an unknown group, an
/// empty query, a bad range.
pub fn check(q: &InsightsQuery) -> CloudResult<()> {
    if q.groups.is_empty() {
        return Err(CloudError::InvalidInput {
            message: "at least one log group is required".into(),
        });
    }
    if let Some(g) = q
        .groups
        .iter()
        .find(|g| !GROUPS.iter().any(|(n, _)| n == g))
    {
        return Err(CloudError::NotFound {
            message: format!("Log group '{g}' does not exist"),
        });
    }
    let malformed = if q.query.trim().is_empty() {
        Some("unexpected symbol found | at line 1".to_string())
    } else {
        unexpected_symbol(&q.query)
    };
    if let Some(message) = malformed {
        return Err(CloudError::Other {
            code: "MalformedQueryException".into(),
            message,
        });
    }
    if q.start >= q.end {
        return Err(CloudError::InvalidInput {
            message: "end time must be after start time".into(),
        });
    }
    Ok(())
}

/// The commands of the Logs Insights query language; a pipe segment that
/// starts with anything else is rejected by StartQuery.
const COMMANDS: &[&str] = &[
    "anomaly",
    "dedup",
    "diff",
    "display",
    "fields",
    "filter",
    "filterIndex",
    "limit",
    "lookup",
    "parse",
    "pattern",
    "sort",
    "source",
    "stats",
    "unmask",
    "unnest",
];

/// What StartQuery says about a query whose pipe segment does not start
/// with a command (`| sortt`, `| |`): "unexpected symbol found sortt at line
/// 2 and position 3". Quotes, regex literals (`like /a|b/`) and `#` comment
/// lines are skipped, as the service's parser does.
fn unexpected_symbol(query: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    // Where each segment's first symbol is: (byte offset, symbol).
    let mut firsts: Vec<(usize, String)> = Vec::new();
    let mut seg_start = 0;
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        match c {
            '"' | '\'' | '`' => {
                i += 1;
                while i < chars.len() && chars[i].1 != c {
                    i += if chars[i].1 == '\\' { 2 } else { 1 };
                }
            }
            '/' if regex_may_start(&query[seg_start..at]) => {
                i += 1;
                while i < chars.len() && chars[i].1 != '/' {
                    i += if chars[i].1 == '\\' { 2 } else { 1 };
                }
            }
            '#' if query[..at]
                .rsplit('\n')
                .next()
                .is_some_and(|l| l.trim().is_empty()) =>
            {
                while i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                }
            }
            '|' => {
                firsts.push(first_symbol(query, seg_start, at));
                seg_start = at + 1;
            }
            _ => {}
        }
        i += 1;
    }
    firsts.push(first_symbol(query, seg_start, query.len()));
    let (at, symbol) = firsts
        .into_iter()
        .find(|(_, word)| !COMMANDS.iter().any(|c| c.eq_ignore_ascii_case(word)))?;
    let before = &query[..at];
    let line = before.matches('\n').count() + 1;
    let position = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some(format!(
        "unexpected symbol found {symbol} at line {line} and position {position}"
    ))
}

/// The first word of `query[start..end]` past blanks and comment lines, or
/// the symbol that stands where a command should (the next `|`, or the end).
fn first_symbol(query: &str, start: usize, end: usize) -> (usize, String) {
    let mut at = start;
    for line in query[start..end].split_inclusive('\n') {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            at += line.len();
            continue;
        }
        at += line.len() - t.len();
        let word: String = t
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let symbol = if word.is_empty() {
            t.chars().next().map(String::from).unwrap_or_default()
        } else {
            word
        };
        return (at, symbol);
    }
    match query[end..].chars().next() {
        Some(c) => (end, c.to_string()),
        None => (end, "<EOF>".into()),
    }
}

/// A `/` starts a regex after `like`, `=~` or an opening bracket or comma;
/// elsewhere it divides.
fn regex_may_start(before: &str) -> bool {
    let t = before.trim_end();
    t.ends_with("like") || t.ends_with("=~") || t.ends_with(['(', ',', '='])
}
