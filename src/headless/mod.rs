//! Commands that run without the TUI: `snapshot`, `info`, `completions`.

pub mod athena;
mod info;
pub mod insights;
mod note;
mod snapshot;
pub mod snapshot_athena;
pub mod snapshot_audit;

pub use info::info;
pub use note::render_markdown;
pub use snapshot::{collect, render_json, Snapshot};
pub use snapshot_athena::AthenaScope;

use std::io::Write;

/// Prints to stdout; a reader that went away (`| head`) is not an error,
/// and nothing panics on a closed pipe.
pub fn print_out(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let result = out
        .write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .and_then(|()| out.flush());
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
