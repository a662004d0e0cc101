//! The object kinds `wait-for` knows: one row per kind with its GET path, parent, states,
//! default target and failures, its 404 code and capability, and where each fact comes from
//! (docs/cycle-api.md §6, §9, §10). Adding a kind is adding a row.

use std::fmt::Write as _;

/// A notification context list that names an object's parent (docs/cycle-api.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Containers,
    Environments,
}

/// The object whose id some kinds need in their GET path.
#[derive(Debug, PartialEq, Eq)]
pub struct Parent {
    /// The parent's own kind (a row of `KINDS`).
    pub kind: &'static str,
    /// What the parent is, in sentences ("its container").
    pub name: &'static str,
    /// The `wait-for` flag that gives its id.
    pub flag: &'static str,
    /// The field of the child object that holds the parent's id (required in the spec).
    pub field: &'static str,
    /// The 404 code of a missing parent, where the spec has one.
    pub not_found: Option<&'static str>,
    /// The context list of the child's notifications that names the parent, where one does:
    /// the parent id can be learnt from the first notification about the child.
    pub context: Option<Context>,
}

pub const CONTAINER: Parent = Parent {
    kind: "container",
    name: "container",
    flag: "--container",
    field: "container_id",
    not_found: Some("404.container"),
    context: Some(Context::Containers),
};
pub const PIPELINE: Parent = Parent {
    kind: "pipeline",
    name: "pipeline",
    flag: "--pipeline",
    field: "pipeline_id",
    not_found: Some("404.pipeline"),
    context: None,
};
pub const ENVIRONMENT: Parent = Parent {
    kind: "environment",
    name: "environment",
    flag: "--environment",
    field: "environment_id",
    not_found: Some("404.environment"),
    context: Some(Context::Environments),
};
pub const ZONE: Parent = Parent {
    kind: "dns-zone",
    name: "DNS zone",
    flag: "--zone",
    field: "zone_id",
    not_found: Some("404.dns.zone"),
    context: None,
};
/// The virtual provider integration of an ISO; the spec names no 404 code for it.
pub const INTEGRATION: Parent = Parent {
    kind: "integration",
    name: "integration",
    flag: "--integration",
    field: "integration_id",
    not_found: None,
    context: None,
};

/// Every parent, for the flags that give them.
pub const PARENTS: &[&Parent] = &[&CONTAINER, &PIPELINE, &ENVIRONMENT, &ZONE, &INTEGRATION];

/// The instance list of a container (`containers/instances/instances.yml`), for
/// `wait-for container --healthy`; it needs the instance kind's capability.
pub const INSTANCES_PATH: &str = "containers/{id}/instances";

#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// Topics about this kind start with this; `<prefix>error` is its error topic.
    pub topic_prefix: &'static str,
    /// The GET path under /v1/, with `{id}` and, where needed, `{parent}`. The hub itself
    /// (`hubs/current`) has no `{id}`.
    pub path: &'static str,
    pub parent: Option<&'static Parent>,
    /// States `wait-for` waits for when `--state` is not given.
    pub targets: &'static [&'static str],
    /// States that end the wait with a failure unless `--fail-on` says otherwise.
    pub failures: &'static [&'static str],
    /// Every state the API documents (the `current` enum of the kind's `State` schema), for
    /// help and typo warnings.
    pub states: &'static [&'static str],
    /// A set `state.error` fails the wait without `--fail-on-error`: the official tool that
    /// decides so. `None`: shown, not fatal (no official tool fails on it).
    pub error_fails: Option<&'static str>,
    /// The `code` of a 404 for a missing object of this kind (docs/cycle-api.md §9), where the
    /// spec's `Error.yml` lists one.
    pub not_found: Option<&'static str>,
    /// The capability the GET needs (docs/cycle-api.md §10).
    pub capability: &'static str,
    /// Where the GET is defined: a file under `platform/paths/` of the spec.
    pub source: &'static str,
}

