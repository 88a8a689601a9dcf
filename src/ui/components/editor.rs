//! A multi-line query editor: `ratatui-textarea` does the editing (cursor,
//! undo, word moves, yank); the drawing is ours, so each line is shown with
//! its syntax colours. Used by the Insights pane, and by Athena next.

use super::highlight::{tokens, Grammar, Token};
use crate::ui::widgets::printable;
use crate::ui::RenderCtx;
use crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use ratatui_textarea::TextArea;

pub struct QueryEditor {
    area: TextArea<'static>,
    grammar: &'static Grammar,
    /// First line shown; follows the cursor.
    top: std::cell::Cell<usize>,
}

impl std::fmt::Debug for QueryEditor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryEditor")
            .field("text", &self.text())
            .finish()
    }
}

impl QueryEditor {
    pub fn new(text: &str, grammar: &'static Grammar) -> Self {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Self {
            area,
            grammar,
            top: std::cell::Cell::new(0),
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn set_text(&mut self, text: &str) {
        *self = Self::new(text, self.grammar);
    }

    /// Text written where the cursor is (a table name from the catalog).
    pub fn insert_text(&mut self, text: &str) {
        self.area.insert_str(text);
    }

    pub fn lines(&self) -> &[String] {
        self.area.lines()
    }

    /// (row, column) of the cursor, in characters.
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    /// Hands a key to the editor; true when the text or cursor changed.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        self.area.input(key)
    }

    fn style(t: Token, rc: &RenderCtx) -> Style {
        let c = &rc.theme.c;
        match t {
            Token::Command => Style::default().fg(c.accent.0).add_modifier(Modifier::BOLD),
            Token::Function => Style::default().fg(c.active.0),
            Token::Keyword => Style::default().fg(c.warn.0),
            Token::Field => Style::default().fg(c.ok.0),
            Token::Str => Style::default().fg(c.key.0),
            Token::Regex => Style::default().fg(c.failure.0),
            Token::Number => Style::default().fg(c.key.0),
            Token::Pipe => Style::default().fg(c.muted.0).add_modifier(Modifier::BOLD),
            Token::Comment => Style::default()
                .fg(c.muted.0)
                .add_modifier(Modifier::ITALIC),
            Token::Plain => Style::default().fg(c.fg.0),
        }
    }

    /// Draws the highlighted lines; puts the terminal cursor where the
    /// editing cursor is when `focused`.
    pub fn render(&self, f: &mut Frame, area: Rect, focused: bool, rc: &RenderCtx) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let (row, col) = self.cursor();
        let height = area.height as usize;
        let mut top = self.top.get();
        if row < top {
            top = row;
        } else if row >= top + height {
            top = row + 1 - height;
        }
        self.top.set(top);
        let gutter = 4u16.min(area.width);
        let lines: Vec<Line> = self
            .lines()
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(n, l)| {
                let mut spans = vec![Span::styled(
                    format!("{:>3} ", n + 1),
                    Style::default().fg(rc.theme.c.muted.0),
                )];
                spans.extend(
                    tokens(l, self.grammar)
                        .into_iter()
                        .map(|(t, s)| Span::styled(printable(&s, 4_000), Self::style(t, rc))),
                );
                Line::from(spans)
            })
            .collect();
        // Long lines scroll sideways with the cursor.
        let text_width = area.width.saturating_sub(gutter) as usize;
        let shift = col.saturating_sub(text_width.saturating_sub(1)) as u16;
        f.render_widget(Paragraph::new(lines).scroll((0, shift)), area);
        if focused {
            let x = area.x + gutter + (col as u16).saturating_sub(shift);
            let y = area.y + (row - top) as u16;
            if x < area.right() && y < area.bottom() {
                f.set_cursor_position(Position::new(x, y));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::components::highlight::INSIGHTS;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_edits_and_enter_breaks_lines() {
        let mut e = QueryEditor::new("fields @message", &INSIGHTS);
        for c in " | limit 5".chars() {
            e.input(key(KeyCode::Char(c)));
        }
        e.input(key(KeyCode::Enter));
        for c in "| sort".chars() {
            e.input(key(KeyCode::Char(c)));
        }
        assert_eq!(e.text(), "fields @message | limit 5\n| sort");
        assert_eq!(e.cursor(), (1, 6));
        e.input(key(KeyCode::Backspace));
        assert!(e.text().ends_with("| sor"));
    }
}
