//! The websocket side: token, connect (through a proxy when one applies, TLS with the OS
//! trust store; or the internal API's unix socket), keepalive and reconnect; yields frames
//! and connection events. It never prints: callers decide what a frame, an event or a
//! failure means to the user.

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::time::{Instant, Sleep};
use tokio_tungstenite::tungstenite::{self, Message};
use url::Url;

use super::api::{Api, Token};
use super::error::{ApiError, GiveUp};
use super::internal::{self, Internal};
use super::socket::{classify, open, Connection, Frame, Got};
use crate::hub::backoff::Jitter;
use crate::hub::scrub::scrub;
use crate::leaf::time::human;

pub const DEFAULT_PING_INTERVAL: Duration = Duration::from_secs(15);
/// Attempts at the very first connection when the API answers 429 or 5xx. Network and TLS
/// errors on the first connection fail at once: a wrong URL or CA should not look like a hang.
const FIRST_ATTEMPTS: u32 = 5;

/// How a `Stream` behaves when the connection drops or goes quiet.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Reconnect after a drop (the default); off, a drop ends the stream with an error.
    pub reconnect: bool,
    /// A ping goes out this often; no frame of any kind for two intervals means the link is
    /// dead (half-open) and it is dropped.
    pub ping_interval: Duration,
    /// End the stream after this many failed attempts in a row (none: retry forever).
    pub max_reconnects: Option<u32>,
    /// End the stream once it has been without a socket this long (none: retry forever).
    pub give_up_after: Option<Duration>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            reconnect: true,
            ping_interval: DEFAULT_PING_INTERVAL,
            max_reconnects: None,
            give_up_after: None,
        }
    }
}

/// What a `Stream` yields, in order: lifecycle lines, connections, gaps and frames.
#[derive(Debug)]
pub enum Event {
    Frame(Frame),
    /// A socket is open. `first` is false after a reconnect: whatever was sent meanwhile is
    /// lost, so state derived from the stream should be re-read (wait-for does).
    Connected {
        first: bool,
        url: Url,
        at: SystemTime,
    },
    /// Follows a reconnect's `Connected`: the stream was down from `from` to `to`.
    Gap(Gap),
    /// The next attempt starts after `delay`; `reason` is what went wrong. `reconnect` is
    /// false while the very first connection is still being made. `attempt` counts the
    /// retries since the last healthy connection (1 for the first); `repeats` how many of
    /// the latest ones in a row had this same reason (1: a new one).
    Retrying {
        delay: Duration,
        reason: String,
        reconnect: bool,
        attempt: u32,
        repeats: u32,
    },
    /// A `-v` lifecycle line (token fetched, connecting, pings, closes). Never has a secret.
    Debug(String),
}

/// A stretch of time in which notifications may have been missed.
#[derive(Debug, Clone)]
pub struct Gap {
    /// The last sign of life of the old connection.
    pub from: SystemTime,
    /// When the new connection was open.
    pub to: SystemTime,
    /// Why the old connection was dropped.
    pub reason: String,
}

impl Gap {
    pub fn duration(&self) -> Duration {
        self.to.duration_since(self.from).unwrap_or_default()
    }
}

/// Where a stream's sockets come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The public API: a fresh token per connect (docs/cycle-api.md §1), then the socket.
    Public(Box<Api>),
    /// The internal API's unix socket inside a Cycle container (§7): the same token on every
    /// connect.
    Internal(Internal),
}

impl From<Api> for Source {
    fn from(api: Api) -> Source {
        Source::Public(Box::new(api))
    }
}

