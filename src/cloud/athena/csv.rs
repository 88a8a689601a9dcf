//! Athena's result file, read as it streams in.
//!
//! Athena writes every value in double quotes — numbers too — and SQL NULL
//! as nothing at all: `"a","",` is `a`, an empty string, and NULL. A CSV
//! reader that hands back only field values loses that difference, so this
//! one drives `csv-core` (the `csv` crate's own parser) field by field and
//! looks at the raw bytes each field consumed: a field that began with a
//! quote is a value, an empty one that did not is NULL.

use super::Cell;
use csv_core::{ReadFieldResult, Reader};

pub struct CsvRows {
    reader: Reader,
    /// The field being read (it may span chunks).
    field: Vec<u8>,
    /// Whether the current field has consumed a byte yet, and if its first
    /// one (past a line end) was a quote.
    opened: bool,
    quoted: bool,
    record: Vec<Cell>,
    columns: Option<usize>,
}

impl Default for CsvRows {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvRows {
    pub fn new() -> Self {
        CsvRows {
            reader: Reader::new(),
            field: Vec::new(),
            opened: false,
            quoted: false,
            record: Vec::new(),
            columns: None,
        }
    }

    /// The rows completed by this chunk.
    pub fn feed(&mut self, mut input: &[u8]) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        let mut out = [0u8; 8 * 1024];
        while !input.is_empty() {
            self.note_empty_lines(input, &mut rows);
            let (result, read, wrote) = self.reader.read_field(input, &mut out);
            self.open_field(&input[..read]);
            self.field.extend_from_slice(&out[..wrote]);
            input = &input[read..];
            match result {
                ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
                ReadFieldResult::Field { record_end } => self.end_field(record_end, &mut rows),
                ReadFieldResult::End => break,
            }
        }
        rows
    }

    /// The last row when the file does not end with a line break.
    pub fn finish(&mut self) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        let mut out = [0u8; 8 * 1024];
        loop {
            let (result, _, wrote) = self.reader.read_field(&[], &mut out);
            self.field.extend_from_slice(&out[..wrote]);
            match result {
                ReadFieldResult::Field { record_end } => self.end_field(record_end, &mut rows),
                ReadFieldResult::OutputFull => continue,
                ReadFieldResult::InputEmpty | ReadFieldResult::End => break,
            }
        }
        rows
    }

    /// csv-core skips blank lines; in a one-column result a blank line is
    /// a NULL row, so they are counted here, before csv-core sees them.
    fn note_empty_lines(&mut self, input: &[u8], rows: &mut Vec<Vec<Cell>>) {
        if self.opened || !self.record.is_empty() || self.columns != Some(1) {
            return;
        }
        // At a record boundary (the previous record's line break already
        // read): every '\n' before any other byte is an empty line.
        for b in input {
            match b {
                b'\n' => rows.push(vec![None]),
                b'\r' => {}
                _ => break,
            }
        }
    }

    fn open_field(&mut self, consumed: &[u8]) {
        if self.opened {
            return;
        }
        if let Some(first) = consumed.iter().find(|b| !matches!(b, b'\r' | b'\n')) {
            self.opened = true;
            self.quoted = *first == b'"';
        }
    }

    fn end_field(&mut self, record_end: bool, rows: &mut Vec<Vec<Cell>>) {
        let value = String::from_utf8_lossy(&self.field).into_owned();
        let cell = match (self.quoted, value.is_empty()) {
            (false, true) => None,
            _ => Some(value),
        };
        self.record.push(cell);
        self.field.clear();
        self.opened = false;
        self.quoted = false;
        if record_end {
            let row = std::mem::take(&mut self.record);
            self.columns.get_or_insert(row.len());
            rows.push(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Cell {
        Some(v.to_string())
    }

    fn all(chunks: &[&[u8]]) -> Vec<Vec<Cell>> {
        let mut r = CsvRows::new();
        let mut rows: Vec<Vec<Cell>> = chunks.iter().flat_map(|c| r.feed(c)).collect();
        rows.extend(r.finish());
        rows
    }

    #[test]
    fn null_and_empty_string_stay_apart() {
        // The file Athena wrote for a real query (moto's AWS-verified test).
        let file = b"\"k1\",\"k2\",\"k3\"\n\"r1_v1\",\"r1_v2\",\"1\"\n\"r3_v1\",\"\",\n";
        assert_eq!(
            all(&[file]),
            vec![
                vec![s("k1"), s("k2"), s("k3")],
                vec![s("r1_v1"), s("r1_v2"), s("1")],
                vec![s("r3_v1"), s(""), None],
            ]
        );
    }

    #[test]
    fn quotes_commas_and_line_breaks_inside_values_survive_any_chunking() {
        let file = "\"a\",\"b\"\n\"say \"\"hi\"\", then, go\",\"two\nlines\"\n,\"x\"\n";
        let want = vec![
            vec![s("a"), s("b")],
            vec![s("say \"hi\", then, go"), s("two\nlines")],
            vec![None, s("x")],
        ];
        assert_eq!(all(&[file.as_bytes()]), want);
        // Every split point, one byte at a time included.
        for cut in 0..file.len() {
            let (a, b) = file.as_bytes().split_at(cut);
            assert_eq!(all(&[a, b]), want, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = file.as_bytes().chunks(1).collect();
        assert_eq!(all(&bytes), want);
    }

    #[test]
    fn a_one_column_null_is_an_empty_line() {
        let file = b"\"v\"\n\"a\"\n\n\"b\"\n\n";
        assert_eq!(
            all(&[file]),
            vec![
                vec![s("v")],
                vec![s("a")],
                vec![None],
                vec![s("b")],
                vec![None]
            ]
        );
    }

    #[test]
    fn a_last_line_without_a_break_and_long_values() {
        let long = "x".repeat(50_000);
        let file = format!("\"v\",\"w\"\n\"{long}\",");
        assert_eq!(
            all(&[file.as_bytes()]),
            vec![vec![s("v"), s("w")], vec![s(&long), None]]
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_do_not_stop_the_read() {
        let rows = all(&[b"\"v\"\n\"a\xffb\"\n"]);
        assert_eq!(rows[1], vec![s("a\u{fffd}b")]);
    }
}