/// The states and targets: `Kind.states` from the `current` enums of api-spec `e9bc7e9`
/// (dns-record's from the newer spec: its GET is only there); targets and failures are the
/// tool's reading of those enums, and `deleted` is a failure wherever it exists.
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
        error_fails: None,
        not_found: Some("404.container"),
        capability: "containers-view",
        source: "containers/container.yml",
    },
    Kind {
        name: "instance",
        aliases: &["instances", "container-instance"],
        topic_prefix: "container.instance.",
        path: "containers/{parent}/instances/{id}",
        parent: Some(&CONTAINER),
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
        error_fails: None,
        not_found: Some("404.instance"),
        capability: "containers-view",
        source: "containers/instances/instance.yml",
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
        error_fails: None,
        not_found: Some("404.environment"),
        capability: "environments-view",
        source: "environments/environment.yml",
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
        error_fails: None,
        not_found: Some("404.image"),
        capability: "images-view",
        source: "images/image.yml",
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
        error_fails: None,
        not_found: Some("404.image.source"),
        capability: "images-sources-view",
        source: "images/sources/source.yml",
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
        error_fails: None,
        not_found: Some("404.infrastructure.server"),
        capability: "servers-view",
        source: "infrastructure/servers/server.yml",
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
        error_fails: None,
        not_found: Some("404.stack"),
        capability: "stacks-view",
        source: "stacks/stack.yml",
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
        error_fails: None,
        not_found: Some("404.stack-build"),
        capability: "stacks-view",
        source: "stacks/builds/lookup.yml",
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
        error_fails: None,
        not_found: Some("404.job"),
        capability: "apionly-jobs-view",
        source: "jobs/job.yml",
    },
    Kind {
        name: "pipeline-run",
        aliases: &["pipeline-runs", "run"],
        topic_prefix: "pipeline.run.",
        path: "pipelines/{parent}/runs/{id}",
        parent: Some(&PIPELINE),
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
        error_fails: Some("pipeline-trigger-action src/index.ts"),
        not_found: Some("404.pipeline.run"),
        capability: "pipelines-view",
        source: "pipelines/run.yml",
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
        error_fails: None,
        not_found: Some("404.virtual-machine"),
        capability: "virtual-machines-view",
        source: "virtual-machines/virtual-machine.yml",
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
        error_fails: None,
        not_found: Some("404.dns.zone"),
        capability: "dns-view",
        source: "dns/zone.yml",
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
        error_fails: None,
        not_found: Some("404.sdn.network"),
        capability: "sdn-networks-view",
        source: "sdn/network.yml",
    },
    Kind {
        name: "container-backup",
        aliases: &["container-backups", "backup", "backups"],
        topic_prefix: "container.backup.",
        path: "containers/{parent}/backups/{id}",
        parent: Some(&CONTAINER),
        targets: &["live"],
        failures: &["deleted"],
        states: &["saving", "live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.container.backup"),
        capability: "containers-backups-view",
        source: "containers/backups/backup.yml",
    },
    Kind {
        name: "scoped-variable",
        aliases: &["scoped-variables", "variable"],
        topic_prefix: "environment.scoped-variable.",
        path: "environments/{parent}/scoped-variables/{id}",
        parent: Some(&ENVIRONMENT),
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.environment.scoped-variable"),
        capability: "scoped-variables-view",
        source: "environments/scoped-variable.yml",
    },
    Kind {
        name: "pipeline",
        aliases: &["pipelines"],
        topic_prefix: "pipeline.",
        path: "pipelines/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "acquiring", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.pipeline"),
        capability: "pipelines-view",
        source: "pipelines/pipeline.yml",
    },
    Kind {
        name: "pipeline-key",
        aliases: &["pipeline-keys", "trigger-key", "trigger-keys"],
        topic_prefix: "pipeline.key.",
        path: "pipelines/{parent}/keys/{id}",
        parent: Some(&PIPELINE),
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.pipeline.key"),
        capability: "pipelines-manage",
        source: "pipelines/triggerKeys/triggerKey.yml",
    },
    Kind {
        name: "tls-certificate",
        aliases: &["tls-certificates", "certificate"],
        topic_prefix: "dns.certificate.",
        path: "dns/tls/certificates/user-supplied/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deprecated"],
        states: &["new", "processing", "live", "deprecated"],
        error_fails: None,
        not_found: None,
        capability: "dns-certs-view",
        source: "dns/tls/user-supplied/certificate.yml",
    },
    Kind {
        name: "dns-record",
        aliases: &["dns-records", "record"],
        topic_prefix: "dns.zone.record.",
        path: "dns/zones/{parent}/records/{id}",
        parent: Some(&ZONE),
        targets: &["live"],
        failures: &["deleted"],
        states: &["pending", "live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.dns.record"),
        capability: "dns-manage",
        source: "newer spec: getDnsRecord",
    },
    Kind {
        name: "api-key",
        aliases: &["api-keys"],
        topic_prefix: "hub.api_key.",
        path: "hubs/current/api-keys/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &[
            "new",
            "configuring",
            "live",
            "inactive",
            "deleting",
            "deleted",
        ],
        error_fails: None,
        not_found: Some("404.hub.api-key"),
        capability: "api-keys-manage",
        source: "hubs/keys/key.yml",
    },
    Kind {
        name: "external-volume",
        aliases: &["external-volumes", "volume"],
        topic_prefix: "infrastructure.external-volumes.",
        path: "infrastructure/external-volumes/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["new", "ready", "configuring", "live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.infrastructure.external-volume"),
        capability: "external-volumes-view",
        source: "infrastructure/external-volumes/external-volume.yml",
    },
    Kind {
        name: "cluster",
        aliases: &["clusters"],
        topic_prefix: "infrastructure.cluster.",
        path: "infrastructure/clusters/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.infrastructure.cluster"),
        capability: "clusters-view",
        source: "infrastructure/clusters/cluster.yml",
    },
    Kind {
        name: "autoscale-group",
        aliases: &["autoscale-groups", "auto-scale-group"],
        topic_prefix: "infrastructure.autoscale.group.",
        path: "infrastructure/auto-scale/groups/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["new", "live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.infrastructure.autoscale.group"),
        capability: "autoscale-groups-view",
        source: "infrastructure/auto-scale/groups/group.yml",
    },
    Kind {
        name: "billing-order",
        aliases: &["billing-orders", "order"],
        topic_prefix: "billing.order.",
        path: "billing/orders/{id}",
        parent: None,
        targets: &["processed"],
        failures: &["deleted"],
        states: &["new", "processed", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.billing.order"),
        capability: "billing-services-manage",
        source: "billing/orders/order.yml",
    },
    Kind {
        name: "invoice",
        aliases: &["invoices", "billing-invoice"],
        topic_prefix: "billing.invoice.",
        path: "billing/invoices/{id}",
        parent: None,
        targets: &["paid"],
        failures: &["voided", "uncollectible"],
        states: &[
            "new",
            "billing",
            "billed",
            "processing",
            "partially-paid",
            "awaiting-funds",
            "paid",
            "refunding",
            "refunded",
            "crediting",
            "credited",
            "voiding",
            "voided",
            "uncollectible",
        ],
        error_fails: None,
        not_found: Some("404.billing.invoice"),
        capability: "billing-invoices-view",
        source: "billing/invoices/invoice.yml",
    },
    Kind {
        name: "credit",
        aliases: &["credits", "billing-credit"],
        topic_prefix: "billing.credit.",
        path: "billing/credits/{id}",
        parent: None,
        targets: &["live"],
        failures: &["expired"],
        states: &["new", "live", "expired"],
        error_fails: None,
        not_found: Some("404.billing.credit"),
        capability: "billing-credits-view",
        source: "billing/credits/credit.yml",
    },
    Kind {
        name: "billing-method",
        aliases: &["billing-methods", "payment-method"],
        topic_prefix: "billing.method.",
        path: "billing/methods/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "pending-verification", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.billing.payment-method"),
        capability: "billing-methods-manage",
        source: "billing/methods/method.yml",
    },
    Kind {
        name: "billing-service",
        aliases: &["billing-services"],
        topic_prefix: "billing.service.",
        path: "billing/services/{id}",
        parent: None,
        targets: &["active"],
        failures: &[],
        states: &["active"],
        error_fails: None,
        not_found: Some("404.billing.service"),
        capability: "billing-services-view",
        source: "billing/services/service.yml",
    },
    Kind {
        name: "hub",
        aliases: &["hubs"],
        topic_prefix: "hub.",
        path: "hubs/current",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &[
            "new",
            "configuring",
            "live",
            "inactive",
            "deleting",
            "deleted",
        ],
        error_fails: None,
        not_found: Some("404.hub"),
        capability: "hubs-view",
        source: "hubs/hub.yml",
    },
    Kind {
        name: "integration",
        aliases: &["integrations"],
        topic_prefix: "hub.integration.",
        path: "hubs/current/integrations/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["new", "verifying", "live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.hub.integration"),
        capability: "hubs-integrations-view",
        source: "hubs/integrations/integration.yml",
    },
    Kind {
        name: "membership",
        aliases: &["memberships", "member"],
        topic_prefix: "hub.membership.",
        path: "hubs/current/members/{id}",
        parent: None,
        targets: &["accepted"],
        failures: &["declined", "revoked", "deleted"],
        states: &["pending", "accepted", "declined", "revoked", "deleted"],
        error_fails: None,
        not_found: Some("404.hub.membership"),
        capability: "hubs-members-view",
        source: "hubs/members/member.yml",
    },
    Kind {
        name: "role",
        aliases: &["roles"],
        topic_prefix: "hub.role.",
        path: "hubs/current/roles/{id}",
        parent: None,
        targets: &["live"],
        failures: &[],
        states: &["live"],
        error_fails: None,
        not_found: Some("404.hub.role"),
        capability: "hubs-roles-manage",
        source: "hubs/roles/role.yml",
    },
    Kind {
        name: "ip-pool",
        aliases: &["ip-pools", "pool"],
        topic_prefix: "ips_pool.",
        path: "infrastructure/ips/pools/{id}",
        parent: None,
        targets: &["live"],
        failures: &["released"],
        states: &["live", "releasing", "released"],
        error_fails: None,
        not_found: Some("404.infrastructure.ips.pool"),
        capability: "ips-manage",
        source: "infrastructure/ips/pool.yml",
    },
    Kind {
        name: "iso",
        aliases: &["isos", "virtual-provider-iso"],
        topic_prefix: "infrastructure.virtual-providers.iso.",
        path: "infrastructure/virtual-providers/{parent}/isos/{id}",
        parent: Some(&INTEGRATION),
        targets: &["live"],
        failures: &["deleted"],
        states: &["new", "building", "live", "deleting", "deleted"],
        error_fails: None,
        not_found: None,
        capability: "servers-manage",
        source: "infrastructure/virtual-providers/isos/iso.yml",
    },
    Kind {
        name: "ssh-key",
        aliases: &["ssh-keys", "vm-ssh-key"],
        topic_prefix: "virtual-machine.ssh-key.",
        path: "virtual-machines/ssh-keys/{id}",
        parent: None,
        targets: &["live"],
        failures: &["deleted"],
        states: &["live", "deleting", "deleted"],
        error_fails: None,
        not_found: Some("404.virtual-machine.ssh-key"),
        capability: "virtual-machines-ssh-keys-manage",
        source: "virtual-machines/ssh-keys/ssh-key.yml",
    },
];

