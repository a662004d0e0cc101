//! `wait-for`'s result lines: one per object once its wait is decided.

use std::io::{self, Write};
use std::time::Duration;

use owo_colors::Style;

use super::format::{Format, Listing, Shape, Unsupported};
use super::sanitize::Shown;

/// One object whose wait is decided.
#[derive(Debug, Clone, Copy)]
pub struct Settled<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub state: &'a str,
    /// `reached`, `failed`, `deleted`, `error`.
    pub outcome: &'a str,
    pub reached: bool,
    pub elapsed: Duration,
    pub error: Option<&'a str>,
}

#[derive(Debug, Clone, Copy)]
pub enum SettledPrinter {
    Json,
    Pretty { color: bool },
}

impl SettledPrinter {
    pub fn new(
        format: Format,
        stdout_is_terminal: bool,
        color: bool,
    ) -> Result<SettledPrinter, Unsupported> {
        match Listing::Settled.resolve(format, stdout_is_terminal)? {
            Shape::Json => Ok(SettledPrinter::Json),
            Shape::Pretty => Ok(SettledPrinter::Pretty { color }),
            Shape::Wide | Shape::Raw | Shape::Text | Shape::None => Err(Unsupported {
                format,
                listing: Listing::Settled,
            }),
        }
    }

    /// `container <id> running (12.3s)`, with ` failed: <error>` when it did not succeed;
    /// or one JSON object.
    pub fn print(&self, out: &mut dyn Write, s: &Settled<'_>) -> io::Result<()> {
        match *self {
            SettledPrinter::Json => {
                let line = serde_json::json!({
                    "kind": s.kind,
                    "id": s.id,
                    "state": s.state,
                    "outcome": s.outcome,
                    "elapsed_ms": s.elapsed.as_millis() as u64,
                    "error": s.error,
                });
                writeln!(out, "{line}")?;
            }
            SettledPrinter::Pretty { color } => {
                let style = if !color {
                    Style::new()
                } else if s.reached {
                    Style::new().green()
                } else {
                    Style::new().red()
                };
                write!(
                    out,
                    "{} {} {}{}{} ({:.1}s)",
                    Shown(s.kind),
                    Shown(s.id),
                    style.prefix_formatter(),
                    Shown(s.state),
                    style.suffix_formatter(),
                    s.elapsed.as_secs_f64()
                )?;
                if !s.reached {
                    write!(out, " {}", Shown(s.outcome))?;
                }
                if let Some(e) = s.error {
                    write!(out, ": {}", Shown(e))?;
                }
                writeln!(out)?;
            }
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(printer: SettledPrinter, s: &Settled<'_>) -> String {
        let mut out = Vec::new();
        printer.print(&mut out, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    const FAILED: Settled<'static> = Settled {
        kind: "container",
        id: "65f0c0ffee0000000000abcd",
        state: "st\u{202e}opped",
        outcome: "failed",
        reached: false,
        elapsed: Duration::from_millis(12_340),
        error: Some("exit 1\n\u{1b}[2Jok"),
    };

    #[test]
    fn pretty_is_one_sanitised_line() {
        let l = line(SettledPrinter::Pretty { color: false }, &FAILED);
        assert_eq!(
            l,
            "container 65f0c0ffee0000000000abcd st\\u{202e}opped (12.3s) failed: exit 1\\n\\u{1b}[2Jok\n"
        );
        let l = line(SettledPrinter::Pretty { color: true }, &FAILED);
        assert!(l.contains("\x1b[31m"), "{l:?}");
    }

    #[test]
    fn json_keeps_the_text_for_programs() {
        let l = line(SettledPrinter::Json, &FAILED);
        let v: serde_json::Value = serde_json::from_str(&l).unwrap();
        assert_eq!(v["state"], "st\u{202e}opped");
        assert_eq!(v["elapsed_ms"], 12_340);
        assert_eq!(v["error"], "exit 1\n\u{1b}[2Jok");
    }

    #[test]
    fn auto_and_refusals() {
        assert!(matches!(
            SettledPrinter::new(Format::Auto, false, true),
            Ok(SettledPrinter::Json)
        ));
        assert!(matches!(
            SettledPrinter::new(Format::Auto, true, true),
            Ok(SettledPrinter::Pretty { color: true })
        ));
        assert!(SettledPrinter::new(Format::Raw, false, false).is_err());
    }
}
