//! Reusable pieces bigger than a widget: the query editor (Insights now,
//! Athena later) and the results table.

pub mod editor;
pub mod highlight;
pub mod results;
