//! Acting on notifications (`--exec`, `--forward-to`, `--publish`): one bounded queue per destination
//! between the socket and the handlers, per-object order kept with parallel workers, retries
//! with jittered backoff, and an account of every notification: delivered, failed, or still
//! queued when the run ends. It never prints: what happens comes back as `Note`s.

pub mod exec;
mod lane;
pub mod nats;
pub mod webhook;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::notification::Notification;

use lane::Lane;

/// One notification handed to the destinations: the frame's own bytes, its place in the run,
/// and the object it is about (what per-object order is kept by).
#[derive(Debug, Clone)]
pub struct Job {
    /// 1-based, in arrival order over the whole run.
    pub seq: u64,
    /// Jobs with the same key run one at a time, in order. From the object id; a
    /// notification without one gets a key of its own.
    pub key: u64,
    pub frame: Utf8Bytes,
    pub received_at: SystemTime,
}

impl Job {
    pub fn new(seq: u64, frame: Utf8Bytes, n: &Notification) -> Job {
        let key = match n.object().id.get() {
            Some(id) => crate::filter::Fx::of(id.as_bytes()),
            // Never equal to an id's hash in practice; distinct per job.
            None => seq.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        };
        Job {
            seq,
            key,
            frame,
            received_at: SystemTime::now(),
        }
    }

    /// `container.state.changed 65f0c0ffee0000000000beef`, for reports.
    pub fn describe(&self) -> String {
        match Notification::parse(&self.frame) {
            Ok(n) => match n.object().id.get() {
                Some(id) => format!("{} {id}", n.topic),
                None => n.topic.to_string(),
            },
            Err(_) => format!("notification #{}", self.seq),
        }
    }
}

/// How often and for how long a failed attempt is tried again.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts in all (1: no retry); `None`: as many as `within` allows.
    pub attempts: Option<u32>,
    /// No new attempt starts this long after the first.
    pub within: Option<Duration>,
}

impl Retry {
    fn allows(&self, attempts_made: u32, since_first: Duration) -> bool {
        self.attempts.is_none_or(|n| attempts_made < n)
            && self.within.is_none_or(|w| since_first < w)
    }
}

/// Why an attempt failed: a short summary (`exit 3`, `503 Service Unavailable`) and, when
/// there is one, what the handler said (the last line a command wrote on stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub summary: String,
    pub detail: Option<String>,
}

impl Reason {
    pub fn new(summary: impl Into<String>) -> Reason {
        Reason {
            summary: summary.into(),
            detail: None,
        }
    }
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Attempt {
    /// Delivered; the result as shown (`200 in 12ms`, `exit 0 in 40ms`).
    Done(String),
    /// Worth another attempt, not sooner than `after` when the receiver said so.
    Again {
        reason: Reason,
        after: Option<Duration>,
    },
    /// Will not succeed by retrying (a 4xx other than 408/429).
    Never(Reason),
}

/// A destination: where each notification goes and how it is retried.
#[derive(Debug)]
pub enum Handler {
    Exec(exec::Exec),
    Webhook(webhook::Webhook),
    /// Published by its own pipelining worker (`nats::work`), not attempt by attempt.
    Nats(Arc<nats::Publisher>),
}

impl Handler {
    /// The name in reports: `exec`, `forward`.
    pub fn name(&self) -> &'static str {
        match self {
            Handler::Exec(_) => "exec",
            Handler::Webhook(_) => "forward",
            Handler::Nats(_) => "publish",
        }
    }

    async fn attempt(&self, job: &Job, notes: &mpsc::UnboundedSender<Note>) -> Attempt {
        match self {
            Handler::Exec(e) => e.attempt(job, notes).await,
            Handler::Webhook(w) => w.attempt(job).await,
            Handler::Nats(_) => Attempt::Never(Reason::new(
                "NATS publishes go through the pipelining worker",
            )),
        }
    }
}

/// One destination as planned: the handler, its retries and its concurrency.
#[derive(Debug)]
pub struct Destination {
    pub handler: Handler,
    pub retry: Retry,
    /// Workers: jobs of different objects run this many at once.
    pub jobs: usize,
}

