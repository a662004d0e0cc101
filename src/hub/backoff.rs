//! Retry timing shared by the token call, state reads and reconnects: the schedule (by
//! default 0.5 s doubling to 30 s with full jitter, reset by a healthy connection, and the
//! cap on a server's Retry-After) and the jitter that draws delays from it.

use std::time::Duration;

use crate::leaf::rng::Rng;

/// The retry schedule. The real one is `Backoff::default()`; tests run the same state
/// machines with a schedule of milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The longest delay of the first retry.
    pub first: Duration,
    /// The longest delay of any retry: the doubling stops here.
    pub max: Duration,
    /// A connection that lived this long counts as healthy: the schedule starts over.
    pub healthy_after: Duration,
    /// The longest Retry-After honoured as given; a longer one is waited this long.
    pub retry_after_cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            first: Duration::from_millis(500),
            max: Duration::from_secs(30),
            healthy_after: Duration::from_secs(30),
            retry_after_cap: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// The longest delay after `attempt` failures in a row: `first × 2^attempt`, at most `max`.
    pub fn cap(&self, attempt: u32) -> Duration {
        self.first
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max)
    }

    /// What a server's Retry-After makes us wait.
    pub fn retry_after(&self, asked: Duration) -> Duration {
        asked.min(self.retry_after_cap)
    }
}

/// A source of jittered delays from one schedule: enough randomness to spread the retries
/// of many clients.
#[derive(Debug, Clone, Default)]
pub struct Jitter {
    pub schedule: Backoff,
    rng: Rng,
}

impl Jitter {
    pub fn new(schedule: Backoff) -> Jitter {
        Jitter {
            schedule,
            rng: Rng::default(),
        }
    }

    /// Full jitter: uniform in [0, cap(attempt)], so clients that failed together do not
    /// retry in lockstep.
    pub fn delay(&mut self, attempt: u32) -> Duration {
        self.schedule.cap(attempt).mul_f64(self.rng.unit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_to_the_cap_with_full_jitter() {
        let schedule = Backoff::default();
        let mut jitter = Jitter::new(schedule);
        for attempt in 0..12u32 {
            let cap = schedule
                .first
                .saturating_mul(1 << attempt)
                .min(schedule.max);
            assert_eq!(schedule.cap(attempt), cap);
            let samples: Vec<Duration> = (0..200).map(|_| jitter.delay(attempt)).collect();
            assert!(samples.iter().all(|d| *d <= cap), "attempt {attempt}");
            // Full jitter spreads over the whole range, not just its top.
            assert!(samples.iter().any(|d| *d < cap / 4), "attempt {attempt}");
            assert!(
                samples.iter().any(|d| *d > cap * 3 / 4),
                "attempt {attempt}"
            );
        }
        assert!(jitter.delay(u32::MAX) <= schedule.max);
        assert_eq!(schedule.cap(3), Duration::from_secs(4));
    }

    #[test]
    fn retry_after_is_capped() {
        let schedule = Backoff::default();
        assert_eq!(
            schedule.retry_after(Duration::from_secs(5)),
            Duration::from_secs(5)
        );
        assert_eq!(
            schedule.retry_after(Duration::from_secs(600)),
            schedule.retry_after_cap
        );
    }
}
