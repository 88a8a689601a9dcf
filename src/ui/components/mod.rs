//! Reusable pieces bigger than a widget: the query editor (Insights now,
//! Athena later), the results table and the plotting helpers.

pub mod dialog;
pub mod drill;
pub mod editor;
pub mod highlight;
pub mod list;
pub mod plot;
pub mod results;
