//! Built-in scenarios of the simulated hub: realistic notifications with 24-hex ids, contexts
//! that point at the right environment and container, and both previous-state spellings.

use std::time::Duration;

use serde::Serialize;

use super::{Rng, Step};

/// Builds one notification the way Cycle shapes them (docs/cycle-api.md §3).
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

/// The wire shape, field order as Cycle sends it (topic first).
#[derive(Serialize)]
struct Wire<'a> {
    topic: &'a str,
    object: WireObject<'a>,
    context: WireContext<'a>,
    flags: Option<()>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotations: Option<WireAnnotations<'a>>,
}

#[derive(Serialize)]
struct WireObject<'a> {
    id: Option<&'a str>,
    state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_previous: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_state: Option<Option<&'a str>>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct WireContext<'a> {
    label: Option<()>,
    hub_id: &'a str,
    account_id: Option<()>,
    environments: Option<[&'a str; 1]>,
    dns_zones: Option<()>,
    containers: Option<[&'a str; 1]>,
    clusters: Option<[&'a str; 1]>,
    virtual_machines: Option<()>,
}

#[derive(Serialize)]
struct WireAnnotations<'a> {
    health: &'a str,
    ready: &'a str,
}

impl Note<'_> {
    pub fn to_json(&self, hub_id: &str) -> String {
        let wire = Wire {
            topic: self.topic,
            object: WireObject {
                id: self.id,
                state: self.state,
                state_previous: (!self.spec_spelling).then_some(self.previous),
                previous_state: self.spec_spelling.then_some(self.previous),
                error: self.error,
            },
            context: WireContext {
                label: None,
                hub_id,
                account_id: None,
                environments: self.environment.map(|e| [e]),
                dns_zones: None,
                containers: self.container.map(|c| [c]),
                clusters: self.cluster.map(|c| [c]),
                virtual_machines: None,
            },
            flags: None,
            annotations: (self.health.is_some() || self.ready.is_some()).then(|| WireAnnotations {
                health: self.health.unwrap_or("unknown"),
                ready: self.ready.unwrap_or("unknown"),
            }),
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    pub fn step(&self, hub_id: &str) -> Step {
        Step::text(self.to_json(hub_id))
    }
}

/// Emits a sequence of notifications with human-scale pauses between them.
struct Writer<'r> {
    hub_id: String,
    rng: &'r mut Rng,
    steps: Vec<Step>,
    spelling: bool,
}

impl Writer<'_> {
    fn pause(&mut self, min_ms: u64, max_ms: u64) {
        let ms = min_ms + self.rng.below(max_ms - min_ms + 1);
        self.steps.push(Step::Pause(Duration::from_millis(ms)));
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

/// How a scenario produces its notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Rounds of a story with human-scale pauses, new ids each round, forever.
    Rounds,
    /// A pool of pre-serialised notifications sent over and over at `--rate` (load).
    Pool,
}

/// A named scenario of `simulate --scenario` (and `--demo`).
pub struct Scenario {
    pub name: &'static str,
    pub about: &'static str,
    pub shape: Shape,
    /// One round (Rounds) or the whole pool (Pool).
    pub build: fn(&mut Rng, &str, u64) -> Vec<Step>,
}

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "demo",
        about: "the --demo mix: deployments, with an image build error or a crashing instance every round after the first",
        shape: Shape::Rounds,
        build: demo_round,
    },
    Scenario {
        name: "deploy",
        about: "an environment, an image build, containers starting with healthy, ready instances, a stack build deployed",
        shape: Shape::Rounds,
        build: deploy_round,
    },
    Scenario {
        name: "failure",
        about: "an image build error, a container stuck starting with unhealthy instances, a job in error",
        shape: Shape::Rounds,
        build: failure_round,
    },
    Scenario {
        name: "wait",
        about: "what wait-for decides: a job that completes, a job not readable for 2 s after job.new, a pipeline run that fails with state.error, an instance turning unhealthy, a container stopped with no notification",
        shape: Shape::Rounds,
        build: wait_round,
    },
    Scenario {
        name: "churn",
        about: "a steady random mix over every current topic of the catalogue, a third container.* (for load; default 50/s)",
        shape: Shape::Pool,
        build: churn_pool,
    },
];

pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

const CLUSTERS: [&str; 3] = ["production", "staging", "edge"];

/// The ids one round works with, and where they live.
struct Ids {
    env: String,
    image: String,
    container: String,
    build: String,
    cluster: &'static str,
}

impl Ids {
    fn new(rng: &mut Rng) -> Ids {
        Ids {
            env: rng.hex(24),
            image: rng.hex(24),
            container: rng.hex(24),
            build: rng.hex(24),
            cluster: CLUSTERS[rng.below(CLUSTERS.len() as u64) as usize],
        }
    }
}

fn writer<'r>(rng: &'r mut Rng, hub_id: &str) -> Writer<'r> {
    Writer {
        hub_id: hub_id.to_string(),
        rng,
        steps: Vec::new(),
        spelling: false,
    }
}

/// The deployment story; returns the instance ids it started.
fn deploy(w: &mut Writer, ids: &Ids) -> Vec<String> {
    let ctx = Note {
        environment: Some(&ids.env),
        cluster: Some(ids.cluster),
        ..Note::default()
    };
    let (env, image, container, build) = (&ids.env, &ids.image, &ids.container, &ids.build);
    w.note(Note {
        topic: "environment.new",
        id: Some(env),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "environment.state.changed",
            id: Some(env),
            ..ctx.clone()
        },
        &["new", "live"],
    );
    w.note(Note {
        topic: "stack.build.new",
        id: Some(build),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "stack.build.state.changed",
            id: Some(build),
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
        id: Some(image),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "image.state.changed",
            id: Some(image),
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
        container: Some(container),
        ..ctx.clone()
    };
    w.note(Note {
        topic: "container.new",
        id: Some(container),
        state: Some("new"),
        ..with_container.clone()
    });
    w.states(
        Note {
            topic: "container.state.changed",
            id: Some(container),
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
            id: Some(container),
            ..with_container.clone()
        },
        &["starting", "running"],
    );
    w.note(Note {
        topic: "container.instances.reconfigured",
        id: Some(container),
        ..with_container.clone()
    });
    w.states(
        Note {
            topic: "stack.build.state.changed",
            id: Some(build),
            ..ctx.clone()
        },
        &["live", "deploying", "live"],
    );
    w.note(Note {
        topic: "stack.build.deployed",
        id: Some(build),
        state: Some("live"),
        ..ctx.clone()
    });
    w.note(Note {
        topic: "environment.deployments.reconfigured",
        id: Some(env),
        ..ctx
    });
    instances
}

fn image_build_error(w: &mut Writer, ids: &Ids) {
    let ctx = Note {
        environment: Some(&ids.env),
        cluster: Some(ids.cluster),
        ..Note::default()
    };
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
        ..ctx
    });
}

fn instance_crash(w: &mut Writer, ids: &Ids, instance: &str) {
    let ctx = Note {
        environment: Some(&ids.env),
        cluster: Some(ids.cluster),
        container: Some(&ids.container),
        ..Note::default()
    };
    w.states(
        Note {
            topic: "container.instance.state.changed",
            id: Some(instance),
            ..ctx.clone()
        },
        &["running", "failed"],
    );
    w.note(Note {
        topic: "container.instance.error",
        id: Some(instance),
        state: Some("failed"),
        error: Some("process exited with code 137 (out of memory)"),
        ..ctx.clone()
    });
    w.note(Note {
        topic: "container.instance.health.status.changed",
        id: Some(instance),
        health: Some("unhealthy"),
        ready: Some("pending"),
        ..ctx
    });
}

