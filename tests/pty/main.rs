//! The real binary: headless commands, and the console in a pseudo-terminal against the demo and the emulators.
//! tests/README.md maps each pane to its tests.

#[path = "../common/mod.rs"]
mod common;

mod alarms;
mod athena;
mod cli;
mod demo;
mod dlq;
mod insights;
