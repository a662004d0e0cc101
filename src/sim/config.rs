//! What a simulated hub is told to be: its credentials, its script, its pacing and its
//! faults, as plain data the caller fills in before `Hub::start`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::faults::Faults;
use super::Rng;

/// One thing the hub does on a socket, in order.
#[derive(Debug, Clone)]
pub enum Step {
    /// A text frame (normally one notification).
    Text(Utf8Bytes),
    /// A binary frame, which is never a notification.
    Binary(Vec<u8>),
    Pause(Duration),
    /// A clean close frame.
    Close,
    /// Drop the TCP connection without a close frame.
    Abort,
    /// Change what state reads answer for an object without announcing it (`None`: gone,
    /// 404), as when the stream and the API disagree for a moment.
    SetState {
        kind: &'static str,
        id: String,
        state: Option<String>,
    },
    /// Record an object's parent where notifications do not carry it (a pipeline run's
    /// pipeline), so reads under a wrong parent answer 404.
    Parent {
        id: String,
        parent: String,
    },
    /// Wait until the hub has answered this many state reads in all.
    AwaitReads(usize),
    /// Merge this JSON into the `data` state reads answer for an object (kept across
    /// `SetState`): `state.error`, an instance's `state.health` and `container_id`, a
    /// container's `config`, without announcing it.
    Patch {
        id: String,
        data: serde_json::Value,
    },
}

impl Step {
    pub fn text(s: impl Into<String>) -> Step {
        Step::Text(Utf8Bytes::from(s.into()))
    }
}

pub(super) type Rounds = dyn Fn(&mut Rng, u64) -> Vec<Step> + Send + Sync;

/// What each socket connection is sent.
#[derive(Clone)]
pub enum Script {
    /// Played from the start to every connection, after which the socket stays open.
    Fixed(Arc<Vec<Step>>),
    /// Rounds generated one after another until the client leaves (the demo).
    Endless(Arc<Rounds>),
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Script::Fixed(steps) => write!(f, "Fixed({} steps)", steps.len()),
            Script::Endless(_) => f.write_str("Endless"),
        }
    }
}

/// Whose clock a script runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeline {
    /// Every socket plays the script from its start: a test fixture, each connection
    /// scripted.
    PerSocket,
    /// The script runs once for the hub, and every socket receives what happens from the
    /// moment it joined, as on a real hub. With `from_first_socket` the clock starts when
    /// the first socket opens (the demo, whose one client must not miss the start).
    Shared { from_first_socket: bool },
}

/// How fast a script is played.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pacing {
    /// The script's own pauses, divided by `speed`.
    Script { speed: f64 },
    /// Notifications per second, the script's pauses ignored.
    Rate(f64),
    /// As fast as the socket takes them.
    Max,
}

#[derive(Debug, Clone)]
pub struct HubConfig {
    pub api_key: String,
    pub hub_id: String,
    pub script: Script,
    /// When set, the token response carries this `address` (the older docs' shape).
    pub address: Option<String>,
    /// Objects that exist before any notification: (kind name, id, state).
    pub objects: Vec<(&'static str, String, String)>,
    /// JSON merged into the `data` of these objects' state reads from the start (see
    /// `Step::Patch`).
    pub patches: Vec<(String, serde_json::Value)>,
    /// Whether state reads follow the states the hub's notifications announce.
    pub track_state: bool,
    /// Hold every state read until this many frames have been sent on sockets: makes the
    /// "state changed while the client was reading it" race happen on demand.
    pub hold_reads_until_frames: usize,
    pub pacing: Pacing,
    pub timeline: Timeline,
    /// Notifications per socket after which the hub goes quiet (the socket stays open).
    pub limit: Option<u64>,
    /// Start a fixed script over when it ends (replay `--loop`, load pools).
    pub repeat: bool,
    /// Where to report connections, one line each (the `simulate` command's stderr).
    pub events: Option<tokio::sync::mpsc::UnboundedSender<String>>,
    /// Misbehaviour on request (drops, stalls, refusals, bad frames): see `faults::FAULTS`.
    pub faults: Faults,
    /// Serve https/wss with this certificate instead of plain http/ws.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Also serve the internal API's notification socket on a unix socket.
    pub internal: Option<InternalSocket>,
}

/// The internal API's notification socket as a Cycle container sees it (docs/cycle-api.md
/// §7): a unix socket, and the container token it accepts in `x-cycle-token`.
#[derive(Debug, Clone)]
pub struct InternalSocket {
    pub path: PathBuf,
    pub token: String,
}

impl HubConfig {
    pub fn new(api_key: &str, hub_id: &str, script: Script) -> HubConfig {
        HubConfig {
            api_key: api_key.into(),
            hub_id: hub_id.into(),
            script,
            address: None,
            objects: Vec::new(),
            patches: Vec::new(),
            track_state: true,
            hold_reads_until_frames: 0,
            pacing: Pacing::Script { speed: 1.0 },
            timeline: Timeline::PerSocket,
            limit: None,
            repeat: false,
            events: None,
            faults: Faults::default(),
            tls: None,
            internal: None,
        }
    }

    pub fn fixed(api_key: &str, hub_id: &str, steps: Vec<Step>) -> HubConfig {
        HubConfig::new(api_key, hub_id, Script::Fixed(Arc::new(steps)))
    }
}
