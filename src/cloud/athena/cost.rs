//! What a query cost, by Athena's per-scan pricing: $5 a TB (configurable:
//! Regions differ), each query's scan rounded up to the megabyte with a
//! 10 MB minimum. Failed queries, DDL and reused results cost nothing;
//! cancelled ones pay for what they scanned; a work group on a capacity
//! reservation is billed by DPU-hour instead. Units are decimal (AWS's
//! 10 MB BytesScannedCutoffPerQuery minimum is 10,000,000 bytes).

use super::{Execution, QueryState};

const MB: f64 = 1e6;
const TB: f64 = 1e12;
const MIN_MB: f64 = 10.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    pub usd_per_tb: f64,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing { usd_per_tb: 5.0 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cost {
    /// Not reported yet (a running query's scan is not final).
    Unknown,
    Usd(f64),
    /// Nothing to pay, and why: "reused", "failed", "DDL".
    Free(&'static str),
    /// A capacity reservation: DPU-hours, not bytes.
    ByDpu,
}

impl Cost {
    pub fn of(e: &Execution, pricing: Pricing, on_reservation: bool) -> Cost {
        if on_reservation || e.dpu_count.is_some() {
            return Cost::ByDpu;
        }
        if e.reused {
            return Cost::Free("reused");
        }
        match e.state {
            Some(QueryState::Failed) => return Cost::Free("failed"),
            Some(QueryState::Succeeded | QueryState::Cancelled) => {}
            _ => return Cost::Unknown,
        }
        if e.statement_type.as_deref() == Some("DDL") {
            return Cost::Free("DDL");
        }
        let Some(bytes) = e.scanned_bytes else {
            return Cost::Unknown;
        };
        // SHOW / DESCRIBE read the catalog, not the data: no minimum.
        if e.statement_type.as_deref() == Some("UTILITY") && bytes == 0 {
            return Cost::Free("no scan");
        }
        Cost::Usd(scan_usd(bytes, pricing))
    }

    /// The dollars, for sums (free and unknown count as 0).
    pub fn usd(&self) -> f64 {
        match self {
            Cost::Usd(v) => *v,
            _ => 0.0,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Cost::Unknown => "—".into(),
            Cost::Usd(v) => usd(*v),
            Cost::Free("reused") => "reused — $0".into(),
            Cost::Free(why) => format!("$0 ({why})"),
            Cost::ByDpu => "billed by DPU".into(),
        }
    }
}

/// Bytes scanned → dollars: rounded up to the MB, 10 MB at least.
pub fn scan_usd(bytes: i64, pricing: Pricing) -> f64 {
    let mb = (bytes.max(0) as f64 / MB).ceil().max(MIN_MB);
    mb * MB / TB * pricing.usd_per_tb
}

/// "$0.00005", "$0.0125", "$52.00": sums under a dollar keep their
/// digits (a 10 MB query costs five thousandths of a cent).
pub fn usd(v: f64) -> String {
    match v {
        0.0 => "$0".into(),
        v if v < 1.0 => format!("${v:.5}").trim_end_matches('0').to_string(),
        v => format!("${v:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(state: QueryState, statement: &str, bytes: i64) -> Execution {
        Execution {
            state: Some(state),
            statement_type: Some(statement.into()),
            scanned_bytes: Some(bytes),
            ..Default::default()
        }
    }

    #[test]
    fn a_scan_is_rounded_up_to_the_megabyte_with_a_ten_megabyte_minimum() {
        let p = Pricing::default();
        // 1 byte pays for 10 MB: 10e6 / 1e12 × $5.
        assert_eq!(scan_usd(1, p), 0.00005);
        assert_eq!(scan_usd(10_000_001, p), 11e6 / 1e12 * 5.0);
        assert_eq!(scan_usd(1_000_000_000_000, p), 5.0);
        let eu = Pricing { usd_per_tb: 6.75 };
        assert_eq!(scan_usd(2_000_000_000_000, eu), 13.5);
    }

    #[test]
    fn who_pays_what() {
        let p = Pricing::default();
        let tb = 1_000_000_000_000;
        assert_eq!(
            Cost::of(&done(QueryState::Succeeded, "DML", tb), p, false),
            Cost::Usd(5.0)
        );
        // Cancelled queries pay for what they scanned.
        assert_eq!(
            Cost::of(&done(QueryState::Cancelled, "DML", tb), p, false),
            Cost::Usd(5.0)
        );
        assert_eq!(
            Cost::of(&done(QueryState::Failed, "DML", tb), p, false),
            Cost::Free("failed")
        );
        assert_eq!(
            Cost::of(&done(QueryState::Succeeded, "DDL", 0), p, false),
            Cost::Free("DDL")
        );
        assert_eq!(
            Cost::of(&done(QueryState::Succeeded, "UTILITY", 0), p, false),
            Cost::Free("no scan")
        );
        let mut reused = done(QueryState::Succeeded, "DML", 0);
        reused.reused = true;
        assert_eq!(Cost::of(&reused, p, false).label(), "reused — $0");
        assert_eq!(
            Cost::of(&done(QueryState::Succeeded, "DML", tb), p, true),
            Cost::ByDpu
        );
        assert_eq!(
            Cost::of(&done(QueryState::Running, "DML", tb), p, false),
            Cost::Unknown
        );
        assert_eq!(Cost::Unknown.label(), "—");
    }

    #[test]
    fn dollars_keep_a_significant_digit() {
        assert_eq!(usd(0.00005), "$0.00005");
        assert_eq!(usd(0.0012), "$0.0012");
        assert_eq!(usd(0.0125), "$0.0125");
        assert_eq!(usd(0.5), "$0.5");
        assert_eq!(usd(52.0), "$52.00");
        assert_eq!(usd(0.0), "$0");
    }
}