/// One round of the demo: a deployment, and from the second round on something failing,
/// alternating between two kinds of failure.
pub fn demo_round(rng: &mut Rng, hub_id: &str, round: u64) -> Vec<Step> {
    let ids = Ids::new(rng);
    let mut w = writer(rng, hub_id);
    let instances = deploy(&mut w, &ids);
    if round % 2 == 1 {
        image_build_error(&mut w, &ids);
    } else if round > 0 {
        instance_crash(&mut w, &ids, &instances[0]);
    }
    w.pause(800, 1600);
    w.steps
}

pub fn deploy_round(rng: &mut Rng, hub_id: &str, _round: u64) -> Vec<Step> {
    let ids = Ids::new(rng);
    let mut w = writer(rng, hub_id);
    deploy(&mut w, &ids);
    w.pause(800, 1600);
    w.steps
}

/// Things going wrong: a build error, a container that never gets past starting, a job
/// that ends in error.
pub fn failure_round(rng: &mut Rng, hub_id: &str, _round: u64) -> Vec<Step> {
    let ids = Ids::new(rng);
    let mut w = writer(rng, hub_id);
    let ctx = Note {
        environment: Some(&ids.env),
        cluster: Some(ids.cluster),
        ..Note::default()
    };
    image_build_error(&mut w, &ids);
    let container = Note {
        container: Some(&ids.container),
        ..ctx.clone()
    };
    w.note(Note {
        topic: "container.new",
        id: Some(&ids.container),
        state: Some("new"),
        ..container.clone()
    });
    w.states(
        Note {
            topic: "container.state.changed",
            id: Some(&ids.container),
            ..container.clone()
        },
        &["new", "starting"],
    );
    let instance = w.rng.hex(24);
    w.states(
        Note {
            topic: "container.instance.state.changed",
            id: Some(&instance),
            ..container.clone()
        },
        &["new", "starting", "running"],
    );
    instance_crash(&mut w, &ids, &instance);
    let job = w.rng.hex(24);
    w.note(Note {
        topic: "job.new",
        id: Some(&job),
        state: Some("new"),
        ..ctx.clone()
    });
    w.states(
        Note {
            topic: "job.state.changed",
            id: Some(&job),
            ..ctx.clone()
        },
        &["new", "queued", "running", "error"],
    );
    w.note(Note {
        topic: "job.error",
        id: Some(&job),
        state: Some("error"),
        error: Some("task `migrate-db` failed: connection refused"),
        ..ctx
    });
    w.pause(800, 1600);
    w.steps
}

