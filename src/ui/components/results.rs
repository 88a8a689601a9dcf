//! A query's result rows as a table: columns from the fields, sortable by
//! any column, filterable, windowed so 10,000 rows scroll smoothly. Used by
//! Insights now, Athena next.

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
    rows: Vec<Vec<String>>,
    /// A hidden key per row (Insights: `@ptr`).
    keys: Vec<Option<String>>,
    /// Indices into `rows`: filtered, then sorted.
    order: Vec<usize>,
    widths: Vec<u16>,
    pub list: ListLevel,
    /// (column, descending)
    sort: Option<(usize, bool)>,
}

/// Numbers compare as numbers, the rest as text.
fn compare(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    }
}

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
    pub fn set(&mut self, columns: Vec<String>, rows: Vec<Vec<String>>, keys: Vec<Option<String>>) {
        self.widths = (0..columns.len())
            .map(|c| {
                rows.iter()
                    .take(500)
                    .map(|r| {
                        r.get(c)
                            .map_or(0, |v| shown_value(&columns[c], v).chars().count())
                    })
                    .chain(std::iter::once(columns[c].chars().count()))
                    .max()
                    .unwrap_or(4)
                    .clamp(4, 40) as u16
            })
            .collect();
        if self.columns != columns {
            self.sort = None;
        }
        self.columns = columns;
        self.rows = rows;
        self.keys = keys;
        self.reorder();
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
                let cells: Vec<&str> = self.rows[*i].iter().map(String::as_str).collect();
                matches(&needle, &cells)
            })
            .collect();
        if let Some((col, desc)) = self.sort {
            order.sort_by(|a, b| {
                let (x, y) = (&self.rows[*a], &self.rows[*b]);
                let o = compare(x.get(col).map_or("", |s| s), y.get(col).map_or("", |s| s));
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

    /// The selected row as (column, value).
    pub fn selected_row(&self) -> Vec<(String, String)> {
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
        let gaps = self.widths.len().saturating_sub(1) as u16;
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
        let rows: Vec<Row> = window_rows(&self.order, self.list.cursor.selected, area, rc, |i| {
            Row::new(
                self.rows[*i]
                    .iter()
                    .zip(&self.columns)
                    .zip(&cell_widths)
                    .map(|((v, col), w)| cell(col, v, *w as usize))
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
                vec!["10".into(), "b".into()],
                vec!["9".into(), "a".into()],
                vec!["100".into(), "c".into()],
            ],
            vec![None, Some("p1".into()), None],
        );
        t.cycle_sort();
        let firsts: Vec<&str> = t.order.iter().map(|i| t.rows[*i][0].as_str()).collect();
        assert_eq!(firsts, ["9", "10", "100"]);
        assert_eq!(t.selected_key(), Some("p1"));
        t.cycle_sort();
        assert_eq!(t.rows[t.order[0]][0], "100");
        t.list.edit(crate::app::Edit::Insert('c'));
        t.reorder();
        assert_eq!(t.shown(), 1);
    }
}
