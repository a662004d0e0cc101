//! Compiled topic globs and field filters: same flag OR, different flags AND. Pure.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use anyhow::Result;
use globset::{GlobSet, GlobSetBuilder};

use crate::catalog::topics;
use crate::leaf::exit::Fail;
use crate::notification::Notification;

/// A memo larger than this is cleared: topics are a small set, ids in topics would not be.
const MEMO_LIMIT: usize = 4096;

/// The filters a run asked for, as plain lists: each list is OR, the lists are AND, an empty
/// list lets everything through. `tail` builds it from its flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// Topic globs to keep (`*` spans dots).
    pub topics: Vec<String>,
    /// Topic globs to drop.
    pub excludes: Vec<String>,
    pub ids: Vec<String>,
    pub states: Vec<String>,
    pub environments: Vec<String>,
    pub containers: Vec<String>,
    pub clusters: Vec<String>,
}

#[derive(Debug)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    ids: Vec<String>,
    states: Vec<String>,
    environments: Vec<String>,
    containers: Vec<String>,
    clusters: Vec<String>,
    memo: HashMap<Box<str>, bool, BuildHasherDefault<Fx>>,
}

impl Filter {
    pub fn new(args: &FilterSpec) -> Result<Filter> {
        Ok(Filter {
            include: compile(&args.topics, "--topic")?,
            exclude: compile(&args.excludes, "--exclude")?,
            ids: clean(&args.ids),
            states: clean(&args.states),
            environments: clean(&args.environments),
            containers: clean(&args.containers),
            clusters: clean(&args.clusters),
            memo: HashMap::default(),
        })
    }

    /// Whether the topic passes `--topic`/`--exclude`, memoised per distinct topic.
    pub fn topic_passes(&mut self, topic: &str) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        if let Some(&hit) = self.memo.get(topic) {
            return hit;
        }
        let hit = self.include.as_ref().is_none_or(|s| s.is_match(topic))
            && !self.exclude.as_ref().is_some_and(|s| s.is_match(topic));
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        self.memo.insert(topic.into(), hit);
        hit
    }

    /// Whether any filter needs more of the notification than its topic.
    fn needs_fields(&self) -> bool {
        !(self.ids.is_empty()
            && self.states.is_empty()
            && self.environments.is_empty()
            && self.containers.is_empty()
            && self.clusters.is_empty())
    }

    pub fn matches(&mut self, n: &Notification) -> bool {
        if !self.topic_passes(&n.topic) {
            return false;
        }
        if !self.needs_fields() {
            return true;
        }
        if !self.ids.is_empty() || !self.states.is_empty() {
            let o = n.object();
            if !any_eq(&self.ids, o.id.get()) || !any_eq(&self.states, o.state.get()) {
                return false;
            }
        }
        if !self.environments.is_empty() || !self.containers.is_empty() || !self.clusters.is_empty()
        {
            let c = n.context();
            let member = |wanted: &[String], list: &crate::notification::List| {
                wanted.is_empty() || wanted.iter().any(|w| list.contains(w))
            };
            if !member(&self.environments, &c.environments)
                || !member(&self.containers, &c.containers)
                || !member(&self.clusters, &c.clusters)
            {
                return false;
            }
        }
        true
    }
}

/// The memo's hasher: FxHash's rotate-xor-multiply over 8-byte words. The default SipHash
/// was 4% of a frame in the profile; its flood resistance buys little here, since the memo is
/// bounded by `MEMO_LIMIT` and a hub that wanted to slow us down could send big frames anyway.
#[derive(Default)]
pub struct Fx(u64);

