//! `--publish nats://...`: each notification published to JetStream on
//! `<prefix>.<hub_id>.<topic>` with acks pipelined, retried in order (JetStream drops the
//! duplicates our retries make, by `Nats-Msg-Id`), and with `--ha` a lease in a JetStream
//! key-value bucket so that of several bridges exactly one publishes.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use async_nats::jetstream::{self, kv, publish::PublishAck, stream};
use bytes::Bytes;
use tokio::sync::Notify;
use tokio::time::Instant;
use url::Url;

use super::lane::{Lane, Order, Outcome};
use super::{Job, Note, Reason};
use crate::hub::backoff::Jitter;
use crate::hub::credentials::Secret;
use crate::leaf::time::{human, rfc3339};

/// Publishes in flight (unacknowledged) at once.
const WINDOW: usize = 256;
/// How long a publish waits for its ack, counted from when it was sent; JetStream API calls
/// get as long.
const ACK_WAIT: Duration = Duration::from_secs(5);
/// The topic of the record that tells consumers notifications may be missing.
pub const GAP_TOPIC: &str = "cycle-notify.stream.gap";
/// How long a publisher's lease lives without renewal; a standby takes over after it.
pub const LEASE_TTL: Duration = Duration::from_secs(5);
/// Leases are renewed (and looked at by standbys) this often.
pub const LEASE_EVERY: Duration = Duration::from_millis(1500);
/// A lease is trusted this much less than its TTL, for the time a renewal takes.
const LEASE_MARGIN: Duration = Duration::from_secs(1);
const LEASE_BUCKET: &str = "cycle-notify-leases";
const POSITION_BUCKET: &str = "cycle-notify-positions";
/// Distinct topics whose subjects are kept.
const SUBJECTS_KEPT: usize = 4096;
/// JetStream's own default deduplication window, the least a created stream gets.
const DEFAULT_DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// Why publishing cannot start; never holds a credential.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// How the bridge logs in, from the URL as the nats CLI reads it: `nats://TOKEN@host` or
/// `nats://USER:PASSWORD@host` (percent-encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Token(Secret),
    User { user: String, password: Secret },
}

/// `--publish` and its options, checked before any I/O.
#[derive(Debug, Clone)]
pub struct NatsPlan {
    /// Server URLs without their credentials (those are in `login`).
    pub servers: Vec<Url>,
    pub login: Option<Login>,
    pub creds: Option<PathBuf>,
    pub ca: Option<PathBuf>,
    pub prefix: String,
    pub hub_id: String,
    /// `--nats-stream`: created when missing.
    pub stream: Option<String>,
    pub max_age: Option<Duration>,
    pub ha: bool,
    pub retry_for: Duration,
}

impl NatsPlan {
    /// The servers as they may be shown (they hold no credentials).
    pub fn shown(&self) -> String {
        self.servers
            .iter()
            .map(Url::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `<prefix>.<hub>.>`: every subject this bridge publishes on.
    pub fn wildcard(&self) -> String {
        format!("{}.{}.>", token(&self.prefix), token(&self.hub_id))
    }
}

/// A URL without its user and password (`nats://(redacted)@host:4222`).
pub fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    if !url.username().is_empty() || url.password().is_some() {
        let _ = shown.set_username("(redacted)");
        let _ = shown.set_password(None);
    }
    shown.to_string()
}

/// Checks one `--publish` URL (nats:// or tls:// with a host; no scheme means nats://) and
/// takes its credentials out of it.
pub fn parse_server(raw: &str) -> Result<(Url, Option<Login>), Error> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("nats://{raw}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|_| {
        Error(format!(
            "--publish: '{}' is not a NATS URL (nats://HOST:PORT)",
            if raw.contains('@') { "(redacted)" } else { raw }
        ))
    })?;
    match url.scheme() {
        "nats" | "tls" if url.host_str().is_some_and(|h| !h.is_empty()) => {}
        "nats" | "tls" => return Err(Error(format!("--publish: {} has no host", redact(&url)))),
        other => {
            return Err(Error(format!(
                "--publish: the scheme must be nats:// or tls://, not {other}://"
            )))
        }
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|d| d.into_owned())
            .map_err(|_| {
                Error(format!(
                    "--publish: the credentials in {} are not UTF-8 once percent-decoded",
                    redact(&url)
                ))
            })
    };
    let login = match (url.username(), url.password()) {
        ("", None) => None,
        (token, None) => Some(Login::Token(Secret::new(decode(token)?))),
        (user, Some(password)) => Some(Login::User {
            user: decode(user)?,
            password: Secret::new(decode(password)?),
        }),
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok((url, login))
}

