//! The object kinds `wait-for` knows (docs/cycle-api.md §6): one row per kind; adding a kind is
//! adding a row.

/// A parent id some kinds need in their GET path, given as `--<flag> ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Container,
    Pipeline,
}

impl Parent {
    pub fn flag(self) -> &'static str {
        match self {
            Parent::Container => "--container",
            Parent::Pipeline => "--pipeline",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// Topics about this kind start with this; `<prefix>error` is its error topic.
    pub topic_prefix: &'static str,
    /// The GET path under /v1/, with `{id}` and, where needed, `{parent}`.
    pub path: &'static str,
    pub parent: Option<Parent>,
    /// States `wait-for` waits for when `--state` is not given.
    pub targets: &'static [&'static str],
    /// States that end the wait with a failure unless `--fail-on` says otherwise.
    pub failures: &'static [&'static str],
    /// Every state the API documents, for help and typo warnings.
    pub states: &'static [&'static str],
}

pub const KINDS: &[Kind] = &[
    Kind {
        name: "container",
        aliases: &["containers"],
        topic_prefix: "container.",
        path: "containers/{id}",
        parent: None,
        targets: &["running"],
        failures: &["deleted"],
        states: &[
            "new", "starting", "running", "function", "stopping", "stopped", "deleting", "deleted",
        ],
    },
    Kind {
        name: "instance",
        aliases: &["instances", "container-instance"],
        topic_prefix: "container.instance.",
        path: "containers/{parent}/instances/{id}",
        parent: Some(Parent::Container),
        targets: &["running"],
        failures: &["failed", "deleted"],
        states: &[
            "new",
            "starting",
            "migrating",
            "running",
            "stopping",
            "stopped",
            "failed",
            "deleting",
            "deleted",
        ],
    },
    Kind {
        name: "environment",
        aliases: &["environments", "env"],
        topic_prefix: "environment.",
        path: "environments/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["new", "live", "cloning", "deleting", "deleted"],
    },
    Kind {
        name: "image",
        aliases: &["images"],
        topic_prefix: "image.",
        path: "images/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &[
            "new",
            "uploading",
            "downloading",
            "building",
            "verifying",
            "saving",
            "live",
            "deleting",
            "deleted",
        ],
    },
    Kind {
        name: "image-source",
        aliases: &["image-sources", "source"],
        topic_prefix: "image.source.",
        path: "images/sources/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
    },
    Kind {
        name: "server",
        aliases: &["servers"],
        topic_prefix: "infrastructure.server.",
        path: "infrastructure/servers/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &[
            "new",
            "provisioning",
            "configuring",
            "quarantined",
            "live",
            "deleting",
            "deleted",
        ],
    },
    Kind {
        name: "stack",
        aliases: &["stacks"],
        topic_prefix: "stack.",
        path: "stacks/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
    },
    Kind {
        name: "stack-build",
        aliases: &["stack-builds", "build"],
        topic_prefix: "stack.build.",
        path: "stacks/builds/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &[
            "new",
            "importing",
            "building",
            "verifying",
            "saving",
            "live",
            "deploying",
            "deleting",
            "deleted",
        ],
    },
    Kind {
        name: "job",
        aliases: &["jobs"],
        topic_prefix: "job.",
        path: "jobs/{id}",
        parent: None,
        targets: &["completed"],
        failures: &["error", "expired"],
        states: &[
            "new",
            "queued",
            "scheduled",
            "running",
            "completed",
            "error",
            "expired",
        ],
    },
    Kind {
        name: "pipeline-run",
        aliases: &["pipeline-runs", "run"],
        topic_prefix: "pipeline.run.",
        path: "pipelines/{parent}/runs/{id}",
        parent: Some(Parent::Pipeline),
        targets: &["complete"],
        failures: &["cancelled", "deleted"],
        states: &[
            "queued",
            "acquiring",
            "running",
            "complete",
            "cancelled",
            "deleted",
        ],
    },
    Kind {
        name: "virtual-machine",
        aliases: &["virtual-machines", "vm"],
        topic_prefix: "virtual-machine.",
        path: "virtual-machines/{id}",
        parent: None,
        targets: &["running"],
        failures: &["deleted"],
        states: &[
            "new",
            "starting",
            "configuring",
            "running",
            "stopping",
            "stopped",
            "deleting",
            "deleted",
        ],
    },
    Kind {
        name: "dns-zone",
        aliases: &["dns-zones", "zone"],
        topic_prefix: "dns.zone.",
        path: "dns/zones/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &[
            "new",
            "pending",
            "verifying",
            "live",
            "disabled",
            "deleting",
            "deleted",
        ],
    },
    Kind {
        name: "sdn-network",
        aliases: &["sdn-networks", "network"],
        topic_prefix: "sdn.network.",
        path: "sdn/networks/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
    },
];