/// The delivery part of a run, decided before any I/O.
#[derive(Debug)]
pub struct Plan {
    pub destinations: Vec<Destination>,
    /// `--publish`: connected when the deliveries start.
    pub nats: Option<nats::NatsPlan>,
    /// Notifications queued or in flight per destination before the socket stops being read.
    pub queue: usize,
    /// How long queued and in-flight deliveries get when the run ends.
    pub drain: Duration,
    /// Whether each delivery comes back as a `Note::Delivered` (only when it is shown: at
    /// tens of thousands a second the notes cost more than the rest of the bookkeeping).
    pub report_delivered: bool,
}

/// What a delivery came to, as shown after `→`.
#[derive(Debug)]
pub enum Done {
    /// `200 in 12ms`, `exit 0 in 40ms`.
    Text(String),
    /// A JetStream ack; `duplicate` when the stream already had the message (a retry).
    Acked {
        stream: String,
        sequence: u64,
        duplicate: bool,
    },
}

impl std::fmt::Display for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Done::Text(t) => f.write_str(t),
            Done::Acked {
                stream,
                sequence,
                duplicate,
            } => {
                write!(f, "{stream} seq {sequence}")?;
                if *duplicate {
                    f.write_str(" (already stored)")?;
                }
                Ok(())
            }
        }
    }
}

/// What the destinations tell the user, in the order it happens.
#[derive(Debug)]
pub enum Note {
    /// A delivery succeeded: `→ 200 in 12ms`. The job is described only if the line is
    /// shown (most runs show none, and describing parses the frame).
    Delivered {
        destination: &'static str,
        job: Job,
        result: Done,
    },
    /// An attempt failed and another follows after `delay`.
    Retrying {
        destination: &'static str,
        what: String,
        reason: Reason,
        delay: Duration,
    },
    /// A notification that will not be delivered to this destination.
    Failed {
        destination: &'static str,
        what: String,
        seq: u64,
        reason: Reason,
    },
    /// A line a command wrote on its stderr.
    Output { what: String, line: String },
    /// Something worth a line on stderr (a NATS lease taken or lost).
    Info(String),
}

/// The running destinations: push jobs while there is room, then close and finish.
pub struct Deliveries {
    lanes: Vec<Arc<Lane>>,
    /// The NATS publisher, told when the hub connects and disconnects (for `--ha`).
    publisher: Option<Arc<nats::Publisher>>,
    workers: Vec<tokio::task::JoinHandle<()>>,
    drain: Duration,
}

/// What the destinations say, read apart from `Deliveries` so a caller can wait for room and
/// for notes at once.
pub struct Notes(mpsc::UnboundedReceiver<Note>);

impl Notes {
    /// The next note; pending forever once every destination has stopped.
    pub async fn next(&mut self) -> Note {
        match self.0.recv().await {
            Some(n) => n,
            None => std::future::pending().await,
        }
    }

    /// A note that is already waiting.
    pub fn try_next(&mut self) -> Option<Note> {
        self.0.try_recv().ok()
    }
}

/// How a run's deliveries ended.
#[derive(Debug, Default)]
pub struct Summary {
    pub delivered: u64,
    pub failed: u64,
    /// Still queued or in flight when the drain period ran out: (destination, job).
    pub undelivered: Vec<(&'static str, Job)>,
}

impl Summary {
    pub fn all_delivered(&self) -> bool {
        self.failed == 0 && self.undelivered.is_empty()
    }
}

impl Deliveries {
    /// Connects what needs connecting (NATS) and starts the workers of every destination
    /// on the current runtime.
    pub async fn start(plan: Plan, run_id: &str) -> Result<(Deliveries, Notes), nats::Error> {
        let mut destinations = plan.destinations;
        let mut publisher = None;
        if let Some(np) = plan.nats {
            let retry_for = np.retry_for;
            let p = Arc::new(nats::Publisher::connect(np, run_id.to_string()).await?);
            destinations.push(Destination {
                handler: Handler::Nats(Arc::clone(&p)),
                retry: Retry {
                    attempts: None,
                    within: Some(retry_for),
                },
                jobs: 1,
            });
            publisher = Some(p);
        }
        let (tx, notes) = mpsc::unbounded_channel();
        let mut lanes = Vec::new();
        let mut workers = Vec::new();
        for d in destinations {
            let jobs = d.jobs.max(1);
            let nats = match &d.handler {
                Handler::Nats(p) => Some(Arc::clone(p)),
                _ => None,
            };
            let lane = Arc::new(Lane::new(
                d,
                plan.queue.max(1),
                tx.clone(),
                plan.report_delivered,
            ));
            match nats {
                Some(p) => {
                    if p.is_ha() {
                        workers.push(tokio::spawn(nats::lease(Arc::clone(&p), tx.clone())));
                    }
                    workers.push(tokio::spawn(nats::work(Arc::clone(&lane), p)));
                }
                None => {
                    for _ in 0..jobs {
                        workers.push(tokio::spawn(lane::work(Arc::clone(&lane))));
                    }
                }
            }
            lanes.push(lane);
        }
        let deliveries = Deliveries {
            lanes,
            publisher,
            workers,
            drain: plan.drain,
        };
        Ok((deliveries, Notes(notes)))
    }

