//! One token bucket: a steady rate with a burst, that halves its rate when
//! the service throttles and climbs back gently. Pure: the caller passes the
//! time, so the rules are tested without a clock.

use std::time::Duration;
use tokio::time::Instant;

/// After a throttle the rate climbs back by this share of its base each
/// second (half to full in ten seconds).
const RECOVERY_PER_SEC: f64 = 0.05;
/// A throttled bucket never drops below this share of its base.
const FLOOR: f64 = 0.05;

#[derive(Debug, Clone)]
pub struct Bucket {
    /// Calls per second when nothing is throttled.
    base: f64,
    /// Calls per second now (lower after a throttle).
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// Full: a one-shot read may use the whole burst at once.
    pub fn new(rate: f64, burst: f64, now: Instant) -> Self {
        let base = rate.max(0.01);
        let burst = burst.max(1.0);
        Self {
            base,
            rate: base,
            burst,
            tokens: burst,
            last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let dt = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + self.rate * dt).min(self.burst);
        self.rate = (self.rate + self.base * RECOVERY_PER_SEC * dt).min(self.base);
    }

    /// Takes a token now, or says how long until there is one.
    #[cfg(test)]
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }

    /// Reserves the next token: how long to wait for it (zero when one is
    /// there). Each caller gets its own slot, in the order they asked — no
    /// crowd of waiters waking together to race for one token.
    pub fn reserve(&mut self, now: Instant) -> Duration {
        self.refill(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }

    /// The service said slow down: half the rate, and no burst left.
    pub fn throttled(&mut self, now: Instant) {
        self.refill(now);
        self.rate = (self.rate / 2.0).max(self.base * FLOOR);
        self.tokens = self.tokens.min(0.0);
    }

    #[cfg(test)]
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// The rate at `now`, recovery since the last call included.
    pub fn rate_at(&mut self, now: Instant) -> f64 {
        self.refill(now);
        self.rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(b: &mut Bucket, now: Instant) -> usize {
        let mut n = 0;
        while b.take(now).is_ok() {
            n += 1;
        }
        n
    }

    #[test]
    fn the_burst_goes_at_once_then_the_rate_holds() {
        let t0 = Instant::now();
        let mut b = Bucket::new(10.0, 50.0, t0);
        assert_eq!(drain(&mut b, t0), 50);
        let wait = b.take(t0).unwrap_err();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-6, "{wait:?}");
        // Two seconds later: twenty more, never the burst again at once.
        assert_eq!(drain(&mut b, t0 + Duration::from_secs(2)), 20);
    }

    #[test]
    fn a_throttle_halves_the_rate_and_it_climbs_back() {
        let t0 = Instant::now();
        let mut b = Bucket::new(10.0, 10.0, t0);
        drain(&mut b, t0);
        b.throttled(t0);
        assert_eq!(b.rate(), 5.0);
        b.throttled(t0);
        assert_eq!(b.rate(), 2.5);
        // Five quiet seconds: +0.5/s each second.
        b.take(t0 + Duration::from_secs(5)).ok();
        assert!((b.rate() - 5.0).abs() < 1e-9, "{}", b.rate());
        b.take(t0 + Duration::from_secs(60)).ok();
        assert_eq!(b.rate(), 10.0, "never above the base");
    }

    #[test]
    fn reservations_queue_in_order() {
        let t0 = Instant::now();
        let mut b = Bucket::new(10.0, 2.0, t0);
        let waits: Vec<f64> = (0..5).map(|_| b.reserve(t0).as_secs_f64()).collect();
        assert_eq!(waits.len(), 5);
        for (w, want) in waits.iter().zip([0.0, 0.0, 0.1, 0.2, 0.3]) {
            assert!((w - want).abs() < 1e-9, "{waits:?}");
        }
    }

    #[test]
    fn throttles_never_stop_it() {
        let t0 = Instant::now();
        let mut b = Bucket::new(10.0, 10.0, t0);
        for _ in 0..50 {
            b.throttled(t0);
        }
        assert!((b.rate() - 0.5).abs() < 1e-9);
        assert!(b.take(t0 + Duration::from_secs(3)).is_ok());
    }
}
