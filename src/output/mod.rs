//! Everything printed for a person or a program: the format table and the one place `auto`
//! is decided (format.rs), colour (color.rs), the printers of the three listings
//! (notifications here and in pretty.rs, wait-for's settled objects, the topic catalogue),
//! the terminal sanitiser, and stderr lines (report.rs). Knows nothing of clap: the command
//! line parses into these types.

pub mod color;
pub mod format;
mod pretty;
pub mod report;
pub mod sanitize;
pub mod settled;
pub mod topics;

use std::io::{self, Write};

use crate::notification::Notification;

pub use color::{ColorEnv, ColorWhen};
pub use format::{Format, Listing, Shape, Unsupported};
pub use pretty::{Pretty, PrettyOptions};
pub use settled::{Settled, SettledPrinter};
pub use topics::TopicPrinter;

/// How `tail` prints notifications, chosen once from `-o` and whether stdout is a terminal.
#[derive(Debug)]
pub enum Printer {
    /// The frame's own bytes on one line: for programs, never sanitised.
    Json,
    /// As `Json`, with `"received_at"` (RFC 3339, UTC) as the first field: a recording
    /// that `simulate --replay` plays back with its spacing.
    JsonStamped,
    /// The frame verbatim plus a newline.
    Raw,
    /// One sanitised line for a person.
    Pretty(Pretty),
    /// Nothing (`-o none`): the notifications only go to the destinations.
    Silent,
}

impl Printer {
    pub fn new(
        format: Format,
        stdout_is_terminal: bool,
        color: bool,
    ) -> Result<Printer, Unsupported> {
        let options = PrettyOptions {
            color,
            ..PrettyOptions::default()
        };
        Printer::with(format, stdout_is_terminal, options)
    }

    /// With the pretty layout's options (terminal width, `--utc`); `wide` is set from the
    /// format.
    pub fn with(
        format: Format,
        stdout_is_terminal: bool,
        options: PrettyOptions,
    ) -> Result<Printer, Unsupported> {
        match Listing::Notifications.resolve(format, stdout_is_terminal)? {
            Shape::Json => Ok(Printer::Json),
            Shape::Raw => Ok(Printer::Raw),
            Shape::Pretty => Ok(Printer::Pretty(Pretty::with(PrettyOptions {
                wide: false,
                ..options
            }))),
            Shape::Wide => Ok(Printer::Pretty(Pretty::with(PrettyOptions {
                wide: true,
                ..options
            }))),
            Shape::None => Ok(Printer::Silent),
            Shape::Text => Err(Unsupported {
                format,
                listing: Listing::Notifications,
            }),
        }
    }

    /// With `--timestamps`: JSON lines carry when they were received; pretty lines already
    /// show it. Raw output is the frame verbatim, so it cannot.
    pub fn with_timestamps(self) -> Result<Printer, &'static str> {
        match self {
            Printer::Json | Printer::JsonStamped => Ok(Printer::JsonStamped),
            Printer::Raw => Err("--timestamps adds a field to JSON lines; -o raw prints each frame verbatim, so it cannot carry one"),
            // Nothing printed, nothing to stamp.
            same @ (Printer::Pretty(_) | Printer::Silent) => Ok(same),
        }
    }

    /// Whether this printer is for people (pretty) rather than programs.
    pub fn is_pretty(&self) -> bool {
        matches!(self, Printer::Pretty(_))
    }

    pub fn print(&mut self, out: &mut impl Write, frame: &str, n: &Notification) -> io::Result<()> {
        match self {
            Printer::Json => write_json_line(out, frame),
            Printer::JsonStamped => write_stamped_line(out, frame, std::time::SystemTime::now()),
            Printer::Raw => {
                out.write_all(frame.as_bytes())?;
                out.write_all(b"\n")
            }
            Printer::Pretty(p) => p.print(out, n),
            Printer::Silent => Ok(()),
        }
    }

    /// A record of cycle-notify's own (`--status-events`): the JSON for json and raw, a
    /// readable line for pretty.
    pub fn print_status(
        &mut self,
        out: &mut impl Write,
        record: &str,
        topic: &str,
        summary: &str,
    ) -> io::Result<()> {
        match self {
            Printer::Json | Printer::JsonStamped | Printer::Raw => {
                out.write_all(record.as_bytes())?;
                out.write_all(b"\n")
            }
            Printer::Pretty(p) => p.print_status(out, topic, summary),
            Printer::Silent => Ok(()),
        }
    }
}

