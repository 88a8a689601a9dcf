//! What is drawn: insta snapshots and text assertions on ratatui's TestBackend, over the demo account frozen at one instant.
//! tests/README.md maps each pane to its tests.

#[path = "../common/mod.rs"]
mod common;

mod alarms;
mod athena;
mod audit;
mod confirm;
mod dlq;
mod fit;
mod frame_glue_emr;
mod insights;
mod insights_charts;
