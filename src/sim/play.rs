//! The websocket player: runs a script's steps, paced as configured, either for one socket
//! or once for the whole hub onto a broadcast that every socket forwards from (a shared
//! timeline), and writes frames to sockets with the socket faults of `faults::FAULTS`, while
//! watching for the client's close.

use std::time::{Duration, Instant};

use futures_util::FutureExt;
use hyper::body::Bytes;
use tokio::io::{AsyncWriteExt, WriteHalf};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::log::Injected;
use super::server::Upgraded;
use super::wire::{self, Control};
use super::{Hub, Pacing, Script, Step, Timeline};

/// How long a stalled socket is held open before the hub lets it go.
const STALL_HOLD: Duration = Duration::from_secs(300);
/// An oversized frame: one byte over the 1 MiB a client accepts as a notification.
const OVERSIZED: usize = (1 << 20) + 1;
/// Frames a socket of a shared timeline may fall behind it before the hub closes that
/// socket (code 1008); at `--rate max` the timeline waits for its slowest socket instead,
/// keeping at most half of this ahead of it.
pub(super) const BACKLOG: usize = 4096;

/// What a shared timeline tells every socket.
#[derive(Debug, Clone)]
pub(super) enum Event {
    Text(Utf8Bytes),
    Binary(Bytes),
    Close,
    Abort,
}

/// The broadcast of a shared timeline.
pub(super) struct Cast {
    tx: broadcast::Sender<Event>,
    /// Signalled when a socket joins or has read everything sent so far.
    caught_up: tokio::sync::Notify,
}

impl Default for Cast {
    fn default() -> Cast {
        Cast {
            tx: broadcast::channel(BACKLOG).0,
            caught_up: tokio::sync::Notify::new(),
        }
    }
}

impl Cast {
    /// Waits until `ready()` holds, rechecked each time a socket joins or catches up.
    async fn wait(&self, ready: impl Fn(&broadcast::Sender<Event>) -> bool) {
        loop {
            let signal = self.caught_up.notified();
            tokio::pin!(signal);
            signal.as_mut().enable();
            if ready(&self.tx) {
                return;
            }
            signal.await;
        }
    }
}

/// One socket's writing side, and where its playback stands.
struct Wire<'c> {
    wr: WriteHalf<Upgraded>,
    /// Whole frames not yet written, from `pos` on. Writes go out from here and progress
    /// is kept across a cancelled wait, so a frame is never torn.
    out: Vec<u8>,
    pos: usize,
    ctl: &'c Control,
    /// This socket's place in the shared timeline (`Timeline::Shared`).
    feed: Option<broadcast::Receiver<Event>>,
    /// Notifications (text frames) written.
    sent: u64,
    /// Frames of the script written (text and binary), for the faults.
    frames: u64,
    /// Bad frames injected, to take turns between their kinds.
    bad: u64,
    /// Whether drops and stalls apply to this socket.
    faulty: bool,
}

/// Where a script's steps go: one socket, or the hub's broadcast.
enum Out<'a, 'c> {
    Socket(&'a mut Wire<'c>),
    Cast,
}

/// The script's own clock, for `Pacing::Rate`.
struct Clock {
    started: tokio::time::Instant,
    sent: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    /// `limit` notifications were sent.
    Limit,
    /// The script closed the socket (a close frame).
    Closed,
    /// The script dropped the socket (no close frame).
    Aborted,
    /// A write failed: the client is gone.
    Gone,
    /// The client closed or left (the reader's verdict).
    Ended(&'static str),
    /// A fault: drop the connection without a close frame.
    Drop,
    /// A fault: go silent with the connection open.
    Stall,
    /// The socket fell this many notifications behind the shared timeline.
    Lagged(u64),
}

/// Buffered bytes past which a frame is written out at once.
const WRITE_AT: usize = 64 * 1024;
/// While a write waits on a client that does not read, how often to check whether it has
/// fallen too far behind the shared timeline.
const LAG_POLL: Duration = Duration::from_millis(20);
/// How long a socket that fell behind gets to take its close frame before it is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

impl Wire<'_> {
    /// One whole frame into the buffer, written out once enough has gathered; then, if the
    /// reader has news, the pongs it owes or the verdict.
    async fn frame(&mut self, opcode: u8, payload: &[u8]) -> Flow {
        wire::header(&mut self.out, opcode, payload.len());
        self.out.extend_from_slice(payload);
        if self.out.len() - self.pos >= WRITE_AT {
            let flow = self.flush().await;
            if flow != Flow::Continue {
                return flow;
            }
        }
        self.attend().await
    }

