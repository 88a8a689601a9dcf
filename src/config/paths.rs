//! Where pipedeck reads and writes, following the XDG base directories
//! (`XDG_CONFIG_HOME`, `XDG_STATE_HOME`, `XDG_DATA_HOME` are honoured).

use directories::ProjectDirs;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub config_file: PathBuf,
    pub themes_dir: PathBuf,
    pub keymap_file: PathBuf,
    pub state_dir: PathBuf,
    pub journal_file: PathBuf,
    pub log_file: PathBuf,
    /// Where `E` writes exports when there is no Downloads folder (created
    /// on the first export, not before).
    pub exports_dir: PathBuf,
}

impl Paths {
    pub fn discover() -> Paths {
        let (config_dir, state_dir, data_dir) = match ProjectDirs::from("", "", "pipedeck") {
            Some(d) => (
                d.config_dir().to_path_buf(),
                d.state_dir()
                    .map(|p| p.to_path_buf())
                    .unwrap_or_else(|| d.data_local_dir().to_path_buf()),
                d.data_dir().to_path_buf(),
            ),
            // No home directory at all: keep everything beside the process.
            None => (
                PathBuf::from(".pipedeck"),
                PathBuf::from(".pipedeck/state"),
                PathBuf::from(".pipedeck/data"),
            ),
        };
        Self::under(config_dir, state_dir, data_dir)
    }

    /// `data_dir` is pipedeck's own folder under the user's data directory
    /// (`~/.local/share/pipedeck`).
    pub fn under(config_dir: PathBuf, state_dir: PathBuf, data_dir: PathBuf) -> Paths {
        Paths {
            exports_dir: data_dir.join("exports"),
            config_file: config_dir.join("config.toml"),
            themes_dir: config_dir.join("themes"),
            keymap_file: config_dir.join("keymap.toml"),
            journal_file: state_dir.join("journal.jsonl"),
            log_file: state_dir.join("pipedeck.log"),
            config_dir,
            state_dir,
        }
    }
}
