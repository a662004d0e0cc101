//! `--publish nats://...`: each notification published to JetStream on
//! `<prefix>.<hub_id>.<topic>` with acks pipelined, retried in order (JetStream drops the
//! duplicates our retries make, by `Nats-Msg-Id`), and with `--ha` a lease in a JetStream
//! key-value bucket so that of several bridges exactly one publishes.

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use async_nats::jetstream::{self, context::PublishAckFuture, kv, stream};
use bytes::Bytes;
use tokio::time::Instant;
use url::Url;

use super::lane::{Lane, Order, Outcome};
use super::{Job, Note, Reason};
use crate::hub::backoff::Jitter;
use crate::leaf::time::{human, rfc3339};

/// Publishes in flight (unacknowledged) at once.
const WINDOW: usize = 256;
/// The topic of the record that tells consumers notifications may be missing.
pub const GAP_TOPIC: &str = "cycle-notify.stream.gap";
/// How long a publisher's lease lives without renewal; a standby takes over after it.
pub const LEASE_TTL: Duration = Duration::from_secs(5);
/// Leases are renewed (and looked at by standbys) this often.
const LEASE_EVERY: Duration = Duration::from_millis(1500);
/// A lease is trusted this much less than its TTL, for the time a renewal takes.
const LEASE_MARGIN: Duration = Duration::from_secs(1);
const LEASE_BUCKET: &str = "cycle-notify-leases";
const POSITION_BUCKET: &str = "cycle-notify-positions";

/// Why publishing cannot start; the URL in it has no credentials.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// `--publish` and its options, checked before any I/O.
#[derive(Debug, Clone)]
pub struct NatsPlan {
    /// Server URLs, credentials included as given (never shown).
    pub servers: Vec<Url>,
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
    /// The servers as they may be shown: user, password and token removed.
    pub fn shown(&self) -> String {
        self.servers
            .iter()
            .map(redact)
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

/// Checks one `--publish` URL: nats:// or tls:// with a host.
pub fn parse_server(raw: &str) -> Result<Url, Error> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("nats://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| {
        Error(format!(
            "--publish: '{}' is not a NATS URL (nats://HOST:PORT)",
            if raw.contains('@') { "(redacted)" } else { raw }
        ))
    })?;
    match url.scheme() {
        "nats" | "tls" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
        "nats" | "tls" => Err(Error(format!("--publish: {} has no host", redact(&url)))),
        other => Err(Error(format!(
            "--publish: the scheme must be nats:// or tls://, not {other}://"
        ))),
    }
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

/// Whether this bridge may publish now, and what the previous publisher last acked.
#[derive(Debug)]
struct Lease {
    /// `None` without `--ha`: always the publisher.
    valid_until: Option<Instant>,
    /// Set on a takeover: a gap record goes out before the next notification.
    takeover_from: Option<Option<String>>,
    /// The received_at of the last notification this bridge had acked.
    last_acked: Option<SystemTime>,
}

/// A connected publisher: the client, its JetStream context and the lease state.
pub struct Publisher {
    js: jetstream::Context,
    plan: NatsPlan,
    /// Tells this run's messages apart from another run's in `Nats-Msg-Id`.
    run_id: String,
    lease: Mutex<Lease>,
    hub_connected: std::sync::atomic::AtomicBool,
    kv: Option<(kv::Store, kv::Store)>,
}

impl fmt::Debug for Publisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Publisher")
            .field("servers", &self.plan.shown())
            .finish()
    }
}

