//! The simulated Cycle hub (server side): the token call, the notification socket and its
//! scripted notifications, on a local address, and the internal API's notification socket on
//! a unix socket when asked. Used by `--demo`, `simulate` and the tests.
//!
//! `config` is what a hub is told, `faults` the registry of its misbehaviours, `log` what
//! it saw, `server` the accept loop and HTTP (hyper), `routes` its answers, `state` the
//! objects it reports, `play` the websocket player, `fast` the `--rate max` path, `wire`
//! websocket framing, and `scenario` the built-in stories.

mod config;
mod fast;
pub mod faults;
mod log;
mod play;
mod routes;
pub mod scenario;
mod server;
mod state;
mod wire;

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicUsize};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

pub use crate::leaf::rng::Rng;
pub use config::{HubConfig, InternalSocket, Pacing, Script, Step, Timeline};
pub use faults::{Fault, Faults, FAULTS};
pub use log::{Injected, Log, Logged, Request};

/// What the hub's connections share.
#[derive(Default)]
struct Shared {
    recorder: log::Recorder,
    tokens: Mutex<HashSet<String>>,
    rng: Mutex<Rng>,
    states: state::States,
    /// Signalled after every state read.
    reads: tokio::sync::Notify,
    frames_sent: AtomicUsize,
    /// Signalled after every frame counted in `frames_sent`.
    sent: tokio::sync::Notify,
    pool: OnceLock<Option<Arc<fast::Encoded>>>,
    /// The shared timeline's broadcast (`Timeline::Shared`).
    cast: play::Cast,
    /// How far into the pool the fast path's sockets have got (`Timeline::Shared`): where
    /// a new socket starts.
    head: std::sync::atomic::AtomicU64,
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
        self.shared.recorder.snapshot()
    }

    /// Blocks until `done(log)` holds or `timeout` passes; returns whether it held.
    pub fn wait_until(&self, timeout: Duration, done: impl Fn(&Log) -> bool) -> bool {
        self.shared.recorder.wait_until(timeout, done)
    }

    fn record(&self, f: impl FnOnce(&mut Log)) {
        self.shared.recorder.record(f);
    }

    fn event(&self, line: String) {
        if let Some(events) = &self.config.events {
            let _ = events.send(line);
        }
    }
}
