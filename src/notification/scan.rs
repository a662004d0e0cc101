//! The fast path of `Notification::parse`: one validating pass over a frame that finds the
//! top-level `topic`, `object`, `context` and `annotations` without building anything.
//!
//! serde_json was half of `tail`'s time per frame in the profile, most of it in the generic
//! `ignore_value` over fields nobody reads. This scanner is stricter than serde_json, never
//! looser: it answers only when the frame is certainly valid JSON that serde_json would read
//! to the same fields. Anything else (escapes in a key or the topic, duplicate fields, deep
//! nesting, a top level that is not an object, any syntax error) gets `None`, and serde_json
//! gives the verdict and the error class. The tests check that contract on mutated frames.

/// The top-level fields of a frame, as slices of it; raw values exclude the whitespace
/// around them (as serde_json's `RawValue`) and a JSON `null` reads as absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    pub topic: &'a str,
    pub object: Option<&'a str>,
    pub context: Option<&'a str>,
    pub annotations: Option<&'a str>,
}

/// `Some` only for a frame serde_json certainly reads to the same fields.
pub fn scan(frame: &str) -> Option<Fields<'_>> {
    let mut c = Cursor {
        b: frame.as_bytes(),
        i: 0,
    };
    c.ws();
    c.eat(b'{')?;
    c.ws();
    let mut topic = None;
    let mut raw: [Option<Option<&str>>; 3] = [None; 3];
    loop {
        c.eat(b'"')?;
        let key = c.plain_string()?;
        c.ws();
        c.eat(b':')?;
        c.ws();
        let slot = match key {
            b"topic" => {
                if topic.is_some() {
                    return None;
                }
                c.eat(b'"')?;
                let start = c.i;
                c.plain_string()?;
                topic = Some(frame.get(start..c.i - 1)?);
                None
            }
            b"object" => Some(0),
            b"context" => Some(1),
            b"annotations" => Some(2),
            _ => {
                c.value()?;
                None
            }
        };
        if let Some(slot) = slot {
            if raw[slot].is_some() {
                return None;
            }
            let start = c.i;
            c.value()?;
            let value = frame.get(start..c.i)?;
            raw[slot] = Some((value != "null").then_some(value));
        }
        c.ws();
        match c.next()? {
            b',' => c.ws(),
            b'}' => break,
            _ => return None,
        }
    }
    c.ws();
    if c.i != c.b.len() {
        return None;
    }
    let [object, context, annotations] = raw.map(Option::flatten);
    Some(Fields {
        topic: topic?,
        object,
        context,
        annotations,
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Marks (high bit) the bytes of a little-endian word that end a run of plain string text:
/// `"`, `\` or a control character. Only the lowest mark is exact (borrows can mark bytes
/// above it), which is the only one read.
#[inline]
fn specials(w: u64) -> u64 {
    let quote = w ^ (ONES * u64::from(b'"'));
    let slash = w ^ (ONES * u64::from(b'\\'));
    ((quote.wrapping_sub(ONES) & !quote)
        | (slash.wrapping_sub(ONES) & !slash)
        | (w.wrapping_sub(ONES * 0x20) & !w))
        & HIGHS
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    #[inline(always)]
    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    /// JSON's four whitespace bytes, no others.
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    /// Moves to the first `"`, `\` or control byte of a string's text, eight bytes a step.
    #[inline(always)]
    fn skip_plain(&mut self) -> Option<u8> {
        #[cfg(target_arch = "x86_64")]
        while let Some(chunk) = self.b.get(self.i..self.i + 16) {
            use std::arch::x86_64::*;
            // SAFETY: SSE2 is part of x86_64; the load is unaligned and reads the 16 bytes
            // of `chunk`, which the bounds check above guarantees.
            let marks = unsafe {
                let v = _mm_loadu_si128(chunk.as_ptr().cast());
                let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
                let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
                // Unsigned v <= 0x1f: min(v, 0x1f) == v.
                let ctrl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), ctrl)) as u32
            };
            if marks != 0 {
                self.i += marks.trailing_zeros() as usize;
                return self.peek();
            }
            self.i += 16;
        }
        while let Some(chunk) = self.b.get(self.i..self.i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().ok()?);
            let marks = specials(w);
            if marks != 0 {
                self.i += (marks.trailing_zeros() / 8) as usize;
                return self.peek();
            }
            self.i += 8;
        }
        while let Some(c) = self.peek() {
            if c == b'"' || c == b'\\' || c < 0x20 {
                return Some(c);
            }
            self.i += 1;
        }
        None
    }

    /// The rest of a string without escapes, after its opening quote: its bytes, with the
    /// cursor past the closing quote.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        let (b, start) = (self.b, self.i);
        match self.skip_plain()? {
            b'"' => {
                self.i += 1;
                b.get(start..self.i - 1)
            }
            _ => None,
        }
    }

    /// The rest of any valid string after its opening quote; escapes are checked as
    /// serde_json checks them when it skips a string (`\u` needs four hex digits).
    #[inline(always)]
    fn string(&mut self) -> Option<()> {
        loop {
            match self.skip_plain()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.next()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            let hex = self.b.get(self.i..self.i + 4)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 4;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            (self.digits() > 0).then_some(())?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            (self.digits() > 0).then_some(())?;
        }
        // A digit right after the number is a leading zero ("01"); anything else is for
        // the caller to accept or not.
        (!matches!(self.peek(), Some(b'0'..=b'9'))).then_some(())
    }

    /// One complete value of any kind, the cursor on its first byte. Iterative: nesting is
    /// kept as one bit per level (1 for an object), so a hostile frame costs no stack; past
    /// 128 levels serde_json decides.
    fn value(&mut self) -> Option<()> {
        let mut stack: u128 = 0;
        let mut depth: u32 = 0;
        loop {
            // A value starts here.
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    self.string()?;
                }
                open @ (b'{' | b'[') => {
                    self.i += 1;
                    self.ws();
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.i += 1;
                    } else {
                        if depth == 128 {
                            return None;
                        }
                        stack = stack << 1 | u128::from(open == b'{');
                        depth += 1;
                        if open == b'{' {
                            self.member_key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // A value ended: close what it ends, or go on to the next member or element.
            loop {
                if depth == 0 {
                    return Some(());
                }
                self.ws();
                let in_object = stack & 1 == 1;
                match self.next()? {
                    b',' => {
                        self.ws();
                        if in_object {
                            self.member_key()?;
                        }
                        break;
                    }
                    b'}' if in_object => {}
                    b']' if !in_object => {}
                    _ => return None,
                }
                stack >>= 1;
                depth -= 1;
            }
        }
    }

    /// `"key" :` and the whitespace after it, the cursor on the opening quote.
    fn member_key(&mut self) -> Option<()> {
        self.eat(b'"')?;
        self.string()?;
        self.ws();
        self.eat(b':')?;
        self.ws();
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_top_level_fields() {
        let f = scan(
            " {\"flags\":[1,-2.5e+3,true,false,null,{}],\"topic\" : \"a.b\",\"object\":{\"id\":\"x\\\"y\",\"n\":[[],{\"k\":0}]},\"context\":null}\r\n",
        )
        .unwrap();
        assert_eq!(f.topic, "a.b");
        assert_eq!(f.object, Some(r#"{"id":"x\"y","n":[[],{"k":0}]}"#));
        assert_eq!(f.context, None, "null reads as absent");
        assert_eq!(f.annotations, None);
    }

    #[test]
    fn every_simulated_frame_takes_the_fast_path() {
        let mut rng = crate::sim::Rng::new(6);
        let pool = crate::sim::scenario::churn_pool(&mut rng, "65f0c0ffee0000000000beef", 0);
        assert!(pool.len() > 1000);
        for step in pool {
            if let crate::sim::Step::Text(t) = step {
                assert!(scan(&t).is_some(), "{t}");
            }
        }
    }

    #[test]
    fn leaves_what_it_is_not_sure_of_to_serde_json() {
        for frame in [
            r#"{"topic":"a\u002eb"}"#,      // serde_json decodes the topic
            r#"{"top\u0069c":"a"}"#,        // and keys
            r#"{"topic":"a","topic":"b"}"#, // a duplicate field is an error
            r#"{"topic":"a","object":1,"object":2}"#,
            r#"["a"]"#, // serde reads a struct from an array
            r#"{"topic":5}"#,
            r#"{"object":{}}"#,
            r#"{"topic":"a",}"#,
            r#"{"topic":"a"} x"#,
            r#"{"topic":"a","x":01}"#,
            r#"{"topic":"a","x":1.}"#,
            r#"{"topic":"a","x":-}"#,
            r#"{"topic":"a","x":"\x"}"#,
            r#"{"topic":"a","x":"\u12"}"#,
            "{\"topic\":\"a\",\"x\":\"\u{1}\"}",
            "{\"topic\":\"a\",\"x\":[1 2]}",
            "{\"topic\":\"a\",\"x\":{\"k\" 1}}",
            "{\"topic\":\"a\",\"x\":nul}",
            "{\"topic\":\"a\"\u{c}}",
            "",
        ] {
            assert_eq!(scan(frame), None, "{frame}");
        }
        let deep = format!(
            r#"{{"topic":"a","x":{}1{}}}"#,
            "[".repeat(129),
            "]".repeat(129)
        );
        assert_eq!(scan(&deep), None);
        let ok = format!(
            r#"{{"topic":"a","x":{}1{}}}"#,
            "[".repeat(128),
            "]".repeat(128)
        );
        assert!(scan(&ok).is_some());
    }

    #[test]
    fn the_word_at_a_time_search_stops_at_the_first_special_byte() {
        for at in 0..20 {
            for special in [b'"', b'\\', 0x00, 0x1f] {
                let mut text = vec![b'a'; 24];
                text[at] = special;
                // Bytes around the special one that could set borrows: UTF-8 and near misses.
                if at > 0 {
                    text[at - 1] = 0xc3;
                }
                text[at + 1] = b'!';
                let mut c = Cursor { b: &text, i: 0 };
                assert_eq!(c.skip_plain(), Some(special));
                assert_eq!(c.i, at, "special {special:#x} at {at}");
            }
        }
    }
}