/// A notification stream that stays connected: a fresh token per attempt (public API),
/// backoff with jitter (the source's schedule), keepalive pings and dead-link detection.
/// `next` is cancel-safe between attempts: a caller may select on it with signals and
/// deadlines.
pub struct Stream {
    source: Source,
    policy: Policy,
    phase: Phase,
    pending: VecDeque<Event>,
    /// Failed attempts since the last healthy connection: the backoff exponent.
    attempt: u32,
    /// The reason of the latest retry, and how many retries in a row gave it.
    last_reason: Option<String>,
    repeats: u32,
    connected_once: bool,
    /// A socket upgrade refused the token just fetched: retried once with a fresh token
    /// (tokens are short-lived; the key itself was accepted a moment ago).
    token_refused: bool,
    down: Option<Down>,
    jitter: Jitter,
    started: SystemTime,
    /// Attempts that failed since the last socket was open (the policy's limit counts them).
    failures: u32,
}

/// Why a stream is without a socket at the moment.
#[derive(Debug, Clone)]
pub struct Outage {
    /// Whether any attempt ever got a socket open.
    pub ever_connected: bool,
    /// Since when: the start, or the last sign of life of the lost connection.
    pub since: SystemTime,
    /// What went wrong last, when anything did yet (a first attempt may still be waiting).
    pub reason: Option<String>,
}

impl Outage {
    pub fn duration(&self) -> Duration {
        self.since.elapsed().unwrap_or_default()
    }
}

enum Phase {
    Wait(Instant),
    /// An attempt begins: the token call, or with the internal API the socket itself.
    Start,
    Open(Token),
    Live(Box<Live>),
}

struct Live {
    conn: Connection,
    since: Instant,
    frames: u64,
    next_ping: Instant,
    ping_sent: Option<Instant>,
    /// Messages came in through `next_ready` since `conn.last_rx` was last set. The stamp
    /// is then late by at most one burst, which the keepalive (seconds) cannot notice.
    unstamped: bool,
    /// Fires at the next ping or the dead-link deadline, whichever is first. Frames do not
    /// touch it: they only move `conn.last_rx`, which the timer reads when it fires.
    timer: Pin<Box<Sleep>>,
}

struct Down {
    since: SystemTime,
    reason: String,
}

/// What one look at the live connection produced.
enum Outcome {
    Frame(Frame),
    Note(String),
    Quiet,
    Lost(String),
}

impl Stream {
    pub fn new(source: impl Into<Source>, policy: Policy) -> Stream {
        let source = source.into();
        let backoff = match &source {
            Source::Public(api) => api.backoff(),
            Source::Internal(internal) => internal.backoff,
        };
        let mut s = Stream {
            source,
            policy,
            phase: Phase::Start,
            pending: VecDeque::new(),
            attempt: 0,
            last_reason: None,
            repeats: 0,
            connected_once: false,
            token_refused: false,
            down: None,
            jitter: Jitter::new(backoff),
            started: SystemTime::now(),
            failures: 0,
        };
        s.enter_start();
        s
    }

    /// `None` while a socket is open; otherwise since when and why not. A caller that ends
    /// the run now (a deadline) says so rather than reporting success.
    pub fn outage(&self) -> Option<Outage> {
        if matches!(self.phase, Phase::Live(_)) {
            return None;
        }
        Some(match &self.down {
            Some(down) => Outage {
                ever_connected: true,
                since: down.since,
                reason: Some(down.reason.clone()),
            },
            None => Outage {
                ever_connected: self.connected_once,
                since: self.started,
                reason: self.last_reason.clone(),
            },
        })
    }

