//! Lines for stderr: one line each, prefixed `cycle-notify: `, quiet and verbose aware, every
//! one through the terminal sanitiser; on a terminal, a block of live lines redrawn in place
//! below them (wait-for's progress).

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use super::sanitize;

pub struct Report<'a> {
    err: &'a mut dyn Write,
    quiet: bool,
    verbose: u8,
    terminal: bool,
    /// Live lines drawn below the last line, erased before anything else is written.
    live: usize,
}

impl<'a> Report<'a> {
    pub fn new(err: &'a mut dyn Write, quiet: bool, verbose: u8) -> Report<'a> {
        Report {
            err,
            quiet,
            verbose,
            terminal: false,
            live: 0,
        }
    }

    /// Whether stderr is a terminal (live lines are drawn only then).
    pub fn on_terminal(mut self, terminal: bool) -> Report<'a> {
        self.terminal = terminal;
        self
    }

    /// Whether `info` prints (not `-q`).
    pub fn shows_info(&self) -> bool {
        !self.quiet
    }

    /// Whether `live` draws anything: a terminal, and not `-q`.
    pub fn shows_live(&self) -> bool {
        self.terminal && !self.quiet
    }

    /// Text for the person at the terminal, as is and without a newline (a prompt): shown
    /// even with `-q`, since an answer is awaited.
    pub fn prompt(&mut self, text: &str) {
        self.clear_live();
        let _ = self.err.write_all(text.as_bytes());
        let _ = self.err.flush();
    }

    fn line(&mut self, kind: &str, msg: &str) {
        self.clear_live();
        // Stderr going away must not end the run: the notifications are on stdout.
        let _ = writeln!(self.err, "cycle-notify: {kind}{}", sanitize::line(msg));
    }

    /// Replaces the live lines with `lines` (each sanitised, not wrapped: a line wider than
    /// the terminal is cut by it, so the block keeps its height and can be erased).
    pub fn live(&mut self, lines: &[String]) {
        if !self.shows_live() {
            return;
        }
        let mut block = erase(self.live);
        // DECAWM off while drawing: no line wraps, whatever the width.
        block.push_str("\x1b[?7l");
        for l in lines {
            block.push_str(&sanitize::line(l));
            block.push_str("\x1b[K\n");
        }
        block.push_str("\x1b[?7h");
        self.live = lines.len();
        let _ = self.err.write_all(block.as_bytes());
        let _ = self.err.flush();
    }

    /// Erases the live lines (before other output, and at the end).
    pub fn clear_live(&mut self) {
        if self.live > 0 {
            let _ = self.err.write_all(erase(self.live).as_bytes());
            let _ = self.err.flush();
            self.live = 0;
        }
    }

    pub fn error(&mut self, msg: &str) {
        self.line("error: ", msg);
    }

    pub fn warn(&mut self, msg: &str) {
        if !self.quiet {
            self.line("warning: ", msg);
        }
    }

    pub fn info(&mut self, msg: &str) {
        if !self.quiet {
            self.line("", msg);
        }
    }

    /// `-v` lifecycle lines.
    pub fn debug(&mut self, msg: &str) {
        if self.debugging() {
            self.line("", msg);
        }
    }

    /// Whether `debug` prints: callers with a costly line check first.
    pub fn debugging(&self) -> bool {
        self.verbose >= 1 && !self.quiet
    }

    /// `-vv` per-frame lines.
    pub fn trace(&mut self, msg: &str) {
        if self.tracing() {
            self.line("", msg);
        }
    }

    /// Whether `trace` prints: per-frame callers check first, so a frame costs no `format!`.
    pub fn tracing(&self) -> bool {
        self.verbose >= 2 && !self.quiet
    }
}

/// Moves up over `n` lines drawn earlier, clearing each.
fn erase(n: usize) -> String {
    "\x1b[1A\x1b[2K".repeat(n)
}

/// Counts skipped frames by reason and lets a warning through at most once a second per
/// reason, so a hub sending garbage cannot flood stderr.
#[derive(Debug, Default)]
pub struct RateLimited {
    by_reason: HashMap<String, Counter>,
}

#[derive(Debug, Default)]
struct Counter {
    total: u64,
    unreported: u64,
    last: Option<Instant>,
}

impl RateLimited {
    const EVERY: Duration = Duration::from_secs(1);

    /// Counts one occurrence; returns the warning to print now, if one is due.
    pub fn hit(&mut self, reason: &str, detail: &str) -> Option<String> {
        let c = self.by_reason.entry(reason.to_string()).or_default();
        c.total += 1;
        let now = Instant::now();
        if c.last.is_some_and(|t| now.duration_since(t) < Self::EVERY) {
            c.unreported += 1;
            return None;
        }
        c.last = Some(now);
        let more = std::mem::take(&mut c.unreported);
        Some(if more > 0 {
            format!(
                "skipped {reason} {detail} (and {more} more since the last warning; {} in all)",
                c.total
            )
        } else {
            format!("skipped {reason} {detail}")
        })
    }

    pub fn total(&self) -> u64 {
        self.by_reason.values().map(|c| c.total).sum()
    }

    /// A closing summary when some skips were never reported one by one.
    pub fn summary(&self) -> Option<String> {
        let unreported: u64 = self.by_reason.values().map(|c| c.unreported).sum();
        (unreported > 0).then(|| format!("skipped {} bad frames in all", self.total()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_one_sanitised_line() {
        let mut err = Vec::new();
        let mut report = Report::new(&mut err, false, 0);
        report.error("refused: {\"title\": \"bad \u{202e}yek\"}\n  detail\u{1b}]0;pwned\u{7}");
        report.warn("two\r\nlines");
        let text = String::from_utf8(err).unwrap();
        assert_eq!(
            text,
            "cycle-notify: error: refused: {\"title\": \"bad \\u{202e}yek\"} detail\\u{1b}]0;pwned\\u{7}\n\
             cycle-notify: warning: two lines\n"
        );
    }

    #[test]
    fn live_lines_are_redrawn_in_place_and_erased_before_other_lines() {
        let mut err = Vec::new();
        let mut report = Report::new(&mut err, false, 0).on_terminal(true);
        report.live(&["a \u{1b}[2J".into(), "b".into()]);
        report.live(&["c".into()]);
        report.info("done");
        report.clear_live();
        let text = String::from_utf8(err).unwrap();
        assert_eq!(
            text,
            "\x1b[?7la \\u{1b}[2J\x1b[K\nb\x1b[K\n\x1b[?7h\
             \x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[?7lc\x1b[K\n\x1b[?7h\
             \x1b[1A\x1b[2Kcycle-notify: done\n"
        );
        let mut err = Vec::new();
        let mut report = Report::new(&mut err, false, 0);
        report.live(&["a".into()]);
        let mut quiet = Vec::new();
        Report::new(&mut quiet, true, 0)
            .on_terminal(true)
            .live(&["a".into()]);
        assert!(
            err.is_empty() && quiet.is_empty(),
            "no live lines in a pipe or with -q"
        );
    }

    #[test]
    fn rate_limit_per_reason() {
        let mut r = RateLimited::default();
        assert!(r.hit("a binary frame", "").is_some());
        assert!(r.hit("a binary frame", "").is_none());
        assert!(r.hit("a frame that is not valid JSON", "").is_some());
        assert_eq!(r.total(), 3);
        assert_eq!(r.summary().as_deref(), Some("skipped 3 bad frames in all"));
    }
}