/// One subject token from free text: NATS reserves whitespace, `.`, `*` and `>` in a
/// token; each becomes `_`, and an empty token is `_`.
fn token(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, '.' | '*' | '>') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if t.is_empty() {
        "_".into()
    } else {
        t
    }
}

/// `<prefix>.<hub_id>.<topic>`, the topic's dots kept as token separators and each of its
/// segments made a valid token (never dropped).
pub fn subject(prefix: &str, hub_id: &str, topic: &str) -> String {
    let mut s = format!("{}.{}", token(prefix), token(hub_id));
    for segment in topic.split('.') {
        s.push('.');
        s.push_str(&token(segment));
    }
    s
}

/// Whether the stream subject filter `filter` captures every subject matching `wanted`
/// (both may hold `*` and `>`).
pub fn covers(filter: &str, wanted: &str) -> bool {
    let mut f = filter.split('.');
    let mut w = wanted.split('.');
    loop {
        match (f.next(), w.next()) {
            (Some(">"), Some(_)) => return true,
            (Some("*"), Some(t)) if t != ">" => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// What a `--ha` bridge is right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The hub is connected and the lease not tried yet: notifications wait for the answer
    /// (a moment), so a bridge that starts alone publishes from its first notification.
    Undecided,
    /// Another bridge publishes, or this one has no hub or no NATS: notifications are passed
    /// over (a standby does not fill its queue).
    Standby,
    /// Holds the lease, trusted until `until`.
    Publisher { until: Instant },
}

/// The `--ha` state shared by the lease task and the worker.
#[derive(Debug)]
struct Lease {
    role: Role,
    /// Set on a takeover: a gap record goes out before the next notification, from the
    /// previous publisher's last ack.
    takeover_from: Option<String>,
    /// The received_at of the last notification this bridge had acked.
    last_acked: Option<SystemTime>,
}

/// A connected publisher: the client, its JetStream context and the lease state.
pub struct Publisher {
    client: async_nats::Client,
    js: jetstream::Context,
    plan: NatsPlan,
    /// Tells this run's messages apart from another run's in `Nats-Msg-Id`.
    run_id: String,
    lease: Mutex<Lease>,
    /// The role changed (the worker may be waiting for a decision).
    role_changed: Notify,
    hub_connected: AtomicBool,
    /// The hub connected or went away (the lease task acts at once).
    hub_changed: Notify,
    kv: Option<(kv::Store, kv::Store)>,
    /// The client (re)connected to a server.
    reconnected: Arc<Notify>,
    /// Subjects by topic.
    subjects: Mutex<std::collections::HashMap<String, async_nats::Subject>>,
}

impl fmt::Debug for Publisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Publisher")
            .field("servers", &self.plan.shown())
            .finish()
    }
}

/// An ack on its way: resolves by the deadline set when the message was sent.
type AckFuture = Pin<Box<dyn Future<Output = Result<PublishAck, String>> + Send>>;

