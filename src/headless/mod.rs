//! Commands that run without the TUI: `snapshot` and `info`.

mod info;
mod snapshot;

pub use info::info;
pub use snapshot::{collect, render_json, render_markdown, Snapshot};
