//! The confirmation dialog's text and geometry, measured the way it is
//! drawn. `update` asks [`fits`] before letting a confirmation through, so
//! nothing is approved from a dialog whose question or input is off screen.

use crate::config::{Command, Keymap, Mode};
use crate::gate::{ConfirmKind, PendingConfirm};
use crate::ui::widgets::printable;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// The widest a dialog grows; wider lines wrap.
const MAX_W: u16 = 76;
/// Narrower than this, a name to type would wrap into nonsense.
const MIN_INNER_W: u16 = 24;
/// Detail lines shown at most before scrolling (keeps the dialog a dialog).
const MAX_DETAIL_ROWS: u16 = 10;

/// The words of a dialog, before styling (styles do not change widths).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmText {
    pub question: String,
    /// Title then one entry per line ("2 arguments:", "--a = 1", …).
    pub details: Vec<String>,
    /// How to answer: "y proceed   n/esc cancel" or "Type X and press …".
    pub prompt: String,
    /// The typed name so far, for typed confirmations.
    pub typed: Option<String>,
}

pub fn text(p: &PendingConfirm, keymap: &Keymap) -> ConfirmText {
    // Measured as drawn: control characters made visible, cut like the
    // screen cuts them.
    let details = p
        .details
        .as_ref()
        .map(|d| {
            std::iter::once(d.title.clone())
                .chain(d.lines.iter().map(|l| format!("  {l}")))
                .map(|l| printable(&l, 4096))
                .collect()
        })
        .unwrap_or_default();
    let (prompt, typed) = match &p.kind {
        ConfirmKind::YesNo => (
            format!(
                "{} proceed   {} cancel",
                keymap.label(Mode::Confirm, Command::Yes),
                keymap.label(Mode::Confirm, Command::No)
            ),
            None,
        ),
        ConfirmKind::Typed { expect } => (
            format!(
                "Type {expect} and press {} to proceed, {} to cancel:",
                keymap.label(Mode::Input, Command::Accept),
                keymap.label(Mode::Input, Command::Cancel)
            ),
            Some(p.typed.clone()),
        ),
    };
    ConfirmText {
        question: printable(&p.question, 4096),
        details,
        prompt,
        typed,
    }
}

/// Where each part goes. Every line of the question and prompt and the
/// input line are always inside `outer`; only details scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmLayout {
    pub outer: Rect,
    pub question: Rect,
    pub details: Option<Rect>,
    /// Detail lines after wrapping, for scrolling.
    pub details_total: u16,
    pub prompt: Rect,
    pub input: Option<Rect>,
}

/// The terminal cannot show the whole dialog: the size it would need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooSmall {
    pub need_w: u16,
    pub need_h: u16,
}

/// Wrapped height of `text` at `width`, exactly as a wrapped Paragraph
/// draws it.
pub fn wrapped_height(text: &str, width: u16) -> u16 {
    let lines: Vec<Line> = text.lines().map(Line::raw).collect();
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .line_count(width)
        .max(1) as u16
}

fn details_height(details: &[String], width: u16) -> u16 {
    details.iter().map(|l| wrapped_height(l, width)).sum()
}