impl Fx {
    /// The hash of `bytes` on its own: keys that only need to spread (deliver's per-object
    /// order, where a collision only makes two objects wait for each other).
    pub fn of(bytes: &[u8]) -> u64 {
        let mut h = Fx::default();
        h.write(bytes);
        h.finish()
    }

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

fn any_eq(wanted: &[String], value: Option<&str>) -> bool {
    wanted.is_empty() || value.is_some_and(|v| wanted.iter().any(|w| w == v))
}

fn clean(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

fn compile(patterns: &[String], flag: &str) -> Result<Option<GlobSet>> {
    let patterns = clean(patterns);
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in &patterns {
        builder.add(
            topics::glob(p)
                .map_err(|e| Fail::usage(format!("invalid {flag} glob '{p}': {}", e.kind())))?,
        );
    }
    let set = builder
        .build()
        .map_err(|e| Fail::usage(format!("invalid {flag} globs: {e}")))?;
    Ok(Some(set))
}

/// Stderr warnings for `--topic` globs that match no catalogue topic (likely typos).
pub fn typo_warnings(args: &FilterSpec) -> Vec<String> {
    clean(&args.topics)
        .iter()
        .filter_map(|p| {
            let near = topics::suggestions(p, 3)?;
            Some(format!(
                "--topic '{p}' matches no known topic (did you mean {}?); passing it through anyway",
                near.join(", ")
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(topics: &[&str], excludes: &[&str]) -> Filter {
        Filter::new(&FilterSpec {
            topics: topics.iter().map(|s| s.to_string()).collect(),
            excludes: excludes.iter().map(|s| s.to_string()).collect(),
            ..FilterSpec::default()
        })
        .unwrap()
    }

    fn catalogue_matches(f: &mut Filter) -> Vec<&'static str> {
        topics::all()
            .map(|t| t.name)
            .filter(|t| f.topic_passes(t))
            .collect()
    }

    #[test]
    fn star_spans_dots() {
        let mut f = filter(&["container.*"], &[]);
        let hits = catalogue_matches(&mut f);
        assert!(hits.contains(&"container.instances.reconfigured"));
        assert!(hits.contains(&"container.instance.state.changed"));
        assert!(hits.contains(&"container.new"));
        assert!(hits.iter().all(|t| t.starts_with("container.")));
        assert!(!f.topic_passes("containers.new"));
    }

    #[test]
    fn instance_vs_instances() {
        let mut f = filter(&["container.instance.*"], &[]);
        assert!(f.topic_passes("container.instance.health.changed"));
        assert!(!f.topic_passes("container.instances.reconfigured"));
    }

    #[test]
    fn underscores_and_hyphens_are_literal() {
        let mut f = filter(&["ips_pool.*"], &[]);
        let hits = catalogue_matches(&mut f);
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|t| t.starts_with("ips_pool.")));
        let mut f = filter(&["environment.scoped-variable.*"], &[]);
        assert!(f.topic_passes("environment.scoped-variable.new"));
    }

    #[test]
    fn error_is_not_error_reset() {
        let mut f = filter(&["*.error"], &[]);
        let hits = catalogue_matches(&mut f);
        assert!(hits.contains(&"container.error"));
        assert!(hits.contains(&"billing.credit.error"));
        assert!(hits.iter().all(|t| t.ends_with(".error")));
        let mut f = filter(&["*.error_reset"], &[]);
        assert!(catalogue_matches(&mut f)
            .iter()
            .all(|t| t.ends_with(".error_reset")));
    }

    #[test]
    fn exclude_wins_and_is_case_sensitive() {
        let mut f = filter(&["container.*"], &["container.instance.*"]);
        assert!(f.topic_passes("container.state.changed"));
        assert!(!f.topic_passes("container.instance.state.changed"));
        assert!(!f.topic_passes("Container.state.changed"));
        let mut f = filter(&[], &["*.error_reset"]);
        assert!(f.topic_passes("image.error"));
        assert!(!f.topic_passes("image.error_reset"));
    }

    #[test]
    fn same_flag_or_different_flags_and() {
        let mut f = Filter::new(&FilterSpec {
            states: vec!["running".into(), "stopped".into()],
            clusters: vec!["prod".into()],
            ..FilterSpec::default()
        })
        .unwrap();
        let n = |state: &str, cluster: &str| {
            format!(
                r#"{{"topic":"container.state.changed","object":{{"state":"{state}"}},"context":{{"clusters":["{cluster}"]}}}}"#
            )
        };
        for (frame, want) in [
            (n("running", "prod"), true),
            (n("stopped", "prod"), true),
            (n("starting", "prod"), false),
            (n("running", "dev"), false),
        ] {
            assert_eq!(
                f.matches(&Notification::parse(&frame).unwrap()),
                want,
                "{frame}"
            );
        }
        assert!(!f.matches(&Notification::parse(r#"{"topic":"a"}"#).unwrap()));
    }

    #[test]
    fn bad_glob_is_a_usage_error() {
        let err = Filter::new(&FilterSpec {
            topics: vec!["container.[".into()],
            ..FilterSpec::default()
        })
        .unwrap_err();
        assert_eq!(
            crate::leaf::exit::status_of(&err),
            crate::leaf::exit::Exit::Usage
        );
    }
}