impl Publisher {
    /// Connects, and makes sure a stream captures every subject this bridge will use: the
    /// named one is created when missing; without one, a stream must exist already.
    pub async fn connect(plan: NatsPlan, run_id: String) -> Result<Publisher, Error> {
        let shown = plan.shown();
        let reconnected = Arc::new(Notify::new());
        let told = Arc::clone(&reconnected);
        let mut options = async_nats::ConnectOptions::new()
            .event_callback(move |event| {
                if matches!(event, async_nats::Event::Connected) {
                    told.notify_waiters();
                }
                std::future::ready(())
            })
            .name("cycle-notify")
            .connection_timeout(ACK_WAIT)
            .request_timeout(Some(ACK_WAIT))
            // Reconnects are the client's own, forever; publishes wait in our queue.
            .max_reconnects(None);
        // async-nats reads no credentials from the URL: they are handed over here.
        match &plan.login {
            Some(Login::Token(t)) => options = options.token(t.expose().to_string()),
            Some(Login::User { user, password }) => {
                options = options.user_and_password(user.clone(), password.expose().to_string())
            }
            None => {}
        }
        if let Some(path) = &plan.creds {
            options = options.credentials_file(path).await.map_err(|e| {
                Error(format!(
                    "cannot read the NATS credentials file {}: {e}",
                    path.display()
                ))
            })?;
        }
        // The same trust as every other connection (system store, SSL_CERT_FILE), plus
        // --nats-ca; used whenever the server or the URL asks for TLS. A machine without
        // a trust store can still publish over plain TCP.
        match &plan.ca {
            Some(path) => {
                if !path.is_file() {
                    return Err(Error(format!("--nats-ca {}: no such file", path.display())));
                }
                let tls = crate::hub::tls::tls_config_with_ca(path)
                    .map_err(|e| Error(format!("--nats-ca: {e}")))?;
                options = options.require_tls(true).tls_client_config(tls);
            }
            None => {
                if let Ok(tls) = crate::hub::tls::tls_config() {
                    options = options.tls_client_config(tls.as_ref().clone());
                }
            }
        }
        let addrs: Vec<async_nats::ServerAddr> = plan
            .servers
            .iter()
            .map(|u| {
                u.as_str()
                    .parse()
                    .map_err(|_| Error(format!("--publish: {u} is not usable")))
            })
            .collect::<Result<_, _>>()?;
        let host = plan
            .servers
            .first()
            .and_then(|u| u.host_str())
            .unwrap_or("the NATS server")
            .to_string();
        let client = options.connect(addrs).await.map_err(|e| {
            Error(format!(
                "cannot connect to NATS at {shown}: {}",
                crate::hub::tls::describe(&e, &host)
            ))
        })?;
        let mut js = jetstream::new(client.clone());
        js.set_timeout(ACK_WAIT);
        let wildcard = plan.wildcard();
        let stream_name = match &plan.stream {
            Some(name) => {
                let config = stream::Config {
                    name: name.clone(),
                    subjects: vec![wildcard.clone()],
                    storage: stream::StorageType::File,
                    max_age: plan.max_age.unwrap_or_default(),
                    duplicate_window: duplicate_window(plan.retry_for, plan.max_age),
                    ..Default::default()
                };
                js.get_or_create_stream(config).await.map_err(|e| {
                    Error(format!("cannot create or find the stream {name} on {shown}: {e}"))
                })?;
                name.clone()
            }
            None => js.stream_by_subject(wildcard.clone()).await.map_err(|_| {
                Error(format!(
                    "no JetStream stream on {shown} captures {wildcard}: create one (nats stream add --subjects '{wildcard}') or pass --nats-stream NAME"
                ))
            })?,
        };
        let info = js
            .get_stream(&stream_name)
            .await
            .map_err(|e| Error(format!("cannot read the stream {stream_name}: {e}")))?
            .get_info()
            .await
            .map_err(|e| Error(format!("cannot read the stream {stream_name}: {e}")))?;
        if !info.config.subjects.iter().any(|f| covers(f, &wildcard)) {
            return Err(Error(format!(
                "the stream {stream_name} does not capture {wildcard} (its subjects: {}); add the subject or name another stream",
                info.config.subjects.join(", ")
            )));
        }
        let kv = if plan.ha {
            Some((
                bucket(&js, LEASE_BUCKET, LEASE_TTL).await?,
                bucket(&js, POSITION_BUCKET, Duration::ZERO).await?,
            ))
        } else {
            None
        };
        Ok(Publisher {
            client,
            js,
            lease: Mutex::new(Lease {
                role: Role::Standby,
                takeover_from: None,
                last_acked: None,
            }),
            role_changed: Notify::new(),
            hub_connected: AtomicBool::new(false),
            hub_changed: Notify::new(),
            kv,
            reconnected,
            subjects: Mutex::default(),
            plan,
            run_id,
        })
    }