impl Kind {
    pub fn find(name: &str) -> Option<&'static Kind> {
        let name = name.trim().to_ascii_lowercase();
        KINDS
            .iter()
            .find(|k| k.name == name || k.aliases.contains(&name.as_str()))
    }

    /// The kind names closest to a name that is not one (a did-you-mean), best first.
    pub fn suggest(name: &str) -> Vec<&'static str> {
        let name = name.trim().to_ascii_lowercase();
        let mut scored: Vec<(usize, &'static str)> = KINDS
            .iter()
            .map(|k| {
                let d = k
                    .aliases
                    .iter()
                    .chain([&k.name])
                    .map(|n| edits(&name, n))
                    .min()
                    .unwrap_or(usize::MAX);
                (d, k.name)
            })
            // Further than half the name is a guess, not a typo.
            .filter(|(d, _)| *d <= name.chars().count().div_ceil(2).max(2))
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, n)| n).collect()
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

    /// Whether the GET path names the object (every kind but the hub itself).
    pub fn has_id(&self) -> bool {
        self.path.contains("{id}")
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

    /// Matches a request path against this kind's pattern: `(parent, id)` on a hit; the id
    /// is `None` for a path without one (the hub itself).
    pub fn match_path<'p>(&self, path: &'p str) -> Option<(Option<&'p str>, Option<&'p str>)> {
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
        Some((parent, id))
    }

    /// The path as the README shows it: `{parent}` spelt as what it is.
    fn path_shown(&self) -> String {
        let parent = self.parent.map(|p| p.field.trim_end_matches("_id"));
        match parent {
            Some(p) => self.path.replace("{parent}", &format!("{{{p}}}")),
            None => self.path.to_string(),
        }
    }
}

