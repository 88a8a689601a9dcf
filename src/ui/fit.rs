//! Fitting text to the cells it gets: table columns by priority, every
//! cut marked with "…" (at the end, or in the middle of an identifier), and
//! lines wrapped with a hanging indent. Nothing here cuts silently.

use ratatui::text::{Line, Span};
use ratatui::widgets::Row;

/// A table column: its title, the width its content wants, the least it
/// is still useful at, and how much it matters (0 first; [`EXTRA`] and
/// above are extras). The core columns get their minimum in priority
/// order (one that does not fit is left out), then grow to a comfortable
/// width ([`COMFORTABLE`]); only then do extras get room, at their
/// minimum. Then everything grows towards what it wants, in priority
/// order, and the last column shown takes what is left. A column with
/// nothing to show (`want` 0) is left out.
pub struct Column {
    pub title: &'static str,
    pub want: u16,
    pub min: u16,
    pub priority: u8,
}

impl Column {
    /// A column whose content always has this width (counts, ages).
    pub fn fixed(title: &'static str, width: u16, priority: u8) -> Column {
        Column {
            title,
            want: width,
            min: width,
            priority,
        }
    }

    /// A text column: wants its longest value (and its title), makes do
    /// with `min`.
    pub fn text(title: &'static str, longest: usize, min: u16, priority: u8) -> Column {
        let want = (longest.max(title.chars().count()) as u16).max(min);
        Column {
            title,
            want,
            min: min.min(want),
            priority,
        }
    }
}

/// Columns fitted to a width; cells are cut to it with "…", never silently.
pub struct Fitted {
    /// The width of each column, `None` when it did not fit.
    alloc: Vec<Option<u16>>,
}

/// How many rows a column's wanted width is measured on: a screenful and
/// more, bounded so a list of thousands costs no more per frame.
pub const SAMPLE_ROWS: usize = 200;

/// The widest `width` among the first [`SAMPLE_ROWS`] items.
pub fn widest<T>(items: impl Iterator<Item = T>, width: impl Fn(T) -> usize) -> usize {
    items.take(SAMPLE_ROWS).map(width).max().unwrap_or(0)
}

/// The space ratatui's Table puts between columns.
const COLUMN_GAP: u16 = 1;

/// Enough of a long text column to read it before extras get room.
pub const COMFORTABLE: u16 = 32;

/// Priorities from here on are extras: shown when the core is comfortable.
pub const EXTRA: u8 = 5;

/// Widths for `cols` in `width`: see [`Column`].
pub fn fit_columns(cols: &[Column], width: u16) -> Vec<Option<u16>> {
    let mut by_priority: Vec<usize> = (0..cols.len()).filter(|i| cols[*i].want > 0).collect();
    by_priority.sort_by_key(|i| cols[*i].priority);
    let (core, extras): (Vec<usize>, Vec<usize>) =
        by_priority.iter().partition(|i| cols[**i].priority < EXTRA);
    let mut alloc: Vec<Option<u16>> = vec![None; cols.len()];
    let mut used = 0u16;
    let include = |alloc: &mut Vec<Option<u16>>, used: &mut u16, i: usize| {
        let gap = if *used == 0 { 0 } else { COLUMN_GAP };
        if *used + cols[i].min + gap <= width {
            alloc[i] = Some(cols[i].min);
            *used += cols[i].min + gap;
        }
    };
    let grow = |alloc: &mut Vec<Option<u16>>, used: &mut u16, order: &[usize], cap: u16| {
        for &i in order {
            if let Some(w) = alloc[i].as_mut() {
                let target = cols[i].want.min(cap.max(cols[i].min));
                let extra = target.saturating_sub(*w).min(width - *used);
                *w += extra;
                *used += extra;
            }
        }
    };
    for &i in &core {
        include(&mut alloc, &mut used, i);
    }
    grow(&mut alloc, &mut used, &core, COMFORTABLE);
    for &i in &extras {
        include(&mut alloc, &mut used, i);
    }
    grow(&mut alloc, &mut used, &by_priority, u16::MAX);
    // What is left goes to the last column shown, so a long value there
    // (a reason, a message) reads as far as the screen allows.
    if let Some(last) = alloc.iter_mut().rev().find_map(Option::as_mut) {
        *last += width - used;
    }
    alloc
}

impl Fitted {
    pub fn new(
        cols: &[Column],
        width: u16,
    ) -> (Fitted, Vec<ratatui::layout::Constraint>, Vec<&'static str>) {
        let alloc = fit_columns(cols, width);
        let widths = alloc
            .iter()
            .flatten()
            .map(|w| ratatui::layout::Constraint::Length(*w))
            .collect();
        let titles = (0..cols.len())
            .filter(|i| alloc[*i].is_some())
            .map(|i| cols[i].title)
            .collect();
        (Fitted { alloc }, widths, titles)
    }

    /// The width a column got, if it is shown.
    pub fn width(&self, col: usize) -> Option<u16> {
        self.alloc.get(col).copied().flatten()
    }

