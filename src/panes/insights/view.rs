//! Drawing the Insights pane. Reads the pane; changes nothing.

use super::{Focus, InsightsPane, Range};
use crate::app::duration;
use crate::cloud::QueryStatus;
use crate::config::{Command, Mode};
use crate::ui::widgets::{
    no_rows, pane_frame, pane_title, printable, render_no_rows, window_lines,
};
use crate::ui::RenderCtx;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// The keys bound to `cmd` in `mode`, as the footer writes them.
fn keys(rc: &RenderCtx, mode: Mode, cmd: Command) -> String {
    rc.keymap.label(mode, cmd)
}

pub fn render(p: &InsightsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let place = match p.focus {
        Focus::Editor => format!(
            "editing — {} runs, {} leaves",
            keys(rc, Mode::Editor, Command::Run),
            keys(rc, Mode::Editor, Command::Back)
        ),
        Focus::Groups => format!("log groups ({} selected)", p.memory.groups.len()),
        Focus::Record => "record".to_string(),
        Focus::Saved => format!("saved queries ({})", p.saved.items.len()),
        Focus::Results if p.chart().is_some() => {
            format!("{} row(s) as a chart — v shows the table", p.results.len())
        }
        Focus::Results => format!("{} row(s)", p.results.len()),
    };
    let filter = p.results.list.filter.text.clone();
    let inner = pane_frame(
        f,
        area,
        pane_title("Insights", place, &filter, p.filtering, rc),
        rc,
    );
    let editor_h = (p.editor.lines().len() as u16 + 2)
        .clamp(3, 9)
        .min(inner.height / 2);
    // A triage adds its own line, and its note when it has one.
    let facts_h = match &p.triage {
        Some(t) if t.triage.note.is_some() => 4,
        Some(_) => 3,
        None => 2,
    };
    let [editor_area, facts_area, body] = Layout::vertical([
        Constraint::Length(editor_h),
        Constraint::Length(facts_h),
        Constraint::Min(1),
    ])
    .areas(inner);
    editor(p, f, editor_area, rc);
    facts(p, f, facts_area, rc);
    match p.focus {
        Focus::Groups => picker(p, f, body, rc),
        Focus::Record => record(p, f, body),
        Focus::Saved => saved(p, f, body, rc),
        _ => match p.chart() {
            Some(chart) => super::chart_view::render(chart, f, body, rc),
            None => results(p, f, body, rc),
        },
    }
}

fn editor(p: &InsightsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let focused = p.focus == Focus::Editor;
    let border = if focused { c.accent.0 } else { c.border.0 };
    // Another language than Logs Insights QL is said where the query is.
    let language = match p.language.is_cwli() {
        true => String::new(),
        false => format!(" in {}", p.language.name()),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(border))
        .title(if focused {
            format!(" query{language} (typing) ")
        } else {
            format!(" query{language} — e edits ")
        });
    let inner = block.inner(area);
    f.render_widget(block, area);
    p.editor.render(f, inner, focused, rc);
}

/// A range end in the console's short time form; the line names the zone
/// once, at its end.
fn local_and_utc(t: DateTime<Utc>, rc: &RenderCtx) -> String {
    crate::app::clock_time_on(t, rc.tz, Some(rc.now))
}

