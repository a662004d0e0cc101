//! The lenient, borrowed view of one notification frame (docs/cycle-api.md §3): only `topic` is
//! required; everything else may be missing, null or of an unexpected shape.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

mod scan;

/// One notification, borrowing from the frame text. `object` and `context` stay raw until a
/// filter or printer asks for them, so a topic-only pipeline parses each frame once.
#[derive(Debug, Clone)]
pub struct Notification<'a> {
    pub topic: Cow<'a, str>,
    object: Option<&'a str>,
    context: Option<&'a str>,
    annotations: Option<&'a str>,
}

/// What serde_json reads a frame as, when the fast scanner leaves the verdict to it.
#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(borrow)]
    topic: Cow<'a, str>,
    #[serde(borrow, default)]
    object: Option<&'a RawValue>,
    #[serde(borrow, default)]
    context: Option<&'a RawValue>,
    #[serde(borrow, default)]
    annotations: Option<&'a RawValue>,
}

/// Why a frame is not a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reject {
    NotJson,
    NoTopic,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reject::NotJson => "not valid JSON",
            Reject::NoTopic => "a JSON frame without a string \"topic\"",
        })
    }
}

/// The topic of a frame shaped as Cycle sends it, `{"topic":"…"` first and unescaped,
/// found without reading the rest; `None` for any other shape. Lets a topic filter drop a
/// frame before the whole of it is checked.
pub fn leading_topic(frame: &str) -> Option<&str> {
    let rest = frame.strip_prefix(r#"{"topic":""#)?;
    let end = memchr::memchr2(b'"', b'\\', rest.as_bytes())?;
    (rest.as_bytes()[end] == b'"').then(|| &rest[..end])
}

impl<'a> Notification<'a> {
    /// One pass over the frame. The common frame is read by `scan`; anything it is not sure
    /// of (odd shapes, escapes, errors) by serde_json, which also classifies the rejection.
    pub fn parse(frame: &'a str) -> Result<Notification<'a>, Reject> {
        match scan::scan(frame) {
            Some(f) => Ok(Notification {
                topic: Cow::Borrowed(f.topic),
                object: f.object,
                context: f.context,
                annotations: f.annotations,
            }),
            None => Self::parse_with_serde(frame),
        }
    }

    fn parse_with_serde(frame: &'a str) -> Result<Notification<'a>, Reject> {
        let wire: Wire<'a> = serde_json::from_str(frame).map_err(|e| {
            if e.is_data() {
                Reject::NoTopic
            } else {
                Reject::NotJson
            }
        })?;
        Ok(Notification {
            topic: wire.topic,
            object: wire.object.map(RawValue::get),
            context: wire.context.map(RawValue::get),
            annotations: wire.annotations.map(RawValue::get),
        })
    }

    pub fn object(&self) -> Object<'a> {
        self.object
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    pub fn context(&self) -> Context<'a> {
        self.context
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    pub fn annotations(&self) -> Annotations<'a> {
        self.annotations
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }
}

/// `object`: the id and states, with both spellings of the previous state.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Object<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    #[serde(borrow)]
    pub state: Text<'a>,
    #[serde(borrow)]
    state_previous: Text<'a>,
    #[serde(borrow)]
    previous_state: Text<'a>,
    #[serde(borrow)]
    error: Option<&'a RawValue>,
}

impl<'a> Object<'a> {
    pub fn previous_state(&self) -> Option<&str> {
        self.state_previous.get().or(self.previous_state.get())
    }

