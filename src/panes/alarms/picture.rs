//! The last picture of the alarms, per profile, kept in
//! `<state dir>/alarms.json`: shown at once on the next start, marked
//! stale, until the first fresh DescribeAlarms — the console opens on what
//! was red last night, not on an empty list.

use crate::cloud::{Alarm, AlarmState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const FILE: &str = "alarms.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub at: DateTime<Utc>,
    pub alarms: Vec<Alarm>,
}

impl Picture {
    pub fn of(alarms: &[Alarm], at: DateTime<Utc>) -> Self {
        Self {
            at,
            alarms: alarms.to_vec(),
        }
    }

    /// Which alarms there are, their states and since when: what the list
    /// sorts and colours by.
    fn digest(&self) -> Vec<(&str, &AlarmState, Option<DateTime<Utc>>)> {
        self.alarms
            .iter()
            .map(|a| (a.name.as_str(), &a.state, a.state_since))
            .collect()
    }

    /// Whether `next` may be skipped after `self` was written: no alarm
    /// came, went or changed state. A reason's changing numbers alone are
    /// not worth a write on every poll; they are taken with the next
    /// change, or after an hour.
    pub fn same_as(&self, next: &Picture) -> bool {
        self.digest() == next.digest() && next.at - self.at < chrono::Duration::hours(1)
    }
}
