//! Retry timing shared by the token call, state reads and reconnects: the schedule (by
//! default 0.5 s doubling to 30 s, each delay drawn from its upper half, reset only by a
//! connection that stayed up 30 s, and the cap on a server's Retry-After) and the jitter
//! that draws delays from it. Nothing a server says makes a retry come sooner.

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
    /// The longest Retry-After honoured as given; a longer one is waited this long. A
    /// shorter one than the backoff is not honoured at all: the backoff is the floor.
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

    /// The shortest delay after `attempt` failures in a row: half the cap.
    pub fn floor(&self, attempt: u32) -> Duration {
        self.cap(attempt) / 2
    }

    /// What to wait when the server asked for `asked` (Retry-After) and the backoff drew
    /// `backoff`: the longer of the two, the server's capped. A `Retry-After: 0` cannot turn
    /// the retries into a storm.
    pub fn retry_after(&self, asked: Duration, backoff: Duration) -> Duration {
        asked.min(self.retry_after_cap).max(backoff)
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

    /// Uniform in [floor, cap] of `attempt` ("equal jitter"): spread enough that clients
    /// that failed together do not retry in lockstep, and never sooner than the floor, so a
    /// hub that fails at once is not hammered.
    pub fn delay(&mut self, attempt: u32) -> Duration {
        let floor = self.schedule.floor(attempt);
        floor + (self.schedule.cap(attempt) - floor).mul_f64(self.rng.unit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_to_the_cap_from_the_upper_half() {
        let schedule = Backoff::default();
        let mut jitter = Jitter::new(schedule);
        for attempt in 0..12u32 {
            let cap = schedule
                .first
                .saturating_mul(1 << attempt)
                .min(schedule.max);
            assert_eq!(schedule.cap(attempt), cap);
            assert_eq!(schedule.floor(attempt), cap / 2);
            let samples: Vec<Duration> = (0..200).map(|_| jitter.delay(attempt)).collect();
            assert!(
                samples.iter().all(|d| cap / 2 <= *d && *d <= cap),
                "attempt {attempt}"
            );
            // Spread over the whole upper half, not bunched at one end.
            assert!(
                samples.iter().any(|d| *d < cap * 5 / 8),
                "attempt {attempt}"
            );
            assert!(
                samples.iter().any(|d| *d > cap * 7 / 8),
                "attempt {attempt}"
            );
        }
        assert!(jitter.delay(u32::MAX) <= schedule.max);
        assert_eq!(schedule.cap(3), Duration::from_secs(4));
        assert_eq!(schedule.floor(0), Duration::from_millis(250));
    }

    #[test]
    fn retry_after_is_a_floor_never_a_shortcut() {
        let schedule = Backoff::default();
        let backoff = Duration::from_secs(2);
        let secs = Duration::from_secs;
        assert_eq!(schedule.retry_after(secs(5), backoff), secs(5));
        assert_eq!(schedule.retry_after(Duration::ZERO, backoff), backoff);
        assert_eq!(schedule.retry_after(secs(1), backoff), backoff);
        assert_eq!(
            schedule.retry_after(secs(600), backoff),
            schedule.retry_after_cap
        );
    }
}
