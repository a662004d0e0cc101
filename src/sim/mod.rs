//! The simulated Cycle hub (server side): the token call, the notification socket and its
//! scripted notifications, on a local address. Used by `--demo`, `simulate` and the tests.

mod blast;
pub mod http;
pub mod scenario;

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};
use tokio_tungstenite::WebSocketStream;

use crate::catalog::api::NOTIFICATIONS_PATH;
pub use crate::leaf::rng::Rng;
use http::{error_body, respond, Request};

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
    /// Wait until the hub has answered this many state reads in all.
    AwaitReads(usize),
}

impl Step {
    pub fn text(s: impl Into<String>) -> Step {
        Step::Text(Utf8Bytes::from(s.into()))
    }
}

type Rounds = dyn Fn(&mut Rng, u64) -> Vec<Step> + Send + Sync;

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

#[derive(Debug, Clone)]
pub struct HubConfig {
    pub api_key: String,
    pub hub_id: String,
    pub script: Script,
    /// When set, the token response carries this `address` (the older docs' shape).
    pub address: Option<String>,
    /// Objects that exist before any notification: (kind name, id, state).
    pub objects: Vec<(&'static str, String, String)>,
    /// Whether state reads follow the states the hub's notifications announce.
    pub track_state: bool,
    /// Hold every state read until this many frames have been sent on sockets: makes the
    /// "state changed while the client was reading it" race happen on demand.
    pub hold_reads_until_frames: usize,
    pub pacing: Pacing,
    /// Notifications per socket after which the hub goes quiet (the socket stays open).
    pub limit: Option<u64>,
    /// Start a fixed script over when it ends (replay `--loop`, load pools).
    pub repeat: bool,
    /// Where to report connections, one line each (the `simulate` command's stderr).
    pub events: Option<tokio::sync::mpsc::UnboundedSender<String>>,
    /// Misbehaviour on request (drops, stalls, refusals, bad frames).
    pub faults: Faults,
    /// Serve https/wss with this certificate instead of plain http/ws.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// Ways the hub can misbehave, as plain data: tests set them, and `simulate` exposes some as
/// flags. Frame counts are of the script's own frames; injected bad frames do not count.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Drop the TCP connection (no close frame) once a socket has sent this many frames.
    pub drop_after_frames: Option<u64>,
    /// Drop each socket after it has been open this long.
    pub drop_every: Option<Duration>,
    /// After this many frames go silent: send nothing, read nothing (pings unanswered), keep
    /// the TCP connection open. To the client this is a half-open link.
    pub stall_after_frames: Option<u64>,
    /// Drops and stalls hit only the first N sockets (None: every socket).
    pub faulty_sockets: Option<usize>,
    /// The first N token calls answer 429, with `Retry-After: retry_after` when that is set.
    pub rate_limit_first: u32,
    pub retry_after: Option<u64>,
    /// The next N token calls (after the rate-limited ones) answer 503.
    pub unavailable_first: u32,
    /// The first N state reads answer 503 (clients retry them within their timeout).
    pub reads_unavailable_first: u32,
    /// Token calls from the Nth on (1-based) answer 401, as if the key had been revoked.
    pub refuse_from: Option<u32>,
    /// After every N frames, a bad frame: by turns not JSON, binary, JSON without a topic.
    pub garbage_every: Option<u64>,
    /// After every N frames, a text frame just over 1 MiB.
    pub oversized_every: Option<u64>,
}

/// A fault the hub injected, for tests to time the client's reaction against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    Drop,
    Stall,
}

/// Requests kept in the log (tests see all of theirs; a long-running simulator the recent).
const MAX_LOGGED: usize = 10_000;

/// How long a stalled socket is held open before the hub lets it go.
const STALL_HOLD: Duration = Duration::from_secs(300);
/// An oversized frame: one byte over the 1 MiB a client accepts as a notification.
const OVERSIZED: usize = (1 << 20) + 1;

impl HubConfig {
    pub fn new(api_key: &str, hub_id: &str, script: Script) -> HubConfig {
        HubConfig {
            api_key: api_key.into(),
            hub_id: hub_id.into(),
            script,
            address: None,
            objects: Vec::new(),
            track_state: true,
            hold_reads_until_frames: 0,
            pacing: Pacing::Script { speed: 1.0 },
            limit: None,
            repeat: false,
            events: None,
            faults: Faults::default(),
            tls: None,
        }
    }

