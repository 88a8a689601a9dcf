//! Local snoozes: an alarm hidden from the header count until a time. They
//! never touch AWS; they live in `<state dir>/snoozes.json` so a restart
//! at 3 a.m. does not bring back what was already acknowledged.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::Path;

pub type Snoozes = BTreeMap<String, DateTime<Utc>>;

/// Snoozes still running at `now`; a missing or unreadable file is no
/// snoozes (and says so in the log), never a reason not to start.
pub fn load(path: &Path, now: DateTime<Utc>) -> Snoozes {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Snoozes::new(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read snoozes");
            return Snoozes::new();
        }
    };
    match serde_json::from_str::<Snoozes>(&text) {
        Ok(s) => s.into_iter().filter(|(_, until)| *until > now).collect(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "snoozes file is not valid; ignoring it");
            Snoozes::new()
        }
    }
}

/// Writes atomically (temp file + rename): a crash never leaves half a file.
pub fn save(path: &Path, snoozes: &Snoozes) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(snoozes)?)?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn round_trip_drops_expired_and_survives_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/snoozes.json");
        let now = Utc::now();
        let s = Snoozes::from([
            ("live".to_string(), now + Duration::minutes(30)),
            ("over".to_string(), now - Duration::minutes(1)),
        ]);
        save(&path, &s).unwrap();
        let back = load(&path, now);
        assert_eq!(back.keys().collect::<Vec<_>>(), ["live"]);
        std::fs::write(&path, "{not json").unwrap();
        assert!(load(&path, now).is_empty());
        assert!(load(&dir.path().join("missing.json"), now).is_empty());
    }
}