    /// Whether `--ha` is on (the lease task must run).
    pub fn is_ha(&self) -> bool {
        self.kv.is_some()
    }

    /// The Cycle side is (not) connected: a bridge without the hub stops publishing at
    /// once and lets its lease run out; one that gets the hub back tries for the lease.
    pub fn set_hub_connected(&self, up: bool) {
        self.hub_connected.store(up, Ordering::SeqCst);
        if self.kv.is_some() {
            let mut lease = self.lease();
            lease.role = match (up, lease.role) {
                (true, Role::Standby) => Role::Undecided,
                (true, role) => role,
                (false, _) => Role::Standby,
            };
            drop(lease);
            self.role_changed.notify_waiters();
            self.hub_changed.notify_one();
        }
    }

    fn lease(&self) -> std::sync::MutexGuard<'_, Lease> {
        self.lease.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_role(&self, role: Role) {
        self.lease().role = role;
        self.role_changed.notify_waiters();
    }

    /// Whether this bridge publishes now (always without `--ha`).
    fn may_publish(&self) -> bool {
        self.kv.is_none()
            || matches!(self.lease().role, Role::Publisher { until } if Instant::now() < until)
    }

    /// Whether this bridge publishes, waiting while that is being decided.
    async fn decide(&self) -> bool {
        if self.kv.is_none() {
            return true;
        }
        loop {
            let changed = self.role_changed.notified();
            match self.lease().role {
                Role::Publisher { until } => return Instant::now() < until,
                Role::Standby => return false,
                Role::Undecided => {}
            }
            changed.await;
        }
    }

