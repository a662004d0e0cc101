//! `wait-for container --healthy`: what the instances of a running container say, from the
//! instance list (`state.health.healthy`) and from instance notifications
//! (`annotations.health` of `container.instance.health.status.changed`), decided as "every
//! instance running and healthy", or failed by an instance that failed or stayed unhealthy.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::hub::api::ObjectState;
use crate::leaf::time::clock;

/// What a notification says about one instance of a watched container.
#[derive(Debug, Clone)]
pub struct InstanceChange {
    pub id: String,
    pub state: Option<String>,
    /// `Some` when the notification says anything about health (`None` inside: unknown).
    pub health: Option<Option<bool>>,
    pub error: Option<String>,
}

impl InstanceChange {
    /// `annotations.health` as a verdict: healthy, unhealthy, or unknown (docs/cycle-api.md §3).
    pub fn health_of(annotation: Option<&str>) -> Option<Option<bool>> {
        match annotation? {
            "healthy" => Some(Some(true)),
            "unhealthy" => Some(Some(false)),
            _ => Some(None),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Instance {
    state: Option<String>,
    healthy: Option<bool>,
    error: Option<String>,
    /// Since when it has been unhealthy without a healthy report in between.
    unhealthy_since: Option<Instant>,
}

impl Instance {
    fn set_health(&mut self, healthy: Option<bool>, now: Instant) {
        self.healthy = healthy;
        if healthy == Some(false) {
            self.unhealthy_since.get_or_insert(now);
        } else {
            self.unhealthy_since = None;
        }
    }
}

/// How the instances stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Healthy,
    /// Not yet, and why; look again at `recheck` at the latest (an unhealthy instance's grace
    /// ends then).
    Pending {
        why: String,
        recheck: Option<Instant>,
    },
    /// The wait has failed: the sentence names the instance and its error.
    Failed(String),
}

/// The instances of one container, as far as they are known.
#[derive(Debug, Default)]
pub struct Instances {
    by_id: BTreeMap<String, Instance>,
    /// Whether the list was read at least once.
    listed: bool,
    /// Whether the container has a health check: without one (Cycle's own "healthy" watch
    /// counts only instances that have one), running is enough.
    pub health_check: Option<bool>,
}

/// States of instances on their way out: not counted.
const LEAVING: &[&str] = &["deleting", "deleted"];

impl Instances {
    /// Takes a fresh list: instances not in it are gone; an unhealthy one keeps its clock.
    pub fn listed(&mut self, list: Vec<ObjectState>, now: Instant) {
        let mut by_id = BTreeMap::new();
        for o in list {
            let Some(id) = o.id else { continue };
            let mut i = self.by_id.remove(&id).unwrap_or_default();
            i.state = o.current;
            i.error = o.error;
            i.set_health(o.healthy, now);
            by_id.insert(id, i);
        }
        self.by_id = by_id;
        self.listed = true;
    }

    /// Applies a notification; `true` when the instance was not known (the list is stale).
    pub fn changed(&mut self, change: InstanceChange, now: Instant) -> bool {
        let known = self.by_id.contains_key(&change.id);
        let i = self.by_id.entry(change.id).or_default();
        if let Some(state) = change.state {
            i.state = Some(state);
        }
        if let Some(healthy) = change.health {
            i.set_health(healthy, now);
        }
        if change.error.is_some() {
            i.error = change.error;
        }
        !known
    }

    pub fn is_listed(&self) -> bool {
        self.listed
    }

    pub fn judge(&self, now: Instant, grace: Duration) -> Health {
        let pending = |why: String| Health::Pending { why, recheck: None };
        if !self.listed {
            return pending("its instances are not listed yet".into());
        }
        let counted: Vec<(&String, &Instance)> = self
            .by_id
            .iter()
            .filter(|(_, i)| !i.state.as_deref().is_some_and(|s| LEAVING.contains(&s)))
            .collect();
        if counted.is_empty() {
            return pending("no instances yet".into());
        }
        let with_error = |what: String, i: &Instance| match &i.error {
            Some(e) => format!("{what}: {e}"),
            None => what,
        };
        let mut recheck: Option<Instant> = None;
        for (id, i) in &counted {
            if i.state.as_deref() == Some("failed") {
                return Health::Failed(with_error(format!("instance {id} failed"), i));
            }
            if let Some(since) = i.unhealthy_since {
                let ends = since + grace;
                if now >= ends {
                    return Health::Failed(with_error(
                        format!(
                            "instance {id} stayed unhealthy for {} (--unhealthy-grace {})",
                            clock(now - since),
                            clock(grace)
                        ),
                        i,
                    ));
                }
                recheck = Some(recheck.map_or(ends, |r| r.min(ends)));
            }
        }
        let ok = counted
            .iter()
            .filter(|(_, i)| {
                i.state.as_deref() == Some("running")
                    && (i.healthy == Some(true) || self.health_check == Some(false))
            })
            .count();
        if ok == counted.len() {
            return Health::Healthy;
        }
        let unhealthy: Vec<&str> = counted
            .iter()
            .filter(|(_, i)| i.healthy == Some(false))
            .map(|(id, _)| id.as_str())
            .collect();
        let mut why = format!("{ok} of {} instances running and healthy", counted.len());
        if !unhealthy.is_empty() {
            why.push_str(&format!(" (unhealthy: {})", unhealthy.join(", ")));
        }
        Health::Pending { why, recheck }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(id: &str, state: &str, healthy: Option<bool>) -> ObjectState {
        ObjectState {
            id: Some(id.into()),
            current: Some(state.into()),
            healthy,
            ..ObjectState::default()
        }
    }

    const GRACE: Duration = Duration::from_secs(30);

    #[test]
    fn every_instance_running_and_healthy() {
        let now = Instant::now();
        let mut i = Instances::default();
        assert!(matches!(i.judge(now, GRACE), Health::Pending { .. }));
        i.listed(vec![], now);
        assert!(
            matches!(i.judge(now, GRACE), Health::Pending { why, .. } if why == "no instances yet")
        );
        i.listed(
            vec![
                instance("a", "running", Some(true)),
                instance("b", "starting", None),
                instance("old", "deleting", Some(false)),
            ],
            now,
        );
        assert!(
            matches!(i.judge(now, GRACE), Health::Pending { why, .. } if why == "1 of 2 instances running and healthy")
        );
        assert!(!i.changed(
            InstanceChange {
                id: "b".into(),
                state: Some("running".into()),
                health: InstanceChange::health_of(Some("healthy")),
                error: None,
            },
            now
        ));
        assert_eq!(i.judge(now, GRACE), Health::Healthy);
    }

    #[test]
    fn no_health_check_means_running_is_enough() {
        let now = Instant::now();
        let mut i = Instances {
            health_check: Some(false),
            ..Instances::default()
        };
        i.listed(vec![instance("a", "running", None)], now);
        assert_eq!(i.judge(now, GRACE), Health::Healthy);
    }

    #[test]
    fn unhealthy_past_the_grace_or_failed_fails_naming_the_instance() {
        let start = Instant::now();
        let mut i = Instances::default();
        i.listed(
            vec![
                instance("a", "running", Some(true)),
                instance("b", "running", Some(false)),
            ],
            start,
        );
        let Health::Pending { recheck, why } = i.judge(start + GRACE / 2, GRACE) else {
            panic!()
        };
        assert_eq!(recheck, Some(start + GRACE));
        assert!(why.contains("unhealthy: b"), "{why}");
        // A fresh list keeps the clock of an instance that is still unhealthy.
        i.listed(
            vec![
                instance("a", "running", Some(true)),
                ObjectState {
                    error: Some("health check: exit 1".into()),
                    ..instance("b", "running", Some(false))
                },
            ],
            start + GRACE / 2,
        );
        let Health::Failed(why) = i.judge(start + GRACE, GRACE) else {
            panic!()
        };
        assert_eq!(
            why,
            "instance b stayed unhealthy for 30s (--unhealthy-grace 30s): health check: exit 1"
        );
        // Healthy again resets it; failed fails at once.
        i.changed(
            InstanceChange {
                id: "b".into(),
                state: None,
                health: Some(Some(true)),
                error: None,
            },
            start,
        );
        assert_eq!(i.judge(start + GRACE * 2, GRACE), Health::Healthy);
        assert!(i.changed(
            InstanceChange {
                id: "c".into(),
                state: Some("failed".into()),
                health: None,
                error: Some("oom".into()),
            },
            start
        ));
        assert_eq!(
            i.judge(start, GRACE),
            Health::Failed("instance c failed: oom".into())
        );
    }
}
