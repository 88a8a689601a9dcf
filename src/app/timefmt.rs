//! The one way pipedeck writes a time: in the zone `[display] utc` chose
//! (UTC, or the machine's), with the zone said once where a time stands
//! alone. Lists use the short form; details the full one.

use chrono::{DateTime, FixedOffset, Utc};

/// "UTC" or "+01:00": what follows a full time.
pub fn zone(tz: FixedOffset) -> String {
    if tz.local_minus_utc() == 0 {
        "UTC".into()
    } else {
        tz.to_string()
    }
}

/// "2026-11-27 09:29:29 UTC": a time on its own (details, dialogs).
pub fn full_time(t: DateTime<Utc>, tz: FixedOffset) -> String {
    format!(
        "{} {}",
        t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S"),
        zone(tz)
    )
}

/// "09:29:29" today, "11-27 09:29:29" on another day: a time in a list,
/// whose zone the screen states elsewhere.
pub fn clock_time(t: DateTime<Utc>, tz: FixedOffset) -> String {
    clock_time_on(t, tz, None)
}

/// As [`clock_time`], dropping the date only when `t` falls on `today`'s
/// date in `tz`.
pub fn clock_time_on(t: DateTime<Utc>, tz: FixedOffset, today: Option<DateTime<Utc>>) -> String {
    let local = t.with_timezone(&tz);
    match today {
        Some(now) if now.with_timezone(&tz).date_naive() == local.date_naive() => {
            local.format("%H:%M:%S").to_string()
        }
        _ => local.format("%m-%d %H:%M:%S").to_string(),
    }
}

/// "2026-11-27 09:29:29 UTC (43m ago)".
pub fn full_time_ago(t: DateTime<Utc>, tz: FixedOffset, now: DateTime<Utc>) -> String {
    format!("{} ({} ago)", full_time(t, tz), super::age(t, now))
}

/// An RFC 3339 text (the journal's, a recalled query's) in the same form;
/// what does not parse is shown as it is.
pub fn rfc3339_clock(text: &str, tz: FixedOffset, today: DateTime<Utc>) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => clock_time_on(t.with_timezone(&Utc), tz, Some(today)),
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn one_form_for_utc_and_for_an_offset() {
        let t = Utc.with_ymd_and_hms(2026, 11, 27, 9, 29, 29).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        let cet = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(full_time(t, utc), "2026-11-27 09:29:29 UTC");
        assert_eq!(full_time(t, cet), "2026-11-27 10:29:29 +01:00");
        assert_eq!(clock_time_on(t, utc, Some(t)), "09:29:29");
        assert_eq!(clock_time(t, utc), "11-27 09:29:29");
        assert_eq!(
            rfc3339_clock("2026-11-27T09:29:29.123456789+00:00", utc, t),
            "09:29:29"
        );
    }
}