    /// The next event. Errors are final: a refusal (401/403, exit 3), a drop with
    /// reconnecting off, or the first connection failing.
    pub async fn next(&mut self) -> Result<Event, ApiError> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Ok(ev);
            }
            match &mut self.phase {
                Phase::Live(live) => {
                    let outcome = tokio::select! {
                        biased;
                        msg = live.conn.ws.next() => live.take(msg),
                        () = live.timer.as_mut() => live.tick(self.policy.ping_interval).await,
                    };
                    match outcome {
                        Outcome::Frame(f) => return Ok(Event::Frame(f)),
                        Outcome::Note(n) => return Ok(Event::Debug(n)),
                        Outcome::Quiet => {}
                        Outcome::Lost(reason) => self.lost(reason)?,
                    }
                }
                Phase::Wait(until) => {
                    tokio::time::sleep_until(*until).await;
                    self.enter_start();
                }
                Phase::Start => match &self.source {
                    Source::Public(api) => match api.token().await {
                        Ok(token) => {
                            let url = &token.socket_url;
                            let via = match api.proxies().for_url(url) {
                                Some(v) => format!(" through the proxy {v}"),
                                None => String::new(),
                            };
                            self.pending.push_back(Event::Debug(format!(
                                "token received (redacted); opening {url}{via}"
                            )));
                            self.phase = Phase::Open(token);
                        }
                        Err(e) => self.failed(e)?,
                    },
                    // No token call: a refusal is about the static token, final at once.
                    Source::Internal(i) => match internal::open(i).await {
                        Ok(conn) => self.up(conn),
                        Err(e) => self.failed(e)?,
                    },
                },
                Phase::Open(_) => {
                    // Out of the phase first: a token is single-use, so an attempt dropped
                    // half-way must fetch a new one.
                    let Phase::Open(token) = std::mem::replace(&mut self.phase, Phase::Start)
                    else {
                        unreachable!()
                    };
                    let Source::Public(api) = &self.source else {
                        unreachable!("only the public API has tokens")
                    };
                    match open(api, &token).await {
                        Ok(conn) => self.up(conn),
                        Err(e) => self.upgrade_failed(e)?,
                    }
                }
            }
        }
    }

    /// A frame only if one is already waiting, without blocking: lets callers write a burst
    /// in one go and flush when the socket goes quiet. A drop found here is handled like in
    /// `next`, which then reports it.
    pub fn next_ready(&mut self) -> Result<Option<Frame>, ApiError> {
        loop {
            let Phase::Live(live) = &mut self.phase else {
                return Ok(None);
            };
            let Some(msg) = live.conn.ws.next().now_or_never() else {
                if live.unstamped {
                    live.conn.last_rx = Instant::now();
                    live.unstamped = false;
                }
                return Ok(None);
            };
            match live.take_ready(msg) {
                Outcome::Frame(f) => return Ok(Some(f)),
                Outcome::Note(n) => self.pending.push_back(Event::Debug(n)),
                Outcome::Quiet => {}
                Outcome::Lost(reason) => {
                    self.lost(reason)?;
                    return Ok(None);
                }
            }
        }
    }

    /// The caller stopped reading for a while (its own backpressure): the silence since is
    /// ours, not the hub's, so the keepalive starts over instead of calling the link dead.
    pub fn resume(&mut self) {
        if let Phase::Live(live) = &mut self.phase {
            let now = Instant::now();
            live.conn.last_rx = now;
            live.next_ping = now + self.policy.ping_interval;
            live.timer.as_mut().reset(live.next_ping);
        }
    }

    /// Sends a close frame on a live connection (best effort, briefly); whether there was
    /// one to close.
    pub async fn close(&mut self) -> bool {
        match &mut self.phase {
            Phase::Live(live) => {
                live.conn.close().await;
                true
            }
            _ => false,
        }
    }

    fn enter_start(&mut self) {
        self.phase = Phase::Start;
        let line = match &self.source {
            Source::Public(api) => format!("requesting a token from {}", api.token_url()),
            Source::Internal(i) => format!(
                "opening the internal API socket {} (token redacted)",
                i.url()
            ),
        };
        self.pending.push_back(Event::Debug(line));
    }

    fn up(&mut self, conn: Connection) {
        let now = Instant::now();
        let at = SystemTime::now();
        let first = !self.connected_once;
        self.connected_once = true;
        self.token_refused = false;
        self.failures = 0;
        self.pending.push_back(Event::Connected {
            first,
            url: conn.url.clone(),
            at,
        });
        if let Some(down) = self.down.take() {
            self.pending.push_back(Event::Gap(Gap {
                from: down.since,
                to: at,
                reason: down.reason,
            }));
        }
        let interval = self.policy.ping_interval;
        self.phase = Phase::Live(Box::new(Live {
            conn,
            since: now,
            frames: 0,
            next_ping: now + interval,
            ping_sent: None,
            unstamped: false,
            timer: Box::pin(tokio::time::sleep_until(now + interval)),
        }));
    }

    /// The live connection is gone: end the stream, or schedule a reconnect.
    fn lost(&mut self, reason: String) -> Result<(), ApiError> {
        let Phase::Live(mut live) = std::mem::replace(&mut self.phase, Phase::Start) else {
            return Ok(());
        };
        if live.conn.closed.is_some() {
            // The hub closed: answer with the close frame tungstenite queued (RFC 6455
            // §5.5.1), if the socket takes it now; a dead link gets nothing.
            let _ = live.conn.ws.flush().now_or_never();
        }
        // A close reason is the hub's text.
        let secret = match &self.source {
            Source::Public(api) => api.key().expose(),
            Source::Internal(internal) => internal.token.expose(),
        };
        let reason = scrub(&reason, &[secret]);
        let uptime = live.since.elapsed();
        self.pending.push_back(Event::Debug(format!(
            "connection lost after {} and {} frames: {reason}",
            human(uptime),
            live.frames
        )));
        if !self.policy.reconnect {
            return Err(ApiError::Unreachable {
                what: "the notification stream".into(),
                cause: format!("{reason} (not reconnecting: --no-reconnect)"),
            });
        }
        // Only a connection that stayed up resets the schedule: one that delivers a frame
        // and drops (a hub or balancer cutting every socket) still backs off.
        if uptime >= self.jitter.schedule.healthy_after {
            self.attempt = 0;
        }
        let since = SystemTime::now()
            .checked_sub(live.conn.last_rx.elapsed())
            .unwrap_or_else(SystemTime::now);
        self.down = Some(Down {
            since,
            reason: reason.clone(),
        });
        // `live` drops here: a dead or reset socket gets no close frame, just the FIN.
        let delay = self.backoff();
        self.retry(delay, reason);
        Ok(())
    }

    /// A token or connect attempt failed: retry when it is worth it, else end.
    fn upgrade_failed(&mut self, e: ApiError) -> Result<(), ApiError> {
        if matches!(e, ApiError::Refused { .. }) && !self.token_refused {
            self.token_refused = true;
            let e = self.within_limits(e)?;
            let delay = self.backoff();
            self.retry(delay, e.to_string());
            return Ok(());
        }
        self.failed(e)
    }

    fn failed(&mut self, e: ApiError) -> Result<(), ApiError> {
        self.phase = Phase::Start;
        let retry = if self.connected_once {
            e.is_transient()
        } else {
            let busy = matches!(e, ApiError::RateLimited { .. })
                || matches!(e, ApiError::Status { status, .. } if status >= 500);
            busy && self.attempt + 1 < FIRST_ATTEMPTS
        };
        if !retry {
            return Err(e);
        }
        let e = self.within_limits(e)?;
        let backoff = self.backoff();
        let delay = match &e {
            ApiError::RateLimited {
                retry_after: Some(d),
                ..
            } => self.jitter.schedule.retry_after(*d, backoff),
            _ => backoff,
        };
        self.retry(delay, e.to_string());
        Ok(())
    }

    /// One more failed attempt: the error back when the policy allows another, else the
    /// stream ends with it.
    fn within_limits(&mut self, e: ApiError) -> Result<ApiError, ApiError> {
        self.failures = self.failures.saturating_add(1);
        let down = self.outage().map(|o| o.duration()).unwrap_or_default();
        let limit = match (self.policy.max_reconnects, self.policy.give_up_after) {
            (Some(n), _) if self.failures >= n => GiveUp::Attempts(n),
            (_, Some(d)) if down >= d => GiveUp::Down(d),
            _ => return Ok(e),
        };
        Err(ApiError::GaveUp {
            limit,
            attempts: self.failures,
            down,
            last: Box::new(e),
        })
    }

    fn retry(&mut self, delay: Duration, reason: String) {
        // The last attempt comes when the time allowed is up, not a backoff step after it.
        let delay = match (self.policy.give_up_after, self.outage()) {
            (Some(d), Some(outage)) => delay.min(d.saturating_sub(outage.duration())),
            _ => delay,
        };
        // A healthy connection (the schedule reset) starts the count of repeats over too.
        let same = self.attempt > 0 && self.last_reason.as_deref() == Some(reason.as_str());
        self.repeats = if same { self.repeats + 1 } else { 1 };
        self.last_reason = Some(reason.clone());
        self.attempt = self.attempt.saturating_add(1);
        self.pending.push_back(Event::Retrying {
            delay,
            reason,
            reconnect: self.connected_once,
            attempt: self.attempt,
            repeats: self.repeats,
        });
        self.phase = Phase::Wait(Instant::now() + delay);
    }

    fn backoff(&mut self) -> Duration {
        self.jitter.delay(self.attempt)
    }
}