    /// The error text whatever its shape: a string, `{message|detail|title}`, or the raw JSON.
    pub fn error_text(&self) -> Option<Cow<'a, str>> {
        let raw = self.error?.get();
        match serde_json::from_str::<ErrorShape<'a>>(raw).ok()? {
            ErrorShape::Null => None,
            ErrorShape::Text(t) if t.is_empty() => None,
            ErrorShape::Text(t) => Some(t),
            ErrorShape::Fields(f) => f
                .message
                .0
                .or(f.detail.0)
                .or(f.title.0)
                .or(Some(Cow::Borrowed(raw))),
            ErrorShape::Other(_) => Some(Cow::Borrowed(raw)),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorShape<'a> {
    Null,
    #[serde(borrow)]
    Text(Cow<'a, str>),
    #[serde(borrow)]
    Fields(ErrorFields<'a>),
    Other(IgnoredAny),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorFields<'a> {
    #[serde(borrow)]
    message: Text<'a>,
    #[serde(borrow)]
    detail: Text<'a>,
    #[serde(borrow)]
    title: Text<'a>,
}

/// `context`: the lists filters match against.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Context<'a> {
    #[serde(borrow)]
    pub hub_id: Text<'a>,
    #[serde(borrow)]
    pub environments: List<'a>,
    #[serde(borrow)]
    pub containers: List<'a>,
    #[serde(borrow)]
    pub clusters: List<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Annotations<'a> {
    #[serde(borrow)]
    pub health: Text<'a>,
    #[serde(borrow)]
    pub ready: Text<'a>,
}

/// A string field that tolerates any other JSON value (as absent).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Text<'a>(pub Option<Cow<'a, str>>);

impl Text<'_> {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

/// A list of strings that tolerates null, a single string, or non-string members.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct List<'a>(pub Vec<Cow<'a, str>>);

impl List<'_> {
    pub fn contains(&self, s: &str) -> bool {
        self.0.iter().any(|x| x == s)
    }
    pub fn first(&self) -> Option<&str> {
        self.0.first().map(|s| s.as_ref())
    }
}