    pub fn row<'a>(&self, cells: Vec<Line<'a>>) -> Row<'a> {
        Row::new(
            cells
                .into_iter()
                .zip(&self.alloc)
                .filter_map(|(cell, w)| w.map(|w| clip_line(cell, w as usize)))
                .collect::<Vec<_>>(),
        )
    }
}

/// A styled line cut to `max` columns, its last visible cell an "…" when
/// anything was cut.
pub fn clip_line(line: Line<'_>, max: usize) -> Line<'_> {
    use unicode_width::UnicodeWidthChar;
    if line.width() <= max {
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0usize;
    let room = max.saturating_sub(1);
    for span in line.spans {
        let mut text = String::new();
        for ch in span.content.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            text.push(ch);
        }
        let full = text.len() == span.content.len();
        out.push(Span::styled(text, span.style));
        if !full {
            break;
        }
    }
    if max > 0 {
        let style = out.last().map(|s| s.style).unwrap_or_default();
        out.push(Span::styled("…", style));
    }
    Line::from(out).style(line.style)
}

/// Wraps lines at `width` with a hanging indent: a continuation starts
/// under the text it continues (after a field's key column, or under an
/// indented line's first character), never at the left edge.
pub fn hanging_wrap(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(8) as usize;
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let first = line
            .spans
            .first()
            .map(|s| s.content.to_string())
            .unwrap_or_default();
        let lead = first.chars().take_while(|c| *c == ' ').count();
        let key = (line.spans.len() > 1 && first.ends_with("  ")).then(|| first.chars().count());
        // Never indent past half the width: the text needs the room.
        let hang = key.unwrap_or(lead).min(width / 2);
        let mut cur: Vec<Span<'static>> = Vec::new();
        let mut used = 0usize;
        for span in line.spans {
            let mut text = String::new();
            for ch in span.content.chars() {
                let w = ch.width().unwrap_or(0);
                if used + w > width {
                    // Break at the last space of this piece when there is one.
                    let carry = match text.rfind(' ') {
                        Some(i) if i > 0 => {
                            let rest = text[i + 1..].to_string();
                            text.truncate(i);
                            rest
                        }
                        _ => String::new(),
                    };
                    cur.push(Span::styled(std::mem::take(&mut text), span.style));
                    out.push(Line::from(std::mem::take(&mut cur)).style(line.style));
                    cur.push(Span::raw(" ".repeat(hang)));
                    used = hang + carry.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
                    text = carry;
                }
                text.push(ch);
                used += w;
            }
            cur.push(Span::styled(text, span.style));
        }
        out.push(Line::from(cur).style(line.style));
    }
    out
}

/// Cuts the middle out of an identifier, keeping both ends: a log stream
/// `jr_3f…c1-driver` is told apart by its head and its tail.
pub fn clip_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 5 {
        return super::widgets::clip(s, max);
    }
    let tail = (max - 1) / 2;
    let head = max - 1 - tail;
    let head_part: String = s.chars().take(head).collect();
    let tail_part: String = s.chars().skip(n - tail).collect();
    format!("{head_part}…{tail_part}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_by_priority_and_cut_with_an_ellipsis() {
        let cols = [
            Column::fixed("STATE", 8, 0),
            Column::text("NAME", 30, 10, 1),
            Column::text("REASON", 100, 20, 2),
            Column::fixed("EXTRA", 10, EXTRA),
        ];
        // Room for the core at ease and the extra; REASON takes the rest.
        let a = fit_columns(&cols, 90);
        assert_eq!(a[0], Some(8));
        assert_eq!(a[1], Some(30));
        assert_eq!(a[3], Some(10));
        assert_eq!(a.iter().flatten().sum::<u16>() + 3, 90);
        // The extra waits until REASON is comfortable; STATE never goes.
        let a = fit_columns(&cols, 75);
        assert_eq!(a[3], None);
        assert_eq!(a[2], Some(75 - 8 - 30 - 2));
        // Too narrow for REASON's minimum: it goes, the names stay.
        let a = fit_columns(&cols, 30);
        assert_eq!(a[0], Some(8));
        assert_eq!(a[2], None);
        let line = clip_line(Line::from("Threshold Crossed: 1 datapoint"), 10);
        assert_eq!(line.to_string(), "Threshold…");
        assert_eq!(line.width(), 10);
        assert_eq!(clip_line(Line::from("short"), 10).to_string(), "short");
        assert_eq!(
            clip_middle("jr_0123456789abcdef-driver", 15),
            "jr_0123…-driver"
        );
    }

    #[test]
    fn wrapped_lines_hang_under_their_text() {
        let lines = vec![
            Line::from(vec![
                Span::raw("Error message   "),
                Span::raw("x ".repeat(30)),
            ]),
            Line::from(format!("  {}", "word ".repeat(10))),
        ];
        let out: Vec<String> = hanging_wrap(lines, 30)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(out.len() >= 4, "{out:?}");
        assert!(out[1].starts_with(&" ".repeat(15)), "{out:?}");
        let second = out.iter().position(|l| l.starts_with("  word")).unwrap();
        assert!(out[second + 1].starts_with("  w"), "{out:?}");
        assert!(out.iter().all(|l| l.chars().count() <= 30), "{out:?}");
    }
}
