//! The websocket player: sends a socket its script step by step, paced as configured, with
//! the socket faults of `faults::FAULTS`, while watching for the client's close.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::log::Injected;
use super::server::Upgraded;
use super::{Hub, Pacing, Script, Step};

/// How long a stalled socket is held open before the hub lets it go.
const STALL_HOLD: Duration = Duration::from_secs(300);
/// An oversized frame: one byte over the 1 MiB a client accepts as a notification.
const OVERSIZED: usize = (1 << 20) + 1;

type Sink = futures_util::stream::SplitSink<WebSocketStream<Upgraded>, Message>;

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

impl Hub {
    /// Sends the script while watching for the client's close frame; on a faulty socket,
    /// drops or stalls it when the faults say so.
    pub(super) async fn play(&self, io: Upgraded, peer: SocketAddr, faulty: bool) {
        let ws = WebSocketStream::from_raw_socket(io, Role::Server, None).await;
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

    /// Sends steps, paced as configured; flushes before every wait and at the end.
    async fn send_steps(&self, tx: &mut Sink, steps: &[Step], cursor: &mut Cursor) -> Flow {
        for step in steps {
            let sent = match step {
                Step::Text(t) => {
                    if self.config.limit.is_some_and(|limit| cursor.sent >= limit) {
                        return Flow::Limit;
                    }
                    if self.config.track_state {
                        self.shared.states.announce(t);
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
                    self.shared.states.set(kind, id, state.as_deref());
                    Ok(())
                }
                Step::AwaitReads(n) => {
                    if tx.flush().await.is_err() {
                        return Flow::Stop;
                    }
                    loop {
                        let notified = self.shared.reads.notified();
                        if self.shared.recorder.read(|log| log.state_reads) >= *n {
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
    async fn after_frame(&self, tx: &mut Sink, cursor: &mut Cursor) -> Option<Flow> {
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