/// Visitor methods shared by the lenient types: anything that is not the expected shape is
/// consumed and read as "absent".
macro_rules! absent_otherwise {
    ($out:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($out)
        }
    };
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Borrowed(s))))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Owned(s.to_owned()))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            absent_otherwise!(Text(None));
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for List<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = List<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(List(vec![Cow::Borrowed(s)]))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(List(vec![Cow::Owned(s.to_owned())]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(Text(item)) = seq.next_element::<Text<'a>>()? {
                    out.extend(item);
                }
                Ok(List(out))
            }
            absent_otherwise!(List::default());
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, Printer};
    use crate::sim::Rng;

    const FULL: &str = r#"{"topic":"container.instance.state.changed","object":{"id":"65f0c0ffee0000000000abcd","state":"running","state_previous":"starting","error":null},"context":{"label":null,"hub_id":"h","environments":["e1"],"containers":["c1"],"clusters":["production"]},"flags":null,"annotations":{"health":"healthy","ready":"ready"},"extra":{"kept":true}}"#;

    #[test]
    fn leading_topic_only_for_the_plain_shape() {
        assert_eq!(
            leading_topic(r#"{"topic":"image.new","object":{}}"#),
            Some("image.new")
        );
        assert_eq!(leading_topic(r#"{"topic":"a\"b"}"#), None);
        assert_eq!(leading_topic(r#"{ "topic": "image.new"}"#), None);
        assert_eq!(leading_topic(r#"{"object":{},"topic":"image.new"}"#), None);
        assert_eq!(leading_topic(r#"{"topic":"unterminated"#), None);
    }

    #[test]
    fn full_frame() {
        let n = Notification::parse(FULL).unwrap();
        assert_eq!(n.topic, "container.instance.state.changed");
        let o = n.object();
        assert_eq!(o.id.get(), Some("65f0c0ffee0000000000abcd"));
        assert_eq!(o.state.get(), Some("running"));
        assert_eq!(o.previous_state(), Some("starting"));
        assert_eq!(o.error_text(), None);
        let c = n.context();
        assert!(c.environments.contains("e1"));
        assert!(c.clusters.contains("production"));
        assert_eq!(n.annotations().health.get(), Some("healthy"));
    }

    #[test]
    fn only_topic_is_required() {
        let n = Notification::parse(r#"{"topic":"hub.updated"}"#).unwrap();
        assert_eq!(n.object().id.get(), None);
        assert!(n.context().environments.0.is_empty());
    }

    #[test]
    fn spec_spelling_of_previous_state_and_odd_shapes() {
        let n = Notification::parse(
            r#"{"topic":"job.state.changed","object":{"id":5,"state":"error","previous_state":"running","error":{"message":"exit 1"}},"context":{"environments":null,"containers":"c9","clusters":[1,"x",null]},"flags":[{"a":1}]}"#,
        )
        .unwrap();
        let o = n.object();
        assert_eq!(o.id.get(), None);
        assert_eq!(o.previous_state(), Some("running"));
        assert_eq!(o.error_text().as_deref(), Some("exit 1"));
        let c = n.context();
        assert!(c.containers.contains("c9"));
        assert_eq!(c.clusters.0, vec!["x"]);
        let n =
            Notification::parse(r#"{"topic":"x","object":"weird","context":7,"flags":{"k":true}}"#)
                .unwrap();
        assert_eq!(n.object().state.get(), None);
        assert!(n.context().clusters.0.is_empty());
    }

    #[test]
    fn error_text_shapes() {
        let text = |frame: &str| {
            Notification::parse(frame)
                .unwrap()
                .object()
                .error_text()
                .map(|c| c.into_owned())
        };
        assert_eq!(
            text(r#"{"topic":"a","object":{"error":"boom"}}"#).as_deref(),
            Some("boom")
        );
        assert_eq!(
            text(r#"{"topic":"a","object":{"error":{"code":3}}}"#).as_deref(),
            Some(r#"{"code":3}"#)
        );
        assert_eq!(text(r#"{"topic":"a","object":{"error":""}}"#), None);
    }

    #[test]
    fn rejects() {
        assert_eq!(Notification::parse("nope").unwrap_err(), Reject::NotJson);
        assert_eq!(
            Notification::parse(r#"{"object":{}}"#).unwrap_err(),
            Reject::NoTopic
        );
        assert_eq!(
            Notification::parse(r#"{"topic":5}"#).unwrap_err(),
            Reject::NoTopic
        );
        assert_eq!(Notification::parse("[1,2]").unwrap_err(), Reject::NoTopic);
        assert_eq!(
            Notification::parse(r#"{"topic":"a"} trailing"#).unwrap_err(),
            Reject::NotJson
        );
    }

    /// Everything a printer or filter may ask of a parsed frame, so a panic anywhere in the
    /// lenient view shows up here.
    /// Returns whether the fast scanner read the frame itself.
    fn exercise(frame: &str) -> bool {
        // Property: the scanner answers only where serde_json agrees, field for field.
        let fast = scan::scan(frame);
        if let Some(f) = fast {
            let n = Notification::parse_with_serde(frame)
                .unwrap_or_else(|e| panic!("scan read what serde_json rejects ({e}): {frame:?}"));
            assert_eq!(
                (f.topic, f.object, f.context, f.annotations),
                (&*n.topic, n.object, n.context, n.annotations),
                "{frame:?}"
            );
        }
        let Ok(n) = Notification::parse(frame) else {
            return false;
        };
        // Property: an accepted frame is well-formed JSON whose string topic is the one read.
        // (Syntax only: JSON puts no range on numbers, and the raw parts are passed through.)
        serde_json::from_str::<IgnoredAny>(frame).expect("accepted, so JSON");
        #[derive(Deserialize)]
        struct Topic {
            topic: String,
        }
        let t: Topic = serde_json::from_str(frame).expect("accepted, so it has a topic");
        assert_eq!(t.topic, n.topic, "{frame:?}");
        let o = n.object();
        let _ = (
            o.id.get(),
            o.state.get(),
            o.previous_state(),
            o.error_text(),
        );
        let c = n.context();
        for list in [&c.environments, &c.containers, &c.clusters] {
            let _ = (list.first(), list.contains("x"));
        }
        let a = n.annotations();
        let _ = (a.health.get(), a.ready.get());
        let mut out = Vec::new();
        for format in [Format::Pretty, Format::Json, Format::Raw] {
            Printer::new(format, false, true)
                .expect("tail prints these")
                .print(&mut out, frame, &n)
                .unwrap();
        }
        fast.is_some()
    }

    #[test]
    fn no_input_panics_the_parser() {
        let seeds = [
            r#"{"topic":"container.instance.state.changed","object":{"id":"65f0c0ffee0000000000abcd","state":"running","state_previous":"starting","error":null},"context":{"hub_id":"h","environments":["e1"],"containers":["c1","c2"],"clusters":["production"],"dns_zones":null},"flags":[{"a":true}],"annotations":{"health":"healthy","ready":"ready"}}"#,
            r#"{"topic":"job.error","object":{"id":"j","state":"error","previous_state":"running","error":{"message":"boom \u00e9 \ud83d\ude00","detail":"d"}},"context":{"environments":null},"flags":{"x":1}}"#,
            r#"{"object":{"error":"x\n\"y\""},"topic":"image.new","extra":[1,2.5e10,-0,true,false,null,{"k":[[]]}]}"#,
            r#"{"topic":"a"}"#,
        ];
        let tokens: &[&[u8]] = &[
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b"\\",
            b":",
            b",",
            b"null",
            b"\"topic\"",
            b"\"object\":",
            b"1e999",
            b"-",
            b"\\u",
            b"\\ud800",
            b"\xff",
            b"\xc3",
            b" ",
            b"\"context\":{\"environments\":",
            b"\"error\":",
            b"\n",
            b"\t",
            b"\r",
            b"\x0c",
            b"\x01",
            b"0",
            b"01",
            b"-0",
            b"1.",
            b".5",
            b"1e",
            b"1E+5",
            b"true",
            b"fals",
            b"[]",
            b"{}",
            b"\"\\u00e9\"",
            b"\"topic\":\"x\",",
            b"\"object\":null,",
            b"\"annotations\":",
        ];
        let mut rng = Rng::new(0x5eed);
        let mut fast = 0;
        for i in 0..100_000u64 {
            let mut bytes = seeds[(i % seeds.len() as u64) as usize].as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                let len = bytes.len() as u64;
                let at = rng.below(len + 1) as usize;
                match rng.below(6) {
                    0 if !bytes.is_empty() => {
                        let at = at.min(bytes.len() - 1);
                        bytes[at] = rng.next_u64() as u8;
                    }
                    1 => bytes.insert(at, rng.next_u64() as u8),
                    2 => {
                        let t = tokens[rng.below(tokens.len() as u64) as usize];
                        bytes.splice(at..at, t.iter().copied());
                    }
                    3 => {
                        let end = (at + rng.below(16) as usize).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    4 => {
                        let end = (at + rng.below(32) as usize).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        let to = rng.below(bytes.len() as u64 + 1) as usize;
                        bytes.splice(to..to, copy);
                    }
                    _ => bytes.truncate(at),
                }
            }
            fast += usize::from(exercise(&String::from_utf8_lossy(&bytes)));
        }
        // The mutants exercise both paths: many are still valid, most are not.
        assert!(
            (5_000..50_000).contains(&fast),
            "{fast} read by the scanner"
        );
        // Random bytes, and nesting deep enough to overflow a naive recursive parser.
        for _ in 0..2_000 {
            let len = rng.below(200) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            exercise(&String::from_utf8_lossy(&bytes));
        }
        exercise(&"[".repeat(100_000));
        exercise(&format!(
            r#"{{"topic":"a","object":{}"#,
            "[".repeat(100_000)
        ));
        exercise(&format!(
            r#"{{"topic":"a","object":{{"error":{}1{}}}}}"#,
            "[".repeat(120),
            "]".repeat(120)
        ));
    }
}
