//! The catalogue of known topics, embedded from data/topics.tsv (a copy of
//! shared/topics.tsv): for help, completion and typo warnings, never a gate.

use globset::{Glob, GlobBuilder, GlobMatcher};

const TSV: &str = include_str!("../../data/topics.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    pub name: &'static str,
    pub legacy: bool,
}

/// Every catalogue topic, in file order (sorted by name).
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

    #[test]
    fn catalogue_is_loaded() {
        let topics: Vec<Topic> = all().collect();
        assert_eq!(topics.len(), 235);
        assert_eq!(topics.iter().filter(|t| t.legacy).count(), 22);
        assert!(topics
            .iter()
            .any(|t| t.name == "container.instances.reconfigured"));
    }

    #[test]
    fn copy_agrees_with_shared_catalogue() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/topics.tsv");
        // The shared folder sits beside the repository on developer machines only.
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(
                text, TSV,
                "data/topics.tsv is out of date: copy ../shared/topics.tsv"
            );
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