impl Publisher {
    /// Connects, and makes sure a stream captures every subject this bridge will use: the
    /// named one is created when missing; without one, a stream must exist already.
    pub async fn connect(plan: NatsPlan, run_id: String) -> Result<Publisher, Error> {
        let shown = plan.shown();
        let mut options = async_nats::ConnectOptions::new()
            .name("cycle-notify")
            .connection_timeout(Duration::from_secs(5))
            // Reconnects are the client's own, forever; publishes wait in our queue.
            .max_reconnects(None);
        if let Some(path) = &plan.creds {
            options = options.credentials_file(path).await.map_err(|e| {
                Error(format!(
                    "cannot read the NATS credentials file {}: {e}",
                    path.display()
                ))
            })?;
        }
        if let Some(path) = &plan.ca {
            if !path.is_file() {
                return Err(Error(format!("--nats-ca {}: no such file", path.display())));
            }
            options = options
                .add_root_certificates(path.clone())
                .require_tls(true);
        }
        let addrs: Vec<async_nats::ServerAddr> = plan
            .servers
            .iter()
            .map(|u| {
                u.as_str()
                    .parse()
                    .map_err(|_| Error(format!("--publish: {} is not usable", redact(u))))
            })
            .collect::<Result<_, _>>()?;
        let client = options
            .connect(addrs)
            .await
            .map_err(|e| Error(format!("cannot connect to NATS at {shown}: {e}")))?;
        let mut js = jetstream::new(client);
        js.set_timeout(Duration::from_secs(5));
        let wildcard = plan.wildcard();
        let stream_name = match &plan.stream {
            Some(name) => {
                let config = stream::Config {
                    name: name.clone(),
                    subjects: vec![wildcard.clone()],
                    storage: stream::StorageType::File,
                    max_age: plan.max_age.unwrap_or_default(),
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
            let leases = js
                .create_or_update_key_value(kv::Config {
                    bucket: LEASE_BUCKET.into(),
                    history: 1,
                    max_age: LEASE_TTL,
                    ..Default::default()
                })
                .await
                .map_err(|e| Error(format!("cannot open the lease bucket {LEASE_BUCKET}: {e}")))?;
            let positions = js
                .create_or_update_key_value(kv::Config {
                    bucket: POSITION_BUCKET.into(),
                    history: 1,
                    ..Default::default()
                })
                .await
                .map_err(|e| {
                    Error(format!(
                        "cannot open the position bucket {POSITION_BUCKET}: {e}"
                    ))
                })?;
            Some((leases, positions))
        } else {
            None
        };
        Ok(Publisher {
            js,
            lease: Mutex::new(Lease {
                valid_until: None,
                takeover_from: None,
                last_acked: None,
            }),
            hub_connected: std::sync::atomic::AtomicBool::new(false),
            kv,
            plan,
            run_id,
        })
    }

    /// Whether `--ha` is on (the lease task must run).
    pub fn is_ha(&self) -> bool {
        self.kv.is_some()
    }

    /// The Cycle side is (not) connected: a bridge without the hub gives up its lease.
    pub fn set_hub_connected(&self, up: bool) {
        self.hub_connected
            .store(up, std::sync::atomic::Ordering::SeqCst);
    }

    fn lease(&self) -> std::sync::MutexGuard<'_, Lease> {
        self.lease.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this bridge publishes now.
    fn may_publish(&self) -> bool {
        if self.kv.is_none() {
            return true;
        }
        self.lease()
            .valid_until
            .is_some_and(|until| Instant::now() < until)
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

    async fn publish(&self, job: &Job) -> Result<PublishAckFuture, String> {
        let topic = crate::notification::leading_topic(&job.frame)
            .map(str::to_string)
            .or_else(|| {
                crate::notification::Notification::parse(&job.frame)
                    .ok()
                    .map(|n| n.topic.to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        let subject = subject(&self.plan.prefix, &self.plan.hub_id, &topic);
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Cycle-Hub-Id", self.plan.hub_id.as_str());
        headers.insert("Cycle-Topic", topic.as_str());
        headers.insert("Cycle-Received-At", rfc3339(job.received_at).as_str());
        headers.insert(
            "Nats-Msg-Id",
            format!("{}-{}", self.run_id, job.seq).as_str(),
        );
        let payload = Bytes::copy_from_slice(&crate::output::json_line(&job.frame));
        self.js
            .publish_with_headers(subject, headers, payload)
            .await
            .map_err(|e| e.to_string())
    }

    /// A gap record on `<prefix>.<hub>.cycle-notify.stream.gap`, published and acked before
    /// what follows it.
    async fn publish_gap(
        &self,
        from: Option<&str>,
        to: SystemTime,
        reason: &str,
    ) -> Result<(), String> {
        let record = serde_json::json!({
            "topic": GAP_TOPIC,
            "from": from,
            "to": rfc3339(to),
            "reason": reason,
        });
        let subject = subject(&self.plan.prefix, &self.plan.hub_id, GAP_TOPIC);
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Cycle-Hub-Id", self.plan.hub_id.as_str());
        headers.insert("Cycle-Topic", GAP_TOPIC);
        headers.insert("Cycle-Received-At", rfc3339(to).as_str());
        headers.insert(
            "Nats-Msg-Id",
            format!("{}-gap-{}", self.run_id, rfc3339(to)).as_str(),
        );
        let ack = self
            .js
            .publish_with_headers(subject, headers, record.to_string().into())
            .await
            .map_err(|e| e.to_string())?;
        ack.await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// The publishing worker: jobs in arrival order, up to `WINDOW` unacknowledged; a failed
/// ack re-publishes it and everything after it, in order, under the same message ids.
pub(super) async fn work(lane: Arc<Lane>, publisher: Arc<Publisher>) {
    let retry = lane.destination().retry;
    let notes = lane.notes().clone();
    let mut window: VecDeque<(Job, Instant, Option<PublishAckFuture>)> = VecDeque::new();
    let mut jitter = Jitter::default();
    let mut failures = 0u32;
    loop {
        // Fill the window with what is queued.
        while window.len() < WINDOW {
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
            if !publisher.may_publish() {
                lane.settle(&job, Outcome::Skipped);
                continue;
            }
            let takeover = publisher.lease().takeover_from.take();
            if let Some(from) = takeover {
                let reason = "a standby bridge took over publishing";
                if let Err(e) = publisher
                    .publish_gap(from.as_deref(), job.received_at, reason)
                    .await
                {
                    let _ = notes.send(Note::Retrying {
                        destination: "publish",
                        what: "the handover gap record".into(),
                        reason: Reason::new(e),
                        delay: Duration::ZERO,
                    });
                }
            }
            let ack = publisher.publish(&job).await.ok();
            window.push_back((job, Instant::now(), ack));
        }
        let Some((job, first, ack)) = window.pop_front() else {
            continue;
        };
        let result = match ack {
            Some(ack) => ack.await.map_err(|e| e.to_string()),
            None => Err("the NATS connection is not ready".to_string()),
        };
        match result {
            Ok(ack) => {
                failures = 0;
                publisher.lease().last_acked = Some(job.received_at);
                let _ = notes.send(Note::Delivered {
                    destination: "publish",
                    what: job.describe(),
                    result: format!("{} seq {}", ack.stream, ack.sequence),
                });
                lane.settle(&job, Outcome::Delivered);
            }
            Err(reason) if !retry.allows(1, first.elapsed()) => {
                lane.settle(&job, Outcome::Failed(Reason::new(reason)));
            }
            Err(reason) => {
                let delay = jitter.delay(failures);
                failures = failures.saturating_add(1);
                let _ = notes.send(Note::Retrying {
                    destination: "publish",
                    what: job.describe(),
                    reason: Reason::new(reason),
                    delay,
                });
                tokio::time::sleep(delay).await;
                // Again in order: this one, then all that were in flight behind it. Those
                // JetStream already stored are dropped as duplicates by their message id.
                let mut again = VecDeque::with_capacity(window.len() + 1);
                again.push_back((job, first));
                again.extend(window.drain(..).map(|(j, f, _)| (j, f)));
                for (job, first) in again {
                    let ack = publisher.publish(&job).await.ok();
                    window.push_back((job, first, ack));
                }
            }
        }
    }
}

/// The `--ha` lease: a standby takes the key when it is free (the last publisher's expired);
/// the publisher renews it while it has the hub, and lets it go when it loses the hub.
pub(super) async fn lease(
    publisher: Arc<Publisher>,
    notes: tokio::sync::mpsc::UnboundedSender<Note>,
) {
    let Some((leases, positions)) = publisher.kv.clone() else {
        return;
    };
    let key = publisher.lease_key();
    let mut revision: Option<u64> = None;
    let say = |line: String| {
        let _ = notes.send(Note::Info(line));
    };
    loop {
        let connected = publisher
            .hub_connected
            .load(std::sync::atomic::Ordering::SeqCst);
        let sent = Instant::now();
        let value: Bytes = serde_json::json!({ "owner": publisher.run_id })
            .to_string()
            .into();
        match (revision, connected) {
            (Some(_), false) => {
                // Without the hub this bridge has nothing to publish: stop at once, and let
                // the lease run out so a standby with the hub takes over.
                publisher.lease().valid_until = None;
                revision = None;
                say("lost the hub: no longer the publisher (a standby takes over)".into());
            }
            (Some(rev), true) => match leases.update(&key, value, rev).await {
                Ok(next) => {
                    revision = Some(next);
                    publisher.lease().valid_until = Some(sent + LEASE_TTL - LEASE_MARGIN);
                    let acked = publisher.lease().last_acked;
                    if let Some(at) = acked {
                        let position = serde_json::json!({ "acked_at": rfc3339(at) });
                        let _ = positions.put(&key, position.to_string().into()).await;
                    }
                }
                Err(e) => {
                    let expired = publisher
                        .lease()
                        .valid_until
                        .is_none_or(|until| Instant::now() >= until);
                    if expired {
                        publisher.lease().valid_until = None;
                        revision = None;
                        say(format!("lost the publisher lease: {e}"));
                    }
                }
            },
            (None, true) => {
                if let Ok(rev) = leases.create(&key, value).await {
                    let from = positions
                        .get(&key)
                        .await
                        .ok()
                        .flatten()
                        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                        .and_then(|v| v["acked_at"].as_str().map(String::from));
                    revision = Some(rev);
                    let mut lease = publisher.lease();
                    lease.valid_until = Some(sent + LEASE_TTL - LEASE_MARGIN);
                    lease.takeover_from = Some(from);
                    drop(lease);
                    say(format!(
                        "publisher for {} (lease renewed every {})",
                        publisher.plan.wildcard(),
                        human(LEASE_EVERY)
                    ));
                }
            }
            (None, false) => {}
        }
        tokio::time::sleep(LEASE_EVERY).await;
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
    fn server_urls_are_checked_and_redacted() {
        let u = parse_server("nats://user:pw@127.0.0.1:4222").unwrap();
        assert!(!redact(&u).contains("pw") && !redact(&u).contains("user"));
        assert_eq!(parse_server("127.0.0.1:4222").unwrap().scheme(), "nats");
        assert!(parse_server("http://x").is_err());
        let e = parse_server("nats://tok en@:bad").unwrap_err().to_string();
        assert!(!e.contains("tok en"), "{e}");
    }
}