    async fn attend(&mut self) -> Flow {
        if !self.ctl.attention() {
            return Flow::Continue;
        }
        if let Some(why) = self.ctl.verdict() {
            return Flow::Ended(why);
        }
        let pongs = self.ctl.pongs();
        self.out.extend_from_slice(&pongs);
        self.flush().await
    }

    /// Writes out everything buffered. Cancel-safe: a cancelled call leaves the rest for
    /// the next one.
    async fn flush(&mut self) -> Flow {
        while self.pos < self.out.len() {
            let pending = &self.out[self.pos..];
            let written = match self.wr.write(pending).now_or_never() {
                Some(done) => done,
                None => match &self.feed {
                    None => self.wr.write(pending).await,
                    // A socket of a shared timeline must not fall too far behind it.
                    Some(feed) => {
                        let write = self.wr.write(pending);
                        tokio::pin!(write);
                        loop {
                            tokio::select! {
                                done = &mut write => break done,
                                _ = tokio::time::sleep(LAG_POLL) => {
                                    if feed.len() > BACKLOG {
                                        return Flow::Lagged(feed.len() as u64);
                                    }
                                }
                            }
                        }
                    }
                },
            };
            match written {
                Ok(0) | Err(_) => return Flow::Gone,
                Ok(n) => self.pos += n,
            }
        }
        self.out.clear();
        self.pos = 0;
        Flow::Continue
    }

    /// Waits for `fut` while still answering pings; ends early when the client does.
    async fn wait<F: std::future::Future>(&mut self, fut: F) -> Result<F::Output, Flow> {
        match self.flush().await {
            Flow::Continue => {}
            flow => return Err(flow),
        }
        tokio::pin!(fut);
        loop {
            tokio::select! {
                out = &mut fut => return Ok(out),
                _ = self.ctl.wake.notified() => match self.attend().await {
                    Flow::Continue => {}
                    flow => return Err(flow),
                },
            }
        }
    }

    /// A close frame after the whole frames already buffered, then the end of sending.
    async fn close(&mut self, code: u16, reason: &str) {
        self.out.extend_from_slice(&wire::close(code, reason));
        // Without a feed, a client that does not read cannot hold this up.
        self.feed = None;
        if tokio::time::timeout(CLOSE_GRACE, self.flush())
            .await
            .is_ok()
        {
            let _ = self.wr.shutdown().await;
        }
    }
}

impl Hub {
    /// Starts the shared timeline of this hub, if it has one: one run of the script for
    /// every socket.
    pub(super) fn start_timeline(&self) {
        let Timeline::Shared { from_first_socket } = self.config.timeline else {
            return;
        };
        if self.fast_pool().is_some() {
            // The fast path has no per-frame player to share.
            return;
        }
        let hub = self.clone();
        tokio::spawn(async move {
            let cast = &hub.shared.cast;
            if from_first_socket {
                cast.wait(|tx| tx.receiver_count() > 0).await;
            }
            hub.run_script(&mut Out::Cast).await;
        });
    }

