//! The human format: local time, topic coloured by family, id, `prev → state`, error, and
//! the context that matters, one notification per row. Fitted to the terminal's width when
//! it is known (context goes first, then long ids are shortened in the middle); `-o wide` is
//! the full line with full ids. The time carries the date and zone on the first line, when
//! the date changes, and always with `--utc`.

use std::io::{self, Write};
use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use owo_colors::Style;

use crate::notification::{List, Notification};

use super::sanitize::{self, write as write_clean, Cut};

/// How pretty lines are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrettyOptions {
    pub color: bool,
    /// The terminal's width: lines are fitted to it. `None` (not a terminal, or unknown):
    /// nothing is dropped or shortened.
    pub columns: Option<usize>,
    /// `-o wide`: every field in full, topics in a fixed column, never fitted.
    pub wide: bool,
    /// `--utc`: every time in UTC, with its date.
    pub utc: bool,
}

#[derive(Debug)]
pub struct Pretty {
    options: PrettyOptions,
    clock: Clock,
    /// The widest topic seen so far: the topic column grows to it.
    topic_column: usize,
    /// The local date of the previous line (`YYYYMMDD`).
    last_day: Option<u32>,
}

/// The topic column of `-o wide` (the longest topics are longer and push the line out).
const WIDE_TOPIC: usize = 42;
/// What a fitted line keeps of a long id: `65f0c0…0beef`.
const SHORT_ID: usize = 12;
/// ...and in a very narrow terminal: `65f…bcd`.
const TINY_ID: usize = 7;
/// Text shortened to fit keeps at least this much.
const MIN_TEXT: usize = 12;

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

/// The widths of one line's fields as they will be written; `None`: left out.
#[derive(Debug, Clone, Copy)]
struct Layout {
    time: usize,
    topic: usize,
    pad: usize,
    id: Option<usize>,
    prev: Option<usize>,
    state: Option<usize>,
    /// `health=…`, `ready=…`
    notes: [Option<usize>; 2],
    /// The error text (after `error: `).
    error: Option<usize>,
    /// `env=…`, `container=…`, `cluster=…`
    context: [Option<usize>; 3],
}

impl Layout {
    fn total(&self) -> usize {
        let mut n = self.time + 2 + self.topic + self.pad;
        if let Some(id) = self.id {
            n += 2 + id;
        }
        if let Some(state) = self.state {
            n += 2 + state + self.prev.map_or(0, |p| p + 3);
        }
        for w in self.notes.iter().chain(&self.context).flatten() {
            n += 2 + w;
        }
        if let Some(e) = self.error {
            n += 2 + "error: ".len() + e;
        }
        n
    }

    /// Gives things up, least useful first, until the line fits in `columns`: the context,
    /// the health and ready notes, the middle of a long id, the topic column's padding, the
    /// end of the error text, the previous state, the end of the topic, the error, more of
    /// the id. Below about 60 columns a line can still be wider than the terminal.
    fn fit(&mut self, columns: usize) {
        let over = |l: &Layout| l.total().saturating_sub(columns);
        let steps: [fn(&mut Layout, usize); 12] = [
            |l, _| l.context[2] = None,
            |l, _| l.context[1] = None,
            |l, _| l.context[0] = None,
            |l, _| l.notes[1] = None,
            |l, _| l.notes[0] = None,
            |l, _| l.id = l.id.map(|w| w.min(SHORT_ID)),
            |l, over| l.pad = l.pad.saturating_sub(over),
            |l, over| l.error = l.error.map(|w| shrink(w, over)),
            |l, _| l.prev = None,
            |l, over| l.topic = shrink(l.topic, over),
            |l, _| l.error = None,
            |l, _| l.id = l.id.map(|w| w.min(TINY_ID)),
        ];
        for step in steps {
            let o = over(self);
            if o == 0 {
                return;
            }
            step(self, o);
        }
    }
}

/// `width` less `over`, but not below MIN_TEXT (or `width` itself when that is less).
fn shrink(width: usize, over: usize) -> usize {
    width.saturating_sub(over).max(MIN_TEXT.min(width))
}

/// A context list as shown: its items, unless it only names the object itself (the context
/// of an environment or container topic often does).
fn shown_list<'l>(list: &'l List<'_>, id: Option<&str>) -> Option<&'l List<'l>> {
    if list.0.is_empty() || id.is_some_and(|id| list.0.len() == 1 && list.contains(id)) {
        None
    } else {
        Some(list)
    }
}

