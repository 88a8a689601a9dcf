//! The client-side redrive never loses a message, wherever it is cut off.
//! tests/README.md maps each pane to its tests.

#[path = "../common/mod.rs"]
mod common;

mod sqs;
