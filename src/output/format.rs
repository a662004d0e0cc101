//! The output formats: one table of names, help and which listing accepts each, and the one
//! place `auto` is decided against whether stdout is a terminal.

use std::fmt;

/// A format as asked for with `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Auto,
    Pretty,
    Wide,
    Json,
    Raw,
    Text,
    None,
}

/// What a command prints; each accepts some of the formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    /// `tail`: the hub's notifications.
    Notifications,
    /// `wait-for`: one line per object once its wait is decided.
    Settled,
    /// `topics`: the topic catalogue.
    Topics,
}

/// A format as printed: `auto` decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Pretty,
    Wide,
    Json,
    Raw,
    Text,
    /// Nothing at all.
    None,
}

pub struct Row {
    pub format: Format,
    pub name: &'static str,
    /// The listings that accept the format, each with what it prints there.
    pub accepted: &'static [(Listing, &'static str)],
}

const AUTO_HELP: &str = "pretty on a terminal, json otherwise";

/// Every format. `-o` values, their help in `--help`, completions and man pages, and the
/// check that a command accepts a format all come from here; add a format by adding a row.
pub const FORMATS: &[Row] = &[
    Row {
        format: Format::Auto,
        name: "auto",
        accepted: &[
            (Listing::Notifications, AUTO_HELP),
            (Listing::Settled, AUTO_HELP),
        ],
    },
    Row {
        format: Format::Pretty,
        name: "pretty",
        accepted: &[
            (
                Listing::Notifications,
                "one coloured line per notification, for people",
            ),
            (Listing::Settled, "`container <id> running (12.3s)`"),
        ],
    },
    Row {
        format: Format::Wide,
        name: "wide",
        accepted: &[(
            Listing::Notifications,
            "pretty, but every field in full (full ids), never fitted to the terminal",
        )],
    },
    Row {
        format: Format::Text,
        name: "text",
        accepted: &[(Listing::Topics, "aligned text, legacy names marked")],
    },
    Row {
        format: Format::Json,
        name: "json",
        accepted: &[
            (
                Listing::Notifications,
                "each notification as received, one per line, for jq and scripts",
            ),
            (
                Listing::Settled,
                "one JSON object per settled object: kind, id, state, outcome, elapsed_ms, error",
            ),
            (
                Listing::Topics,
                "one JSON object per line: {\"topic\": ..., \"status\": \"current\"|\"legacy\"}",
            ),
        ],
    },
    Row {
        format: Format::Raw,
        name: "raw",
        accepted: &[(Listing::Notifications, "each frame verbatim plus a newline")],
    },
    Row {
        format: Format::None,
        name: "none",
        accepted: &[(
            Listing::Notifications,
            "nothing on stdout: only act on them (--exec, --forward-to, --publish) or count them",
        )],
    },
];

impl Format {
    fn row(self) -> &'static Row {
        FORMATS
            .iter()
            .find(|r| r.format == self)
            .expect("every Format has a row in FORMATS")
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn from_name(name: &str) -> Option<Format> {
        FORMATS.iter().find(|r| r.name == name).map(|r| r.format)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Listing {
    /// The format used when `-o` is not given.
    pub fn default_format(self) -> Format {
        match self {
            Listing::Notifications | Listing::Settled => Format::Auto,
            // A pipe into grep or a shell loop wants the names, not JSON.
            Listing::Topics => Format::Text,
        }
    }

    /// The formats this listing accepts, in table order, with their help.
    pub fn formats(self) -> impl Iterator<Item = (Format, &'static str, &'static str)> {
        FORMATS.iter().filter_map(move |r| {
            r.accepted
                .iter()
                .find(|(l, _)| *l == self)
                .map(|(_, help)| (r.format, r.name, *help))
        })
    }

    fn accepts(self, format: Format) -> bool {
        self.formats().any(|(f, _, _)| f == format)
    }

    /// The shape `format` prints in: `auto` is pretty on a terminal and json otherwise.
    /// The one place that decision is made.
    pub fn resolve(self, format: Format, stdout_is_terminal: bool) -> Result<Shape, Unsupported> {
        if !self.accepts(format) {
            return Err(Unsupported {
                format,
                listing: self,
            });
        }
        Ok(match format {
            Format::Auto if stdout_is_terminal => Shape::Pretty,
            Format::Auto => Shape::Json,
            Format::Pretty => Shape::Pretty,
            Format::Wide => Shape::Wide,
            Format::Json => Shape::Json,
            Format::Raw => Shape::Raw,
            Format::Text => Shape::Text,
            Format::None => Shape::None,
        })
    }
}

/// A format the listing does not print in (clap refuses it first; this guards other callers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported {
    pub format: Format,
    pub listing: Listing,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.listing.formats().map(|(_, n, _)| n).collect();
        write!(
            f,
            "output format '{}' does not apply here (formats: {})",
            self.format,
            names.join(", ")
        )
    }
}

impl std::error::Error for Unsupported {}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTINGS: [Listing; 3] = [Listing::Notifications, Listing::Settled, Listing::Topics];

    #[test]
    fn names_round_trip_and_every_listing_accepts_its_default() {
        for r in FORMATS {
            assert_eq!(Format::from_name(r.name), Some(r.format));
            assert_eq!(r.format.name(), r.name);
            assert!(!r.accepted.is_empty(), "{} is accepted nowhere", r.name);
        }
        for l in LISTINGS {
            assert!(l.resolve(l.default_format(), false).is_ok(), "{l:?}");
        }
    }

    #[test]
    fn auto_follows_the_terminal() {
        for l in [Listing::Notifications, Listing::Settled] {
            assert_eq!(l.resolve(Format::Auto, true), Ok(Shape::Pretty));
            assert_eq!(l.resolve(Format::Auto, false), Ok(Shape::Json));
        }
    }

    #[test]
    fn a_format_a_listing_does_not_print_is_refused_with_the_alternatives() {
        let err = Listing::Topics.resolve(Format::Raw, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "output format 'raw' does not apply here (formats: text, json)"
        );
        assert!(Listing::Settled.resolve(Format::Raw, true).is_err());
        assert!(Listing::Notifications.resolve(Format::Text, true).is_err());
    }
}