impl Kind {
    pub fn find(name: &str) -> Option<&'static Kind> {
        let name = name.trim().to_ascii_lowercase();
        KINDS
            .iter()
            .find(|k| k.name == name || k.aliases.contains(&name.as_str()))
    }

    /// The kind a topic is about: the longest matching prefix (`container.instance.` over
    /// `container.`).
    pub fn of_topic(topic: &str) -> Option<&'static Kind> {
        KINDS
            .iter()
            .filter(|k| topic.starts_with(k.topic_prefix))
            .max_by_key(|k| k.topic_prefix.len())
    }

    pub fn is_error_topic(&self, topic: &str) -> bool {
        topic.strip_prefix(self.topic_prefix) == Some("error")
    }

    /// `/v1/...` for one object.
    pub fn api_path(&self, id: &str, parent: Option<&str>) -> String {
        let path = self.path.replace("{id}", id);
        let path = match parent {
            Some(p) => path.replace("{parent}", p),
            None => path,
        };
        format!("/v1/{path}")
    }

    /// Matches a request path against this kind's pattern: `(parent, id)` on a hit.
    pub fn match_path<'p>(&self, path: &'p str) -> Option<(Option<&'p str>, &'p str)> {
        let mut rest = path.strip_prefix("/v1/")?;
        let mut parent = None;
        let mut id = None;
        let mut pattern = self.path;
        while !pattern.is_empty() {
            let (seg_pat, pat_rest) = pattern.split_once('/').unwrap_or((pattern, ""));
            let (seg, seg_rest) = rest.split_once('/').unwrap_or((rest, ""));
            match seg_pat {
                "{id}" if !seg.is_empty() => id = Some(seg),
                "{parent}" if !seg.is_empty() => parent = Some(seg),
                lit if lit == seg => {}
                _ => return None,
            }
            pattern = pat_rest;
            rest = seg_rest;
            if pattern.is_empty() != rest.is_empty() {
                return None;
            }
        }
        Some((parent, id?))
    }
}

/// The `wait-for --help` table of kinds and their defaults.
pub fn help_table() -> String {
    let mut out = String::from("Kinds (default target states; default failure states):\n");
    for k in KINDS {
        let parent = k
            .parent
            .map(|p| format!(" (needs {} ID)", p.flag()))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {:<16} {} ; fails on {}{parent}\n",
            k.name,
            k.targets.join(","),
            k.failures.join(",")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_kinds_with_unique_names() {
        assert!(KINDS.len() >= 13);
        let mut names: Vec<&str> = KINDS
            .iter()
            .flat_map(|k| k.aliases.iter().copied().chain([k.name]))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a name or alias is used twice");
        for k in KINDS {
            for s in k.targets.iter().chain(k.failures) {
                assert!(
                    k.states.contains(s),
                    "{}: {s} is not a documented state",
                    k.name
                );
            }
        }
    }

    #[test]
    fn topics_map_to_the_most_specific_kind() {
        assert_eq!(
            Kind::of_topic("container.instance.state.changed")
                .unwrap()
                .name,
            "instance"
        );
        assert_eq!(
            Kind::of_topic("container.instances.reconfigured")
                .unwrap()
                .name,
            "container"
        );
        assert_eq!(
            Kind::of_topic("image.source.new").unwrap().name,
            "image-source"
        );
        assert!(Kind::find("vm")
            .unwrap()
            .is_error_topic("virtual-machine.error"));
        assert!(!Kind::find("image")
            .unwrap()
            .is_error_topic("image.error_reset"));
    }

    #[test]
    fn paths_round_trip() {
        for k in KINDS {
            let path = k.api_path("abc", Some("par"));
            let (parent, id) = k.match_path(&path).unwrap();
            assert_eq!(id, "abc");
            assert_eq!(parent.is_some(), k.parent.is_some(), "{}", k.name);
        }
        let image = Kind::find("image").unwrap();
        assert_eq!(image.match_path("/v1/images/sources/x"), None);
        assert_eq!(
            Kind::find("image-source")
                .unwrap()
                .match_path("/v1/images/sources/x"),
            Some((None, "x"))
        );
    }
}
