//! Result rows as CSV, JSON or a Markdown table: for files (`:export`), the
//! clipboard and `pipedeck insights`. One table shape for all of them, so a
//! file, a paste and a pipe always agree.

use serde_json::{Map, Value};
use std::path::Path;

/// Columns and rectangular rows (a missing field is an empty cell). A
/// `None` cell is SQL NULL: null in JSON, NULL in Markdown, an empty field
/// in CSV (where an empty string is one too: CSV has no NULL).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Markdown,
}

impl Format {
    /// From a file name's extension: .csv, .json, .md / .markdown.
    pub fn from_path(path: &Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            Some("md" | "markdown") => Ok(Format::Markdown),
            _ => Err(format!(
                "{}: end the name with .csv, .json or .md to choose the format",
                path.display()
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "md",
        }
    }
}

impl Table {
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json(),
            Format::Markdown => self.to_markdown(),
        }
    }

    /// One object per row keyed by column, in column order.
    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| Value::Object(self.object(row)))
            .collect();
        serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
    }

    /// One row as a JSON object (what `y` copies).
    pub fn object(&self, row: &[Option<String>]) -> Map<String, Value> {
        self.columns
            .iter()
            .zip(row)
            .map(|(c, v)| (c.clone(), v.clone().map_or(Value::Null, Value::String)))
            .collect()
    }

    /// RFC 4180 through the `csv` crate: commas, quotes and new lines in a
    /// message survive the round trip.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(&self.columns);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// A GitHub-style table; pipes escaped, new lines folded to spaces.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
        let header: Vec<String> = self.columns.iter().map(|c| esc(c)).collect();
        let mut out = format!(
            "| {} |\n|{}\n",
            header.join(" | "),
            " --- |".repeat(self.columns.len())
        );
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| v.as_deref().map_or("NULL".into(), esc))
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            columns: vec!["@timestamp".into(), "@message".into()],
            rows: vec![
                vec![
                    Some("2026-11-27 03:00:00.000".into()),
                    Some("a | b, \"c\"\nd".into()),
                ],
                vec![Some("2026-11-27 03:01:00.000".into()), Some(String::new())],
            ],
        }
    }

    #[test]
    fn every_format_keeps_awkward_text() {
        let t = table();
        let json: Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(json[0]["@message"], "a | b, \"c\"\nd");
        let csv_text = t.to_csv();
        let mut back = csv::Reader::from_reader(csv_text.as_bytes());
        let rows: Vec<Vec<Option<String>>> = back
            .records()
            .map(|r| r.unwrap().iter().map(|v| Some(v.to_string())).collect())
            .collect();
        assert_eq!(rows, t.rows);
        let md = t.to_markdown();
        assert!(
            md.starts_with("| @timestamp | @message |\n| --- | --- |\n"),
            "{md}"
        );
        assert!(md.contains("a \\| b, \"c\" d"), "{md}");
    }

    #[test]
    fn null_is_null_in_json_and_markdown() {
        let t = Table {
            columns: vec!["region".into(), "total".into()],
            rows: vec![vec![Some(String::new()), None]],
        };
        let json: Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(json[0]["region"], "");
        assert_eq!(json[0]["total"], Value::Null);
        assert!(
            t.to_markdown().ends_with("|  | NULL |\n"),
            "{}",
            t.to_markdown()
        );
        assert_eq!(t.to_csv(), "region,total\n,\n");
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(Format::from_path(Path::new("x.CSV")), Ok(Format::Csv));
        assert_eq!(Format::from_path(Path::new("a/b.md")), Ok(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("r.json")), Ok(Format::Json));
        assert!(Format::from_path(Path::new("r.txt"))
            .unwrap_err()
            .contains(".csv"));
        assert!(Format::from_path(Path::new("noext")).is_err());
    }
}