    /// Sends a socket its script (or what its hub's timeline sends from now on) while
    /// watching for the client's close frame; on a faulty socket, drops or stalls it when
    /// the faults say so.
    pub(super) async fn play(&self, io: Upgraded, peer: &str, faulty: bool) {
        let (rd, wr) = tokio::io::split(io);
        let feed = match self.config.timeline {
            Timeline::Shared { .. } => {
                let feed = self.shared.cast.tx.subscribe();
                self.shared.cast.caught_up.notify_waiters();
                Some(feed)
            }
            Timeline::PerSocket => None,
        };
        let ctl = Control::default();
        let mut wire = Wire {
            wr,
            out: Vec::with_capacity(2 * WRITE_AT),
            pos: 0,
            ctl: &ctl,
            feed,
            sent: 0,
            frames: 0,
            bad: 0,
            faulty,
        };
        let mut writer = Box::pin(async {
            let flow = match wire.feed {
                Some(_) => self.forward(&mut wire).await,
                None => self.run_script(&mut Out::Socket(&mut wire)).await,
            };
            let flow = match flow {
                // The script is done; like a real hub, the socket stays open.
                Flow::Continue | Flow::Limit => match wire.wait(std::future::pending()).await {
                    Ok(never) => never,
                    Err(flow) => flow,
                },
                flow => flow,
            };
            match flow {
                Flow::Ended(wire::CLIENT_CLOSED) => wire.close(1000, "").await,
                Flow::Lagged(n) => {
                    self.event(format!(
                        "socket from {peer} fell {n} notifications behind: closing it with 1008 (too slow)"
                    ));
                    wire.close(1008, "too slow: fell behind the hub").await
                }
                _ => {}
            }
            flow
        });
        let drop_timer = async {
            match self.config.faults.drop_every.filter(|_| faulty) {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        let flow = tokio::select! {
            flow = &mut writer => flow,
            // The writer acts on the reader's verdict between two whole frames.
            _ = wire::read_client(rd, &ctl) => (&mut writer).await,
            _ = drop_timer => Flow::Drop,
        };
        drop(writer);
        let why: std::borrow::Cow<str> = match flow {
            Flow::Drop => {
                self.record(|log| log.injected.push((Instant::now(), Injected::Drop)));
                "dropped by the hub (fault)".into()
            }
            Flow::Stall => {
                self.record(|log| log.injected.push((Instant::now(), Injected::Stall)));
                "stalled by the hub (fault), then dropped".into()
            }
            Flow::Ended(why) => {
                if why == wire::CLIENT_CLOSED {
                    self.record(|log| log.client_closes += 1);
                }
                why.into()
            }
            Flow::Lagged(n) => {
                format!("too slow: fell {n} notifications behind, closed with 1008").into()
            }
            Flow::Closed => "the script closed it".into(),
            Flow::Aborted => "the script dropped it".into(),
            Flow::Gone | Flow::Continue | Flow::Limit => "the connection failed".into(),
        };
        if flow == Flow::Stall {
            self.event(format!(
                "socket from {peer} stalled (fault): nothing sent or read"
            ));
            // Neither half is polled from here on: no frames out, pings never read, so never
            // answered, and the TCP connection stays up.
            tokio::time::sleep(STALL_HOLD).await;
        }
        self.event(format!(
            "socket from {peer} ended after {} notifications: {why}",
            wire.sent
        ));
        // Both halves drop after this: without a close frame, a plain TCP close (or reset).
    }

    /// Plays the whole script (forever for rounds, or repeated when so configured).
    async fn run_script(&self, out: &mut Out<'_, '_>) -> Flow {
        let mut rng = self
            .shared
            .rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .fork();
        let mut clock = Clock {
            started: tokio::time::Instant::now(),
            sent: 0,
        };
        match &self.config.script {
            Script::Fixed(steps) => loop {
                let flow = self.steps(out, steps, &mut clock).await;
                if flow != Flow::Continue || !self.config.repeat || steps.is_empty() {
                    break flow;
                }
            },
            Script::Endless(rounds) => {
                let mut round = 0;
                loop {
                    let steps = rounds(&mut rng, round);
                    let flow = self.steps(out, &steps, &mut clock).await;
                    if flow != Flow::Continue {
                        break flow;
                    }
                    round += 1;
                }
            }
        }
    }

    /// Runs steps, paced as configured; flushes before every wait and at the end.
    async fn steps(&self, out: &mut Out<'_, '_>, steps: &[Step], clock: &mut Clock) -> Flow {
        for step in steps {
            let flow = match step {
                Step::Text(t) => {
                    if let Out::Socket(w) = out {
                        if self.config.limit.is_some_and(|limit| w.sent >= limit) {
                            return Flow::Limit;
                        }
                    }
                    if self.config.track_state {
                        self.shared.states.announce(t);
                    }
                    let flow = match out {
                        Out::Socket(w) => self.write(w, wire::TEXT, t.as_bytes()).await,
                        Out::Cast => self.cast(Event::Text(t.clone())).await,
                    };
                    clock.sent += 1;
                    match self.config.pacing {
                        Pacing::Rate(rate) if flow == Flow::Continue => {
                            let due =
                                clock.started + Duration::from_secs_f64(clock.sent as f64 / rate);
                            // Sleep only when ahead by more than a timer tick; a burst of
                            // frames due at once goes out in one write.
                            if due > tokio::time::Instant::now() + Duration::from_millis(1) {
                                self.wait(out, tokio::time::sleep_until(due)).await
                            } else {
                                flow
                            }
                        }
                        _ => flow,
                    }
                }
                Step::Binary(b) => match out {
                    Out::Socket(w) => self.write(w, wire::BINARY, b).await,
                    Out::Cast => self.cast(Event::Binary(Bytes::from(b.clone()))).await,
                },
                Step::Pause(d) => match self.config.pacing {
                    Pacing::Script { speed } => {
                        let pause = tokio::time::sleep(d.div_f64(speed.max(1e-6)));
                        self.wait(out, pause).await
                    }
                    // Under a fixed rate the pauses of the story do not apply.
                    Pacing::Rate(_) | Pacing::Max => Flow::Continue,
                },
                Step::Parent { id, parent } => {
                    self.shared.states.set_parent(id, parent);
                    Flow::Continue
                }
                Step::SetState { kind, id, state } => {
                    self.shared.states.set(kind, id, state.as_deref());
                    Flow::Continue
                }
                Step::Patch { id, data } => {
                    self.shared.states.patch(id, data);
                    Flow::Continue
                }
                Step::AwaitReads(n) => {
                    let reads = async {
                        loop {
                            let notified = self.shared.reads.notified();
                            if self.shared.recorder.read(|log| log.state_reads) >= *n {
                                break;
                            }
                            notified.await;
                        }
                    };
                    self.wait(out, reads).await
                }
                Step::Close => match out {
                    Out::Socket(w) => {
                        w.close(1000, "").await;
                        Flow::Closed
                    }
                    Out::Cast => self.cast(Event::Close).await,
                },
                Step::Abort => match out {
                    Out::Socket(w) => {
                        let _ = w.flush().await;
                        // The caller's select ends and drops both halves: the socket goes
                        // away without a close frame.
                        Flow::Aborted
                    }
                    Out::Cast => self.cast(Event::Abort).await,
                },
            };
            if flow != Flow::Continue {
                return flow;
            }
        }
        match out {
            Out::Socket(w) => w.flush().await,
            Out::Cast => Flow::Continue,
        }
    }

    /// Waits on the script's behalf: a socket keeps answering pings meanwhile; the
    /// timeline just waits.
    async fn wait(&self, out: &mut Out<'_, '_>, fut: impl std::future::Future) -> Flow {
        match out {
            Out::Socket(w) => match w.wait(fut).await {
                Ok(_) => Flow::Continue,
                Err(flow) => flow,
            },
            Out::Cast => {
                fut.await;
                Flow::Continue
            }
        }
    }

    /// Hands an event to every socket of the shared timeline. At `--rate max` it first
    /// waits for a socket to exist and for the slowest one to be near enough.
    async fn cast(&self, event: Event) -> Flow {
        let cast = &self.shared.cast;
        if self.config.pacing == Pacing::Max {
            cast.wait(|tx| tx.receiver_count() > 0 && tx.len() < BACKLOG / 2)
                .await;
        }
        // No socket: nobody hears it, as on a real hub.
        let _ = cast.tx.send(event);
        // Sending never waits, so a timeline that runs behind its rate would otherwise
        // never let the sockets (and the HTTP side) of its runtime run.
        tokio::task::consume_budget().await;
        Flow::Continue
    }

    /// A socket of a shared timeline: writes what the timeline sends from now on.
    async fn forward(&self, w: &mut Wire<'_>) -> Flow {
        use broadcast::error::{RecvError, TryRecvError};
        loop {
            let Some(feed) = w.feed.as_mut() else {
                return Flow::Continue;
            };
            let event = match feed.try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Lagged(n)) => return Flow::Lagged(n),
                Err(TryRecvError::Closed) => return Flow::Continue,
                Err(TryRecvError::Empty) => {
                    // Caught up: let a waiting timeline go on, and put this burst on the wire.
                    self.shared.cast.caught_up.notify_waiters();
                    let flushed = w.flush().await;
                    if flushed != Flow::Continue {
                        return flushed;
                    }
                    let Some(feed) = w.feed.as_mut() else {
                        return Flow::Continue;
                    };
                    let mut next = std::pin::pin!(feed.recv());
                    let got = loop {
                        tokio::select! {
                            got = &mut next => break got,
                            _ = w.ctl.wake.notified() => {
                                if w.ctl.attention() {
                                    if let Some(why) = w.ctl.verdict() {
                                        return Flow::Ended(why);
                                    }
                                    let pongs = w.ctl.pongs();
                                    if w.wr.write_all(&pongs).await.is_err() {
                                        return Flow::Gone;
                                    }
                                }
                            }
                        }
                    };
                    match got {
                        Ok(event) => event,
                        Err(RecvError::Lagged(n)) => return Flow::Lagged(n),
                        Err(RecvError::Closed) => return Flow::Continue,
                    }
                }
            };
            let flow = match event {
                Event::Text(t) => {
                    if self.config.limit.is_some_and(|limit| w.sent >= limit) {
                        // Off the timeline: a quiet socket must not hold it back.
                        w.feed = None;
                        return Flow::Limit;
                    }
                    self.write(w, wire::TEXT, t.as_bytes()).await
                }
                Event::Binary(b) => self.write(w, wire::BINARY, &b).await,
                Event::Close => {
                    w.close(1000, "").await;
                    Flow::Closed
                }
                Event::Abort => {
                    let _ = w.flush().await;
                    Flow::Aborted
                }
            };
            if flow != Flow::Continue {
                return flow;
            }
        }
    }