/// Lays the dialog out in `area`, or says it cannot be shown whole.
pub fn layout(t: &ConfirmText, area: Rect) -> Result<ConfirmLayout, TooSmall> {
    let w = MAX_W.min(area.width);
    let inner_w = w.saturating_sub(4); // borders and a space each side
    let measure_w = inner_w.max(MIN_INNER_W);
    let q = wrapped_height(&t.question, measure_w);
    let p = wrapped_height(&t.prompt, measure_w);
    let input = u16::from(t.typed.is_some());
    let d_total = details_height(&t.details, measure_w);
    // The title and one line at least, so the list is visibly there.
    let d_min = d_total.min(2);
    let need_h = (2 + q + p + input + d_min).max(crate::ui::MIN_H);
    // Below the frame's own minimum nothing but "pipedeck needs 30×8" is
    // drawn: a dialog there would be answered blind.
    let need_w = (MIN_INNER_W + 4).max(crate::ui::MIN_W);
    if area.width < need_w || need_h > area.height {
        return Err(TooSmall { need_w, need_h });
    }
    let mut room = area.height - need_h;
    let d_rows = d_min
        + (d_total - d_min)
            .min(room)
            .min(MAX_DETAIL_ROWS.saturating_sub(d_min));
    room -= d_rows - d_min;
    // Blank lines between parts, when there is room for them.
    let gap_q = u16::from(room >= 1);
    let gap_d = u16::from(d_total > 0 && room >= 2);
    let h = 2 + q + gap_q + d_rows + gap_d + p + input;
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height - h) / 2;
    let outer = Rect::new(x, y, w, h);
    let mut row = y + 1;
    let mut take = |n: u16| {
        let r = Rect::new(x + 2, row, inner_w, n);
        row += n;
        r
    };
    let question = take(q);
    take(gap_q);
    let details = (d_total > 0).then(|| take(d_rows));
    take(gap_d);
    let prompt = take(p);
    let input = t.typed.as_ref().map(|_| take(1));
    Ok(ConfirmLayout {
        outer,
        question,
        details,
        details_total: d_total,
        prompt,
        input,
    })
}

/// Whether the confirmation can be answered on a `width`×`height` screen.
pub fn fits(p: &PendingConfirm, keymap: &Keymap, width: u16, height: u16) -> bool {
    layout(&text(p, keymap), Rect::new(0, 0, width, height)).is_ok()
}

/// The furthest the details can scroll on this screen.
pub fn max_scroll(p: &PendingConfirm, keymap: &Keymap, width: u16, height: u16) -> usize {
    match layout(&text(p, keymap), Rect::new(0, 0, width, height)) {
        Ok(l) => l
            .details
            .map_or(0, |d| l.details_total.saturating_sub(d.height) as usize),
        Err(_) => 0,
    }
}

/// The end of the typed text that fits, so the cursor is always visible.
pub fn input_tail(typed: &str, width: u16) -> String {
    // "> " before, the cursor after.
    let room = (width as usize).saturating_sub(3);
    let n = typed.chars().count();
    if n <= room {
        typed.to_string()
    } else {
        let tail: String = typed.chars().skip(n - room + 1).collect();
        format!("…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(question: &str, typed: bool, details: usize) -> ConfirmText {
        ConfirmText {
            question: question.into(),
            details: (0..details).map(|i| format!("line {i}")).collect(),
            prompt: "Type production-spark-cluster and press enter to proceed, esc to cancel:"
                .into(),
            typed: typed.then(String::new),
        }
    }

    #[test]
    fn every_part_is_inside_the_box_when_it_fits() {
        let q = "Cancel step nightly-aggregation (s-0123456789ABC) on EMR cluster production-spark-cluster (j-2AXXXXXXGAPLF) in 123456789012/eu-west-1?";
        for (w, h) in [(120, 36), (80, 24), (40, 20), (30, 18)] {
            let l = layout(&sample(q, true, 7), Rect::new(0, 0, w, h)).unwrap();
            let input = l.input.unwrap();
            assert!(input.bottom() < l.outer.bottom(), "{w}x{h}: {l:?}");
            assert!(l.outer.bottom() <= h && l.outer.right() <= w, "{w}x{h}");
            assert!(l.question.height >= wrapped_height(q, l.question.width));
            assert!(l.prompt.bottom() <= input.top());
        }
    }

    #[test]
    fn too_small_says_so_instead_of_hiding_the_input() {
        let q = "x ".repeat(200);
        assert!(layout(&sample(&q, true, 0), Rect::new(0, 0, 40, 10)).is_err());
        assert!(layout(&sample("short?", true, 0), Rect::new(0, 0, 20, 30)).is_err());
        // Under the frame's minimum only "pipedeck needs 30×8" is drawn.
        assert!(layout(&sample("short?", false, 0), Rect::new(0, 0, 29, 20)).is_err());
        assert!(layout(&sample("short?", false, 0), Rect::new(0, 0, 100, 7)).is_err());
    }

    #[test]
    fn long_input_shows_its_end() {
        assert_eq!(input_tail("abc", 20), "abc");
        let t = input_tail(&"a".repeat(50), 13);
        assert!(t.starts_with('…') && t.chars().count() == 10, "{t}");
    }
}