fn list_width(label: &str, list: &List<'_>) -> usize {
    label.len()
        + 1
        + list.0.iter().map(|i| sanitize::width(i)).sum::<usize>()
        + list.0.len().saturating_sub(1)
}

impl Pretty {
    pub fn new(color: bool) -> Pretty {
        Pretty::with(PrettyOptions {
            color,
            ..PrettyOptions::default()
        })
    }

    pub fn with(options: PrettyOptions) -> Pretty {
        Pretty {
            clock: Clock::new(options.utc),
            options,
            topic_column: 0,
            last_day: None,
        }
    }

    /// Writes `text` in `style` (when colour is on) in at most `allot` characters, shortened
    /// with `…` where it is longer, then `pad` spaces inside the colour. Straight to `out`:
    /// the `format!` and `Display` layers this replaced were a third of a pretty line's cost.
    fn put(
        &self,
        out: &mut impl Write,
        text: &str,
        style: Style,
        allot: usize,
        cut: Cut,
        pad: usize,
    ) -> io::Result<()> {
        if self.options.color {
            write!(out, "{}", style.prefix_formatter())?;
        }
        sanitize::write_fit(out, text, allot, cut)?;
        let mut pad = pad;
        while pad > 0 {
            let n = pad.min(SPACES.len());
            out.write_all(&SPACES.as_bytes()[..n])?;
            pad -= n;
        }
        if self.options.color {
            write!(out, "{}", style.suffix_formatter())?;
        }
        Ok(())
    }

    /// The time field: `HH:MM:SS.mmm`, or with the date and zone (RFC 3339) on the first
    /// line, when the date changed, and with `--utc`.
    fn stamp(&mut self) -> Stamp {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.clock.at(now);
        let dated = self.options.utc || self.last_day != Some(self.clock.day);
        self.last_day = Some(self.clock.day);
        Stamp { dated }
    }

    fn put_stamp(&self, out: &mut impl Write, stamp: &Stamp) -> io::Result<()> {
        if self.options.color {
            write!(out, "{}", Style::new().dimmed().prefix_formatter())?;
        }
        if stamp.dated {
            out.write_all(&self.clock.date)?;
            out.write_all(b"T")?;
        }
        out.write_all(&self.clock.hms)?;
        if stamp.dated {
            out.write_all(self.clock.zone_text())?;
        }
        if self.options.color {
            write!(out, "{}", Style::new().dimmed().suffix_formatter())?;
        }
        Ok(())
    }

    /// The topic column for `topic`: fixed in wide, else the widest topic seen so far.
    fn topic_column(&mut self, topic_width: usize) -> usize {
        if self.options.wide {
            return WIDE_TOPIC;
        }
        self.topic_column = self.topic_column.max(topic_width);
        self.topic_column
    }

