//! A query's result rows as a table: columns from the fields, sortable by
//! any column (numbers as numbers), filterable, windowed so 100,000 rows
//! scroll smoothly, appended to as rows stream in. SQL NULL is its own
//! value, shown as NULL, never an empty string. Used by Insights and
//! Athena.

use crate::ui::components::list::{matches, ListLevel, Move};
use crate::ui::widgets::{clip_line, clip_middle, header_row, printable, window_rows};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;
use std::cmp::Ordering;

#[derive(Debug, Default)]
pub struct ResultsTable {
    columns: Vec<String>,
    /// Right-aligned (Athena's numeric types); sorting is numeric wherever
    /// both values are numbers anyway.
    numeric: Vec<bool>,
    /// `None` is NULL.
    rows: Vec<Vec<Option<String>>>,
    /// Columns with SQL types (Athena): drawn at their own widths.
    typed: bool,
    /// A hidden key per row (Insights: `@ptr`).
    keys: Vec<Option<String>>,
    /// Indices into `rows`: filtered, then sorted.
    order: Vec<usize>,
    widths: Vec<u16>,
    pub list: ListLevel,
    /// (column, descending)
    sort: Option<(usize, bool)>,
}

/// Numbers compare as numbers, the rest as text; NULL sorts first.
fn compare(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.cmp(b),
        },
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

const NULL: &str = "NULL";

/// What a cell shows: `@log`'s account prefix dropped (the header names
/// the account), a log stream cut in its middle (its run id head and its
/// `-driver` tail both matter), anything else cut at its end; every cut
/// marked "…".
fn cell<'a>(column: &str, value: &str, width: usize) -> Line<'a> {
    let v = printable(shown_value(column, value), 1_000);
    if column == "@logStream" {
        Line::from(clip_middle(&v, width))
    } else {
        clip_line(Line::from(v), width)
    }
}

/// `123456789012:/aws-glue/jobs/error` → `/aws-glue/jobs/error`.
pub fn shown_value<'v>(column: &str, value: &'v str) -> &'v str {
    match value.split_once(':') {
        Some((account, rest))
            if column == "@log"
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest
        }
        _ => value,
    }
}

impl ResultsTable {
    /// Replaces every row (each poll returns all rows so far).
    pub fn set(
        &mut self,
        columns: Vec<String>,
        rows: Vec<Vec<Option<String>>>,
        keys: Vec<Option<String>>,
    ) {
        let numeric = vec![false; columns.len()];
        self.typed = false;
        self.replace(columns, numeric, rows, keys);
    }

    fn replace(
        &mut self,
        columns: Vec<String>,
        numeric: Vec<bool>,
        rows: Vec<Vec<Option<String>>>,
        keys: Vec<Option<String>>,
    ) {
        if self.columns != columns {
            self.sort = None;
        }
        self.widths = vec![];
        self.columns = columns;
        self.numeric = numeric;
        self.rows = rows;
        self.keys = keys;
        self.widen(0);
        self.reorder();
    }

    /// Adds rows as they stream in (typed columns: numbers right-aligned).
    /// Unsorted and unfiltered, the order only grows: 100,000 rows arrive
    /// in batches without re-sorting what is there.
    pub fn append(
        &mut self,
        columns: &[crate::cloud::athena::Column],
        rows: Vec<Vec<Option<String>>>,
    ) {
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        if self.columns != names {
            let numeric = columns.iter().map(|c| c.is_numeric()).collect();
            self.replace(names, numeric, vec![], vec![]);
        }
        self.typed = true;
        let first = self.rows.len();
        self.keys.extend(rows.iter().map(|_| None));
        self.rows.extend(rows);
        self.widen(first);
        if self.sort.is_none() && !self.list.has_filter() {
            self.order.extend(first..self.rows.len());
        } else {
            self.reorder();
        }
    }

    /// Column widths from the first rows (500 are enough to size them).
    fn widen(&mut self, from: usize) {
        let columns = &self.columns;
        self.widths.resize(columns.len(), 0);
        for (c, w) in self.widths.iter_mut().enumerate() {
            let seen = self.rows[from.min(self.rows.len())..]
                .iter()
                .take(500usize.saturating_sub(from))
                .map(|r| {
                    r.get(c).map_or(0, |v| match v {
                        Some(v) => shown_value(&columns[c], v).chars().count(),
                        None => NULL.len(),
                    })
                })
                .chain([columns[c].chars().count(), *w as usize])
                .max()
                .unwrap_or(4);
            *w = seen.clamp(4, 40) as u16;
        }
    }

