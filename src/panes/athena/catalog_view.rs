//! Drawing the data catalog browser: the current level's list, and under a
//! table list the selected table's columns and partition keys.

use super::catalog::{Browser, Level};
use crate::ui::widgets::{printable, render_no_rows, window_lines};
use crate::ui::RenderCtx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(b: &Browser, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let muted = Style::default().fg(rc.theme.c.muted.0);
    if b.is_empty() {
        let nothing = match b.level {
            Level::Catalogs => "No data catalogs.",
            Level::Databases { .. } => "No databases in this catalog.",
            Level::Tables { .. } => "No tables in this database.",
        };
        render_no_rows(f, area, &b.status, "Reading the catalog…", nothing, rc);
        return;
    }
    let detail_h = match b.level {
        Level::Tables { .. } => (area.height / 2).min(8),
        _ => 0,
    };
    let [list, detail] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(detail_h)]).areas(area);
    let height = list.height as usize;
    let lines = match &b.level {
        Level::Catalogs => window_lines(&b.catalogs, b.cursor.selected, height, rc, |c| {
            Line::from(vec![
                Span::raw(printable(&c.name, 80)),
                Span::styled(format!("  {}", c.kind), muted),
            ])
        }),
        Level::Databases { .. } => window_lines(&b.databases, b.cursor.selected, height, rc, |d| {
            Line::from(printable(d, 120))
        }),
        Level::Tables { .. } => window_lines(&b.tables, b.cursor.selected, height, rc, |t| {
            let mut spans = vec![Span::raw(printable(&t.name, 80))];
            if !t.partition_keys.is_empty() {
                let keys: Vec<&str> = t.partition_keys.iter().map(|k| k.name.as_str()).collect();
                spans.push(Span::styled(
                    format!("  partitioned by {}", keys.join(", ")),
                    muted,
                ));
            }
            Line::from(spans)
        }),
    };
    f.render_widget(Paragraph::new(lines), list);
    let Some(t) = b.selected_table() else {
        return;
    };
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.kind))
        .collect();
    let mut text = vec![Line::from(Span::styled(
        printable(&format!("columns: {}", columns.join(", ")), 2_000),
        muted,
    ))];
    if !t.partition_keys.is_empty() {
        let keys: Vec<String> = t
            .partition_keys
            .iter()
            .map(|c| format!("{} {}", c.name, c.kind))
            .collect();
        text.push(Line::from(Span::styled(
            printable(
                &format!(
                    "partition keys: {} — a query without a predicate on one reads every partition",
                    keys.join(", ")
                ),
                1_000,
            ),
            muted,
        )));
    }
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), detail);
}
