//! The simulated hub's objects as its state reads answer them: what its notifications
//! announced (or a script set silently), in the shape of the spec's objects (`State`:
//! `current`, `changed`, `error`, plus `desired` for containers and `health`/`readiness`
//! for instances; docs/cycle-api.md §6).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::{json, Value};

use crate::catalog::kinds::{Context, Kind};
use crate::leaf::time::rfc3339;
use crate::notification::Notification;

/// A reported value and when it was last set.
type Stamped<T> = (T, SystemTime);

#[derive(Debug, Clone)]
struct Object {
    kind: &'static str,
    current: String,
    changed: SystemTime,
    error: Option<Stamped<String>>,
    /// The container of an instance, the pipeline of a run.
    parent: Option<String>,
    /// Instances: `None` until reported; inside, `None` is the spec's `null` (unknown).
    health: Option<Stamped<Option<bool>>>,
    readiness: Option<Stamped<Option<bool>>>,
}

impl Object {
    fn new(kind: &'static str, current: &str) -> Object {
        Object {
            kind,
            current: current.to_string(),
            changed: SystemTime::now(),
            error: None,
            parent: None,
            health: None,
            readiness: None,
        }
    }
}

#[derive(Default)]
pub(super) struct States {
    objects: Mutex<HashMap<String, Object>>,
    /// JSON merged into an object's `data` (by id), whatever its state: what tests set
    /// without a notification (`state.error`, `state.health`, a container's `config`).
    patches: Mutex<HashMap<String, Value>>,
}

/// Why a state read found nothing: which object of the path is missing.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Missing {
    /// The parent named in the path (no such container or pipeline).
    Parent,
    Object,
}

