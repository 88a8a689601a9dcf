//! Rendering: reads `State`, draws a frame, changes nothing.

mod chrome;
pub mod components;
pub mod fit;
pub mod help;
pub mod overlay;
pub mod widgets;

pub use overlay::help_lines;

use crate::app::State;
use crate::cloud::ConnInfo;
use crate::config::{Keymap, Mode, Theme};
use chrono::{DateTime, FixedOffset, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

/// What every view needs besides its own state.
pub struct RenderCtx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub conn: &'a ConnInfo,
    pub now: DateTime<Utc>,
    /// Offset for absolute times: local time, or UTC when configured (and
    /// in tests, so snapshots do not depend on the machine's zone).
    pub tz: FixedOffset,
    pub mode: Mode,
}

/// Below this the layout cannot say anything useful.
pub const MIN_W: u16 = 30;
pub const MIN_H: u16 = 8;

pub fn render(state: &State, f: &mut Frame, theme: &Theme, tz: FixedOffset) {
    let area = f.area();
    let rc = RenderCtx {
        theme,
        keymap: &state.keymap,
        conn: &state.conn,
        now: state.now,
        tz,
        mode: state.mode(),
    };
    f.render_widget(
        Block::default().style(Style::default().bg(theme.c.bg.0).fg(theme.c.fg.0)),
        area,
    );
    if area.width < MIN_W || area.height < MIN_H {
        let msg = format!(
            "pipedeck needs {MIN_W}×{MIN_H}; this is {}×{}",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [header, tabs, body, status, footer] = frame_layout(area, state);
    chrome::header(state, f, header, &rc);
    chrome::tabs(state, f, tabs, &rc);
    state.panes.get(state.active).render(f, body, &rc);
    chrome::status_line(state, f, status, &rc);
    chrome::footer(state, f, footer, &rc);
    overlay::render(state, f, body_or_all(area, body), area, &rc);
}

/// Header, tabs, body, status (two rows when a message needs them) and
/// footer.
fn frame_layout(area: Rect, state: &State) -> [Rect; 5] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(chrome::status_rows(state, area.width)),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Where `?` and the message log are drawn on a `width`×`height` screen.
pub fn overlay_area(width: u16, height: u16, state: &State) -> Rect {
    let area = Rect::new(0, 0, width, height);
    let [_, _, body, _, _] = frame_layout(area, state);
    body_or_all(area, body)
}

/// Overlays centre on the body when there is room, else the whole screen.
fn body_or_all(all: Rect, body: Rect) -> Rect {
    if body.height >= 8 {
        body
    } else {
        all
    }
}