/// Levenshtein distance: the typos a did-you-mean catches.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The `wait-for --help` table of kinds and their defaults.
pub fn help_table() -> String {
    let mut out = String::from("Kinds (default target states; default failure states):\n");
    for k in KINDS {
        let parent = k
            .parent
            .map(|p| format!(" (needs {} ID)", p.flag))
            .unwrap_or_default();
        let fails = if k.failures.is_empty() {
            "nothing".to_string()
        } else {
            k.failures.join(",")
        };
        let error = if k.error_fails.is_some() {
            ", state.error"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<16} {} ; fails on {fails}{error}{parent}",
            k.name,
            k.targets.join(",")
        );
    }
    out
}

/// The README's kinds table (a test keeps the README's copy current).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| kind | GET /v1/… | parent (flag, field) | states | waits for | fails on | state.error | capability | spec file |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for k in KINDS {
        let parent = k
            .parent
            .map(|p| format!("`{}`, `{}`", p.flag, p.field))
            .unwrap_or_else(|| "—".into());
        let fails = if k.failures.is_empty() {
            "—".to_string()
        } else {
            k.failures.join(", ")
        };
        let error = match k.error_fails {
            Some(source) => format!("fails ({source})"),
            None => "shown".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {parent} | {} | {} | {fails} | {error} | `{}` | `{}` |",
            k.name,
            k.path_shown(),
            k.states.join(", "),
            k.targets.join(", "),
            k.capability,
            k.source
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_consistent() {
        assert!(KINDS.len() >= 35);
        let mut names: Vec<&str> = KINDS
            .iter()
            .flat_map(|k| k.aliases.iter().copied().chain([k.name]))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a name or alias is used twice");
        for k in KINDS {
            assert!(!k.targets.is_empty(), "{}", k.name);
            for s in k.targets.iter().chain(k.failures) {
                assert!(
                    k.states.contains(s),
                    "{}: {s} is not a documented state",
                    k.name
                );
            }
            assert_eq!(
                k.path.contains("{parent}"),
                k.parent.is_some(),
                "{}: the path has a parent exactly when the row does",
                k.name
            );
            assert!(k.topic_prefix.ends_with('.'), "{}", k.name);
            if let Some(code) = k.not_found {
                assert!(code.starts_with("404.") && code != "404.uri", "{}", k.name);
            }
            assert!(!k.capability.is_empty() && !k.source.is_empty());
            // Only the hub itself is read without an id.
            assert_eq!(k.has_id(), k.name != "hub", "{}", k.name);
        }
    }

    #[test]
    fn every_parent_is_a_kind() {
        for p in PARENTS {
            assert!(Kind::find(p.kind).is_some(), "{}", p.kind);
        }
    }

    #[test]
    fn topics_map_to_the_most_specific_kind() {
        let of = |t: &str| Kind::of_topic(t).map(|k| k.name);
        assert_eq!(of("container.instance.state.changed"), Some("instance"));
        assert_eq!(of("container.instances.reconfigured"), Some("container"));
        assert_eq!(
            of("container.backup.state.changed"),
            Some("container-backup")
        );
        assert_eq!(of("image.source.new"), Some("image-source"));
        assert_eq!(of("pipeline.run.state.changed"), Some("pipeline-run"));
        assert_eq!(of("pipeline.key.error"), Some("pipeline-key"));
        assert_eq!(of("pipeline.state.changed"), Some("pipeline"));
        assert_eq!(of("dns.zone.record.state.changed"), Some("dns-record"));
        assert_eq!(of("hub.api_key.state.changed"), Some("api-key"));
        assert_eq!(of("hub.state.changed"), Some("hub"));
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
            assert_eq!(id.is_some(), k.has_id(), "{}", k.name);
            if k.has_id() {
                assert_eq!(id, Some("abc"));
            }
            assert_eq!(parent, k.parent.map(|_| "par"), "{}", k.name);
            // No other kind claims the path.
            let others: Vec<&str> = KINDS
                .iter()
                .filter(|o| o.name != k.name && o.match_path(&path).is_some())
                .map(|o| o.name)
                .collect();
            assert!(
                others.is_empty(),
                "{}: {path} also matches {others:?}",
                k.name
            );
        }
        assert_eq!(
            Kind::find("image-source")
                .unwrap()
                .match_path("/v1/images/sources/x"),
            Some((None, Some("x")))
        );
        let hub = Kind::find("hub").unwrap();
        assert_eq!(hub.api_path("ignored", None), "/v1/hubs/current");
        assert_eq!(
            hub.match_path("/v1/hubs/current/notifications"),
            None,
            "the token path is not the hub's"
        );
    }

    #[test]
    fn unknown_kinds_get_a_did_you_mean() {
        assert_eq!(Kind::suggest("contaner").first(), Some(&"container"));
        assert_eq!(Kind::suggest("pipline-run").first(), Some(&"pipeline-run"));
        assert_eq!(Kind::suggest("instnce").first(), Some(&"instance"));
        assert!(Kind::suggest("zzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn tables_have_a_row_per_kind() {
        let help = help_table();
        let readme = markdown_table();
        for k in KINDS {
            assert!(help.contains(&format!("  {:<16} ", k.name)), "{}", k.name);
            assert!(readme.contains(&format!("| {} | `", k.name)), "{}", k.name);
        }
        assert!(readme.contains("`containers/{container}/instances/{id}`"));
        assert!(help.contains("--pipeline ID"));
    }
}
