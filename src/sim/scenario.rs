//! Built-in scenarios of the simulated hub: realistic notifications with 24-hex ids, contexts
//! that point at the right environment and container, and both previous-state spellings.

use std::time::Duration;

use serde_json::{json, Value};

use super::{Rng, Step};

/// Builds one notification the way Cycle shapes them (cycle-api.md §3).
#[derive(Debug, Clone, Default)]
pub struct Note<'a> {
    pub topic: &'a str,
    pub id: Option<&'a str>,
    pub state: Option<&'a str>,
    pub previous: Option<&'a str>,
    pub error: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub container: Option<&'a str>,
    pub cluster: Option<&'a str>,
    pub health: Option<&'a str>,
    pub ready: Option<&'a str>,
    /// Use the spec's `previous_state` spelling instead of the newer `state_previous`.
    pub spec_spelling: bool,
}

impl Note<'_> {
    pub fn to_value(&self, hub_id: &str) -> Value {
        let mut object = json!({ "id": self.id, "state": self.state, "error": self.error });
        let prev_key = if self.spec_spelling {
            "previous_state"
        } else {
            "state_previous"
        };
        object[prev_key] = json!(self.previous);
        let list = |v: Option<&str>| v.map(|s| json!([s])).unwrap_or(Value::Null);
        let mut v = json!({
            "topic": self.topic,
            "object": object,
            "context": {
                "label": null,
                "hub_id": hub_id,
                "account_id": null,
                "environments": list(self.environment),
                "dns_zones": null,
                "containers": list(self.container),
                "clusters": list(self.cluster),
                "virtual_machines": null,
            },
            "flags": null,
        });
        if self.health.is_some() || self.ready.is_some() {
            v["annotations"] = json!({ "health": self.health.unwrap_or("unknown"), "ready": self.ready.unwrap_or("unknown") });
        }
        v
    }

    pub fn step(&self, hub_id: &str) -> Step {
        Step::text(self.to_value(hub_id).to_string())
    }
}

/// Emits a sequence of notifications with human-scale pauses between them.
struct Writer<'r> {
    hub_id: String,
    rng: &'r mut Rng,
    steps: Vec<Step>,
    speed: f64,
    spelling: bool,
}

impl Writer<'_> {
    fn pause(&mut self, min_ms: u64, max_ms: u64) {
        let ms = min_ms + self.rng.below(max_ms - min_ms + 1);
        self.steps.push(Step::Pause(Duration::from_secs_f64(
            ms as f64 / 1000.0 / self.speed,
        )));
    }

    fn note(&mut self, mut note: Note) {
        // Alternate spellings so clients meet both over a run, as on real hubs.
        self.spelling = !self.spelling;
        note.spec_spelling = self.spelling;
        let step = note.step(&self.hub_id);
        self.steps.push(step);
        self.pause(150, 700);
    }

    /// A chain of state changes on one object.
    fn states(&mut self, base: Note, states: &[&str]) {
        for pair in states.windows(2) {
            self.note(Note {
                previous: Some(pair[0]),
                state: Some(pair[1]),
                ..base.clone()
            });
        }
    }
}