    fn columns(&self) -> Option<usize> {
        self.options.columns.filter(|_| !self.options.wide)
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
        let stamp = self.stamp();
        let object = n.object();
        let id = object.id.get();
        let state = object.state.get();
        let prev = state.and(object.previous_state());
        let notes = n.annotations();
        let notes = [("health", notes.health.get()), ("ready", notes.ready.get())];
        let error = object.error_text();
        let ctx = n.context();
        let context = [
            ("env", shown_list(&ctx.environments, id)),
            ("container", shown_list(&ctx.containers, id)),
            ("cluster", shown_list(&ctx.clusters, id)),
        ];

        let topic_width = sanitize::width(topic);
        let column = self.topic_column(topic_width);
        let full = Layout {
            time: stamp.width(&self.clock),
            topic: topic_width,
            pad: column.saturating_sub(topic_width),
            id: id.map(sanitize::width),
            prev: prev.map(sanitize::width),
            state: state.map(sanitize::width),
            notes: notes.map(|(label, v)| v.map(|v| label.len() + 1 + sanitize::width(v))),
            error: error.as_deref().map(sanitize::width),
            context: context.map(|(label, list)| list.map(|l| list_width(label, l))),
        };
        let mut lay = full;
        if let Some(columns) = self.columns() {
            lay.fit(columns);
        }

        self.put_stamp(out, &stamp)?;
        out.write_all(b"  ")?;
        self.put(out, topic, topic_style, lay.topic, Cut::End, lay.pad)?;
        if let (Some(id), Some(allot)) = (id, lay.id) {
            out.write_all(b"  ")?;
            sanitize::write_fit(out, id, allot, Cut::Middle)?;
        }
        if let (Some(state), Some(allot)) = (state, lay.state) {
            out.write_all(b"  ")?;
            if let (Some(prev), Some(allot)) = (prev, lay.prev) {
                self.put(out, prev, Style::new().dimmed(), allot, Cut::End, 0)?;
                out.write_all(" → ".as_bytes())?;
            }
            self.put(out, state, state_style(state), allot, Cut::End, 0)?;
        }
        for ((label, value), shown) in notes.iter().zip(lay.notes) {
            if let (Some(v), Some(_)) = (value, shown) {
                out.write_all(b"  ")?;
                out.write_all(label.as_bytes())?;
                out.write_all(b"=")?;
                self.put(out, v, state_style(v), usize::MAX, Cut::End, 0)?;
            }
        }
        if let (Some(err), Some(allot)) = (&error, lay.error) {
            out.write_all(b"  ")?;
            if self.options.color {
                write!(out, "{}", Style::new().red().prefix_formatter())?;
            }
            out.write_all(b"error: ")?;
            sanitize::write_fit(out, err, allot, Cut::End)?;
            if self.options.color {
                write!(out, "{}", Style::new().red().suffix_formatter())?;
            }
        }
        for ((label, list), shown) in context.iter().zip(lay.context) {
            let (Some(list), Some(_)) = (list, shown) else {
                continue;
            };
            out.write_all(b"  ")?;
            if self.options.color {
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
            if self.options.color {
                write!(out, "{}", Style::new().dimmed().suffix_formatter())?;
            }
        }
        out.write_all(b"\n")
    }

    /// A connection record: the time, the topic in bold, and what happened (shortened to
    /// fit the terminal).
    pub fn print_status(
        &mut self,
        out: &mut impl Write,
        topic: &str,
        summary: &str,
    ) -> io::Result<()> {
        let stamp = self.stamp();
        let topic_width = sanitize::width(topic);
        let column = self.topic_column(topic_width);
        let pad = column.saturating_sub(topic_width);
        let used = stamp.width(&self.clock) + 2 + topic_width + pad + 2;
        let allot = self
            .columns()
            .map_or(usize::MAX, |c| c.saturating_sub(used).max(MIN_TEXT));
        self.put_stamp(out, &stamp)?;
        out.write_all(b"  ")?;
        self.put(out, topic, Style::new().bold(), usize::MAX, Cut::End, pad)?;
        out.write_all(b"  ")?;
        sanitize::write_fit(out, summary, allot, Cut::End)?;
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

/// One line's time: whether it carries the date and zone.
#[derive(Debug, Clone, Copy)]
struct Stamp {
    dated: bool,
}

impl Stamp {
    fn width(&self, clock: &Clock) -> usize {
        if self.dated {
            clock.date.len() + 1 + clock.hms.len() + clock.zone_text().len()
        } else {
            clock.hms.len()
        }
    }
}

/// Local wall-clock time with milliseconds; the notification carries no timestamp of its own.
/// The date, time of day and offset are worked out once per second: a burst prints
/// thousands of lines a second, and the zone's rules need only be consulted when the second
/// changes.
#[derive(Debug)]
struct Clock {
    /// The zone of the first line, read once (TZ, else /etc/localtime; UTC when neither
    /// gives one): a run does not change zones halfway through.
    zone: Option<TimeZone>,
    second: Option<u64>,
    /// `YYYY-MM-DD`
    date: [u8; 10],
    /// `HH:MM:SS.mmm`
    hms: [u8; 12],
    /// `+HH:MM`, or `Z` for UTC (then `offset_len` is 1).
    offset: [u8; 6],
    offset_len: usize,
    /// The local date as `YYYYMMDD`.
    day: u32,
    /// `--utc`: the zone is UTC and written `Z`.
    utc: bool,
}

impl Clock {
    fn new(utc: bool) -> Clock {
        Clock {
            zone: utc.then_some(TimeZone::UTC),
            second: None,
            date: *b"1970-01-01",
            hms: *b"00:00:00.000",
            offset: *b"Z     ",
            offset_len: 1,
            day: 0,
            utc,
        }
    }

    #[cfg(test)]
    fn in_zone(zone: TimeZone) -> Clock {
        Clock {
            zone: Some(zone),
            ..Clock::new(false)
        }
    }

    fn zone_text(&self) -> &[u8] {
        &self.offset[..self.offset_len]
    }

    /// Sets the fields for `since_epoch`.
    fn at(&mut self, since_epoch: Duration) {
        let secs = since_epoch.as_secs();
        if self.second != Some(secs) {
            self.second = Some(secs);
            let zone = self.zone.get_or_insert_with(TimeZone::system);
            let local = local_time(secs, zone);
            let digits = |out: &mut [u8], v: u32| {
                let mut v = v;
                for slot in out.iter_mut().rev() {
                    *slot = b'0' + (v % 10) as u8;
                    v /= 10;
                }
            };
            digits(&mut self.date[0..4], local.year);
            digits(&mut self.date[5..7], local.month);
            digits(&mut self.date[8..10], local.day);
            digits(&mut self.hms[0..2], local.hour);
            digits(&mut self.hms[3..5], local.minute);
            digits(&mut self.hms[6..8], local.second);
            self.day = local.year * 10_000 + local.month * 100 + local.day;
            if self.utc {
                self.offset[0] = b'Z';
                self.offset_len = 1;
            } else {
                let off = local.offset_seconds.unsigned_abs();
                self.offset[0] = if local.offset_seconds < 0 { b'-' } else { b'+' };
                digits(&mut self.offset[1..3], off / 3600);
                self.offset[3] = b':';
                digits(&mut self.offset[4..6], off / 60 % 60);
                self.offset_len = 6;
            }
        }
        let ms = since_epoch.subsec_millis();
        let digits = &mut self.hms[9..12];
        digits[0] = b'0' + (ms / 100) as u8;
        digits[1] = b'0' + (ms / 10 % 10) as u8;
        digits[2] = b'0' + (ms % 10) as u8;
    }
}

struct Local {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    offset_seconds: i32,
}

/// `secs` since the epoch in `zone`; UTC if the instant is beyond what the zone rules cover.
fn local_time(secs: u64, zone: &TimeZone) -> Local {
    let t = i64::try_from(secs)
        .ok()
        .and_then(|s| Timestamp::from_second(s).ok())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let dt = zone.to_datetime(t);
    Local {
        year: dt.year().max(0) as u32,
        month: dt.month() as u32,
        day: dt.day() as u32,
        hour: dt.hour() as u32,
        minute: dt.minute() as u32,
        second: dt.second() as u32,
        offset_seconds: zone.to_offset(t).seconds(),
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
        let plain = r#"{"topic":"image.new","object":{"id":"X"}}"#;
        let odd = r#"{"topic":"image.\u202e","object":{"id":"X"}}"#;
        let wide = PrettyOptions {
            wide: true,
            ..PrettyOptions::default()
        };
        let lines = printed(wide, &[plain, plain, odd]);
        // The id starts in the same column whatever the topic held.
        assert_eq!(lines[1].find("  X"), lines[2].find("  X"), "{lines:?}");
    }

    #[test]
    fn local_time_in_a_given_zone() {
        // 2024-07-01T10:20:30.456Z, in summer.
        let t = Duration::from_millis(1_719_829_230_456);
        let text = |zone: TimeZone| {
            let mut clock = Clock::in_zone(zone);
            clock.at(t);
            let zone = String::from_utf8(clock.zone_text().to_vec()).unwrap();
            (String::from_utf8(clock.hms.to_vec()).unwrap(), zone)
        };
        assert_eq!(
            text(TimeZone::UTC),
            ("10:20:30.456".into(), "+00:00".into())
        );
        let plus_14 = jiff::tz::Offset::constant(14);
        // Past midnight there: the next day.
        let mut clock = Clock::in_zone(TimeZone::fixed(plus_14));
        clock.at(t);
        assert_eq!(
            (&clock.hms, &clock.date, clock.day),
            (b"00:20:30.456", b"2024-07-02", 20_240_702)
        );
        // A POSIX rule with daylight saving: New York is UTC-4 in July...
        let new_york = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(
            text(new_york.clone()),
            ("06:20:30.456".into(), "-04:00".into())
        );
        // ...and UTC-5 in January.
        let winter = Duration::from_secs(1_704_104_430);
        let mut clock = Clock::in_zone(new_york);
        clock.at(winter);
        assert_eq!(
            (&clock.hms, clock.zone_text()),
            (b"05:20:30.000", &b"-05:00"[..])
        );
        // The second is worked out once; the milliseconds follow every call.
        clock.at(winter + Duration::from_millis(7));
        assert_eq!(&clock.hms, b"05:20:30.007");
        let mut utc = Clock::new(true);
        utc.at(t);
        assert_eq!(utc.zone_text(), b"Z");
    }

    /// A notification with everything, and a long error.
    const FULL: &str = r#"{"topic":"container.instance.state.changed","object":{"id":"65f0c0ffee0000000000abcd","state":"failed","previous_state":"running","error":"the process exited with status 137 after the memory limit was reached"},"context":{"environments":["65f0c0ffee0000000000e001"],"containers":["65f0c0ffee0000000000c001"],"clusters":["production"]},"annotations":{"health":"unhealthy"}}"#;

    fn printed(options: PrettyOptions, frames: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        let mut p = Pretty::with(options);
        for f in frames {
            p.print(&mut out, &Notification::parse(f).unwrap()).unwrap();
        }
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    #[test]
    fn fitted_lines_fit_and_give_up_context_before_the_state() {
        for columns in [60, 72, 80, 100, 120] {
            let options = PrettyOptions {
                columns: Some(columns),
                ..PrettyOptions::default()
            };
            let lines = printed(options, &[FULL, FULL]);
            for l in &lines {
                assert!(l.chars().count() <= columns, "{columns}: {l:?}");
                assert!(l.contains("failed"), "the state stays: {l:?}");
            }
            // The second line is not dated: the first was, and the day has not changed.
            assert!(
                lines[0].contains('T') && !lines[1][..12].contains('T'),
                "{lines:?}"
            );
        }
        let at_80 = &printed(
            PrettyOptions {
                columns: Some(80),
                ..PrettyOptions::default()
            },
            &[FULL, FULL],
        )[1];
        assert!(at_80.contains("65f0c0…0abcd"), "{at_80:?}");
        assert!(!at_80.contains("cluster="), "{at_80:?}");
        // Wide room: everything in full.
        let roomy = &printed(
            PrettyOptions {
                columns: Some(400),
                ..PrettyOptions::default()
            },
            &[FULL, FULL],
        )[1];
        assert!(roomy.contains("65f0c0ffee0000000000abcd") && roomy.contains("cluster=production"));
    }

    #[test]
    fn wide_is_the_full_line_whatever_the_terminal() {
        let options = PrettyOptions {
            columns: Some(80),
            wide: true,
            ..PrettyOptions::default()
        };
        let l = &printed(options, &[FULL, FULL])[1];
        for part in [
            "65f0c0ffee0000000000abcd",
            "running → failed",
            "health=unhealthy",
            "memory limit was reached",
            "env=65f0c0ffee0000000000e001",
            "cluster=production",
        ] {
            assert!(l.contains(part), "{part:?} missing from {l:?}");
        }
        // The topic column is 42 wide.
        assert_eq!(l.find("65f0c0").unwrap(), 12 + 2 + 42 + 2);
    }

    #[test]
    fn the_topic_column_grows_to_the_topics_seen() {
        let short = r#"{"topic":"image.new","object":{"id":"X"}}"#;
        let long = r#"{"topic":"container.instance.state.changed","object":{"id":"X"}}"#;
        let lines = printed(PrettyOptions::default(), &[short, short, long, short]);
        assert_eq!(lines[1].find("  X").unwrap(), 12 + 2 + "image.new".len());
        assert_eq!(lines[3].find("  X").unwrap(), 12 + 2 + 32);
    }

    #[test]
    fn utc_dates_every_line() {
        let options = PrettyOptions {
            utc: true,
            ..PrettyOptions::default()
        };
        for l in printed(options, &[FULL, FULL]) {
            let time = l.split_whitespace().next().unwrap();
            assert_eq!(time.len(), "2024-07-01T10:20:30.456Z".len(), "{l:?}");
            assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{l:?}");
        }
    }

    #[test]
    fn colour_only_when_asked() {
        let l = line(r#"{"topic":"image.error","object":{"error":"x"}}"#, true);
        assert!(l.contains("\x1b[31"), "{l:?}");
    }
}