fn facts(p: &InsightsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    // While a triage checks its groups, its candidates are what will run.
    let shown: &[String] = match &p.triage {
        Some(t) if t.found.is_none() => &t.triage.candidates,
        _ => &p.memory.groups,
    };
    let groups = match shown {
        _ if p.language.groups_in_text() && p.triage.is_none() => {
            Span::raw("named in the SQL query")
        }
        [] => Span::styled("no log groups (p picks)", Style::default().fg(c.warn.0)),
        [one] => Span::raw(printable(one, 60)),
        [first, rest @ ..] => Span::raw(format!("{} +{}", printable(first, 50), rest.len())),
    };
    // One source of truth: the range the next run uses, and its window as
    // of now; the last run's own window only where it differs.
    let (start, end) = p.range.window(rc.now);
    let mut range = match &p.range {
        Range::Last(_) => format!(
            "{} · {} → {}",
            p.range.label(),
            local_and_utc(start, rc),
            local_and_utc(end, rc)
        ),
        Range::Absolute(..) => format!("{} → {}", local_and_utc(start, rc), local_and_utc(end, rc)),
    };
    if let Some(r) = &p.run {
        let ran = (r.query.start, r.query.end);
        // "last 5m" rows from ten minutes ago are not "last 5m" any more:
        // the windows themselves must agree (to the minute).
        let close = |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).num_seconds().abs() <= 60;
        let same = close(ran.0, start) && close(ran.1, end);
        if !same {
            range.push_str(&format!(
                " (shown: {} → {})",
                local_and_utc(ran.0, rc),
                local_and_utc(ran.1, rc)
            ));
        }
    }
    range.push_str(&format!(" {}", crate::app::zone(rc.tz)));
    let first = Line::from(vec![
        Span::styled("groups ", muted),
        groups,
        Span::styled("   range ", muted),
        Span::raw(range),
    ]);
    let second = match (&p.run, &p.error) {
        (_, Some(e)) => Line::from(Span::styled(
            printable(e, 600),
            Style::default()
                .fg(c.failure.0)
                .add_modifier(Modifier::BOLD),
        )),
        (None, None) => Line::from(Span::styled(
            format!("{} runs the query", keys(rc, Mode::Normal, Command::Run)),
            muted,
        )),
        (Some(r), None) => {
            let status = r.status.as_ref().map_or("Starting", QueryStatus::as_aws);
            let style = match &r.status {
                Some(QueryStatus::Complete) => Style::default().fg(c.ok.0),
                Some(s) if s.is_done() => Style::default()
                    .fg(c.failure.0)
                    .add_modifier(Modifier::BOLD),
                _ => Style::default().fg(c.active.0).add_modifier(Modifier::BOLD),
            };
            let took = (r.ended.unwrap_or(rc.now) - r.started).num_seconds();
            Line::from(vec![
                Span::styled(status.to_string(), style),
                Span::raw(format!(
                    " · {} · {:.0} matched / {:.0} scanned · {:.1} MB (≈ ${:.4})",
                    duration(took),
                    r.stats.records_matched,
                    r.stats.records_scanned,
                    r.stats.bytes_scanned / 1e6,
                    r.stats.cost(p.cost_per_gb)
                )),
                // The service's row cap, said where the counts are.
                Span::styled(
                    crate::cloud::logs::cap_note(p.results.len(), r.stats.records_matched)
                        .map_or(String::new(), |n| format!(" · {n}")),
                    Style::default().fg(c.warn.0),
                ),
            ])
        }
    };
    let mut lines = vec![first, second];
    if let Some(t) = &p.triage {
        lines.push(triage_line(t, rc));
        if let Some(note) = &t.triage.note {
            lines.push(Line::from(Span::styled(
                printable(note, 400),
                Style::default().fg(c.warn.0),
            )));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// Which run the query is about, and which of its groups are missing.
fn triage_line(t: &super::TriageState, rc: &RenderCtx) -> Line<'static> {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    let mut spans = vec![
        Span::styled("triage ", muted),
        Span::styled(
            format!(
                "{} {}",
                printable(&t.triage.job, 60),
                crate::gate::short_id(&t.triage.run_id)
            ),
            Style::default().fg(c.accent.0),
        ),
    ];
    match (&t.found, &t.check_error) {
        (None, _) => spans.push(Span::styled(
            format!("  checking {} log group(s)…", t.triage.candidates.len()),
            muted,
        )),
        (Some(_), Some(e)) => spans.push(Span::styled(
            format!(
                "  could not list log groups ({}); querying all",
                printable(e, 120)
            ),
            Style::default().fg(c.warn.0),
        )),
        (Some(found), None) => {
            spans.push(Span::raw(format!("  {} group(s) queried", found.len())));
            let missing = t.missing();
            if !missing.is_empty() {
                spans.push(Span::styled(
                    format!("  not found: {}", printable(&missing.join(", "), 200)),
                    Style::default().fg(c.warn.0),
                ));
            }
        }
    }
    Line::from(spans)
}

fn saved(p: &InsightsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let muted = Style::default().fg(c.muted.0);
    if p.saved.items.is_empty() {
        render_no_rows(
            f,
            area,
            &p.saved.status,
            "Listing saved queries…",
            "No saved queries yet: :save NAME saves the editor's query and groups.",
            rc,
        );
        return;
    }
    let [list, preview] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(area.height / 3)]).areas(area);
    let name_w = p
        .saved
        .items
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 48);
    let lines = window_lines(
        &p.saved.items,
        p.saved.cursor.selected,
        list.height as usize,
        rc,
        |d| {
            let when = d.last_modified.map_or(String::new(), |t| {
                crate::app::clock_time_on(t, rc.tz, Some(rc.now))
            });
            // The language, so a PPL or SQL query is never mistaken for
            // Logs Insights QL (it also runs in it).
            let language = Span::styled(
                format!("{:<5}", d.language.as_aws()),
                if d.language.is_cwli() {
                    muted
                } else {
                    Style::default().fg(c.accent.0)
                },
            );
            Line::from(vec![
                Span::raw(format!("{:<name_w$}  ", printable(&d.name, name_w))),
                language,
                Span::styled(format!("{:>3} group(s)  ", d.groups.len()), muted),
                Span::styled(when, muted),
            ])
        },
    );
    f.render_widget(Paragraph::new(lines), list);
    if let Some(d) = p.saved.items.get(p.saved.cursor.selected) {
        let mut text: Vec<Line> = vec![Line::from(Span::styled(
            printable(&d.groups.join(", "), 400),
            muted,
        ))];
        text.extend(d.query.lines().map(|l| Line::from(printable(l, 400))));
        f.render_widget(
            Paragraph::new(text).block(
                Block::default()
                    .borders(Borders::TOP)
                    .border_style(Style::default().fg(c.border.0))
                    .title(" Enter loads · D deletes · :save NAME saves the editor "),
            ),
            preview,
        );
    }
}