/// One round of the demo: an environment with an image build, containers starting with
/// healthy instances, a stack build deployed, and now and then something failing.
pub fn demo_round(rng: &mut Rng, hub_id: &str, round: u64, speed: f64) -> Vec<Step> {
    let env = rng.hex(24);
    let image = rng.hex(24);
    let container = rng.hex(24);
    let stack = rng.hex(24);
    let build = rng.hex(24);
    let cluster = *rng.pick(&["production", "staging", "edge"]);
    let mut w = Writer {
        hub_id: hub_id.to_string(),
        rng,
        steps: Vec::new(),
        speed: speed.max(0.001),
        spelling: false,
    };
    let ctx = Note {
        environment: Some(&env),
        cluster: Some(cluster),
        ..Note::default()
    };

    w.note(Note {
        topic: "environment.new",
        id: Some(&env),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "environment.state.changed",
            id: Some(&env),
            ..ctx.clone()
        },
        &["new", "live"],
    );
    w.note(Note {
        topic: "stack.build.new",
        id: Some(&build),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "stack.build.state.changed",
            id: Some(&build),
            ..ctx.clone()
        },
        &[
            "new",
            "importing",
            "building",
            "verifying",
            "saving",
            "live",
        ],
    );
    w.note(Note {
        topic: "image.new",
        id: Some(&image),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "image.state.changed",
            id: Some(&image),
            ..ctx.clone()
        },
        &[
            "new",
            "downloading",
            "building",
            "verifying",
            "saving",
            "live",
        ],
    );
    let with_container = Note {
        container: Some(&container),
        ..ctx.clone()
    };
    w.note(Note {
        topic: "container.new",
        id: Some(&container),
        state: Some("new"),
        ..with_container.clone()
    });
    w.states(
        Note {
            topic: "container.state.changed",
            id: Some(&container),
            ..with_container.clone()
        },
        &["new", "starting"],
    );
    let instances: Vec<String> = (0..2).map(|_| w.rng.hex(24)).collect();
    for instance in &instances {
        w.states(
            Note {
                topic: "container.instance.state.changed",
                id: Some(instance),
                ..with_container.clone()
            },
            &["new", "starting", "running"],
        );
        w.note(Note {
            topic: "container.instance.health.status.changed",
            id: Some(instance),
            health: Some("healthy"),
            ready: Some("pending"),
            ..with_container.clone()
        });
        w.note(Note {
            topic: "container.instance.readiness.status.changed",
            id: Some(instance),
            health: Some("healthy"),
            ready: Some("ready"),
            ..with_container.clone()
        });
    }
    w.states(
        Note {
            topic: "container.state.changed",
            id: Some(&container),
            ..with_container.clone()
        },
        &["starting", "running"],
    );
    w.note(Note {
        topic: "container.instances.reconfigured",
        id: Some(&container),
        ..with_container.clone()
    });
    w.states(
        Note {
            topic: "stack.build.state.changed",
            id: Some(&build),
            ..ctx.clone()
        },
        &["live", "deploying", "live"],
    );
    w.note(Note {
        topic: "stack.build.deployed",
        id: Some(&build),
        state: Some("live"),
        ..ctx.clone()
    });
    w.note(Note {
        topic: "environment.deployments.reconfigured",
        id: Some(&env),
        ..ctx.clone()
    });
    let _ = stack;

    // Every other round something goes wrong, alternating between two kinds of failure.
    if round % 2 == 1 {
        let bad = w.rng.hex(24);
        w.note(Note {
            topic: "image.new",
            id: Some(&bad),
            state: Some("new"),
            ..ctx.clone()
        });
        w.states(
            Note {
                topic: "image.state.changed",
                id: Some(&bad),
                ..ctx.clone()
            },
            &["new", "downloading", "building"],
        );
        w.note(Note {
            topic: "image.error",
            id: Some(&bad),
            state: Some("building"),
            error: Some("build failed: step 4/9 `RUN npm ci` exited with code 1"),
            ..ctx.clone()
        });
    } else if round > 0 {
        let instance = &instances[0];
        w.states(
            Note {
                topic: "container.instance.state.changed",
                id: Some(instance),
                ..with_container.clone()
            },
            &["running", "failed"],
        );
        w.note(Note {
            topic: "container.instance.error",
            id: Some(instance),
            state: Some("failed"),
            error: Some("process exited with code 137 (out of memory)"),
            ..with_container.clone()
        });
        w.note(Note {
            topic: "container.instance.health.status.changed",
            id: Some(instance),
            health: Some("unhealthy"),
            ready: Some("pending"),
            ..with_container.clone()
        });
    }
    w.pause(800, 1600);
    w.steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::Notification;

    #[test]
    fn demo_rounds_are_valid_notifications() {
        let mut rng = Rng::new(7);
        let mut topics = std::collections::HashSet::new();
        let mut spellings = (false, false);
        for round in 0..3 {
            for step in demo_round(&mut rng, "h", round, 1.0) {
                if let Step::Text(t) = step {
                    let n = Notification::parse(&t).unwrap();
                    let o = n.object();
                    if let Some(id) = o.id.get() {
                        assert_eq!(id.len(), 24);
                        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
                    }
                    spellings.0 |= t.contains("\"state_previous\":\"");
                    spellings.1 |= t.contains("\"previous_state\":\"");
                    topics.insert(n.topic.into_owned());
                }
            }
        }
        assert!(spellings.0 && spellings.1);
        assert!(topics.contains("image.error") && topics.contains("container.instance.error"));
        let known: std::collections::HashSet<&str> = crate::topics::all().map(|t| t.name).collect();
        for t in &topics {
            assert!(known.contains(t.as_str()), "{t} is not in the catalogue");
        }
    }
}