    fn connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }

    fn lease_key(&self) -> String {
        // KV keys allow letters, digits and -_=/.
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        format!("{}_{}", clean(&self.plan.prefix), clean(&self.plan.hub_id))
    }

    /// Sends one message; its ack is awaited later, by `ACK_WAIT` after now at the latest.
    async fn send(
        &self,
        subject: async_nats::Subject,
        topic: &str,
        received_at: SystemTime,
        id: String,
        payload: Bytes,
    ) -> Result<AckFuture, String> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Cycle-Hub-Id", self.plan.hub_id.as_str());
        headers.insert("Cycle-Topic", topic);
        headers.insert("Cycle-Received-At", rfc3339(received_at).as_str());
        headers.insert("Nats-Msg-Id", id.as_str());
        let deadline = Instant::now() + ACK_WAIT;
        let ack = self
            .js
            .publish_with_headers(subject, headers, payload)
            .await
            .map_err(|e| e.to_string())?;
        // The client's own timeout starts when the ack is first awaited, which for the
        // window's tail is long after it was sent: the deadline is ours.
        Ok(Box::pin(async move {
            match tokio::time::timeout_at(deadline, ack).await {
                Ok(acked) => acked.map_err(|e| e.to_string()),
                Err(_) => Err(format!("no ack within {}", human(ACK_WAIT))),
            }
        }))
    }

    /// Publishes one entry of the window: a notification, or the handover gap record that
    /// goes before it; an error comes back as an ack that fails at once.
    async fn publish(&self, job: &Job, handover: Option<&Bytes>) -> AckFuture {
        match self.try_publish(job, handover).await {
            Ok(ack) => ack,
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }

    async fn try_publish(&self, job: &Job, handover: Option<&Bytes>) -> Result<AckFuture, String> {
        if let Some(record) = handover {
            let subject = self.subject_for(GAP_TOPIC);
            let id = format!("{}-handover-{}", self.run_id, job.seq);
            return self
                .send(subject, GAP_TOPIC, job.received_at, id, record.clone())
                .await;
        }
        let topic: std::borrow::Cow<'_, str> = match crate::notification::leading_topic(&job.frame)
        {
            Some(t) => t.into(),
            None => crate::notification::Notification::parse(&job.frame)
                .map(|n| n.topic.to_string())
                .unwrap_or_else(|_| "unknown".into())
                .into(),
        };
        let subject = self.subject_for(&topic);
        let id = format!("{}-{}", self.run_id, job.seq);
        self.send(subject, &topic, job.received_at, id, payload(&job.frame))
            .await
    }

    /// The subject of `topic`, made once per distinct topic (a hub has a few hundred).
    fn subject_for(&self, topic: &str) -> async_nats::Subject {
        let mut memo = self.subjects.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = memo.get(topic) {
            return s.clone();
        }
        // Topics a hub invents without end cannot grow it without end.
        if memo.len() >= SUBJECTS_KEPT {
            memo.clear();
        }
        let made = async_nats::Subject::from(subject(&self.plan.prefix, &self.plan.hub_id, topic));
        memo.insert(topic.to_string(), made.clone());
        made
    }

    /// The gap record published when this bridge takes over before `job`.
    fn handover_record(&self, from: &str, job: &Job) -> Bytes {
        let duration_ms = from
            .parse::<jiff::Timestamp>()
            .ok()
            .and_then(|f| SystemTime::try_from(f).ok())
            .and_then(|f| job.received_at.duration_since(f).ok())
            .map(|d| d.as_millis() as u64);
        serde_json::json!({
            "topic": GAP_TOPIC,
            "from": from,
            "to": rfc3339(job.received_at),
            "duration_ms": duration_ms,
            "reason": "a standby bridge took over publishing",
        })
        .to_string()
        .into()
    }
}

/// A key-value bucket (one value per key, kept `max_age`), created when missing. Created as
/// its stream directly: the client's own bucket creation first asks for account details in
/// a shape a 2.9 server (Debian's) does not answer in.
async fn bucket(
    js: &jetstream::Context,
    name: &str,
    max_age: Duration,
) -> Result<kv::Store, Error> {
    if let Ok(store) = js.get_key_value(name).await {
        return Ok(store);
    }
    let config = stream::Config {
        name: format!("KV_{name}"),
        subjects: vec![format!("$KV.{name}.>")],
        max_messages_per_subject: 1,
        max_age,
        storage: stream::StorageType::File,
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        discard: stream::DiscardPolicy::New,
        ..Default::default()
    };
    // Another bridge may create it at the same moment: the same config is no conflict.
    let created = js.get_or_create_stream(config).await;
    js.get_key_value(name).await.map_err(|e| {
        let cause = created
            .err()
            .map_or_else(|| e.to_string(), |c| c.to_string());
        Error(format!("cannot open the key-value bucket {name}: {cause}"))
    })
}

/// The frame's bytes on one line, shared with the frame when it already is one line.
fn payload(frame: &tokio_tungstenite::tungstenite::Utf8Bytes) -> Bytes {
    let line = crate::output::json_line(frame);
    match line {
        std::borrow::Cow::Borrowed(trimmed) => {
            let bytes = Bytes::from(frame.clone());
            let start = trimmed.as_ptr() as usize - frame.as_str().as_ptr() as usize;
            bytes.slice(start..start + trimmed.len())
        }
        std::borrow::Cow::Owned(joined) => Bytes::from(joined),
    }
}

/// The deduplication window of a stream `--nats-stream` creates: long enough that a retry
/// within `--publish-retry-for` is still recognised, within the stream's retention.
fn duplicate_window(retry_for: Duration, max_age: Option<Duration>) -> Duration {
    let wanted = (retry_for + ACK_WAIT).max(DEFAULT_DUPLICATE_WINDOW);
    match max_age {
        Some(age) if !age.is_zero() => wanted.min(age),
        _ => wanted,
    }
}