impl Live {
    /// A message that `next` waited for: the clock is read, since this is one per wake-up.
    fn take(&mut self, msg: Option<Result<Message, tungstenite::Error>>) -> Outcome {
        if let Some(Ok(_)) = &msg {
            self.conn.last_rx = Instant::now();
            self.unstamped = false;
        }
        self.classify(msg)
    }

    /// A message that was already waiting: no clock read per frame (it was 4% of a burst);
    /// `next_ready` stamps once when the burst runs dry.
    fn take_ready(&mut self, msg: Option<Result<Message, tungstenite::Error>>) -> Outcome {
        if let Some(Ok(_)) = &msg {
            self.unstamped = true;
        }
        self.classify(msg)
    }

    fn classify(&mut self, msg: Option<Result<Message, tungstenite::Error>>) -> Outcome {
        match classify(&mut self.conn.closed, msg) {
            Got::Frame(f) => {
                self.frames += 1;
                Outcome::Frame(f)
            }
            Got::Pong => match self.ping_sent.take() {
                Some(at) => Outcome::Note(format!("pong after {}", human(at.elapsed()))),
                None => Outcome::Quiet,
            },
            Got::Other => Outcome::Quiet,
            Got::Closed(reason) => Outcome::Lost(format!("closed by the hub ({reason})")),
            Got::Failed(reason) => Outcome::Lost(reason),
        }
    }