    /// Writes one frame of the script to a socket, then what the faults add after it.
    async fn write(&self, w: &mut Wire<'_>, opcode: u8, payload: &[u8]) -> Flow {
        // Counted as buffered: from here on the frame goes out whole or the socket ends.
        w.sent += u64::from(opcode == wire::TEXT);
        let flow = w.frame(opcode, payload).await;
        if flow != Flow::Continue {
            return flow;
        }
        if opcode == wire::TEXT && self.config.hold_reads_until_frames > 0 {
            // Counted only once on the wire, so held reads answer after it.
            let flow = w.flush().await;
            if flow != Flow::Continue {
                return flow;
            }
            self.shared
                .frames_sent
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.shared.sent.notify_waiters();
        }
        w.frames += 1;
        self.after_frame(w).await
    }

    /// Bad frames, drops and stalls due after the frame just sent.
    async fn after_frame(&self, w: &mut Wire<'_>) -> Flow {
        let faults = &self.config.faults;
        let frames = w.frames;
        let due = |every: Option<u64>| every.is_some_and(|e| e > 0 && frames % e == 0);
        if due(faults.garbage_every) {
            let (opcode, bad): (u8, &[u8]) = match w.bad % 3 {
                0 => (wire::TEXT, b"this is not JSON {"),
                1 => (wire::BINARY, &[0xde, 0xad, 0xbe, 0xef]),
                _ => (wire::TEXT, br#"{"no_topic":true}"#),
            };
            w.bad += 1;
            let flow = w.frame(opcode, bad).await;
            if flow != Flow::Continue {
                return flow;
            }
            self.record(|log| log.bad_frames += 1);
        }
        if due(faults.oversized_every) {
            let mut big = Vec::with_capacity(OVERSIZED);
            big.extend_from_slice(br#"{"topic":"container.state.changed","pad":""#);
            big.resize(OVERSIZED - 2, b'x');
            big.extend_from_slice(b"\"}");
            let flow = w.frame(wire::TEXT, &big).await;
            if flow != Flow::Continue {
                return flow;
            }
            self.record(|log| log.bad_frames += 1);
        }
        if !w.faulty {
            return Flow::Continue;
        }
        let reached = |limit: Option<u64>| limit.is_some_and(|l| frames >= l);
        if reached(faults.stall_after_frames) {
            let _ = w.flush().await;
            return Flow::Stall;
        }
        if reached(faults.drop_after_frames) {
            let _ = w.flush().await;
            return Flow::Drop;
        }
        Flow::Continue
    }
}
