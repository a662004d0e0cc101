//! The catalogue of known topics, embedded from data/topics.tsv (the repository's own copy,
//! checked by the tests below): for help, completion and typo warnings, never a gate.

use globset::{Glob, GlobBuilder, GlobMatcher};

const TSV: &str = include_str!("../../data/topics.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    pub name: &'static str,
    pub legacy: bool,
}

/// Every catalogue topic, in file order (current topics, then legacy ones, each sorted).
pub fn all() -> impl Iterator<Item = Topic> {
    TSV.lines().skip(1).filter_map(|line| {
        let (name, status) = line.split_once('\t')?;
        Some(Topic {
            name: name.trim(),
            legacy: status.trim() == "legacy",
        })
    })
}

/// Compiles one topic glob with the project's rules: `*` spans dots, case-sensitive.
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern)
        .literal_separator(false)
        .case_insensitive(false)
        .backslash_escape(true)
        .build()
}

pub fn matcher(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    glob(pattern).map(|g| g.compile_matcher())
}

/// For a glob that matches nothing in the catalogue, the closest catalogue topics.
pub fn suggestions(pattern: &str, max: usize) -> Option<Vec<&'static str>> {
    let m = matcher(pattern).ok()?;
    if all().any(|t| m.is_match(t.name)) {
        return None;
    }
    let literal: String = pattern.chars().filter(|c| !"*?[]{}".contains(*c)).collect();
    // `contianer.state.*` means "topics starting like this": compare with their start too.
    let open_end = pattern.ends_with('*');
    let mut scored: Vec<(usize, &'static str)> = all()
        .filter(|t| !t.legacy)
        .map(|t| {
            let mut d = distance(&literal, t.name);
            if open_end {
                let start: String = t.name.chars().take(literal.chars().count()).collect();
                d = d.min(distance(&literal, &start));
            }
            (d, t.name)
        })
        .collect();
    scored.sort();
    Some(scored.into_iter().take(max).map(|(_, n)| n).collect())
}

/// Edit distance where a pattern that is a prefix or substring of a topic is close.
fn distance(a: &str, b: &str) -> usize {
    if !a.is_empty() && b.contains(a) {
        return b.len() - a.len();
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] + 100
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of data/topics.tsv as written, read without `all()` (which skips what it
    /// cannot parse): (line number, topic, status).
    fn rows() -> Vec<(usize, &'static str, &'static str)> {
        let mut lines = TSV.lines().enumerate();
        assert_eq!(lines.next(), Some((0, "topic\tstatus")), "header row");
        lines
            .map(|(i, line)| {
                let cols: Vec<&str> = line.split('\t').collect();
                assert_eq!(cols.len(), 2, "line {}: two columns: {line:?}", i + 1);
                (i + 1, cols[0], cols[1])
            })
            .collect()
    }

    #[test]
    fn catalogue_rows_are_well_formed() {
        let rows = rows();
        // Cycle's 213 current topics and the 22 legacy ones older hubs still send.
        assert_eq!(rows.len(), 235);
        let current: Vec<&str> = rows
            .iter()
            .filter(|r| r.2 == "current")
            .map(|r| r.1)
            .collect();
        let legacy: Vec<&str> = rows
            .iter()
            .filter(|r| r.2 == "legacy")
            .map(|r| r.1)
            .collect();
        assert_eq!(
            (current.len(), legacy.len()),
            (213, 22),
            "every status is current or legacy"
        );
        for (line, topic, _) in &rows {
            let parts: Vec<&str> = topic.split('.').collect();
            assert!(
                parts.len() >= 2
                    && parts.iter().all(|p| {
                        !p.is_empty()
                            && p.bytes().all(|b| {
                                b.is_ascii_lowercase()
                                    || b.is_ascii_digit()
                                    || b == b'_'
                                    || b == b'-'
                            })
                    }),
                "line {line}: {topic:?} is not a dotted lowercase topic"
            );
        }
        // Current topics first, then legacy, each sorted: strictly, so no topic twice.
        for group in [&current, &legacy] {
            for w in group.windows(2) {
                assert!(
                    w[0] < w[1],
                    "out of order or repeated: {} then {}",
                    w[0],
                    w[1]
                );
            }
        }
        let mut all: Vec<&str> = rows.iter().map(|r| r.1).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), rows.len(), "a topic is both current and legacy");
        assert_eq!(
            rows.iter().position(|r| r.2 == "legacy"),
            Some(current.len()),
            "legacy topics come after the current ones"
        );
    }

    #[test]
    fn catalogue_is_what_all_yields() {
        let rows = rows();
        let topics: Vec<Topic> = all().collect();
        assert_eq!(topics.len(), rows.len());
        for (t, (_, name, status)) in topics.iter().zip(&rows) {
            assert_eq!((t.name, t.legacy), (*name, *status == "legacy"));
        }
        assert!(topics
            .iter()
            .any(|t| t.name == "container.instances.reconfigured" && !t.legacy));
    }

    #[test]
    fn every_kind_has_its_state_and_error_topics() {
        // wait-for follows `<prefix>state.changed` and treats `<prefix>error` as a failure.
        // DNS records are the one kind the client's union gives a state topic and no error.
        let current: Vec<&str> = all().filter(|t| !t.legacy).map(|t| t.name).collect();
        for kind in crate::catalog::kinds::KINDS {
            for suffix in ["state.changed", "error"] {
                let topic = format!("{}{suffix}", kind.topic_prefix);
                let expected = topic != "dns.zone.record.error";
                assert_eq!(
                    current.contains(&topic.as_str()),
                    expected,
                    "{}: {topic}",
                    kind.name
                );
            }
        }
    }

    #[test]
    fn typo_gets_suggestions() {
        assert_eq!(suggestions("container.*", 3), None);
        let s = suggestions("contianer.state.changed", 3).unwrap();
        assert!(s.contains(&"container.state.changed"), "{s:?}");
        let s = suggestions("contianer.state.*", 3).unwrap();
        assert_eq!(s[0], "container.state.changed", "{s:?}");
    }
}
