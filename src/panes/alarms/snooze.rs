//! Local snoozes: an alarm hidden from the header count until a time. They
//! never touch AWS; they live in `<state dir>/snoozes.json` so a restart
//! at 3 a.m. does not bring back what was already acknowledged.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

pub type Snoozes = BTreeMap<String, DateTime<Utc>>;

/// The pane's file under the state dir.
pub const FILE: &str = "snoozes.json";

/// Snoozes still running at `now`; text that does not parse is no snoozes
/// (and says so in the log), never a reason not to start.
pub fn parse(text: &str, now: DateTime<Utc>) -> Snoozes {
    // No file yet.
    if text.trim().is_empty() {
        return Snoozes::new();
    }
    match serde_json::from_str::<Snoozes>(text) {
        Ok(s) => s.into_iter().filter(|(_, until)| *until > now).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "snoozes file is not valid; ignoring it");
            Snoozes::new()
        }
    }
}

pub fn to_json(snoozes: &Snoozes) -> String {
    serde_json::to_string_pretty(snoozes).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn round_trip_drops_expired_and_survives_garbage() {
        let now = Utc::now();
        let s = Snoozes::from([
            ("live".to_string(), now + Duration::minutes(30)),
            ("over".to_string(), now - Duration::minutes(1)),
        ]);
        let back = parse(&to_json(&s), now);
        assert_eq!(back.keys().collect::<Vec<_>>(), ["live"]);
        assert!(parse("{not json", now).is_empty());
    }
}
