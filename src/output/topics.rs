//! `topics`' listing: the catalogue's names as aligned text, or JSON lines.

use std::io::{self, Write};

use crate::catalog::topics::Topic;

use super::format::{Format, Listing, Shape, Unsupported};
use super::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicPrinter {
    /// One name per line, `legacy` after the names it applies to, in one column.
    Text,
    /// `{"topic": ..., "status": "current"|"legacy"}` per line.
    Json,
}

impl TopicPrinter {
    pub fn new(format: Format, stdout_is_terminal: bool) -> Result<TopicPrinter, Unsupported> {
        match Listing::Topics.resolve(format, stdout_is_terminal)? {
            Shape::Text => Ok(TopicPrinter::Text),
            Shape::Json => Ok(TopicPrinter::Json),
            Shape::Pretty | Shape::Wide | Shape::Raw | Shape::None => Err(Unsupported {
                format,
                listing: Listing::Topics,
            }),
        }
    }

    pub fn print(&self, out: &mut dyn Write, topics: &[Topic]) -> io::Result<()> {
        let mut text = Vec::new();
        match self {
            TopicPrinter::Text => {
                let width = topics
                    .iter()
                    .map(|t| sanitize::width(t.name))
                    .max()
                    .unwrap_or(0);
                for t in topics {
                    sanitize::write(&mut text, t.name)?;
                    if t.legacy {
                        let pad = width - sanitize::width(t.name);
                        write!(text, "{:pad$}  legacy", "")?;
                    }
                    text.push(b'\n');
                }
            }
            TopicPrinter::Json => {
                for t in topics {
                    let status = if t.legacy { "legacy" } else { "current" };
                    let line = serde_json::json!({"topic": t.name, "status": status});
                    writeln!(text, "{line}")?;
                }
            }
        }
        out.write_all(&text)?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOME: &[Topic] = &[
        Topic {
            name: "container.new",
            legacy: false,
        },
        Topic {
            name: "image.x",
            legacy: true,
        },
    ];

    #[test]
    fn text_aligns_the_legacy_marks() {
        let mut out = Vec::new();
        TopicPrinter::Text.print(&mut out, SOME).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "container.new\nimage.x        legacy\n"
        );
    }

    #[test]
    fn json_lines_parse() {
        let mut out = Vec::new();
        TopicPrinter::Json.print(&mut out, SOME).unwrap();
        let v: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(v[1]["status"], "legacy");
        assert_eq!(v[0]["topic"], "container.new");
    }
}
