//! Printers, one per output format, chosen once; each writes one notification per line.

mod pretty;
pub mod report;

use std::io::{self, Write};

use crate::cli::OutputFormat;
use crate::notification::Notification;

pub use pretty::Pretty;

/// The format a run prints in, resolved from `-o` and whether stdout is a terminal.
#[derive(Debug)]
pub enum Printer {
    Json,
    Raw,
    Pretty(Pretty),
}

impl Printer {
    pub fn new(format: OutputFormat, stdout_is_terminal: bool, color: bool) -> Printer {
        match format {
            OutputFormat::Json => Printer::Json,
            OutputFormat::Raw => Printer::Raw,
            OutputFormat::Pretty => Printer::Pretty(Pretty::new(color)),
            OutputFormat::Auto if stdout_is_terminal => Printer::Pretty(Pretty::new(color)),
            OutputFormat::Auto => Printer::Json,
        }
    }

    pub fn print(&mut self, out: &mut impl Write, frame: &str, n: &Notification) -> io::Result<()> {
        match self {
            Printer::Json => write_json_line(out, frame),
            Printer::Raw => {
                out.write_all(frame.as_bytes())?;
                out.write_all(b"\n")
            }
            Printer::Pretty(p) => p.print(out, n),
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
            Printer::Json | Printer::Raw => {
                out.write_all(record.as_bytes())?;
                out.write_all(b"\n")
            }
            Printer::Pretty(p) => p.print_status(out, topic, summary),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
            Printer::new(OutputFormat::Auto, false, false),
            Printer::Json
        ));
        assert!(matches!(
            Printer::new(OutputFormat::Auto, true, false),
            Printer::Pretty(_)
        ));
    }
}