fn results(p: &InsightsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    if p.results.is_empty() {
        let text = match &p.run {
            None if p.triage.as_ref().is_some_and(|t| t.found.is_none()) => {
                "Checking which of the run's log groups exist…".to_string()
            }
            None => format!(
                "Write a query ({}), pick log groups ({}), run it ({}).",
                keys(rc, Mode::Normal, Command::Edit),
                keys(rc, Mode::Normal, Command::Groups),
                keys(rc, Mode::Normal, Command::Run)
            ),
            // A query that never ran or ended badly matched nothing: say
            // what happened, not "no rows" (its error is on the line above).
            Some(_) if p.error.is_some() => {
                "No rows: the query did not run to the end.".to_string()
            }
            Some(r) if r.is_active() => "Waiting for the first rows…".to_string(),
            Some(r) => match &r.status {
                // A triage with no rows says where it looked, not just "none".
                Some(QueryStatus::Complete) => match p
                    .triage
                    .as_ref()
                    .filter(|t| t.triage.query == r.query.query)
                {
                    Some(t) => format!(
                        "No line of run {} in {} over its window: its logs may be in another group ([insights.glue] in the config) or past the groups' retention.",
                        t.triage.run_id,
                        r.query.groups.join(", ")
                    ),
                    None => "The query matched no rows.".to_string(),
                },
                Some(QueryStatus::Cancelled) => "Stopped before any row came.".to_string(),
                Some(other) => format!("No rows: the query ended {}.", other.as_aws()),
                None => "The query matched no rows.".to_string(),
            },
        };
        let lines = if p.results_status.error.is_some() {
            no_rows(&p.results_status, "", "", rc)
        } else {
            vec![Line::from(text)]
        };
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    }
    p.results.render(f, area, rc);
}

fn picker(p: &InsightsPane, f: &mut Frame, area: Rect, rc: &RenderCtx) {
    let c = &rc.theme.c;
    let [search, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let cursor = if p.picker.typing { "▏" } else { "" };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("prefix ", Style::default().fg(c.muted.0)),
            Span::styled(
                format!("{}{cursor}", printable(&p.picker.search.text, 200)),
                Style::default().fg(c.warn.0),
            ),
            Span::styled(
                "   / types a prefix, Enter searches, space selects (50 at most)",
                Style::default().fg(c.muted.0),
            ),
        ])),
        search,
    );
    if p.picker.found.is_empty() {
        let lines = no_rows(
            &p.picker.status,
            "Listing log groups…",
            "No log group starts with that prefix.",
            rc,
        );
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), list);
        return;
    }
    let lines = window_lines(
        &p.picker.found,
        p.picker.cursor.selected,
        list.height as usize,
        rc,
        |g| {
            let chosen = p.memory.groups.contains(&g.name);
            let mark = if chosen { "[x] " } else { "[ ] " };
            let size = g
                .stored_bytes
                .map_or(String::new(), |b| format!("  {:.1} MB", b as f64 / 1e6));
            Line::from(vec![
                Span::styled(
                    mark,
                    Style::default().fg(if chosen { c.ok.0 } else { c.muted.0 }),
                ),
                Span::raw(printable(&g.name, 200)),
                Span::styled(size, Style::default().fg(c.muted.0)),
            ])
        },
    );
    f.render_widget(Paragraph::new(lines), list);
}

fn record(p: &InsightsPane, f: &mut Frame, area: Rect) {
    let lines: Vec<Line> = match &p.record {
        Some((_, Ok(pretty))) => pretty
            .lines()
            .take(2_000)
            .map(|l| Line::from(printable(l, 2_000)))
            .collect(),
        Some((_, Err(e))) => vec![Line::from(printable(e, 600))],
        None => vec![],
    };
    // The whole record: long values wrap, and scrolling stops at the last
    // screenful, as in a run's detail.
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max_scroll = para
        .line_count(area.width)
        .saturating_sub(area.height as usize)
        .min(u16::MAX as usize) as u16;
    f.render_widget(para.scroll((p.record_scroll.min(max_scroll), 0)), area);
}