    pub fn fixed(api_key: &str, hub_id: &str, steps: Vec<Step>) -> HubConfig {
        HubConfig::new(api_key, hub_id, Script::Fixed(Arc::new(steps)))
    }
}

/// A request as the hub saw it, and what it answered.
#[derive(Debug, Clone)]
pub struct Logged {
    pub request: Request,
    pub status: u16,
    pub at: Instant,
}

/// Everything the hub observed, for tests to assert on.
#[derive(Debug, Default, Clone)]
pub struct Log {
    pub requests: Vec<Logged>,
    /// Close frames received from clients.
    pub client_closes: usize,
    /// Sockets that finished their handshake.
    pub sockets: usize,
    /// State reads answered (200 or 404).
    pub state_reads: usize,
    /// Bad frames injected (garbage and oversized).
    pub bad_frames: u64,
    /// Drops and stalls injected, when.
    pub injected: Vec<(Instant, Injected)>,
}

impl Log {
    /// Token calls (REST requests to the notifications path), in order.
    pub fn token_calls(&self) -> impl Iterator<Item = &Logged> {
        self.requests
            .iter()
            .filter(|r| r.request.path == NOTIFICATIONS_PATH && !r.request.is_upgrade())
    }
}

#[derive(Debug, Clone)]
struct Object {
    kind: &'static str,
    state: String,
}

#[derive(Default)]
struct Shared {
    log: Mutex<Log>,
    changed: Condvar,
    tokens: Mutex<HashSet<String>>,
    rng: Mutex<Rng>,
    objects: Mutex<HashMap<String, Object>>,
    reads: tokio::sync::Notify,
    frames_sent: std::sync::atomic::AtomicUsize,
    sent: tokio::sync::Notify,
    pool: std::sync::OnceLock<Option<Arc<blast::Encoded>>>,
    token_calls: AtomicU32,
    read_calls: AtomicU32,
}

/// A running hub. Dropping it does not stop it: it lives as long as its runtime.
#[derive(Clone)]
pub struct Hub {
    pub addr: SocketAddr,
    pub config: Arc<HubConfig>,
    shared: Arc<Shared>,
}

