//! The one terminal sanitiser: text that reaches a terminal (pretty output, every stderr
//! line) shows what a terminal would otherwise act on or hide, escaped like `\u{202e}`.
//!
//! A frame from the hub, an error body or a close reason is text someone else wrote. Raw,
//! it could move the cursor, retitle the window, rewrite earlier lines (C0/C1 controls and
//! escape sequences), reverse what a reader sees (bidi overrides, the "Trojan Source" trick)
//! or hide a difference between two ids (zero-width characters). The json and raw formats
//! are for programs and keep the frame's bytes: this module is for terminals only.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

/// What is never passed through: inclusive ranges, with why.
pub const UNSAFE: &[(char, char, &str)] = &[
    (
        '\0',
        '\x1f',
        "C0 controls: escape sequences, newlines, backspace, bell",
    ),
    (
        '\x7f',
        '\u{9f}',
        "DEL and the C1 controls (CSI, OSC as single characters)",
    ),
    ('\u{61c}', '\u{61c}', "Arabic letter mark (a bidi control)"),
    (
        '\u{180e}',
        '\u{180e}',
        "Mongolian vowel separator (zero width)",
    ),
    (
        '\u{200b}',
        '\u{200f}',
        "zero-width space, non-joiner, joiner; left-to-right and right-to-left marks",
    ),
    ('\u{2028}', '\u{2029}', "line and paragraph separators"),
    ('\u{202a}', '\u{202e}', "bidi embeddings and overrides"),
    (
        '\u{2060}',
        '\u{2064}',
        "word joiner and invisible operators",
    ),
    ('\u{2066}', '\u{2069}', "bidi isolates"),
    (
        '\u{feff}',
        '\u{feff}',
        "byte order mark (zero-width no-break space)",
    ),
    ('\u{fff9}', '\u{fffb}', "interlinear annotation controls"),
];

/// Whether `c` is shown escaped instead of as itself.
pub fn is_unsafe(c: char) -> bool {
    UNSAFE.iter().any(|&(lo, hi, _)| (lo..=hi).contains(&c))
}

/// Bytes that can start an unsafe character in UTF-8: the ASCII controls and DEL, and the
/// lead bytes of every range in `UNSAFE` (C2 for C1, D8 for U+061C, E1 for U+180E, E2 for
/// U+2xxx, EF for U+FEFF and U+FFFx). Anything else is safe without decoding.
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xd8] = true;
    t[0xe1] = true;
    t[0xe2] = true;
    t[0xef] = true;
    t
};

/// True when `text` can go to a terminal as it is. A byte table lookup per byte: the pretty
/// path asks this of every field of every line, and nearly all of them are clean.
#[inline]
pub fn is_clean(text: &str) -> bool {
    !text.bytes().any(|b| SUSPECT[b as usize])
}

/// A run of safe text or one character to show escaped.
enum Piece<'a> {
    Text(&'a str),
    Escaped(char),
}

/// Splits `text` into safe runs and unsafe characters, in order.
fn pieces<E>(text: &str, mut f: impl FnMut(Piece<'_>) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if is_unsafe(c) {
            if start < i {
                f(Piece::Text(&text[start..i]))?;
            }
            f(Piece::Escaped(c))?;
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        f(Piece::Text(&text[start..]))?;
    }
    Ok(())
}

/// How an unsafe character is shown: `\n`, `\r`, `\t`, else `\u{hex}` as Rust writes it.
fn escape(c: char, out: &mut impl fmt::Write) -> fmt::Result {
    match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    }
}

/// Writes `text` for a terminal. Clean text is one `write_all`; nothing is allocated either
/// way.
#[inline]
pub fn write(out: &mut impl Write, text: &str) -> io::Result<()> {
    if is_clean(text) {
        return out.write_all(text.as_bytes());
    }
    pieces(text, |piece| match piece {
        Piece::Text(t) => out.write_all(t.as_bytes()),
        Piece::Escaped(c) => {
            let mut buf = EscapeBuf::default();
            // Writing into the fixed buffer cannot fail: the longest escape is `\u{10ffff}`.
            let _ = escape(c, &mut buf);
            out.write_all(buf.as_bytes())
        }
    })
}

/// How many characters `text` takes once written by `write` (for padding columns).
pub fn width(text: &str) -> usize {
    if is_clean(text) {
        return text.chars().count();
    }
    let mut n = 0;
    let _ = pieces(text, |piece| {
        n += match piece {
            Piece::Text(t) => t.chars().count(),
            Piece::Escaped(c) => {
                let mut buf = EscapeBuf::default();
                let _ = escape(c, &mut buf);
                buf.len
            }
        };
        Ok::<(), ()>(())
    });
    n
}

/// Where text too long for its room loses characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// `step 3 failed: no spa…`
    End,
    /// `65f0c0…0beef`: both ends of an id are what people compare.
    Middle,
}