/// The cases `wait-for` decides, one of each per round.
pub fn wait_round(rng: &mut Rng, hub_id: &str, _round: u64) -> Vec<Step> {
    let ids = Ids::new(rng);
    let mut w = writer(rng, hub_id);
    let ctx = Note {
        environment: Some(&ids.env),
        cluster: Some(ids.cluster),
        ..Note::default()
    };
    // A job that completes.
    let job = w.rng.hex(24);
    let job_note = Note {
        id: Some(&job),
        ..ctx.clone()
    };
    w.note(Note {
        topic: "job.new",
        state: Some("new"),
        ..job_note.clone()
    });
    w.states(
        Note {
            topic: "job.state.changed",
            ..job_note
        },
        &["new", "queued", "running", "completed"],
    );
    // A job the API does not show yet for a while after its job.new (docs/cycle-api.md §6:
    // a 404 right after creation is not a deletion).
    let late = w.rng.hex(24);
    let late_note = Note {
        id: Some(&late),
        ..ctx.clone()
    };
    w.steps.push(
        Note {
            topic: "job.new",
            state: Some("new"),
            ..late_note.clone()
        }
        .step(hub_id),
    );
    w.steps.push(Step::SetState {
        kind: "job",
        id: late.clone(),
        state: None,
    });
    w.steps.push(Step::Pause(Duration::from_secs(2)));
    w.steps.push(Step::SetState {
        kind: "job",
        id: late.clone(),
        state: Some("new".into()),
    });
    w.states(
        Note {
            topic: "job.state.changed",
            ..late_note
        },
        &["new", "queued", "running", "completed"],
    );
    // A pipeline run that fails: its state carries the error.
    let (run, pipeline) = (w.rng.hex(24), w.rng.hex(24));
    let run_note = Note {
        id: Some(&run),
        ..ctx.clone()
    };
    w.note(Note {
        topic: "pipeline.run.new",
        state: Some("queued"),
        ..run_note.clone()
    });
    // Notifications do not name a run's pipeline; the hub is told it.
    w.steps.push(Step::Parent {
        id: run.clone(),
        parent: pipeline,
    });
    w.states(
        Note {
            topic: "pipeline.run.state.changed",
            ..run_note.clone()
        },
        &["queued", "acquiring", "running"],
    );
    w.note(Note {
        topic: "pipeline.run.error",
        state: Some("running"),
        error: Some("stage `deploy`, step `migrate`: exited with code 2"),
        ..run_note.clone()
    });
    w.states(
        Note {
            topic: "pipeline.run.state.changed",
            ..run_note
        },
        &["running", "complete"],
    );
    // An instance that turns unhealthy.
    let with_container = Note {
        container: Some(&ids.container),
        ..ctx.clone()
    };
    w.states(
        Note {
            topic: "container.state.changed",
            id: Some(&ids.container),
            ..with_container.clone()
        },
        &["new", "starting", "running"],
    );
    let instance = w.rng.hex(24);
    let instance_note = Note {
        id: Some(&instance),
        ..with_container.clone()
    };
    w.states(
        Note {
            topic: "container.instance.state.changed",
            ..instance_note.clone()
        },
        &["new", "starting", "running"],
    );
    for health in ["healthy", "unhealthy"] {
        w.note(Note {
            topic: "container.instance.health.status.changed",
            health: Some(health),
            ready: Some("ready"),
            ..instance_note.clone()
        });
    }
    // A state change no notification tells: only a read finds the container stopped.
    w.steps.push(Step::SetState {
        kind: "container",
        id: ids.container.clone(),
        state: Some("stopped".into()),
    });
    w.pause(800, 1600);
    w.steps
}

/// Notifications in a pool of load-test size: every current topic of the catalogue, ids
/// from small per-kind pools so objects recur, states from the kind's documented states.
pub fn churn_pool(rng: &mut Rng, hub_id: &str, _round: u64) -> Vec<Step> {
    const POOL: usize = 4096;
    let current = || {
        crate::catalog::topics::all()
            .filter(|t| !t.legacy)
            .map(|t| t.name)
    };
    let (container_topics, other_topics): (Vec<&str>, Vec<&str>) =
        current().partition(|t| t.starts_with("container."));
    let envs: Vec<String> = (0..4).map(|_| rng.hex(24)).collect();
    let containers: Vec<String> = (0..16).map(|_| rng.hex(24)).collect();
    let objects: Vec<String> = (0..64).map(|_| rng.hex(24)).collect();
    let clusters = ["production", "staging", "edge"];
    let mut last: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    let mut steps = Vec::with_capacity(POOL);
    for i in 0..POOL {
        // Containers dominate a real hub's traffic: a third of the mix.
        let topic = if rng.below(3) == 0 {
            *rng.pick(&container_topics)
        } else {
            *rng.pick(&other_topics)
        };
        let kind = crate::catalog::kinds::Kind::of_topic(topic);
        let is_container = topic.starts_with("container.");
        let id = if topic.starts_with("container.") && !topic.starts_with("container.instance") {
            rng.pick(&containers).clone()
        } else {
            rng.pick(&objects).clone()
        };
        let state = match (
            kind,
            topic.ends_with("state.changed") || topic.ends_with(".new"),
        ) {
            (Some(k), true) if topic.ends_with(".new") => Some(k.states[0]),
            (Some(k), true) => Some(*rng.pick(k.states)),
            (None, true) => Some(*rng.pick(&["new", "live", "deleting"])),
            _ => None,
        };
        let previous = state.and_then(|_| last.get(&id).copied());
        if let Some(s) = state {
            last.insert(id.clone(), s);
        }
        let error = topic.ends_with(".error").then_some("simulated failure");
        let container = if is_container {
            Some(rng.pick(&containers).as_str())
        } else {
            None
        };
        let note = Note {
            topic,
            id: Some(&id),
            state,
            previous,
            error,
            environment: Some(rng.pick(&envs).as_str()),
            container: if topic.starts_with("container.instance") {
                container
            } else if is_container {
                Some(&id)
            } else {
                None
            },
            cluster: Some(*rng.pick(&clusters)),
            spec_spelling: i % 2 == 0,
            ..Note::default()
        };
        steps.push(note.step(hub_id));
    }
    steps
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
            for step in demo_round(&mut rng, "h", round) {
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
        let known: std::collections::HashSet<&str> =
            crate::catalog::topics::all().map(|t| t.name).collect();
        for t in &topics {
            assert!(known.contains(t.as_str()), "{t} is not in the catalogue");
        }
    }
}