    pub fn clear(&mut self) {
        self.set(vec![], vec![], vec![]);
        self.list = ListLevel::default();
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn shown(&self) -> usize {
        self.order.len()
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    pub fn reorder(&mut self) {
        let needle = self.list.needle();
        let mut order: Vec<usize> = (0..self.rows.len())
            .filter(|i| {
                needle.is_empty() || {
                    let cells: Vec<&str> = self.rows[*i]
                        .iter()
                        .map(|c| c.as_deref().unwrap_or(NULL))
                        .collect();
                    matches(&needle, &cells)
                }
            })
            .collect();
        if let Some((col, desc)) = self.sort {
            let cell = |i: usize| self.rows[i].get(col).and_then(|c| c.as_deref());
            order.sort_by(|a, b| {
                let o = compare(cell(*a), cell(*b));
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        self.order = order;
        self.list.cursor.clamp(self.order.len());
    }

    /// Sort by the next column: ascending, then descending, then the next.
    pub fn cycle_sort(&mut self) {
        let n = self.columns.len();
        if n == 0 {
            return;
        }
        self.sort = match self.sort {
            None => Some((0, false)),
            Some((c, false)) => Some((c, true)),
            Some((c, true)) if c + 1 < n => Some((c + 1, false)),
            Some(_) => None,
        };
        self.reorder();
    }

    pub fn sort_label(&self) -> Option<String> {
        self.sort
            .map(|(c, desc)| format!("{} {}", self.columns[c], if desc { "↓" } else { "↑" }))
    }

    pub fn move_cursor(&mut self, m: Move) {
        self.list.cursor.apply(m, self.order.len());
    }

    pub fn selected(&self) -> Option<usize> {
        self.order.get(self.list.cursor.selected).copied()
    }

    pub fn selected_key(&self) -> Option<&str> {
        self.selected().and_then(|i| self.keys[i].as_deref())
    }

    /// The rows as shown (filtered, sorted), for export and copy.
    pub fn shown_table(&self) -> crate::export::Table {
        crate::export::Table {
            columns: self.columns.clone(),
            rows: self.order.iter().map(|i| self.rows[*i].clone()).collect(),
        }
    }

    /// The selected row as (column, value; `None` is NULL).
    pub fn selected_row(&self) -> Vec<(String, Option<String>)> {
        self.selected().map_or(vec![], |i| {
            self.columns
                .iter()
                .cloned()
                .zip(self.rows[i].iter().cloned())
                .collect()
        })
    }

    pub fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        if self.columns.is_empty() {
            f.render_widget(Paragraph::new("No rows."), area);
            return;
        }
        // SQL results whose columns fit are drawn at their own widths: a
        // number column is not pushed to the far edge.
        let gaps = self.widths.len().saturating_sub(1) as u16;
        let natural: u16 = self.widths.iter().sum::<u16>() + gaps;
        if self.typed && natural <= area.width {
            self.draw(f, area, rc, self.widths.clone());
            return;
        }
        // The message (else the widest column) takes the room left.
        let last = self
            .columns
            .iter()
            .position(|c| c == "@message")
            .or_else(|| (0..self.widths.len()).max_by_key(|i| self.widths[*i]))
            .unwrap_or(0);
        // The other columns give way so the message keeps half the width
        // (a 67-character run id must not squeeze it to nothing), or what
        // it needs when its values are shorter.
        // (widths are capped at 40: a message that long keeps the half)
        let reserve = match self.widths.get(last).copied().unwrap_or(0) {
            w if w >= 40 => area.width / 2,
            w => (area.width / 2).min(w.max(20)),
        };
        let room = area.width.saturating_sub(reserve + gaps);
        // Times are never cut (a clipped timestamp reads as another time).
        let keep =
            |i: usize| self.columns[i] == "@timestamp" || self.columns[i].starts_with("bin(");
        let kept: u16 = (0..self.widths.len())
            .filter(|i| *i != last && keep(*i))
            .map(|i| self.widths[i])
            .sum();
        let room = room.saturating_sub(kept);
        let mut others: Vec<u16> = (0..self.widths.len())
            .filter(|i| *i != last && !keep(*i))
            .map(|i| self.widths[i])
            .collect();
        // The widest give way first: the largest cap that fits, never under 8.
        others.sort_unstable();
        let mut cap = u16::MAX;
        let mut used = 0u16;
        for (k, w) in others.iter().enumerate() {
            let left = others.len() - k;
            if used + w * left as u16 > room {
                cap = ((room.saturating_sub(used)) / left as u16).max(8);
                break;
            }
            used += w;
        }
        let cell_widths: Vec<u16> = self
            .widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last || keep(i) {
                    *w
                } else {
                    (*w).min(cap)
                }
            })
            .collect();
        let others: u16 = (0..cell_widths.len())
            .filter(|i| *i != last)
            .map(|i| cell_widths[i])
            .sum();
        let mut cell_widths = cell_widths;
        cell_widths[last] = area.width.saturating_sub(others + gaps).max(1);
        self.draw(f, area, rc, cell_widths);
    }

    fn draw(&self, f: &mut Frame, area: Rect, rc: &RenderCtx, cell_widths: Vec<u16>) {
        let widths: Vec<Constraint> = cell_widths.iter().map(|w| Constraint::Length(*w)).collect();
        let titles: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| match self.sort {
                Some((s, desc)) if s == i => format!("{c} {}", if desc { "↓" } else { "↑" }),
                _ => c.clone(),
            })
            .collect();
        let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        let null = ratatui::style::Style::default().fg(rc.theme.c.muted.0);
        let rows: Vec<Row> = window_rows(&self.order, self.list.cursor.selected, area, rc, |i| {
            Row::new(
                self.rows[*i]
                    .iter()
                    .enumerate()
                    .zip(&cell_widths)
                    .map(|((c, v), w)| match v {
                        None if self.numeric.get(c) == Some(&true) => {
                            Line::styled(NULL, null).right_aligned()
                        }
                        None => Line::styled(NULL, null),
                        Some(v) if self.numeric.get(c) == Some(&true) => {
                            cell(&self.columns[c], v, *w as usize).right_aligned()
                        }
                        Some(v) => cell(&self.columns[c], v, *w as usize),
                    })
                    .collect::<Vec<_>>(),
            )
        });
        let header = header_row(&title_refs, rc);
        f.render_widget(Table::new(rows, widths).header(header), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_is_numeric_where_it_can_be_and_filtering_narrows() {
        let mut t = ResultsTable::default();
        t.set(
            vec!["n".into(), "msg".into()],
            vec![
                vec![Some("10".into()), Some("b".into())],
                vec![Some("9".into()), Some("a".into())],
                vec![Some("100".into()), Some("c".into())],
            ],
            vec![None, Some("p1".into()), None],
        );
        t.cycle_sort();
        let firsts: Vec<&str> = t
            .order
            .iter()
            .map(|i| t.rows[*i][0].as_deref().unwrap())
            .collect();
        assert_eq!(firsts, ["9", "10", "100"]);
        assert_eq!(t.selected_key(), Some("p1"));
        t.cycle_sort();
        assert_eq!(t.rows[t.order[0]][0].as_deref(), Some("100"));
        t.list.edit(crate::app::Edit::Insert('c'));
        t.reorder();
        assert_eq!(t.shown(), 1);
    }

    fn typed(name: &str, kind: &str) -> crate::cloud::athena::Column {
        crate::cloud::athena::Column {
            name: name.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn streamed_rows_append_and_null_stays_null() {
        let mut t = ResultsTable::default();
        let cols = [typed("region", "varchar"), typed("total", "double")];
        t.append(&cols, vec![vec![Some("North".into()), Some("10.5".into())]]);
        t.append(
            &cols,
            vec![
                vec![Some("(none)".into()), None],
                vec![Some("South".into()), Some("2".into())],
            ],
        );
        assert_eq!((t.len(), t.shown()), (3, 3));
        // Sorting by total: NULL first, then as numbers.
        t.cycle_sort();
        t.cycle_sort();
        t.cycle_sort();
        let totals: Vec<Option<&str>> = t.order.iter().map(|i| t.rows[*i][1].as_deref()).collect();
        assert_eq!(totals, [None, Some("2"), Some("10.5")]);
        // A filter finds NULL by its name; the rows out keep it as None.
        t.list.edit(crate::app::Edit::Insert('n'));
        t.list.edit(crate::app::Edit::Insert('u'));
        t.list.edit(crate::app::Edit::Insert('l'));
        t.reorder();
        assert_eq!(
            t.shown_table().rows,
            vec![vec![Some("(none)".into()), None]]
        );
        // Rows that arrive under a filter are filtered too.
        t.append(&cols, vec![vec![Some("West".into()), None]]);
        assert_eq!(t.shown(), 2);
    }
}