/// One message of the window: published (its ack on the way) or waiting to be (again).
struct Entry {
    job: Job,
    /// The handover gap record published before `job`, instead of a notification of the
    /// lane (not settled there).
    handover: Option<Bytes>,
    /// When it was first sent: `--publish-retry-for` counts from here.
    first: Instant,
    ack: Option<AckFuture>,
}

/// The publishing worker: jobs in arrival order, up to `WINDOW` unacknowledged. A failed
/// ack re-publishes it and everything after it, in order, under the same message ids, once
/// the connection is back; nothing new is sent before them.
pub(super) async fn work(lane: Arc<Lane>, publisher: Arc<Publisher>) {
    let retry = lane.destination().retry;
    let notes = lane.notes().clone();
    let mut window: VecDeque<Entry> = VecDeque::new();
    let mut jitter = Jitter::default();
    let mut failures = 0u32;
    // The window waits to be sent again (the connection was down at the last retry).
    let mut unsent = false;
    loop {
        // New jobs only behind a window that is all sent: order is per run, not per object.
        while window.len() < WINDOW && !unsent {
            let job = if window.is_empty() {
                match lane.next(Order::Arrival).await {
                    Some(job) => job,
                    None => return,
                }
            } else {
                match lane.try_next(Order::Arrival) {
                    Some(Some(job)) => job,
                    _ => break,
                }
            };
            if !publisher.decide().await {
                lane.settle(&job, Outcome::Skipped);
                continue;
            }
            let takeover = match publisher.is_ha() {
                true => publisher.lease().takeover_from.take(),
                false => None,
            };
            if let Some(from) = takeover {
                let record = publisher.handover_record(&from, &job);
                let ack = publisher.publish(&job, Some(&record)).await;
                window.push_back(Entry {
                    job: job.clone(),
                    handover: Some(record),
                    first: Instant::now(),
                    ack: Some(ack),
                });
            }
            let ack = publisher.publish(&job, None).await;
            window.push_back(Entry {
                job,
                handover: None,
                first: Instant::now(),
                ack: Some(ack),
            });
        }
        let Some(mut front) = window.pop_front() else {
            unsent = false;
            continue;
        };
        let result = match front.ack.take() {
            Some(ack) => ack.await,
            None => Err("the NATS connection is down".to_string()),
        };
        match result {
            Ok(ack) => {
                failures = 0;
                if front.handover.is_some() {
                    let _ = notes.send(Note::Info(format!(
                        "published the handover gap record ({} seq {})",
                        ack.stream, ack.sequence
                    )));
                    continue;
                }
                if publisher.is_ha() {
                    publisher.lease().last_acked = Some(front.job.received_at);
                }
                if lane.reports_delivered() {
                    let _ = notes.send(Note::Delivered {
                        destination: "publish",
                        job: front.job.clone(),
                        result: super::Done::Acked {
                            stream: ack.stream,
                            sequence: ack.sequence,
                            duplicate: ack.duplicate,
                        },
                    });
                }
                lane.settle(&front.job, Outcome::Delivered);
            }
            Err(_) if publisher.is_ha() && !publisher.may_publish() => {
                // Without the lease nothing more goes out: a standby may be publishing by
                // now, and what this bridge had in flight falls in the gap it reports.
                window.push_front(front);
                let left = window.iter().filter(|e| e.handover.is_none()).count();
                for entry in window.drain(..) {
                    if entry.handover.is_none() {
                        lane.settle(&entry.job, Outcome::Skipped);
                    }
                }
                unsent = false;
                let _ = notes.send(Note::Info(format!(
                    "no longer the publisher: {left} unacknowledged notifications not retried"
                )));
            }
            Err(reason) => {
                let delay = jitter.delay(failures);
                // Judged at the time the next attempt would start, as for the other lanes.
                if !retry.allows(1, front.first.elapsed() + delay) {
                    // What follows keeps its own ack and budget.
                    if front.handover.is_none() {
                        lane.settle(&front.job, Outcome::Failed(Reason::new(reason)));
                    }
                    continue;
                }
                failures = failures.saturating_add(1);
                let _ = notes.send(Note::Retrying {
                    destination: "publish",
                    what: front.job.describe(),
                    reason: Reason::new(reason),
                    delay,
                });
                // While the connection is down, its return ends the wait early.
                let back = publisher.reconnected.notified();
                if publisher.connected() {
                    tokio::time::sleep(delay).await;
                } else {
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = back => {}
                    }
                }
                window.push_front(front);
                // Again in order: this one, then all that were in flight behind it (those
                // JetStream already stored are dropped as duplicates by their message id).
                // Sent into a connection that is down they would only pile up in the client,
                // each waiting its turn in its command channel.
                unsent = !publisher.connected();
                for entry in window.iter_mut() {
                    entry.ack = match unsent {
                        true => None,
                        false => Some(publisher.publish(&entry.job, entry.handover.as_ref()).await),
                    };
                }
            }
        }
    }
}