impl Hub {
    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(config: HubConfig, bind: SocketAddr) -> io::Result<Hub> {
        let listener = TcpListener::bind(bind).await?;
        let objects = config
            .objects
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
        let hub = Hub {
            addr: listener.local_addr()?,
            config: Arc::new(config),
            shared: Arc::new(Shared {
                rng: Mutex::new(Rng::from_time()),
                objects: Mutex::new(objects),
                ..Shared::default()
            }),
        };
        let server = hub.clone();
        tokio::spawn(async move {
            let tls = server
                .config
                .tls
                .clone()
                .map(tokio_rustls::TlsAcceptor::from);
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let hub = server.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                let _ = hub.serve(stream, peer).await;
                            }
                        }
                        None => {
                            let _ = hub.serve(stream, peer).await;
                        }
                    }
                });
            }
        });
        Ok(hub)
    }

    /// Starts a hub on a thread of its own (for tests and callers without a runtime).
    pub fn start_in_thread(config: HubConfig) -> io::Result<Hub> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            rt.block_on(async move {
                let started = Hub::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await;
                let ok = started.is_ok();
                let _ = tx.send(started);
                if ok {
                    std::future::pending::<()>().await;
                }
            });
        });
        rx.recv().map_err(|_| io::Error::other("hub thread died"))?
    }

    pub fn base_url(&self) -> String {
        let scheme = if self.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    pub fn log(&self) -> Log {
        self.shared
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Blocks until `done(log)` holds or `timeout` passes; returns whether it held.
    pub fn wait_until(&self, timeout: Duration, done: impl Fn(&Log) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut log = self.shared.log.lock().unwrap_or_else(|e| e.into_inner());
        while !done(&log) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            log = self
                .shared
                .changed
                .wait_timeout(log, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    fn record(&self, f: impl FnOnce(&mut Log)) {
        let mut log = self.shared.log.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut log);
        // A long `simulate` run must not grow without bound: keep the recent requests.
        if log.requests.len() > MAX_LOGGED {
            log.requests.drain(..MAX_LOGGED / 2);
        }
        drop(log);
        self.shared.changed.notify_all();
    }

    async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        mut stream: S,
        peer: SocketAddr,
    ) -> io::Result<()> {
        let Some(req) = http::read_request(&mut stream).await? else {
            return Ok(());
        };
        let hold = self.config.hold_reads_until_frames;
        if hold > 0 && req.path != NOTIFICATIONS_PATH {
            use std::sync::atomic::Ordering;
            loop {
                let sent = self.shared.sent.notified();
                if self.shared.frames_sent.load(Ordering::SeqCst) >= hold {
                    break;
                }
                sent.await;
            }
        }
        let (status, reply) = self.route(&req);
        let state_read = matches!(status, 200 | 404) && req.path != NOTIFICATIONS_PATH;
        self.record(|log| {
            log.requests.push(Logged {
                request: req.clone(),
                status,
                at: Instant::now(),
            });
            log.state_reads += usize::from(state_read);
        });
        if state_read {
            self.shared.reads.notify_waiters();
        }
        match status {
            101 => {}
            200 if req.path == NOTIFICATIONS_PATH => self.event(format!("token issued to {peer}")),
            200 => self.event(format!("GET {} from {peer}", req.path)),
            _ => self.event(format!(
                "{status} for {} {} from {peer}",
                req.method, req.path
            )),
        }
        match reply {
            Reply::Json(body) => respond(&mut stream, status, &[], &body).await,
            Reply::RateLimited(body, retry_after) => {
                let headers: Vec<(&str, String)> = retry_after
                    .map(|s| vec![("Retry-After", s.to_string())])
                    .unwrap_or_default();
                respond(&mut stream, status, &headers, &body).await
            }
            Reply::Upgrade => {
                let key = req.header("sec-websocket-key").unwrap_or_default();
                let head = format!(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                    derive_accept_key(key.as_bytes())
                );
                stream.write_all(head.as_bytes()).await?;
                let mut index = 0;
                self.record(|log| {
                    index = log.sockets;
                    log.sockets += 1;
                });
                let faulty = self.config.faults.faulty_sockets.is_none_or(|n| index < n);
                self.event(format!("socket opened from {peer}"));
                if let Some(pool) = self.fast_pool() {
                    let (sent, why) = blast::blast(stream, &pool, self.config.limit).await;
                    self.event(format!(
                        "socket from {peer} ended after {sent} notifications: {why}"
                    ));
                    return Ok(());
                }
                let ws = WebSocketStream::from_raw_socket(stream, Role::Server, None).await;
                self.play(ws, peer, faulty).await;
                Ok(())
            }
        }
    }

    /// The pre-encoded pool when nothing but raw speed is asked of this hub: a fixed script
    /// of data frames, repeated at `Pacing::Max`, with no per-frame bookkeeping.
    fn fast_pool(&self) -> Option<Arc<blast::Encoded>> {
        let c = &self.config;
        let f = &c.faults;
        let faultless = f.drop_after_frames.is_none()
            && f.drop_every.is_none()
            && f.stall_after_frames.is_none()
            && f.garbage_every.is_none()
            && f.oversized_every.is_none();
        let eligible = c.pacing == Pacing::Max
            && c.repeat
            && !c.track_state
            && c.hold_reads_until_frames == 0
            && faultless;
        if !eligible {
            return None;
        }
        let Script::Fixed(steps) = &c.script else {
            return None;
        };
        self.shared
            .pool
            .get_or_init(|| blast::Encoded::new(steps).map(Arc::new))
            .clone()
    }

    /// Decides the answer to one request, like api.cycle.io would.
    fn route(&self, req: &Request) -> (u16, Reply) {
        if req.method != "GET" {
            return (
                405,
                Reply::Json(error_body(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    &req.method,
                    None,
                )),
            );
        }
        if req.path == NOTIFICATIONS_PATH && req.is_upgrade() {
            let token = req.query_param("token").unwrap_or_default();
            let fresh = self
                .shared
                .tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&token);
            if !fresh || req.header("sec-websocket-key").is_none() {
                return (
                    401,
                    Reply::Json(error_body(
                        401,
                        "auth-invalid",
                        "Invalid token",
                        "the token is unknown or was already used",
                        None,
                    )),
                );
            }
            return (101, Reply::Upgrade);
        }
        if let Some(refusal) = self.check_auth(req) {
            return refusal;
        }
        if req.path == NOTIFICATIONS_PATH {
            if let Some(fault) = self.token_fault() {
                return fault;
            }
            let token = self
                .shared
                .rng
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .hex(32);
            self.shared
                .tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(token.clone());
            let mut data = serde_json::json!({ "token": token });
            if let Some(address) = &self.config.address {
                data["address"] = address.clone().into();
            }
            return (
                200,
                Reply::Json(serde_json::json!({ "data": data }).to_string()),
            );
        }
        if let Some(found) = self.state_read(&req.path) {
            return found;
        }
        (
            404,
            Reply::Json(error_body(404, "not-found", "Not found", &req.path, None)),
        )
    }

    /// `GET /v1/<kind path>`: the state the simulation has announced so far, 404 otherwise.
    fn state_read(&self, path: &str) -> Option<(u16, Reply)> {
        let (kind, id) = crate::catalog::kinds::KINDS
            .iter()
            .find_map(|k| k.match_path(path).map(|(_, id)| (k, id)))?;
        let n = self.shared.read_calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.config.faults.reads_unavailable_first {
            return Some(unavailable());
        }
        let objects = self
            .shared
            .objects
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        Some(match objects.get(id).filter(|o| o.kind == kind.name) {
            Some(o) => (
                200,
                Reply::Json(
                    serde_json::json!({
                        "data": { "id": id, "hub_id": self.config.hub_id, "state": { "current": o.state, "changed": null } }
                    })
                    .to_string(),
                ),
            ),
            None => (
                404,
                Reply::Json(error_body(404, "not-found", "Not found", &format!("no {} with id {id}", kind.name), None)),
            ),
        })
    }

    fn set_state(&self, kind: &'static str, id: &str, state: Option<&str>) {
        let mut objects = self
            .shared
            .objects
            .lock()
            .unwrap_or_else(|e| e.into_inner());
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

    /// Keeps state reads in step with an announced notification.
    fn announce(&self, frame: &str) {
        let Ok(n) = crate::notification::Notification::parse(frame) else {
            return;
        };
        let Some(kind) = crate::catalog::kinds::Kind::of_topic(&n.topic) else {
            return;
        };
        let object = n.object();
        if let (Some(id), Some(state)) = (object.id.get(), object.state.get()) {
            self.set_state(kind.name, id, Some(state));
        }
    }

    /// The token-call faults: revoked key, rate limit, unavailable, in that order of checks.
    fn token_fault(&self) -> Option<(u16, Reply)> {
        let f = &self.config.faults;
        let n = self.shared.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
        if f.refuse_from.is_some_and(|from| n >= from) {
            return Some(invalid_key("the API key has been revoked"));
        }
        if n <= f.rate_limit_first {
            return Some((
                429,
                Reply::RateLimited(
                    error_body(429, "rate-limiting", "Too many requests", "slow down", None),
                    f.retry_after,
                ),
            ));
        }
        if n <= f.rate_limit_first + f.unavailable_first {
            return Some(unavailable());
        }
        None
    }

    /// The key and hub checks of every REST call: 401 for a bad key, 403 for another hub.
    fn check_auth(&self, req: &Request) -> Option<(u16, Reply)> {
        let bearer = req
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "));
        if bearer != Some(self.config.api_key.as_str()) {
            return Some(invalid_key("the API key is not valid for this hub"));
        }
        if req.header("x-hub-id") != Some(self.config.hub_id.as_str()) {
            return Some((
                403,
                Reply::Json(error_body(
                    403,
                    "hub-forbidden",
                    "Wrong hub",
                    "the API key does not belong to the hub in X-Hub-Id",
                    Some("apionly-notifications-listen"),
                )),
            ));
        }
        None
    }

    /// Sends the script while watching for the client's close frame; on a faulty socket,
    /// drops or stalls it when the faults say so.
    async fn play<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        ws: WebSocketStream<S>,
        peer: SocketAddr,
        faulty: bool,
    ) {
        let (mut tx, mut rx) = ws.split();
        let reader = async {
            while let Some(msg) = rx.next().await {
                match msg {
                    Ok(Message::Close(_)) => {
                        self.record(|log| log.client_closes += 1);
                        return "the client closed";
                    }
                    Ok(_) => {}
                    Err(_) => return "the connection failed",
                }
            }
            "the connection ended"
        };
        let mut cursor = Cursor {
            sent: 0,
            started: tokio::time::Instant::now(),
            frames: 0,
            bad: 0,
            faulty,
        };
        let writer = async {
            let mut rng = self
                .shared
                .rng
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .fork();
            let flow = match &self.config.script {
                Script::Fixed(steps) => loop {
                    let flow = self.send_steps(&mut tx, steps, &mut cursor).await;
                    if flow != Flow::Continue || !self.config.repeat || steps.is_empty() {
                        break flow;
                    }
                },
                Script::Endless(rounds) => {
                    let mut round = 0;
                    loop {
                        let steps = rounds(&mut rng, round);
                        let flow = self.send_steps(&mut tx, &steps, &mut cursor).await;
                        if flow != Flow::Continue {
                            break flow;
                        }
                        round += 1;
                    }
                }
            };
            if matches!(flow, Flow::Continue | Flow::Limit) {
                // The script is done; like a real hub, the socket stays open.
                let _ = tx.flush().await;
                std::future::pending::<()>().await;
            }
            flow
        };
        let drop_timer = async {
            match self.config.faults.drop_every.filter(|_| faulty) {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        let mut stalled = false;
        let why = tokio::select! {
            why = reader => {
                // Answer the client's close so it sees a clean shutdown.
                let _ = tx.close().await;
                why
            }
            flow = writer => match flow {
                Flow::Drop => {
                    self.record(|log| log.injected.push((Instant::now(), Injected::Drop)));
                    "dropped by the hub (fault)"
                }
                Flow::Stall => {
                    self.record(|log| log.injected.push((Instant::now(), Injected::Stall)));
                    stalled = true;
                    "stalled by the hub (fault), then dropped"
                }
                _ => "the script ended it",
            },
            _ = drop_timer => {
                self.record(|log| log.injected.push((Instant::now(), Injected::Drop)));
                "dropped by the hub (fault: drop every)"
            }
        };
        if stalled {
            self.event(format!(
                "socket from {peer} stalled (fault): nothing sent or read"
            ));
            // Neither half is polled from here on: no frames out, pings never read, so never
            // answered, and the TCP connection stays up.
            tokio::time::sleep(STALL_HOLD).await;
        }
        // Both halves drop after this: without a close frame, a plain TCP close (or reset).
        self.event(format!(
            "socket from {peer} ended after {} notifications: {why}",
            cursor.sent
        ));
    }

    fn event(&self, line: String) {
        if let Some(events) = &self.config.events {
            let _ = events.send(line);
        }
    }
}

/// The 401 of a key the hub does not accept.
fn invalid_key(detail: &str) -> (u16, Reply) {
    (
        401,
        Reply::Json(error_body(
            401,
            "auth-invalid",
            "Invalid API key",
            detail,
            None,
        )),
    )
}

/// The 503 of a hub that is briefly down, for token calls and state reads alike.
fn unavailable() -> (u16, Reply) {
    (
        503,
        Reply::Json(error_body(
            503,
            "unavailable",
            "Service unavailable",
            "try again later",
            None,
        )),
    )
}

enum Reply {
    Json(String),
    /// 429, with a Retry-After in seconds when given.
    RateLimited(String, Option<u64>),
    Upgrade,
}

type Sink<S> = futures_util::stream::SplitSink<WebSocketStream<S>, Message>;

impl Hub {
    /// Sends steps, paced as configured; flushes before every wait and at the end.
    async fn send_steps<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        tx: &mut Sink<S>,
        steps: &[Step],
        cursor: &mut Cursor,
    ) -> Flow {
        for step in steps {
            let sent = match step {
                Step::Text(t) => {
                    if self.config.limit.is_some_and(|limit| cursor.sent >= limit) {
                        return Flow::Limit;
                    }
                    if self.config.track_state {
                        self.announce(t);
                    }
                    let fed = tx.feed(Message::Text(t.clone())).await;
                    cursor.sent += 1;
                    if self.config.hold_reads_until_frames > 0 {
                        // Counted only once on the wire, so held reads answer after it.
                        let flushed = tx.flush().await;
                        self.shared
                            .frames_sent
                            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        self.shared.sent.notify_waiters();
                        fed.and(flushed)
                    } else if let Pacing::Rate(rate) = self.config.pacing {
                        let due =
                            cursor.started + Duration::from_secs_f64(cursor.sent as f64 / rate);
                        // Sleep only when ahead by more than a timer tick; a burst of
                        // frames due at once goes out in one write.
                        if due > tokio::time::Instant::now() + Duration::from_millis(1) {
                            let flushed = tx.flush().await;
                            tokio::time::sleep_until(due).await;
                            fed.and(flushed)
                        } else {
                            fed
                        }
                    } else {
                        fed
                    }
                }
                Step::Binary(b) => tx.feed(Message::Binary(b.clone().into())).await,
                Step::Pause(d) => match self.config.pacing {
                    Pacing::Script { speed } => {
                        if tx.flush().await.is_err() {
                            return Flow::Stop;
                        }
                        tokio::time::sleep(d.div_f64(speed.max(1e-6))).await;
                        Ok(())
                    }
                    // Under a fixed rate the pauses of the story do not apply.
                    Pacing::Rate(_) | Pacing::Max => Ok(()),
                },
                Step::SetState { kind, id, state } => {
                    self.set_state(kind, id, state.as_deref());
                    Ok(())
                }
                Step::AwaitReads(n) => {
                    if tx.flush().await.is_err() {
                        return Flow::Stop;
                    }
                    loop {
                        let notified = self.shared.reads.notified();
                        if self.log().state_reads >= *n {
                            break;
                        }
                        notified.await;
                    }
                    Ok(())
                }
                Step::Close => {
                    let _ = tx.close().await;
                    return Flow::Stop;
                }
                Step::Abort => {
                    let _ = tx.flush().await;
                    // The caller's select ends and drops both halves: the socket goes away
                    // without a close frame.
                    return Flow::Stop;
                }
            };
            if sent.is_err() {
                return Flow::Stop;
            }
            if matches!(step, Step::Text(_) | Step::Binary(_)) {
                cursor.frames += 1;
                if let Some(flow) = self.after_frame(tx, cursor).await {
                    return flow;
                }
            }
        }
        if tx.flush().await.is_err() {
            return Flow::Stop;
        }
        Flow::Continue
    }

    /// Bad frames, drops and stalls due after the frame just sent.
    async fn after_frame<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        tx: &mut Sink<S>,
        cursor: &mut Cursor,
    ) -> Option<Flow> {
        let faults = &self.config.faults;
        let due = |every: Option<u64>| every.is_some_and(|e| e > 0 && cursor.frames % e == 0);
        if due(faults.garbage_every) {
            let bad = match cursor.bad % 3 {
                0 => Message::Text("this is not JSON {".into()),
                1 => Message::Binary(vec![0xde, 0xad, 0xbe, 0xef].into()),
                _ => Message::Text(r#"{"no_topic":true}"#.into()),
            };
            cursor.bad += 1;
            if tx.feed(bad).await.is_err() {
                return Some(Flow::Stop);
            }
            self.record(|log| log.bad_frames += 1);
        }
        if due(faults.oversized_every) {
            let mut big = String::with_capacity(OVERSIZED);
            big.push_str(r#"{"topic":"container.state.changed","pad":""#);
            big.extend(std::iter::repeat_n('x', OVERSIZED - big.len() - 2));
            big.push_str("\"}");
            if tx.feed(Message::Text(big.into())).await.is_err() {
                return Some(Flow::Stop);
            }
            self.record(|log| log.bad_frames += 1);
        }
        if !cursor.faulty {
            return None;
        }
        let reached = |limit: Option<u64>| limit.is_some_and(|l| cursor.frames >= l);
        if reached(faults.stall_after_frames) {
            let _ = tx.flush().await;
            return Some(Flow::Stall);
        }
        if reached(faults.drop_after_frames) {
            let _ = tx.flush().await;
            return Some(Flow::Drop);
        }
        None
    }
}

/// Where a socket's playback stands.
struct Cursor {
    sent: u64,
    started: tokio::time::Instant,
    /// Frames of the script sent (text and binary), for the faults.
    frames: u64,
    /// Bad frames injected, to take turns between their kinds.
    bad: u64,
    /// Whether drops and stalls apply to this socket.
    faulty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    /// `limit` notifications were sent.
    Limit,
    /// The socket is gone or the script closed it.
    Stop,
    /// A fault: drop the connection without a close frame.
    Drop,
    /// A fault: go silent with the connection open.
    Stall,
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
