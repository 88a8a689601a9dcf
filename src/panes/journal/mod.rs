//! The Journal pane: what was done (or refused) in this session, newest
//! first, as written to the journal file.

use crate::app::{Data, Edit, PollStatus, Resource};
use crate::cloud::CloudError;
use crate::config::Command;
use crate::gate::{ActionReport, JournalEntry, Phase};
use crate::panes::keys::{KeyAction, KeyTable};
use crate::panes::{Pane, PaneId, Reply};
use crate::ui::components::list::{matches, ListLevel};
use crate::ui::widgets::{header_row, pane_frame, printable, window_rows};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct JournalPane {
    /// Newest first: this session's lines, then earlier ones from the file.
    entries: Vec<JournalEntry>,
    /// How many of `entries` (at the end) came from earlier sessions.
    earlier: usize,
    /// Lines of the file that could not be read.
    unreadable: usize,
    list: ListLevel,
    filtering: bool,
    /// pipedeck's own use of AWS, shown above the actions.
    footprint: Option<crate::cloud::Footprint>,
}

impl JournalPane {
    pub fn set_footprint(&mut self, f: crate::cloud::Footprint) {
        self.footprint = Some(f);
    }

    /// What the journal file already holds (oldest first), so the on-call
    /// sees what the previous shift did.
    pub fn load_history(&mut self, oldest_first: Vec<JournalEntry>, unreadable: usize) {
        self.earlier = oldest_first.len();
        self.unreadable = unreadable;
        self.entries.extend(oldest_first.into_iter().rev());
    }

    pub fn record(&mut self, entry: JournalEntry) {
        self.entries.insert(0, entry);
    }

    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    fn visible(&self) -> Vec<&JournalEntry> {
        let n = self.list.needle();
        self.entries
            .iter()
            .filter(|e| matches(&n, &[&e.target, &e.action, &e.detail]))
            .collect()
    }
}

/// Time of day for today's lines, month-day and minute for older ones.
fn when(time: &str, rc: &RenderCtx) -> String {
    printable(&crate::app::rfc3339_clock(time, rc.tz, rc.now), 40)
}

impl KeyTable for JournalPane {
    fn key_table() -> &'static [KeyAction<Self>] {
        const KEYS: &[KeyAction<JournalPane>] = &[
            KeyAction::<JournalPane>::moves(|p, m| {
                let len = p.visible().len();
                p.list.cursor.apply(m, len);
            }),
            KeyAction::<JournalPane>::new(
                Command::Filter,
                "filter",
                "filter the journal by what its lines say",
                |p, _| {
                    p.filtering = true;
                    Reply::Handled(vec![])
                },
            ),
            KeyAction::<JournalPane>::new(Command::Back, "back", "clear the filter", |p, _| {
                p.list.clear_filter();
                Reply::Handled(vec![])
            })
            .when(|p| p.list.has_filter()),
        ];
        KEYS
    }
}

impl Pane for JournalPane {
    fn id(&self) -> PaneId {
        PaneId::Journal
    }

    fn title(&self) -> &'static str {
        "Journal"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["journal", "actions"]
    }

    fn is_filtering(&self) -> bool {
        self.filtering
    }

    fn edit_filter(&mut self, edit: Edit) {
        self.list.edit(edit);
    }

    fn end_filter(&mut self, keep: bool) {
        self.filtering = false;
        if !keep {
            self.list.clear_filter();
        }
    }

    fn on_loaded(
        &mut self,
        _: &Resource,
        _: DateTime<Utc>,
        _: &Result<Data, CloudError>,
        _: Option<Duration>,
    ) {
    }

    fn on_action_done(&mut self, report: &ActionReport) -> Vec<crate::app::Effect> {
        for e in &report.entries {
            self.record(e.clone());
        }
        vec![]
    }

    fn subscriptions(&self) -> Vec<Resource> {
        vec![]
    }

    fn status(&self) -> Option<&PollStatus> {
        None
    }

    fn render(&self, f: &mut Frame, area: Rect, rc: &RenderCtx) {
        let c = &rc.theme.c;
        let session = self.entries.len() - self.earlier;
        let mut title = if self.filtering || !self.list.filter.text.is_empty() {
            format!(
                " Journal ({}) /{} ",
                self.entries.len(),
                self.list.filter.text
            )
        } else {
            format!(
                " Journal — {session} this session, {} earlier ",
                self.earlier
            )
        };
        if self.unreadable > 0 {
            title.push_str(&format!("({} unreadable lines skipped) ", self.unreadable));
        }
        let mut inner = pane_frame(f, area, title, rc);
        if let Some(fp) = &self.footprint {
            let [top, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
            f.render_widget(
                Paragraph::new(printable(
                    &format!("pipedeck's own AWS use: {}", fp.summary()),
                    top.width as usize,
                ))
                .style(Style::default().fg(c.muted.0)),
                top,
            );
            inner = rest;
        }
        let rows = self.visible();
        if rows.is_empty() {
            f.render_widget(
                Paragraph::new("No actions yet. Re-runs, stops and refusals appear here and in the journal file (see `pipedeck info`)."),
                inner,
            );
            return;
        }
        let table_rows = window_rows(&rows, self.list.cursor.selected, inner, rc, |e| {
            let color = match (e.phase, e.result.as_str()) {
                (Phase::Refused, _) | (_, "failed") => c.failure.0,
                (_, "partial") => c.warn.0,
                (Phase::Intent, _) => c.muted.0,
                _ => c.ok.0,
            };
            let phase = match e.phase {
                Phase::Intent => "intent",
                Phase::Outcome => "outcome",
                Phase::Refused => "refused",
            };
            Row::new(vec![
                when(&e.time, rc),
                phase.to_string(),
                e.action.clone(),
                printable(&e.target, 255),
                e.result.clone(),
                printable(&e.detail, 1000),
            ])
            .style(Style::default().fg(color))
        });
        let table = Table::new(
            table_rows,
            [
                Constraint::Length(11),
                Constraint::Length(8),
                // The longest action name ("sqs.client_redrive") in full.
                Constraint::Length(19),
                Constraint::Percentage(20),
                Constraint::Length(8),
                Constraint::Fill(1),
            ],
        )
        .header(header_row(
            &["TIME", "PHASE", "ACTION", "TARGET", "RESULT", "DETAIL"],
            rc,
        ));
        f.render_widget(table, inner);
    }
}