    /// The timer fired: declare the link dead, or send a ping, then re-arm.
    async fn tick(&mut self, interval: Duration) -> Outcome {
        let now = Instant::now();
        let dead_at = self.conn.last_rx + interval * 2;
        if now >= dead_at {
            return Outcome::Lost(format!(
                "no frame or pong for {}: the link is dead",
                human(interval * 2)
            ));
        }
        let mut outcome = Outcome::Quiet;
        if now >= self.next_ping {
            self.next_ping = now + interval;
            match tokio::time::timeout(interval, self.conn.ping()).await {
                Ok(Ok(())) => {
                    self.ping_sent = Some(now);
                    outcome = Outcome::Note("ping sent".into());
                }
                Ok(Err(e)) => return Outcome::Lost(e.to_string()),
                Err(_) => {
                    return Outcome::Lost("a ping could not be sent: the link is dead".into())
                }
            }
        }
        self.timer.as_mut().reset(self.next_ping.min(dead_at));
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::backoff::Backoff;

    fn stream() -> Stream {
        let creds = crate::hub::credentials::Credentials {
            api_key: crate::hub::credentials::Secret::new("k"),
            hub_id: "h".into(),
            base_url: Url::parse("http://127.0.0.1:9").unwrap(),
        };
        Stream::new(Api::new(creds).unwrap(), Policy::default())
    }

    /// `--max-reconnects` and `--give-up-after`: the policy ends a stream that keeps failing.
    #[test]
    fn the_policy_gives_up_after_its_limits() {
        let net = || ApiError::Unreachable {
            what: "t".into(),
            cause: "connection refused".into(),
        };
        let mut s = stream();
        s.policy.max_reconnects = Some(3);
        s.connected_once = true;
        assert!(s.failed(net()).is_ok());
        assert!(s.failed(net()).is_ok());
        let Err(ApiError::GaveUp {
            limit, attempts, ..
        }) = s.failed(net())
        else {
            panic!("the third failure in a row ends it")
        };
        assert_eq!((limit, attempts), (GiveUp::Attempts(3), 3));

        // A socket opened in between starts the count over.
        let mut s = stream();
        s.policy.max_reconnects = Some(2);
        s.connected_once = true;
        assert!(s.failed(net()).is_ok());
        s.failures = 0; // what `up` does
        assert!(s.failed(net()).is_ok());

        // Down for longer than allowed: the next failure ends it; until then no wait runs
        // past the time allowed.
        let mut s = stream();
        s.connected_once = true;
        s.policy.give_up_after = Some(Duration::from_secs(3600));
        assert!(s.failed(net()).is_ok());
        s.policy.give_up_after = Some(Duration::from_millis(1));
        s.started -= Duration::from_secs(1);
        let Err(e @ ApiError::GaveUp { .. }) = s.failed(net()) else {
            panic!("down past the limit")
        };
        assert!(
            e.to_string()
                .starts_with("gave up after 2 failed attempts in a row, "),
            "{e}"
        );
        let mut s = stream();
        s.connected_once = true;
        s.policy.give_up_after = Some(Duration::from_millis(5));
        s.attempt = 10;
        assert!(s.failed(net()).is_ok());
        assert!(
            matches!(s.pending.back(), Some(Event::Retrying { delay, .. }) if *delay <= Duration::from_millis(5))
        );
    }

    #[test]
    fn first_connection_retries_only_a_busy_api() {
        let mut s = stream();
        let busy = || ApiError::Status {
            what: "t".into(),
            status: 503,
            message: String::new(),
        };
        for _ in 1..FIRST_ATTEMPTS {
            assert!(s.failed(busy()).is_ok());
            assert!(matches!(
                s.pending.back(),
                Some(Event::Retrying {
                    reconnect: false,
                    ..
                })
            ));
        }
        assert!(
            s.failed(busy()).is_err(),
            "gives up after {FIRST_ATTEMPTS} attempts"
        );
        let mut s = stream();
        let net = ApiError::Unreachable {
            what: "t".into(),
            cause: "connection refused".into(),
        };
        assert!(
            s.failed(net).is_err(),
            "a network error fails the first connection"
        );
        let limited = ApiError::RateLimited {
            what: "t".into(),
            retry_after: Some(Duration::from_secs(600)),
        };
        assert!(s.failed(limited).is_ok());
        assert!(
            matches!(s.pending.back(), Some(Event::Retrying { delay, .. }) if *delay == Backoff::default().retry_after_cap)
        );
    }

    #[test]
    fn after_a_connection_every_transient_error_is_retried_but_refusal_is_final() {
        let mut s = stream();
        s.connected_once = true;
        for _ in 0..50 {
            let net = ApiError::Unreachable {
                what: "t".into(),
                cause: "connection refused".into(),
            };
            assert!(s.failed(net).is_ok());
        }
        assert!(
            matches!(s.pending.back(), Some(Event::Retrying { reconnect: true, delay, .. }) if *delay <= Backoff::default().max)
        );
        let refused = ApiError::Refused {
            what: "t".into(),
            status: 401,
            code: None,
            title: None,
            detail: None,
            capability: None,
        };
        assert!(s.failed(refused).is_err());
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_millis(850)), "850ms");
        assert_eq!(human(Duration::from_millis(1234)), "1.2s");
    }
}