/// The frame's own bytes on one line, without the newline: what `-o json` prints and what
/// destinations receive.
pub fn json_line(frame: &str) -> std::borrow::Cow<'_, [u8]> {
    let bytes = frame.as_bytes().trim_ascii();
    if memchr::memchr2(b'\n', b'\r', bytes).is_none() {
        return bytes.into();
    }
    bytes
        .iter()
        .copied()
        .filter(|&b| b != b'\n' && b != b'\r')
        .collect::<Vec<u8>>()
        .into()
}

/// The frame's own bytes on one line. Raw CR/LF cannot occur inside JSON strings, so every
/// one in a valid frame is insignificant whitespace and can be dropped without re-serialising.
fn write_json_line(out: &mut impl Write, frame: &str) -> io::Result<()> {
    let bytes = frame.as_bytes();
    let bytes = bytes.trim_ascii();
    // memchr2 looks at a word or a vector at a time; the byte loop it replaced was as slow
    // as parsing the frame.
    if memchr::memchr2(b'\n', b'\r', bytes).is_none() {
        out.write_all(bytes)?;
        return out.write_all(b"\n");
    }
    for chunk in bytes.split(|&b| b == b'\n' || b == b'\r') {
        out.write_all(chunk)?;
    }
    out.write_all(b"\n")
}

/// `{"received_at":"<when>",` and the frame's own bytes after its opening brace, on one
/// line. A frame that passed `Notification::parse` is a JSON object, so it opens with `{`.
fn write_stamped_line(
    out: &mut impl Write,
    frame: &str,
    at: std::time::SystemTime,
) -> io::Result<()> {
    let body = frame.as_bytes().trim_ascii();
    let Some(rest) = body.strip_prefix(b"{") else {
        return write_json_line(out, frame);
    };
    let empty = rest.trim_ascii_start().starts_with(b"}");
    write!(
        out,
        "{{\"received_at\":\"{}\"{}",
        crate::leaf::time::rfc3339_display(at),
        if empty { "" } else { "," }
    )?;
    let rest = std::str::from_utf8(rest).unwrap_or_default();
    write_json_line(out, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamped_lines_start_with_received_at() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_250);
        let mut out = Vec::new();
        write_stamped_line(&mut out, "{\n \"topic\": \"a\",\n \"x\": 1}\n", at).unwrap();
        write_stamped_line(&mut out, "{}", at).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "{\"received_at\":\"2023-11-14T22:13:20.250Z\",\"topic\": \"a\", \"x\": 1}"
        );
        assert_eq!(lines[1], "{\"received_at\":\"2023-11-14T22:13:20.250Z\"}");
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["x"], 1);
        assert!(Printer::Raw.with_timestamps().is_err());
    }

    fn json_line(frame: &str) -> String {
        let mut out = Vec::new();
        write_json_line(&mut out, frame).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_the_frame_on_one_line() {
        let frame = "{\n  \"topic\": \"a.b\",\r\n  \"x\": {\"unknown\": [1, 2]}\n}\n";
        let line = json_line(frame);
        assert_eq!(line.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["x"]["unknown"][1], 2);
        assert_eq!(json_line(r#"{"topic":"a"}"#), "{\"topic\":\"a\"}\n");
    }

    #[test]
    fn auto_follows_the_terminal() {
        assert!(matches!(
            Printer::new(Format::Auto, false, false),
            Ok(Printer::Json)
        ));
        assert!(matches!(
            Printer::new(Format::Auto, true, false),
            Ok(Printer::Pretty(_))
        ));
    }

    /// The table and the printers agree: what a listing accepts builds its printer, and
    /// nothing else does.
    #[test]
    fn every_accepted_format_has_a_printer() {
        for row in format::FORMATS {
            for terminal in [false, true] {
                let accepts = |l: Listing| row.accepted.iter().any(|(a, _)| *a == l);
                let f = row.format;
                assert_eq!(
                    Printer::new(f, terminal, false).is_ok(),
                    accepts(Listing::Notifications),
                    "{f}"
                );
                assert_eq!(
                    SettledPrinter::new(f, terminal, false).is_ok(),
                    accepts(Listing::Settled),
                    "{f}"
                );
                assert_eq!(
                    TopicPrinter::new(f, terminal).is_ok(),
                    accepts(Listing::Topics),
                    "{f}"
                );
            }
        }
    }
}
