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

/// RFC 3339 with milliseconds, in UTC: what JSON records carry.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
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
