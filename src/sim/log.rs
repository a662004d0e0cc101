//! What a simulated hub observed (requests and their answers, sockets, closes, injected
//! faults), kept for tests to assert on and to wait for.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::catalog::api::NOTIFICATIONS_PATH;

/// A request as the hub saw it. Header names are lowercase, as HTTP/1.1 treats them.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether a comma-separated header (`Connection: keep-alive, Upgrade`) lists `token`.
    pub fn header_lists(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    pub fn query_param(&self, name: &str) -> Option<String> {
        let q = self.query.as_deref()?;
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// Asks for a websocket (whether or not the rest of its handshake is right).
    pub fn is_upgrade(&self) -> bool {
        self.header("upgrade")
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
    }
}

/// A request as the hub saw it, and what it answered.
#[derive(Debug, Clone)]
pub struct Logged {
    pub request: Request,
    pub status: u16,
    pub at: Instant,
    /// Came in through the internal API's unix socket, not the public API's port.
    pub internal: bool,
}

/// A fault the hub injected, for tests to time the client's reaction against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    Drop,
    Stall,
}

/// Everything the hub observed, for tests to assert on.
#[derive(Debug, Default, Clone)]
pub struct Log {
    pub requests: Vec<Logged>,
    /// Close frames received from clients.
    pub client_closes: usize,
    /// Sockets that finished their handshake.
    pub sockets: usize,
    /// Sockets played by the `--rate max` fast path (pre-encoded frames).
    pub fast_sockets: usize,
    /// State reads answered (200 or 404).
    pub state_reads: usize,
    /// Bad frames injected (garbage and oversized).
    pub bad_frames: u64,
    /// Drops and stalls injected, when.
    pub injected: Vec<(Instant, Injected)>,
}

impl Log {
    /// Token calls (REST requests to the public API's notifications path), in order.
    pub fn token_calls(&self) -> impl Iterator<Item = &Logged> {
        self.requests.iter().filter(|r| {
            !r.internal && r.request.path == NOTIFICATIONS_PATH && !r.request.is_upgrade()
        })
    }
}

/// Requests kept in the log (tests see all of theirs; a long-running simulator the recent).
const MAX_LOGGED: usize = 10_000;

/// The log behind a lock, with a signal for those waiting on it.
#[derive(Default)]
pub(super) struct Recorder {
    log: Mutex<Log>,
    changed: Condvar,
}

impl Recorder {
    pub fn record(&self, f: impl FnOnce(&mut Log)) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut log);
        // A long `simulate` run must not grow without bound: keep the recent requests.
        if log.requests.len() > MAX_LOGGED {
            log.requests.drain(..MAX_LOGGED / 2);
        }
        drop(log);
        self.changed.notify_all();
    }

    pub fn snapshot(&self) -> Log {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn read<T>(&self, f: impl FnOnce(&Log) -> T) -> T {
        f(&self.log.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Blocks until `done(log)` holds or `timeout` passes; returns whether it held.
    pub fn wait_until(&self, timeout: Duration, done: impl Fn(&Log) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        while !done(&log) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            log = self
                .changed
                .wait_timeout(log, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}
