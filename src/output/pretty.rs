//! The human format: local time, topic coloured by family, full id, `prev → state`, error,
//! and the context that matters.

use std::io::{self, Write};
use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use owo_colors::Style;

use crate::notification::Notification;

use super::sanitize::{self, write as write_clean};

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
                chars += sanitize::width(piece);
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
        write_clean(out, summary)?;
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
/// The local time of day is worked out once per second: a burst prints thousands of lines a
/// second, and the zone's rules need only be consulted when the second changes.
#[derive(Debug)]
struct Clock {
    /// The zone of the first line, read once (TZ, else /etc/localtime; UTC when neither
    /// gives one): a run does not change zones halfway through.
    zone: Option<TimeZone>,
    second: Option<u64>,
    /// `HH:MM:SS.mmm`
    text: [u8; 12],
}

impl Default for Clock {
    fn default() -> Clock {
        Clock {
            zone: None,
            second: None,
            text: *b"00:00:00.000",
        }
    }
}

impl Clock {
    #[cfg(test)]
    fn in_zone(zone: TimeZone) -> Clock {
        Clock {
            zone: Some(zone),
            ..Clock::default()
        }
    }

    fn now(&mut self) -> [u8; 12] {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.at(now)
    }

    /// The text for `since_epoch`.
    fn at(&mut self, since_epoch: Duration) -> [u8; 12] {
        let secs = since_epoch.as_secs();
        if self.second != Some(secs) {
            self.second = Some(secs);
            let zone = self.zone.get_or_insert_with(TimeZone::system);
            let (h, m, s) = local_hms(secs, zone);
            for (at, v) in [(0, h), (3, m), (6, s)] {
                self.text[at] = b'0' + v / 10 % 10;
                self.text[at + 1] = b'0' + v % 10;
            }
        }
        let ms = since_epoch.subsec_millis();
        self.text[9] = b'0' + (ms / 100) as u8;
        self.text[10] = b'0' + (ms / 10 % 10) as u8;
        self.text[11] = b'0' + (ms % 10) as u8;
        self.text
    }
}

/// Hours, minutes and seconds of `secs` since the epoch in `zone`; UTC's if the instant is
/// beyond what the zone rules cover.
fn local_hms(secs: u64, zone: &TimeZone) -> (u8, u8, u8) {
    match i64::try_from(secs)
        .ok()
        .and_then(|s| Timestamp::from_second(s).ok())
    {
        Some(t) => {
            let local = zone.to_datetime(t);
            (
                local.hour() as u8,
                local.minute() as u8,
                local.second() as u8,
            )
        }
        None => {
            let day = secs % 86_400;
            ((day / 3600) as u8, (day / 60 % 60) as u8, (day % 60) as u8)
        }
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
    fn text_from_the_hub_is_shown_escaped_on_one_line() {
        let l = line(
            r#"{"topic":"image.error","object":{"id":"abc\u202edef\u001b[2J\nFAKE","error":"step 3\r\u001b[31mOK all good"},"context":{"clusters":["a\nb\u200b"]}}"#,
            false,
        );
        assert_eq!(l.matches('\n').count(), 1, "{l:?}");
        assert!(
            !l.contains('\x1b') && !l.contains('\r') && !l.contains('\u{202e}'),
            "{l:?}"
        );
        assert!(l.contains(r"abc\u{202e}def\u{1b}[2J\nFAKE"), "{l:?}");
        assert!(l.contains(r"error: step 3\r\u{1b}[31mOK all good"), "{l:?}");
        assert!(l.contains(r"cluster=a\nb\u{200b}"), "{l:?}");
    }

    #[test]
    fn an_escaped_topic_keeps_the_columns() {
        let plain = line(r#"{"topic":"image.new","object":{"id":"X"}}"#, false);
        let odd = line(r#"{"topic":"image.\u202e","object":{"id":"X"}}"#, false);
        // The id starts in the same column whatever the topic held.
        assert_eq!(plain.find("  X"), odd.find("  X"), "{plain:?} {odd:?}");
    }

    #[test]
    fn local_time_in_a_given_zone() {
        // 2024-07-01T10:20:30.456Z, in summer.
        let t = Duration::from_millis(1_719_829_230_456);
        let text = |zone: TimeZone| String::from_utf8(Clock::in_zone(zone).at(t).to_vec()).unwrap();
        assert_eq!(text(TimeZone::UTC), "10:20:30.456");
        let plus_14 = jiff::tz::Offset::constant(14);
        assert_eq!(text(TimeZone::fixed(plus_14)), "00:20:30.456");
        // A POSIX rule with daylight saving: New York is UTC-4 in July.
        let new_york = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(text(new_york.clone()), "06:20:30.456");
        // and UTC-5 in January.
        let winter = Duration::from_secs(1_704_104_430);
        let mut clock = Clock::in_zone(new_york);
        assert_eq!(&clock.at(winter), b"05:20:30.000");
        // The second is worked out once; the milliseconds follow every call.
        assert_eq!(
            &clock.at(winter + Duration::from_millis(7)),
            b"05:20:30.007"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let l = line(r#"{"topic":"image.error","object":{"error":"x"}}"#, true);
        assert!(l.contains("\x1b[31"), "{l:?}");
    }
}
