//! Retry timing shared by the token call, state reads and reconnects: backoff from 0.5 s
//! doubling to 30 s with full jitter, and the cap on a server's Retry-After.

use std::time::Duration;

use crate::leaf::rng::Rng;

pub const FIRST: Duration = Duration::from_millis(500);
pub const MAX: Duration = Duration::from_secs(30);
/// The longest Retry-After honoured as given; a longer one is waited this long.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// A source of jittered delays: enough randomness to spread the retries of many clients.
#[derive(Debug, Clone, Default)]
pub struct Jitter(Rng);

impl Jitter {
    /// Full jitter: uniform in [0, min(MAX, FIRST × 2^attempt)], so clients that failed
    /// together do not retry in lockstep.
    pub fn delay(&mut self, attempt: u32) -> Duration {
        let cap = FIRST.saturating_mul(1u32 << attempt.min(16)).min(MAX);
        cap.mul_f64(self.0.unit())
    }
}
