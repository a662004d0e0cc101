//! The human format: local time, topic coloured by family, full id, `prev → state`, error,
//! and the context that matters.

use std::io::{self, Write};

use owo_colors::Style;

use crate::notification::Notification;

#[derive(Debug)]
pub struct Pretty {
    color: bool,
    clock: Clock,
}

const FAMILIES: &[(&str, Style)] = &[
    ("container.", Style::new().cyan()),
    ("image.", Style::new().blue()),
    ("environment.", Style::new().green()),
    ("stack.", Style::new().magenta()),
    ("job.", Style::new().yellow()),
    ("pipeline.", Style::new().yellow()),
    ("infrastructure.", Style::new().bright_blue()),
    ("virtual-machine.", Style::new().bright_cyan()),
    ("dns.", Style::new().bright_magenta()),
    ("sdn.", Style::new().bright_magenta()),
    ("billing.", Style::new().bright_green()),
    ("hub.", Style::new().bright_yellow()),
];

const BAD_STATES: &[&str] = &[
    "error",
    "failed",
    "deleted",
    "expired",
    "cancelled",
    "unhealthy",
];
const GOOD_STATES: &[&str] = &[
    "running",
    "live",
    "completed",
    "complete",
    "healthy",
    "ready",
];

/// Writes text from the hub with every control character (newlines, carriage returns,
/// escape sequences) shown as a space: one notification stays one line, and a frame cannot
/// drive the terminal.
fn write_clean(out: &mut impl Write, text: &str) -> io::Result<()> {
    if !text.chars().any(char::is_control) {
        return out.write_all(text.as_bytes());
    }
    let mut rest = text;
    while let Some(i) = rest.find(char::is_control) {
        out.write_all(&rest.as_bytes()[..i])?;
        out.write_all(b" ")?;
        let width = rest[i..].chars().next().map_or(1, char::len_utf8);
        rest = &rest[i + width..];
    }
    out.write_all(rest.as_bytes())
}

impl Pretty {
    pub fn new(color: bool) -> Pretty {
        Pretty {
            color,
            clock: Clock::default(),
        }
    }

    /// Writes the pieces as one run of text padded with spaces to `width` characters, in
    /// `style` when colour is on (the padding inside the colour). Straight to `out`: the
    /// `format!` and `Display` layers this replaced were a third of a pretty line's cost.
    fn put(
        &self,
        out: &mut impl Write,
        pieces: &[&str],
        style: Style,
        width: usize,
    ) -> io::Result<()> {
        if self.color {
            write!(out, "{}", style.prefix_formatter())?;
        }
        let mut chars = 0;
        for piece in pieces {
            write_clean(out, piece)?;
            if width > 0 {
                chars += piece.chars().count();
            }
        }
        let mut pad = width.saturating_sub(chars);
        while pad > 0 {
            let n = pad.min(SPACES.len());
            out.write_all(&SPACES.as_bytes()[..n])?;
            pad -= n;
        }
        if self.color {
            write!(out, "{}", style.suffix_formatter())?;
        }
        Ok(())
    }

    pub fn print(&mut self, out: &mut impl Write, n: &Notification) -> io::Result<()> {
        let topic: &str = &n.topic;
        let topic_style = if topic.ends_with(".error") {
            Style::new().red().bold()
        } else {
            FAMILIES
                .iter()
                .find(|(prefix, _)| topic.starts_with(prefix))
                .map_or(Style::new(), |(_, s)| *s)
        };
        let time = self.clock.now();
        // Only ASCII digits and separators are ever written.
        let time = std::str::from_utf8(&time).unwrap_or_default();
        self.put(out, &[time], Style::new().dimmed(), 0)?;
        out.write_all(b"  ")?;
        self.put(out, &[topic], topic_style, 42)?;
        let object = n.object();
        if let Some(id) = object.id.get() {
            out.write_all(b"  ")?;
            write_clean(out, id)?;
        }
        if let Some(state) = object.state.get() {
            out.write_all(b"  ")?;
            if let Some(prev) = object.previous_state() {
                self.put(out, &[prev], Style::new().dimmed(), 0)?;
                out.write_all(" → ".as_bytes())?;
            }
            self.put(out, &[state], state_style(state), 0)?;
        }
        let notes = n.annotations();
        for (label, value) in [("health", notes.health.get()), ("ready", notes.ready.get())] {
            if let Some(v) = value {
                out.write_all(b"  ")?;
                out.write_all(label.as_bytes())?;
                out.write_all(b"=")?;
                self.put(out, &[v], state_style(v), 0)?;
            }
        }
        if let Some(err) = object.error_text() {
            out.write_all(b"  ")?;
            self.put(out, &["error: ", &err], Style::new().red(), 0)?;
        }
        let ctx = n.context();
        for (label, list) in [
            ("env", &ctx.environments),
            ("container", &ctx.containers),
            ("cluster", &ctx.clusters),
        ] {
            if list.0.is_empty() {
                continue;
            }
            // The context of an environment or container topic is often the object itself.
            if object
                .id
                .get()
                .is_some_and(|id| list.0.len() == 1 && list.contains(id))
            {
                continue;
            }
            out.write_all(b"  ")?;
            if self.color {
                write!(out, "{}", Style::new().dimmed().prefix_formatter())?;
            }
            out.write_all(label.as_bytes())?;
            out.write_all(b"=")?;
            for (i, item) in list.0.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_clean(out, item)?;
            }
            if self.color {
                write!(out, "{}", Style::new().dimmed().suffix_formatter())?;
            }
        }
        out.write_all(b"\n")
    }

    /// A connection record: the time, the topic in bold, and what happened.
    pub fn print_status(
        &mut self,
        out: &mut impl Write,
        topic: &str,
        summary: &str,
    ) -> io::Result<()> {
        let time = self.clock.now();
        // Only ASCII digits and separators are ever written.
        let time = std::str::from_utf8(&time).unwrap_or_default();
        self.put(out, &[time], Style::new().dimmed(), 0)?;
        out.write_all(b"  ")?;
        self.put(out, &[topic], Style::new().bold(), 42)?;
        out.write_all(b"  ")?;
        out.write_all(summary.as_bytes())?;
        out.write_all(b"\n")
    }
}

