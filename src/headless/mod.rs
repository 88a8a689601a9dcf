//! Commands that run without the TUI: `snapshot`, `info`, `completions`.

mod info;
mod note;
mod snapshot;

pub use info::info;
pub use note::render_markdown;
pub use snapshot::{collect, render_json, Snapshot};