/// Writes `text` as `write` does, in at most `max` characters: longer text loses its end or
/// its middle to one `…`. Clean ASCII (ids, topics, most errors) is cut without allocating.
pub fn write_fit(out: &mut impl Write, text: &str, max: usize, cut: Cut) -> io::Result<()> {
    if max == usize::MAX || width(text) <= max {
        return write(out, text);
    }
    if max == 0 {
        return Ok(());
    }
    let keep = max - 1;
    let (head, tail) = match cut {
        Cut::End => (keep, 0),
        Cut::Middle => (keep.div_ceil(2), keep / 2),
    };
    if text.is_ascii() && is_clean(text) {
        out.write_all(&text.as_bytes()[..head])?;
        out.write_all("…".as_bytes())?;
        return out.write_all(&text.as_bytes()[text.len() - tail..]);
    }
    let shown = Shown(text).to_string();
    let head_end = shown
        .char_indices()
        .nth(head)
        .map_or(shown.len(), |(i, _)| i);
    let tail_start = if tail == 0 {
        shown.len()
    } else {
        shown
            .char_indices()
            .rev()
            .nth(tail - 1)
            .map_or(0, |(i, _)| i)
    };
    out.write_all(&shown.as_bytes()[..head_end])?;
    out.write_all("…".as_bytes())?;
    out.write_all(&shown.as_bytes()[tail_start.max(head_end)..])
}

/// `text` for `format!` and `write!`: shown as `write` shows it.
pub struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_clean(self.0) {
            return f.write_str(self.0);
        }
        pieces(self.0, |piece| match piece {
            Piece::Text(t) => f.write_str(t),
            Piece::Escaped(c) => escape(c, f),
        })
    }
}

/// `text` as one stderr line: line breaks and tabs (with the spaces around them) become one
/// space, so a multi-line message from a parser or a server reads as one line; every other
/// unsafe character is escaped as `write` escapes it.
pub fn line(text: &str) -> Cow<'_, str> {
    if is_clean(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut after_break = false;
    let _ = pieces(text, |piece| match piece {
        Piece::Text(t) => {
            let t = if after_break {
                t.trim_start_matches(' ')
            } else {
                t
            };
            after_break &= t.is_empty();
            out.push_str(t);
            Ok(())
        }
        Piece::Escaped('\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') => {
            if !after_break {
                out.truncate(out.trim_end_matches(' ').len());
                out.push(' ');
                after_break = true;
            }
            Ok(())
        }
        Piece::Escaped(c) => {
            after_break = false;
            escape(c, &mut out)
        }
    });
    if after_break {
        out.pop();
    }
    Cow::Owned(out)
}

/// Room for the longest escape, `\u{10ffff}`, without a heap buffer.
#[derive(Default)]
struct EscapeBuf {
    bytes: [u8; 12],
    len: usize,
}

impl EscapeBuf {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl fmt::Write for EscapeBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        let mut out = Vec::new();
        write(&mut out, text).unwrap();
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written, Shown(text).to_string(), "write and Display agree");
        assert_eq!(width(text), written.chars().count(), "{text:?}");
        written
    }

    #[test]
    fn clean_text_passes_unchanged() {
        for text in [
            "",
            "65f0c0ffee0000000000abcd",
            "état → running",
            "€ 5",
            "日本語",
            "a\\b",
        ] {
            assert_eq!(shown(text), text);
            assert_eq!(line(text), text);
        }
    }

    #[test]
    fn every_unsafe_range_is_escaped_at_both_ends() {
        for &(lo, hi, why) in UNSAFE {
            for c in [lo, hi] {
                let text = format!("a{c}b");
                assert!(!is_clean(&text), "{why}: {c:?} passed the fast check");
                let out = shown(&text);
                assert!(!out.contains(c), "{why}: {c:?} reached the terminal");
                assert!(out.starts_with('a') && out.ends_with('b'), "{out}");
            }
        }
    }

    #[test]
    fn escapes_are_visible_and_rust_like() {
        assert_eq!(shown("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(shown("\u{1b}[2J\nFAKE"), "\\u{1b}[2J\\nFAKE");
        assert_eq!(
            shown("a\rb\tc\u{7f}\u{9b}\u{feff}"),
            "a\\rb\\tc\\u{7f}\\u{9b}\\u{feff}"
        );
        assert_eq!(shown("id\u{200b}"), "id\\u{200b}");
        assert_eq!(shown("\u{2067}x\u{2069}"), "\\u{2067}x\\u{2069}");
        // Neighbours of the ranges, sharing their lead bytes, are not escaped.
        for safe in [
            "\u{a0}", "\u{200a}", "\u{2027}", "\u{202f}", "\u{2070}", "\u{fefe}", "\u{fffc}",
        ] {
            assert_eq!(shown(safe), safe, "{safe:?}");
        }
    }

    fn fit(text: &str, max: usize, cut: Cut) -> String {
        let mut out = Vec::new();
        write_fit(&mut out, text, max, cut).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fitting_cuts_the_end_or_the_middle() {
        assert_eq!(
            fit("65f0c0ffee0000000000beef", 12, Cut::Middle),
            "65f0c0…0beef"
        );
        assert_eq!(
            fit("65f0c0ffee0000000000beef", 24, Cut::Middle),
            "65f0c0ffee0000000000beef"
        );
        assert_eq!(fit("no space left on device", 10, Cut::End), "no space …");
        assert_eq!(fit("état → échec", 6, Cut::End), "état …");
        let escaped = fit("ab\u{202e}cdefghij", 8, Cut::End);
        assert_eq!(escaped.chars().count(), 8, "{escaped}");
        assert!(!escaped.contains('\u{202e}'), "{escaped}");
        assert_eq!(fit("abc", 0, Cut::End), "");
    }

    #[test]
    fn stderr_lines_are_one_line() {
        assert_eq!(line("bad\n  |\n1 | x\r\n"), "bad | 1 | x");
        assert_eq!(
            line("title: \u{202e}evil\u{1b}[31m"),
            "title: \\u{202e}evil\\u{1b}[31m"
        );
        assert_eq!(line("a\tb"), "a b");
    }
}
