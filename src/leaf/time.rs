//! Durations and times as people read them: `850ms`, `1.2s`, RFC 3339, and parsing `30s`.

use std::time::{Duration, SystemTime};

/// `850ms`, `1.2s`: durations in stderr lines.
pub fn human(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// `300ms`, `1.5s`, `45s`, `1m30s`, `2h5m`: for progress lines (`1m30s of 5m`) and the
/// flag values they quote; whole seconds from ten seconds on.
pub fn clock(d: Duration) -> String {
    if d < Duration::from_secs(1) && !d.is_zero() {
        return format!("{}ms", d.as_millis());
    }
    if d < Duration::from_secs(10) && d.subsec_millis() != 0 {
        return format!("{:.1}s", d.as_secs_f64());
    }
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

/// `clock` in whole seconds (rounded down): for lines redrawn several times a second.
pub fn whole(d: Duration) -> String {
    clock(Duration::from_secs(d.as_secs()))
}

/// RFC 3339 with milliseconds, in UTC: what JSON records carry.
pub fn rfc3339(t: SystemTime) -> String {
    rfc3339_display(t).to_string()
}

/// The same, written where it goes without an allocation (per-frame output).
pub fn rfc3339_display(t: SystemTime) -> impl std::fmt::Display {
    humantime::format_rfc3339_millis(t)
}

/// `30s`, `5m`, `1h30m`, or a bare `0`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.starts_with('-') {
        return Err(format!(
            "{s} is negative: a duration is a length of time, e.g. 30s, 5m, 1h30m (0 where the flag allows it)"
        ));
    }
    if s.is_empty() {
        return Err("the duration is empty (expected e.g. 30s, 5m, 1h30m)".into());
    }
    let d =
        humantime::parse_duration(s).map_err(|e| format!("{e} (expected e.g. 30s, 5m, 1h30m)"))?;
    // Deadlines are computed as now + d: keep that far from overflowing.
    if d > MAX_DURATION {
        return Err(format!(
            "{s} is too long (at most {} days)",
            MAX_DURATION.as_secs() / 86_400
        ));
    }
    Ok(d)
}

/// The longest duration any flag takes: ten years.
pub const MAX_DURATION: Duration = Duration::from_secs(10 * 365 * 86_400);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_like_the_flags() {
        let c = |ms: u64| clock(Duration::from_millis(ms));
        assert_eq!(c(300), "300ms");
        assert_eq!(c(1500), "1.5s");
        assert_eq!(c(2000), "2s");
        assert_eq!(c(45_000), "45s");
        assert_eq!(c(90_000), "1m30s");
        assert_eq!(c(300_000), "5m");
        assert_eq!(c(7_500_000), "2h5m");
        assert_eq!(c(3_600_000), "1h");
        assert_eq!(whole(Duration::from_millis(1999)), "1s");
        assert_eq!(whole(Duration::from_millis(999)), "0s");
    }
}
