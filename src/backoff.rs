//! Retry timing shared by the token call, state reads and reconnects: backoff from 0.5 s
//! doubling to 30 s with full jitter, and the cap on a server's Retry-After.

use std::time::{Duration, SystemTime};

pub const FIRST: Duration = Duration::from_millis(500);
pub const MAX: Duration = Duration::from_secs(30);
/// The longest Retry-After honoured as given; a longer one is waited this long.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// A source of jittered delays (splitmix64: enough randomness to spread retries of many
/// clients, nothing secret).
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Default for Jitter {
    fn default() -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Jitter(nanos ^ (u64::from(std::process::id()) << 32))
    }
}

impl Jitter {
    /// Full jitter: uniform in [0, min(MAX, FIRST × 2^attempt)], so clients that failed
    /// together do not retry in lockstep.
    pub fn delay(&mut self, attempt: u32) -> Duration {
        let cap = FIRST.saturating_mul(1u32 << attempt.min(16)).min(MAX);
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let fraction = (z >> 11) as f64 / (1u64 << 53) as f64;
        cap.mul_f64(fraction)
    }
}