const SPACES: &str = "                                                ";

fn state_style(state: &str) -> Style {
    if BAD_STATES.contains(&state) {
        Style::new().red()
    } else if GOOD_STATES.contains(&state) {
        Style::new().green()
    } else {
        Style::new().yellow()
    }
}

/// Local wall-clock time with milliseconds; the notification carries no timestamp of its own.
/// The local time of day is worked out once per second: `localtime_r` takes a lock and reads
/// the zone rules, and a burst prints thousands of lines a second.
#[derive(Debug, Default)]
struct Clock {
    second: Option<u64>,
    /// `HH:MM:SS.mmm`
    text: [u8; 12],
}

impl Clock {
    fn now(&mut self) -> [u8; 12] {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let secs = now.as_secs();
        if self.second != Some(secs) {
            self.second = Some(secs);
            let (h, m, s) = local_hms(secs);
            for (at, v) in [(0, h), (3, m), (6, s)] {
                self.text[at] = b'0' + (v / 10 % 10) as u8;
                self.text[at + 1] = b'0' + (v % 10) as u8;
            }
            self.text[2] = b':';
            self.text[5] = b':';
            self.text[8] = b'.';
        }
        let ms = now.subsec_millis();
        self.text[9] = b'0' + (ms / 100) as u8;
        self.text[10] = b'0' + (ms / 10 % 10) as u8;
        self.text[11] = b'0' + (ms % 10) as u8;
        self.text
    }
}

fn local_hms(secs: u64) -> (u64, u64, u64) {
    let t = secs as libc::time_t;
    // SAFETY: localtime_r writes only into the tm we pass; a zeroed tm is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if ok {
        (tm.tm_hour as u64, tm.tm_min as u64, tm.tm_sec as u64)
    } else {
        let day = secs % 86_400;
        (day / 3600, day / 60 % 60, day % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(frame: &str, color: bool) -> String {
        let mut out = Vec::new();
        Pretty::new(color)
            .print(&mut out, &Notification::parse(frame).unwrap())
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shows_id_transition_error_and_context() {
        let l = line(
            r#"{"topic":"container.instance.state.changed","object":{"id":"65f0c0ffee0000000000abcd","state":"failed","previous_state":"running","error":"oom"},"context":{"environments":["e1"],"containers":["c1"],"clusters":["prod"]}}"#,
            false,
        );
        assert!(l.contains("container.instance.state.changed"), "{l}");
        assert!(l.contains("65f0c0ffee0000000000abcd"), "{l}");
        assert!(l.contains("running → failed"), "{l}");
        assert!(l.contains("error: oom"), "{l}");
        assert!(
            l.contains("env=e1") && l.contains("container=c1") && l.contains("cluster=prod"),
            "{l}"
        );
        assert!(!l.contains('\x1b'));
        assert!(l.ends_with('\n') && l.matches('\n').count() == 1);
    }

    #[test]
    fn control_characters_from_the_hub_stay_on_one_line() {
        let l = line(
            r#"{"topic":"image.error","object":{"id":"abc\u001b[2J\nFAKE","error":"step 3\r\u001b[31mOK all good"},"context":{"clusters":["a\nb"]}}"#,
            false,
        );
        assert_eq!(l.matches('\n').count(), 1, "{l:?}");
        assert!(!l.contains('\x1b') && !l.contains('\r'), "{l:?}");
        assert!(
            l.contains("abc [2J FAKE") && l.contains("step 3  [31mOK all good"),
            "{l:?}"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let l = line(r#"{"topic":"image.error","object":{"error":"x"}}"#, true);
        assert!(l.contains("\x1b[31"), "{l:?}");
    }
}
