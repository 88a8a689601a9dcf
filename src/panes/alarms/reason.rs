//! What an alarm's state reason says, as a list column can show it: the
//! words every threshold alarm repeats dropped, the values first, a
//! composite's children by name. Worked out once when the alarms arrive,
//! not on every frame.

use crate::cloud::Alarm;

/// The state reason without the words every threshold alarm repeats
/// ("Threshold Crossed: ", "(minimum 1 datapoint for OK -> ALARM
/// transition)"), so a narrow column starts with what differs. The detail
/// view shows it whole.
pub fn reason_text(a: &Alarm) -> String {
    let r = a.state_reason.as_deref().unwrap_or("");
    let r = r.strip_prefix("Threshold Crossed: ").unwrap_or(r);
    let r = match r.rfind(" (minimum ") {
        Some(i) if r.ends_with("transition).") || r.ends_with("transition)") => &r[..i],
        _ => r,
    };
    let r = r.trim_end_matches('.');
    let r = compact_threshold_reason(r).unwrap_or_else(|| r.to_string());
    without_alarm_arn_prefixes(&r)
}

/// "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:X" → "X": a
/// composite's reason names its children by ARN, and the header already
/// says the account and Region.
fn without_alarm_arn_prefixes(r: &str) -> String {
    let mut out = String::with_capacity(r.len());
    let mut rest = r;
    while let Some(i) = rest.find("arn:aws") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.find(":alarm:") {
            Some(j) if !tail[..j].contains(char::is_whitespace) => rest = &tail[j + 7..],
            _ => {
                out.push_str("arn:aws");
                rest = &tail[7..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// CloudWatch's threshold sentence, "1 out of the last 1 datapoints [5.0
/// (27/11/26 02:21:00)] was greater than the threshold (0.0)", as what a
/// glance needs: "5.0 > 0.0 (1 of last 1)". `None` for any other wording.
fn compact_threshold_reason(r: &str) -> Option<String> {
    let (counts, rest) = r.split_once(" datapoints [")?;
    let (n, m) = counts.split_once(" out of the last ")?;
    let (points, rest) = rest.split_once("] was ")?;
    let (cmp, threshold) = rest.split_once(" the threshold (")?;
    let threshold = threshold.strip_suffix(')')?;
    let (not, cmp) = match cmp.strip_prefix("not ") {
        Some(c) => ("not ", c),
        None => ("", cmp),
    };
    let symbol = match cmp {
        "greater than" => ">",
        "greater than or equal to" => ">=",
        "less than" => "<",
        "less than or equal to" => "<=",
        _ => return None,
    };
    let symbol = format!("{not}{symbol}");
    // "5.0 (27/11/26 02:21:00), 4.0 (…)" → "5.0, 4.0"
    let values: Vec<&str> = points
        .split("), ")
        .filter_map(|p| p.split_whitespace().next())
        .collect();
    Some(format!(
        "{} {symbol} {threshold} ({n} of last {m})",
        values.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::compact_threshold_reason;

    #[test]
    fn threshold_reasons_lead_with_the_values() {
        assert_eq!(
            compact_threshold_reason("1 out of the last 1 datapoints [5.0 (27/11/26 02:21:00)] was greater than the threshold (0.0)").as_deref(),
            Some("5.0 > 0.0 (1 of last 1)")
        );
        assert_eq!(
            compact_threshold_reason("2 out of the last 3 datapoints [0.91 (27/11/26 02:21:00), 0.9 (27/11/26 02:16:00)] was less than the threshold (0.95)").as_deref(),
            Some("0.91, 0.9 < 0.95 (2 of last 3)")
        );
        assert_eq!(
            compact_threshold_reason("Insufficient Data: 1 datapoint"),
            None
        );
        assert_eq!(
            super::without_alarm_arn_prefixes(
                "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:PipelineFailure-x transitioned to ALARM"
            ),
            "PipelineFailure-x transitioned to ALARM"
        );
    }
}
