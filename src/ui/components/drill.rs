//! List → sub-list → detail: the navigation the Glue pane (jobs → a job's
//! runs → a run) and the EMR pane (clusters → a cluster's steps → a step)
//! share, and the panes to come will (query history, audit records).
//!
//! It keeps where the user is, one cursor and filter per list, the
//! detail's scroll and whether a filter is being typed; the pane keeps its
//! data and decides what "the selected item" is.

use super::list::{ListLevel, Move};
use crate::app::Edit;

/// Where the user is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Level {
    #[default]
    List,
    /// One item's sub-list (a job's runs, a cluster's steps), by the item's
    /// key (name or id).
    Sub { parent: String },
    /// One entry of that sub-list.
    Detail { parent: String, item: String },
}

#[derive(Debug, Default)]
pub struct Drill {
    level: Level,
    pub list: ListLevel,
    pub sub: ListLevel,
    pub detail_scroll: u16,
    /// A filter line is being typed (for the list shown).
    pub filtering: bool,
}

/// What `back` did, so the pane can re-sort what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Back {
    /// Left a detail or a sub-list.
    Up,
    /// Cleared the shown list's filter (the first Esc does that).
    ClearedFilter,
    /// Already at the top, unfiltered.
    Nothing,
}

impl Drill {
    pub fn level(&self) -> &Level {
        &self.level
    }

    /// The item whose sub-list or detail is open.
    pub fn parent(&self) -> Option<&str> {
        match &self.level {
            Level::List => None,
            Level::Sub { parent } | Level::Detail { parent, .. } => Some(parent),
        }
    }

    /// In a list (not a detail): where opening and filtering make sense.
    pub fn in_lists(&self) -> bool {
        !matches!(self.level, Level::Detail { .. })
    }

    pub fn at_top(&self) -> bool {
        self.level == Level::List
    }

    /// `back` would do something: leave a level, or clear a filter.
    pub fn can_go_back(&self) -> bool {
        !self.at_top() || self.list.has_filter()
    }

    /// Opens `parent`'s sub-list with a fresh cursor and filter.
    pub fn open_sub(&mut self, parent: String) {
        self.level = Level::Sub { parent };
        self.sub = ListLevel::default();
    }

    /// Opens `item` of the open sub-list, scrolled to its top.
    pub fn open_detail(&mut self, item: String) {
        if let Level::Sub { parent } = &self.level {
            self.level = Level::Detail {
                parent: parent.clone(),
                item,
            };
            self.detail_scroll = 0;
        }
    }

    /// A detail goes back to its sub-list; a filtered list clears its
    /// filter first; a sub-list goes back to the list.
    pub fn back(&mut self) -> Back {
        match &self.level {
            Level::Detail { parent, .. } => {
                self.level = Level::Sub {
                    parent: parent.clone(),
                };
                Back::Up
            }
            Level::Sub { .. } if self.sub.has_filter() => {
                self.sub.clear_filter();
                Back::ClearedFilter
            }
            Level::Sub { .. } => {
                self.level = Level::List;
                Back::Up
            }
            Level::List if self.list.has_filter() => {
                self.list.clear_filter();
                Back::ClearedFilter
            }
            Level::List => Back::Nothing,
        }
    }

    /// `back`, saying whether it did anything and whether the top list is
    /// shown afresh (left a sub-list, or cleared its filter), so the pane
    /// re-sorts it: `None` at the top, unfiltered.
    pub fn back_resorts(&mut self) -> Option<bool> {
        let was_sub = matches!(self.level, Level::Sub { .. });
        match self.back() {
            Back::Nothing => None,
            Back::Up => Some(was_sub),
            Back::ClearedFilter => Some(self.at_top()),
        }
    }

    /// Moves the shown list's cursor (lengths as shown, filtered), or
    /// scrolls the detail.
    pub fn move_cursor(&mut self, m: Move, list_len: usize, sub_len: usize) {
        match self.level {
            Level::List => self.list.cursor.apply(m, list_len),
            Level::Sub { .. } => self.sub.cursor.apply(m, sub_len),
            Level::Detail { .. } => self.detail_scroll = m.scroll(self.detail_scroll),
        }
    }

    /// The list the filter line edits.
    pub fn shown_list(&mut self) -> &mut ListLevel {
        match self.level {
            Level::List => &mut self.list,
            _ => &mut self.sub,
        }
    }

    /// Edits the shown list's filter; true when it was the top list (the
    /// pane re-sorts it).
    pub fn edit_filter(&mut self, edit: Edit) -> bool {
        self.shown_list().edit(edit);
        self.at_top()
    }

    /// Enter keeps the filter, Esc clears it; true when the top list's
    /// filter was cleared (the pane re-sorts it).
    pub fn end_filter(&mut self, keep: bool) -> bool {
        self.filtering = false;
        if keep {
            return false;
        }
        self.shown_list().clear_filter();
        self.at_top()
    }

    pub fn filter_text(&self) -> &str {
        match self.level {
            Level::List => &self.list.filter.text,
            _ => &self.sub.filter.text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(d: &mut Drill, text: &str) {
        for c in text.chars() {
            d.edit_filter(Edit::Insert(c));
        }
    }

    #[test]
    fn back_leaves_a_detail_then_clears_a_filter_then_goes_up() {
        let mut d = Drill::default();
        d.open_sub("job-a".into());
        typed(&mut d, "fail");
        d.open_detail("jr_1".into());
        assert_eq!(d.parent(), Some("job-a"));
        assert!(!d.in_lists());
        assert_eq!(d.back(), Back::Up);
        assert_eq!(
            d.level(),
            &Level::Sub {
                parent: "job-a".into()
            }
        );
        assert_eq!(d.back(), Back::ClearedFilter);
        assert_eq!(d.filter_text(), "");
        assert_eq!(d.back(), Back::Up);
        assert!(d.at_top());
        assert_eq!(d.back(), Back::Nothing);
    }

    #[test]
    fn each_level_keeps_its_own_cursor_and_a_new_parent_starts_fresh() {
        let mut d = Drill::default();
        d.move_cursor(Move::Down, 5, 0);
        d.move_cursor(Move::Down, 5, 0);
        d.open_sub("a".into());
        d.move_cursor(Move::Bottom, 5, 3);
        assert_eq!((d.list.cursor.selected, d.sub.cursor.selected), (2, 2));
        d.back();
        d.open_sub("b".into());
        assert_eq!((d.list.cursor.selected, d.sub.cursor.selected), (2, 0));
        d.open_detail("x".into());
        d.move_cursor(Move::Down, 5, 3);
        assert_eq!(d.detail_scroll, 1);
        d.back();
        d.open_detail("y".into());
        assert_eq!(d.detail_scroll, 0, "a new detail starts at its top");
    }

    #[test]
    fn back_says_when_the_top_list_is_shown_afresh() {
        let mut d = Drill::default();
        assert_eq!(d.back_resorts(), None, "at the top, unfiltered");
        typed(&mut d, "x");
        assert_eq!(d.back_resorts(), Some(true), "the top list's filter went");
        d.open_sub("a".into());
        d.open_detail("r".into());
        assert_eq!(d.back_resorts(), Some(false), "detail to sub-list");
        typed(&mut d, "y");
        assert_eq!(d.back_resorts(), Some(false), "the sub-list's filter went");
        assert_eq!(d.back_resorts(), Some(true), "back to the top list");
    }

    #[test]
    fn a_detail_opens_only_from_a_sub_list() {
        let mut d = Drill::default();
        d.open_detail("x".into());
        assert!(d.at_top());
    }
}