impl States {
    /// Objects that exist from the start: (kind name, id, state), and their patches.
    pub fn new(initial: &[(&'static str, String, String)], patches: &[(String, Value)]) -> States {
        let objects = initial
            .iter()
            .map(|(kind, id, state)| (id.clone(), Object::new(kind, state)))
            .collect();
        let states = States {
            objects: Mutex::new(objects),
            patches: Mutex::default(),
        };
        for (id, data) in patches {
            states.patch(id, data);
        }
        states
    }

    /// Merges `data` into what reads of object `id` answer; a parent-id field in it (an
    /// instance's `container_id`) makes that the object's parent.
    pub fn patch(&self, id: &str, data: &Value) {
        let mut objects = self.lock();
        if let Some(o) = objects.get_mut(id) {
            let field = Kind::find(o.kind).and_then(|k| k.parent).map(|p| p.field);
            if let Some(parent) = field.and_then(|f| data[f].as_str()) {
                o.parent = Some(parent.to_string());
            }
        }
        let mut patches = self.patches.lock().unwrap_or_else(|e| e.into_inner());
        merge(patches.entry(id.to_string()).or_insert(json!({})), data);
    }

    /// An object as reads show it: its description with its patch merged in.
    fn shown(&self, kind: &Kind, id: &str, o: &Object, hub_id: &str) -> Value {
        let mut data = describe(kind, id, o, hub_id);
        let patches = self.patches.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(patch) = patches.get(id) {
            merge(&mut data, patch);
        }
        data
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Object>> {
        self.objects.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets an object's state; `None` removes it (reads then answer 404).
    pub fn set(&self, kind: &'static str, id: &str, state: Option<&str>) {
        let mut objects = self.lock();
        match state {
            Some(state) => set_current(&mut objects, kind, id, state),
            None => {
                objects.remove(id);
            }
        }
    }

    /// Records the parent of an object (a run's pipeline), which notifications do not carry.
    pub fn set_parent(&self, id: &str, parent: &str) {
        if let Some(o) = self.lock().get_mut(id) {
            o.parent = Some(parent.to_string());
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
        let Some(id) = object.id.get() else {
            return;
        };
        let mut objects = self.lock();
        if let Some(state) = object.state.get() {
            set_current(&mut objects, kind.name, id, state);
        }
        let Some(o) = objects.get_mut(id).filter(|o| o.kind == kind.name) else {
            return;
        };
        let now = SystemTime::now();
        if let Some(list) = kind.parent.and_then(|p| p.context) {
            let context = n.context();
            let named = match list {
                Context::Containers => context.containers.first(),
                Context::Environments => context.environments.first(),
            };
            if let Some(parent) = named {
                o.parent = Some(parent.to_string());
            }
        }
        if kind.is_error_topic(&n.topic) {
            let message = object.error_text().unwrap_or_default().into_owned();
            o.error = Some((message, now));
        }
        let annotations = n.annotations();
        if n.topic.ends_with(".health.status.changed") {
            o.health = Some((verdict(annotations.health.get(), "healthy"), now));
        }
        if n.topic.ends_with(".health.status.changed")
            || n.topic.ends_with(".readiness.status.changed")
        {
            if let Some(ready) = annotations.ready.get() {
                o.readiness = Some((verdict(Some(ready), "ready"), now));
            }
        }
    }

    /// The object at `id` of `kind`, checked against the parent the path names once the
    /// simulation knows the object's parent.
    pub fn read(
        &self,
        kind: &Kind,
        id: &str,
        parent: Option<&str>,
        hub_id: &str,
    ) -> Result<Value, Missing> {
        let objects = self.lock();
        let found = objects.get(id).filter(|o| o.kind == kind.name);
        match (found, parent) {
            (Some(o), Some(p)) if o.parent.as_deref().is_some_and(|known| known != p) => {
                Err(missing(&objects, kind, p))
            }
            (Some(o), _) => Ok(self.shown(kind, id, o, hub_id)),
            (None, Some(p)) => Err(missing(&objects, kind, p)),
            (None, None) => Err(Missing::Object),
        }
    }

    /// The objects of `kind` whose parent is `parent` (a container's instances).
    pub fn children(&self, kind: &Kind, parent: &str, hub_id: &str) -> Result<Value, Missing> {
        let objects = self.lock();
        if !parent_known(&objects, kind, parent) {
            return Err(Missing::Parent);
        }
        let mut found: Vec<(&String, &Object)> = objects
            .iter()
            .filter(|(_, o)| o.kind == kind.name && o.parent.as_deref() == Some(parent))
            .collect();
        found.sort_by_key(|(id, _)| id.as_str());
        Ok(Value::Array(
            found
                .into_iter()
                .map(|(id, o)| self.shown(kind, id, o, hub_id))
                .collect(),
        ))
    }
}

fn set_current(objects: &mut HashMap<String, Object>, kind: &'static str, id: &str, state: &str) {
    match objects.get_mut(id).filter(|o| o.kind == kind) {
        Some(o) if o.current == state => {}
        Some(o) => {
            o.current = state.to_string();
            o.changed = SystemTime::now();
        }
        None => {
            objects.insert(id.to_string(), Object::new(kind, state));
        }
    }
}

/// Whether the simulation knows `parent` as a parent of `kind`: an object of the parent's
/// kind, or named by an object of this kind.
fn parent_known(objects: &HashMap<String, Object>, kind: &Kind, parent: &str) -> bool {
    let parent_kind = kind.parent.map(|p| p.kind);
    objects
        .get(parent)
        .is_some_and(|o| Some(o.kind) == parent_kind)
        || objects
            .values()
            .any(|o| o.kind == kind.name && o.parent.as_deref() == Some(parent))
}

/// What a read under `parent` misses: the parent itself, or the object in it.
fn missing(objects: &HashMap<String, Object>, kind: &Kind, parent: &str) -> Missing {
    if parent_known(objects, kind, parent) {
        Missing::Object
    } else {
        Missing::Parent
    }
}

/// An annotation as the spec's boolean: the `yes` word is true, `unknown`/`pending` null.
fn verdict(word: Option<&str>, yes: &str) -> Option<bool> {
    match word? {
        w if w == yes => Some(true),
        "unknown" | "pending" => None,
        _ => Some(false),
    }
}

/// Where a container is headed, from where it is.
fn desired(current: &str) -> &'static str {
    match current {
        "stopping" | "stopped" => "stopped",
        "deleting" | "deleted" => "deleted",
        _ => "running",
    }
}

fn describe(kind: &Kind, id: &str, o: &Object, hub_id: &str) -> Value {
    let mut state = json!({
        "current": o.current,
        "changed": rfc3339(o.changed),
        "error": o.error.as_ref().map(|(message, time)| json!({"message": message, "time": rfc3339(*time)})),
    });
    let mut data = json!({
        "id": id,
        "name": format!("{}-{}", kind.name, &id[..id.len().min(6)]),
        "hub_id": hub_id,
    });
    match kind.name {
        "container" => state["desired"] = desired(&o.current).into(),
        "instance" => {
            let stamp = |v: &Option<Stamped<Option<bool>>>, field: &str| match v {
                Some((value, at)) => json!({ field: value, "updated": rfc3339(*at) }),
                None => Value::Null,
            };
            state["health"] = stamp(&o.health, "healthy");
            state["readiness"] = stamp(&o.readiness, "ready");
        }
        _ => {}
    }
    // The parent-id field the spec marks required (`container_id`, `pipeline_id`, ...).
    if let Some(p) = kind.parent {
        data[p.field] = o.parent.clone().into();
    }
    data["state"] = state;
    data
}

/// JSON merge: objects key by key, anything else replaced.
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (k, v) in from {
                merge(into.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (into, from) => *into = from.clone(),
    }
}