#[cfg(test)]
mod scenario_tests {
    use super::*;
    use crate::notification::Notification;

    #[test]
    fn every_scenario_speaks_catalogue_topics_with_valid_frames() {
        let known: std::collections::HashSet<&str> =
            crate::catalog::topics::all().map(|t| t.name).collect();
        for scenario in SCENARIOS {
            let steps = (scenario.build)(&mut Rng::new(3), "h", 1);
            let texts: Vec<_> = steps
                .iter()
                .filter_map(|s| match s {
                    Step::Text(t) => Some(t),
                    _ => None,
                })
                .collect();
            assert!(texts.len() > 10, "{}", scenario.name);
            for t in texts {
                let n = Notification::parse(t).unwrap();
                assert!(
                    known.contains(n.topic.as_ref()),
                    "{}: {}",
                    scenario.name,
                    n.topic
                );
            }
        }
        // The wait scenario has each case wait-for decides.
        let steps = wait_round(&mut Rng::new(2), "h", 0);
        let texts: Vec<Notification> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Text(t) => Some(Notification::parse(t).unwrap()),
                _ => None,
            })
            .collect();
        let states = |topic: &str| -> Vec<String> {
            texts
                .iter()
                .filter(|n| n.topic == topic)
                .filter_map(|n| n.object().state.get().map(String::from))
                .collect()
        };
        assert!(states("job.state.changed").contains(&"completed".into()));
        let run_error = texts
            .iter()
            .find(|n| n.topic == "pipeline.run.error")
            .expect("a failing run");
        assert!(run_error.object().error_text().is_some());
        assert!(texts
            .iter()
            .any(|n| n.topic.ends_with("health.status.changed")
                && n.annotations().health.get() == Some("unhealthy")));
        let hidden = steps.iter().position(|s| {
            matches!(
                s,
                Step::SetState {
                    kind: "job",
                    state: None,
                    ..
                }
            )
        });
        assert!(
            hidden.is_some_and(|i| matches!(&steps[i - 1], Step::Text(t) if t.contains("job.new"))),
            "a job hidden right after its job.new"
        );
        let silent = steps
            .iter()
            .rposition(|s| {
                matches!(
                    s,
                    Step::SetState {
                        kind: "container",
                        ..
                    }
                )
            })
            .expect("a silent container change");
        assert!(!steps[silent..].iter().any(|s| matches!(s, Step::Text(_))));
        assert!(steps.iter().any(|s| matches!(s, Step::Parent { .. })));

        let failure: Vec<String> = failure_round(&mut Rng::new(1), "h", 0)
            .iter()
            .filter_map(|s| match s {
                Step::Text(t) => Some(Notification::parse(t).unwrap().topic.into_owned()),
                _ => None,
            })
            .collect();
        for t in ["image.error", "job.error", "container.instance.error"] {
            assert!(failure.iter().any(|x| x == t), "failure scenario lacks {t}");
        }
    }
}
