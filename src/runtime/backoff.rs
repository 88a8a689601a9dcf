//! Poll intervals: base when visible, slower when hidden, doubling after
//! throttling or errors up to a cap, back to base after a success.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    base: Duration,
    hidden_factor: u32,
    max: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, hidden_factor: u32, max: Duration) -> Self {
        Self {
            base,
            hidden_factor: hidden_factor.max(1),
            max: max.max(base),
            failures: 0,
        }
    }

    pub fn record(&mut self, ok: bool) {
        if ok {
            self.failures = 0;
        } else {
            self.failures = self.failures.saturating_add(1);
        }
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait before the next poll.
    pub fn delay(&self, visible: bool) -> Duration {
        let normal = if visible {
            self.base
        } else {
            self.base * self.hidden_factor
        };
        if self.failures == 0 {
            return normal;
        }
        let doubled = self
            .base
            .saturating_mul(2u32.saturating_pow(self.failures.min(16)));
        doubled.min(self.max).max(normal.min(self.max))
    }
}

/// ±10 % so many pollers (and many pipedecks) do not fire in step.
pub fn jitter(d: Duration) -> Duration {
    let f = 0.9 + fastrand::f64() * 0.2;
    d.mul_f64(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_on_failure_caps_and_resets() {
        let s = Duration::from_secs;
        let mut b = Backoff::new(s(30), 4, s(300));
        assert_eq!(b.delay(true), s(30));
        assert_eq!(b.delay(false), s(120));
        b.record(false);
        assert_eq!(b.delay(true), s(60));
        b.record(false);
        assert_eq!(b.delay(true), s(120));
        for _ in 0..10 {
            b.record(false);
        }
        assert_eq!(b.delay(true), s(300));
        b.record(true);
        assert_eq!(b.delay(true), s(30));
    }

    #[test]
    fn hidden_pane_failure_is_not_faster_than_hidden_interval() {
        let s = Duration::from_secs;
        let mut b = Backoff::new(s(30), 4, s(300));
        b.record(false);
        assert_eq!(b.delay(false), s(120));
    }
}
