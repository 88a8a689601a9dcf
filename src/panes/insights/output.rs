//! The Insights result table as the shared result keys (`panes::output`)
//! see it: filter, sort, export, copy.

use super::{Focus, InsightsPane};
use crate::panes::output::ResultPane;
use crate::ui::components::results::ResultsTable;

impl ResultPane for InsightsPane {
    fn results(&self) -> &ResultsTable {
        &self.results
    }

    fn results_mut(&mut self) -> &mut ResultsTable {
        &mut self.results
    }

    fn on_results(&self) -> bool {
        self.focus == Focus::Results
    }

    fn start_filter(&mut self) {
        self.filtering = true;
    }

    fn export_place(&self) -> (&str, &'static str) {
        (&self.export_dir, "insights")
    }
}
