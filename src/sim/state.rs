//! The states of the simulated hub's objects: what its notifications announced (or a script
//! set silently), as state reads answer them.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::catalog::kinds::Kind;
use crate::notification::Notification;

#[derive(Debug, Clone)]
struct Object {
    kind: &'static str,
    state: String,
}

#[derive(Default)]
pub(super) struct States {
    objects: Mutex<HashMap<String, Object>>,
}

impl States {
    /// Objects that exist from the start: (kind name, id, state).
    pub fn new(initial: &[(&'static str, String, String)]) -> States {
        let objects = initial
            .iter()
            .map(|(kind, id, state)| {
                (
                    id.clone(),
                    Object {
                        kind,
                        state: state.clone(),
                    },
                )
            })
            .collect();
        States {
            objects: Mutex::new(objects),
        }
    }

    /// Sets an object's state; `None` removes it (reads then answer 404).
    pub fn set(&self, kind: &'static str, id: &str, state: Option<&str>) {
        let mut objects = self.objects.lock().unwrap_or_else(|e| e.into_inner());
        match state {
            Some(state) => {
                objects.insert(
                    id.to_string(),
                    Object {
                        kind,
                        state: state.to_string(),
                    },
                );
            }
            None => {
                objects.remove(id);
            }
        }
    }

    /// Keeps state reads in step with a notification the hub sends.
    pub fn announce(&self, frame: &str) {
        let Ok(n) = Notification::parse(frame) else {
            return;
        };
        let Some(kind) = Kind::of_topic(&n.topic) else {
            return;
        };
        let object = n.object();
        if let (Some(id), Some(state)) = (object.id.get(), object.state.get()) {
            self.set(kind.name, id, Some(state));
        }
    }

    /// The `data` of a state read (docs/cycle-api.md §6), or `None` for no such object.
    pub fn read(&self, kind: &Kind, id: &str, hub_id: &str) -> Option<serde_json::Value> {
        let objects = self.objects.lock().unwrap_or_else(|e| e.into_inner());
        let o = objects.get(id).filter(|o| o.kind == kind.name)?;
        Some(serde_json::json!({
            "id": id,
            "hub_id": hub_id,
            "state": { "current": o.state, "changed": null },
        }))
    }
}
