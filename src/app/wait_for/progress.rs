//! What a person watching a wait sees on stderr: on a terminal one live line per pending
//! object (spinner, state, elapsed, time left) redrawn in place; in a pipe a heartbeat line
//! every `--heartbeat` (`still waiting: container 65f0…aaaa starting (1m30s of 5m)`).

use std::time::Duration;

use tokio::time::Instant;

use crate::leaf::time::{clock, whole};
use crate::output::report::Report;

/// How often live lines are redrawn (the spinner's pace).
const FRAME: Duration = Duration::from_millis(125);
const SPINNER: [char; 4] = ['|', '/', '-', '\\'];

/// One pending object as progress shows it.
pub struct Pending {
    pub kind: &'static str,
    pub id: String,
    /// Its state and anything else worth knowing ("starting", "not visible yet (404 for 4s)").
    pub what: String,
}

pub enum Progress {
    /// `-q`, or a pipe with `--heartbeat 0`.
    Silent,
    Live {
        next: Instant,
        frame: usize,
    },
    Heartbeat {
        every: Duration,
        next: Instant,
    },
}

impl Progress {
    pub fn new(report: &Report<'_>, heartbeat: Option<Duration>, started: Instant) -> Progress {
        if report.shows_live() {
            Progress::Live {
                next: started,
                frame: 0,
            }
        } else {
            match heartbeat {
                Some(every) if report.shows_info() => Progress::Heartbeat {
                    every,
                    next: started + every,
                },
                _ => Progress::Silent,
            }
        }
    }

    /// When `tick` has something to do next.
    pub fn due(&self) -> Option<Instant> {
        match self {
            Progress::Silent => None,
            Progress::Live { next, .. } | Progress::Heartbeat { next, .. } => Some(*next),
        }
    }

    /// Draws the live lines or the heartbeat when one is due. `elapsed` and `limit` are the
    /// wait's own.
    pub fn tick(
        &mut self,
        now: Instant,
        elapsed: Duration,
        limit: Duration,
        pending: &[Pending],
        report: &mut Report<'_>,
    ) {
        match self {
            Progress::Silent => {}
            Progress::Live { next, frame } => {
                if now < *next {
                    return;
                }
                *next = now + FRAME;
                *frame = frame.wrapping_add(1);
                report.live(&live_lines(
                    pending,
                    SPINNER[*frame % SPINNER.len()],
                    elapsed,
                    limit,
                ));
            }
            Progress::Heartbeat { every, next } => {
                if now < *next {
                    return;
                }
                *next = now + *every;
                if !pending.is_empty() {
                    report.info(&heartbeat(pending, elapsed, limit));
                }
            }
        }
    }
}

fn live_lines(pending: &[Pending], spin: char, elapsed: Duration, limit: Duration) -> Vec<String> {
    // Time left rounds up, so it reads 0s only at the end.
    let left = limit.saturating_sub(elapsed) + Duration::from_millis(999);
    pending
        .iter()
        .map(|p| {
            format!(
                "{spin} {} {} {}  {} elapsed, {} left",
                p.kind,
                p.id,
                p.what,
                whole(elapsed),
                whole(left)
            )
        })
        .collect()
}

fn heartbeat(pending: &[Pending], elapsed: Duration, limit: Duration) -> String {
    let objects: Vec<String> = pending
        .iter()
        .map(|p| format!("{} {} {}", p.kind, short(&p.id), p.what))
        .collect();
    format!(
        "still waiting: {} ({} of {})",
        objects.join("; "),
        whole(elapsed),
        clock(limit)
    )
}

/// `65f0…aaaa`: ids of one hub share their time-based start, so the end tells them apart.
fn short(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 12 {
        return id.to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> Vec<Pending> {
        vec![
            Pending {
                kind: "container",
                id: "65f0c0ffee0000000000aaaa".into(),
                what: "starting".into(),
            },
            Pending {
                kind: "container",
                id: "65f0c0ffee0000000000bbbb".into(),
                what: "not visible yet (404 for 4s)".into(),
            },
        ]
    }

    #[test]
    fn heartbeat_names_each_pending_object_and_the_time() {
        assert_eq!(
            heartbeat(&pending(), Duration::from_secs(90), Duration::from_secs(300)),
            "still waiting: container 65f0…aaaa starting; container 65f0…bbbb not visible yet (404 for 4s) (1m30s of 5m)"
        );
        assert_eq!(short("c123"), "c123");
    }

    #[test]
    fn live_lines_one_per_object_with_time_left() {
        let lines = live_lines(
            &pending(),
            '|',
            Duration::from_secs(12),
            Duration::from_secs(600),
        );
        assert_eq!(
            lines[0],
            "| container 65f0c0ffee0000000000aaaa starting  12s elapsed, 9m48s left"
        );
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn a_terminal_gets_live_lines_a_pipe_beats_and_quiet_nothing() {
        let start = Instant::now();
        let mut err = Vec::new();
        {
            let mut report = Report::new(&mut err, false, 0);
            let mut p = Progress::new(&report, Some(Duration::from_secs(30)), start);
            assert_eq!(p.due(), Some(start + Duration::from_secs(30)));
            let limit = Duration::from_secs(300);
            p.tick(
                start + Duration::from_secs(29),
                Duration::from_secs(29),
                limit,
                &pending(),
                &mut report,
            );
            p.tick(
                start + Duration::from_secs(30),
                Duration::from_secs(30),
                limit,
                &pending(),
                &mut report,
            );
            p.tick(
                start + Duration::from_secs(31),
                Duration::from_secs(31),
                limit,
                &pending(),
                &mut report,
            );
            assert_eq!(p.due(), Some(start + Duration::from_secs(60)));
        }
        let text = String::from_utf8(err).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("cycle-notify: still waiting: container 65f0…aaaa starting"));

        let mut err = Vec::new();
        let report = Report::new(&mut err, false, 0).on_terminal(true);
        assert!(matches!(
            Progress::new(&report, None, start),
            Progress::Live { .. }
        ));
        let report = Report::new(&mut err, true, 0).on_terminal(true);
        assert!(matches!(
            Progress::new(&report, Some(Duration::from_secs(1)), start),
            Progress::Silent
        ));
        let report = Report::new(&mut err, false, 0);
        assert!(matches!(
            Progress::new(&report, None, start),
            Progress::Silent
        ));
    }
}