    /// The hub connected or went away: a `--ha` publisher without the hub steps down.
    pub fn hub_connected(&self, up: bool) {
        if let Some(p) = &self.publisher {
            p.set_hub_connected(up);
        }
    }

    /// A record of cycle-notify's own (a gap on the Cycle side) for the destinations that
    /// carry records downstream (NATS), when one has room.
    pub fn push_record(&self, job: Job) {
        for lane in &self.lanes {
            if matches!(lane.destination().handler, Handler::Nats(_)) && lane.has_room() {
                lane.push(job.clone());
            }
        }
    }

    /// Whether every destination can take one more job now.
    pub fn has_room(&self) -> bool {
        self.lanes.iter().all(|l| l.has_room())
    }

    /// Waits until every destination can take one more job: while it waits, the caller
    /// does not read the socket, which is the backpressure.
    pub async fn room(&self) {
        for lane in &self.lanes {
            lane.room().await;
        }
    }

    /// Hands a job to every destination. Call only after `has_room` or `room`: only this
    /// task pushes, so the room cannot be taken in between.
    pub fn push(&self, job: Job) {
        for lane in &self.lanes {
            lane.push(job.clone());
        }
    }

    /// Deliveries queued or in flight, over all destinations.
    pub fn pending(&self) -> usize {
        self.lanes.iter().map(|l| l.len()).sum()
    }

    /// Stops taking jobs; what is queued and in flight gets the drain period.
    pub fn close(&self) {
        for lane in &self.lanes {
            lane.close();
        }
    }

    /// The drain period (`--drain`).
    pub fn drain(&self) -> Duration {
        self.drain
    }

    /// Resolves when every destination has nothing queued or in flight.
    pub async fn settled(&self) {
        for lane in &self.lanes {
            lane.idle().await;
        }
    }

    /// Stops the workers (a command still running is killed with its process group) and
    /// accounts for every job.
    pub fn finish(self) -> Summary {
        for w in &self.workers {
            w.abort();
        }
        let mut summary = Summary::default();
        for lane in &self.lanes {
            let (delivered, failed, left) = lane.account();
            summary.delivered += delivered;
            summary.failed += failed;
            summary
                .undelivered
                .extend(left.into_iter().map(|j| (lane.name(), j)));
        }
        summary.undelivered.sort_by_key(|(_, j)| j.seq);
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_limits() {
        let r = Retry {
            attempts: Some(3),
            within: None,
        };
        assert!(r.allows(2, Duration::from_secs(999)));
        assert!(!r.allows(3, Duration::ZERO));
        let r = Retry {
            attempts: None,
            within: Some(Duration::from_secs(60)),
        };
        assert!(r.allows(100, Duration::from_secs(59)));
        assert!(!r.allows(1, Duration::from_secs(60)));
    }

    #[test]
    fn keys_follow_the_object_id() {
        let a = Notification::parse(r#"{"topic":"t","object":{"id":"65f0"}}"#).unwrap();
        let b = Notification::parse(r#"{"topic":"u","object":{"id":"65f0"}}"#).unwrap();
        let none = Notification::parse(r#"{"topic":"t"}"#).unwrap();
        let frame = Utf8Bytes::from_static("{}");
        assert_eq!(
            Job::new(1, frame.clone(), &a).key,
            Job::new(2, frame.clone(), &b).key
        );
        assert_ne!(
            Job::new(3, frame.clone(), &none).key,
            Job::new(4, frame, &none).key
        );
    }
}
