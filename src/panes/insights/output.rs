//! Getting the Insights result out: the shared `panes::output`, with the
//! pane's export directory and file name.

use super::InsightsPane;
use crate::panes::{output, Reply};
use chrono::{DateTime, Utc};

impl InsightsPane {
    /// `E`: the command line, pre-filled with a path to edit.
    pub(super) fn export_prompt(&self, now: DateTime<Utc>) -> Reply {
        output::export_prompt(&self.results, &self.export_dir, "insights", now)
    }

    /// `:export PATH` — the format from the extension.
    pub(super) fn export_to(&self, path: &str) -> Reply {
        output::export_to(&self.results, path)
    }

    /// `y`: the selected row as one line of JSON.
    pub(super) fn copy_row(&self) -> Reply {
        output::copy_row(&self.results)
    }

    /// `Y`: every shown row as a Markdown table.
    pub(super) fn copy_all(&self) -> Reply {
        output::copy_all(&self.results)
    }
}
