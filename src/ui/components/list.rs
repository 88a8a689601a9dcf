//! A cursor over a list whose length changes under it.

use crate::app::{Edit, TextLine};

/// Rows moved by page up / page down.
pub const PAGE: usize = 10;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

impl Move {
    pub fn from_command(cmd: crate::config::Command) -> Option<Move> {
        use crate::config::Command as C;
        Some(match cmd {
            C::Up => Move::Up,
            C::Down => Move::Down,
            C::PageUp => Move::PageUp,
            C::PageDown => Move::PageDown,
            C::Top => Move::Top,
            C::Bottom => Move::Bottom,
            _ => return None,
        })
    }
}

impl Move {
    /// The same movement applied to a text view's scroll offset. "Bottom"
    /// asks for the end; the view clamps it to the last screenful.
    pub fn scroll(self, offset: u16) -> u16 {
        match self {
            Move::Up => offset.saturating_sub(1),
            Move::Down => offset.saturating_add(1),
            Move::PageUp => offset.saturating_sub(PAGE as u16),
            Move::PageDown => offset.saturating_add(PAGE as u16),
            Move::Top => 0,
            Move::Bottom => u16::MAX,
        }
    }
}

impl Cursor {
    pub fn apply(&mut self, m: Move, len: usize) {
        let last = len.saturating_sub(1);
        self.selected = match m {
            Move::Up => self.selected.saturating_sub(1),
            Move::Down => (self.selected + 1).min(last),
            Move::PageUp => self.selected.saturating_sub(PAGE),
            Move::PageDown => (self.selected + PAGE).min(last),
            Move::Top => 0,
            Move::Bottom => last,
        };
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// First row to draw so the selected row is visible in `height` rows.
pub fn window_start(selected: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    selected.saturating_sub(height - 1)
}

/// Filter matching used by every list: case-insensitive substring of any
/// of the given fields; an empty needle matches everything.
pub fn matches(needle_lower: &str, fields: &[&str]) -> bool {
    needle_lower.is_empty()
        || fields
            .iter()
            .any(|f| f.to_lowercase().contains(needle_lower))
}

/// One list of a pane (jobs, runs, clusters, steps…): where the cursor is
/// and what its filter says. Typing into the filter starts from the top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListLevel {
    pub cursor: Cursor,
    pub filter: TextLine,
}

impl ListLevel {
    pub fn edit(&mut self, e: Edit) {
        self.filter.apply(e);
        self.cursor.selected = 0;
    }

    pub fn has_filter(&self) -> bool {
        !self.filter.text.is_empty()
    }

    pub fn clear_filter(&mut self) {
        self.filter.text.clear();
    }

    /// The filter, lowercased, for [`matches`].
    pub fn needle(&self) -> String {
        self.filter.text.to_lowercase()
    }
}