/// The `--ha` lease: a bridge with the hub takes the key when it is free (the last
/// publisher's expired) and renews it while it keeps the hub; without the hub it stops and
/// lets the lease run out, so a standby with the hub takes over.
pub(super) async fn lease(
    publisher: Arc<Publisher>,
    notes: tokio::sync::mpsc::UnboundedSender<Note>,
) {
    let Some((leases, positions)) = publisher.kv.clone() else {
        return;
    };
    let key = publisher.lease_key();
    let mut revision: Option<u64> = None;
    let mut written: Option<SystemTime> = None;
    let say = |line: String| {
        let _ = notes.send(Note::Info(line));
    };
    loop {
        let connected = publisher.hub_connected.load(Ordering::SeqCst);
        let sent = Instant::now();
        let value: Bytes = serde_json::json!({ "owner": publisher.run_id })
            .to_string()
            .into();
        match (revision, connected) {
            (Some(_), false) => {
                revision = None;
                publisher.set_role(Role::Standby);
                say("lost the hub: no longer the publisher (a standby takes over)".into());
            }
            (Some(rev), true) => match leases.update(&key, value, rev).await {
                Ok(next) => {
                    revision = Some(next);
                    publisher.set_role(Role::Publisher {
                        until: sent + LEASE_TTL - LEASE_MARGIN,
                    });
                    let acked = publisher.lease().last_acked;
                    if let Some(at) = acked.filter(|at| Some(*at) != written) {
                        let position = serde_json::json!({ "acked_at": rfc3339(at) });
                        if positions
                            .put(&key, position.to_string().into())
                            .await
                            .is_ok()
                        {
                            written = Some(at);
                        }
                    }
                }
                Err(e) => {
                    if !publisher.may_publish() {
                        revision = None;
                        publisher.set_role(Role::Standby);
                        say(format!("lost the publisher lease: {e}"));
                    }
                }
            },
            (None, true) => match leases.create(&key, value).await {
                Ok(rev) => {
                    let from = positions
                        .get(&key)
                        .await
                        .ok()
                        .flatten()
                        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                        .and_then(|v| v["acked_at"].as_str().map(String::from));
                    revision = Some(rev);
                    match from {
                        // The bridges' first publisher: nothing came before it to lose, but
                        // if it dies before its first ack, its successor reports the gap
                        // from here.
                        None => {
                            let position =
                                serde_json::json!({ "acked_at": rfc3339(SystemTime::now()) });
                            let _ = positions.put(&key, position.to_string().into()).await;
                        }
                        Some(from) => publisher.lease().takeover_from = Some(from),
                    }
                    publisher.set_role(Role::Publisher {
                        until: sent + LEASE_TTL - LEASE_MARGIN,
                    });
                    say(format!(
                        "publisher for {} (lease renewed every {})",
                        publisher.plan.wildcard(),
                        human(LEASE_EVERY)
                    ));
                }
                Err(e) => {
                    let was_undecided = publisher.lease().role == Role::Undecided;
                    publisher.set_role(Role::Standby);
                    if was_undecided {
                        say(match e.kind() {
                            kv::CreateErrorKind::AlreadyExists => {
                                "standby: another bridge publishes (this one takes over if it stops)".into()
                            }
                            _ => format!("standby: cannot take the publisher lease: {e}"),
                        });
                    }
                }
            },
            (None, false) => publisher.set_role(Role::Standby),
        }
        let changed = publisher.hub_changed.notified();
        tokio::select! {
            () = tokio::time::sleep(LEASE_EVERY) => {}
            () = changed => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_keep_dots_and_replace_what_nats_reserves() {
        assert_eq!(
            subject("cycle", "65f0", "container.state.changed"),
            "cycle.65f0.container.state.changed"
        );
        assert_eq!(
            subject("cycle", "h", "odd topic.*.>..x"),
            "cycle.h.odd_topic._._._.x"
        );
        assert_eq!(subject("cycle", "h", ""), "cycle.h._");
    }

    #[test]
    fn stream_filters_cover_the_bridge_subjects() {
        assert!(covers("cycle.h.>", "cycle.h.>"));
        assert!(covers("cycle.>", "cycle.h.>"));
        assert!(covers(">", "cycle.h.>"));
        assert!(covers("cycle.*.>", "cycle.h.>"));
        assert!(!covers("cycle.h.*", "cycle.h.>"));
        assert!(!covers("cycle.other.>", "cycle.h.>"));
        assert!(!covers("cycle.h.container.>", "cycle.h.>"));
    }

    #[test]
    fn server_urls_are_checked_and_their_credentials_taken_out() {
        let (u, login) = parse_server("nats://user:p%40ss@127.0.0.1:4222").unwrap();
        assert_eq!(u.as_str(), "nats://127.0.0.1:4222");
        assert_eq!(
            login,
            Some(Login::User {
                user: "user".into(),
                password: Secret::new("p@ss")
            })
        );
        let (u, login) = parse_server("tls://s3cr3t@nats.example:4222").unwrap();
        assert_eq!(u.as_str(), "tls://nats.example:4222");
        assert_eq!(login, Some(Login::Token(Secret::new("s3cr3t"))));
        assert!(!format!("{login:?}").contains("s3cr3t"));
        let (u, login) = parse_server("127.0.0.1:4222").unwrap();
        assert_eq!((u.scheme(), login), ("nats", None));
        assert!(parse_server("http://x").is_err());
        let e = parse_server("nats://tok en@:bad").unwrap_err().to_string();
        assert!(!e.contains("tok en"), "{e}");
    }

    #[test]
    fn payloads_share_one_line_frames_and_join_spread_ones() {
        use tokio_tungstenite::tungstenite::Utf8Bytes;
        let frame = Utf8Bytes::from(" {\"topic\":\"t\"}\n".to_string());
        let p = payload(&frame);
        assert_eq!(&p[..], b"{\"topic\":\"t\"}");
        assert_eq!(p.as_ptr(), frame.as_str()[1..].as_ptr(), "no copy");
        let spread = Utf8Bytes::from("{\n\"topic\": \"t\"\r\n}".to_string());
        assert_eq!(&payload(&spread)[..], b"{\"topic\": \"t\"}");
    }

    #[test]
    fn created_streams_deduplicate_over_the_retry_budget() {
        let five_min = Duration::from_secs(300);
        assert_eq!(duplicate_window(five_min, None), five_min + ACK_WAIT);
        assert_eq!(
            duplicate_window(Duration::from_secs(1), None),
            DEFAULT_DUPLICATE_WINDOW
        );
        let hour = Duration::from_secs(3600);
        assert_eq!(duplicate_window(hour, Some(five_min)), five_min);
    }
}
