//! One destination's queue and workers: at most `cap` jobs queued or in flight, started in
//! arrival order except that a job waits while another of the same object runs.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::{mpsc, Notify};
use tokio::time::Instant;

use super::{Attempt, Destination, Job, Note, Reason};
use crate::hub::backoff::Jitter;

/// How one job ended at one destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    Delivered,
    Failed(Reason),
    /// Not this destination's to deliver (a standby bridge): neither delivered nor failed.
    Skipped,
}

pub(super) struct Lane {
    destination: Destination,
    cap: usize,
    state: Mutex<State>,
    /// A job was queued, a key freed, or the lane closed: workers look again.
    work: Notify,
    /// A job finished: room for the producer, maybe idleness for the drain.
    done: Notify,
    notes: mpsc::UnboundedSender<Note>,
    /// Whether deliveries are told as `Note::Delivered`.
    report_delivered: bool,
}

#[derive(Default)]
struct State {
    queued: VecDeque<Job>,
    running: HashMap<u64, Job>,
    busy: HashSet<u64>,
    closed: bool,
    delivered: u64,
    failed: u64,
}

impl State {
    fn len(&self) -> usize {
        self.queued.len() + self.running.len()
    }

    /// The first queued job whose object is not being handled right now.
    fn take_ready(&mut self) -> Option<Job> {
        let i = self
            .queued
            .iter()
            .position(|j| !self.busy.contains(&j.key))?;
        let job = self.queued.remove(i)?;
        self.busy.insert(job.key);
        self.running.insert(job.seq, job.clone());
        Some(job)
    }
}

impl Lane {
    pub(super) fn new(
        destination: Destination,
        cap: usize,
        notes: mpsc::UnboundedSender<Note>,
        report_delivered: bool,
    ) -> Lane {
        Lane {
            destination,
            cap,
            state: Mutex::new(State::default()),
            work: Notify::new(),
            done: Notify::new(),
            notes,
            report_delivered,
        }
    }

    pub(super) fn name(&self) -> &'static str {
        self.destination.handler.name()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding it; a poisoned lock still holds consistent counts.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn len(&self) -> usize {
        self.state().len()
    }

    pub(super) fn has_room(&self) -> bool {
        self.state().len() < self.cap
    }

    pub(super) async fn room(&self) {
        loop {
            let finished = self.done.notified();
            if self.has_room() {
                return;
            }
            finished.await;
        }
    }

    pub(super) async fn idle(&self) {
        loop {
            let finished = self.done.notified();
            if self.state().len() == 0 {
                return;
            }
            finished.await;
        }
    }

    pub(super) fn push(&self, job: Job) {
        self.state().queued.push_back(job);
        self.work.notify_waiters();
    }

    pub(super) fn close(&self) {
        self.state().closed = true;
        self.work.notify_waiters();
    }

    /// Delivered and failed counts, and the jobs never settled.
    pub(super) fn account(&self) -> (u64, u64, Vec<Job>) {
        let mut st = self.state();
        let mut left: Vec<Job> = st.running.drain().map(|(_, j)| j).collect();
        left.extend(st.queued.drain(..));
        (st.delivered, st.failed, left)
    }

    /// One job, with its retries: delivered, or failed with the last reason.
    async fn run(&self, job: &Job) -> Outcome {
        let name = self.name();
        let first = Instant::now();
        let mut jitter = Jitter::default();
        let mut made = 0u32;
        loop {
            let attempt = self.destination.handler.attempt(job, &self.notes).await;
            made += 1;
            let (reason, after) = match attempt {
                Attempt::Done(result) => {
                    if self.report_delivered {
                        let _ = self.notes.send(Note::Delivered {
                            destination: name,
                            job: job.clone(),
                            result: super::Done::Text(result),
                        });
                    }
                    return Outcome::Delivered;
                }
                Attempt::Never(reason) => return Outcome::Failed(reason),
                Attempt::Again { reason, after } => (reason, after),
            };
            // The receiver's Retry-After is a floor under our own backoff, never a way to
            // retry sooner than it.
            let backoff = jitter.delay(made - 1);
            let delay = after.map_or(backoff, |a| jitter.schedule.retry_after(a, backoff));
            // Judged at the time the next attempt would start: one that would start past
            // `within` is not made.
            if !self.destination.retry.allows(made, first.elapsed() + delay) {
                return Outcome::Failed(reason);
            }
            let _ = self.notes.send(Note::Retrying {
                destination: name,
                what: job.describe(),
                reason,
                delay,
            });
            tokio::time::sleep(delay).await;
        }
    }
}

/// A worker: takes the next job it may start, runs it, settles it; ends when the lane is
/// closed and empty.
pub(super) async fn work(lane: std::sync::Arc<Lane>) {
    while let Some(job) = lane.next(Order::PerObject).await {
        let outcome = lane.run(&job).await;
        lane.settle(&job, outcome);
    }
}

/// Which queued job a worker may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// The first whose object is not being handled (parallel workers).
    PerObject,
    /// The first, whatever runs: a single pipelining worker keeps order itself.
    Arrival,
}

impl Lane {
    /// The next job to start, waiting for one; `None` once the lane is closed and empty.
    pub(super) async fn next(&self, order: Order) -> Option<Job> {
        loop {
            let more = self.work.notified();
            if let Some(job) = self.try_next(order)? {
                return Some(job);
            }
            more.await;
        }
    }

    /// A job that can start now: `Ok(None)` when none can, `None` when the lane is done.
    pub(super) fn try_next(&self, order: Order) -> Option<Option<Job>> {
        let mut st = self.state();
        let job = match order {
            Order::PerObject => st.take_ready(),
            Order::Arrival => st.queued.pop_front().inspect(|j| {
                st.running.insert(j.seq, j.clone());
            }),
        };
        match job {
            Some(job) => Some(Some(job)),
            None if st.closed && st.queued.is_empty() => None,
            None => Some(None),
        }
    }

    /// Records how a job ended and makes room for the next.
    pub(super) fn settle(&self, job: &Job, outcome: Outcome) {
        {
            let mut st = self.state();
            st.running.remove(&job.seq);
            st.busy.remove(&job.key);
            match &outcome {
                Outcome::Delivered => st.delivered += 1,
                Outcome::Failed(_) => st.failed += 1,
                Outcome::Skipped => {}
            }
        }
        if let Outcome::Failed(reason) = outcome {
            let _ = self.notes.send(Note::Failed {
                destination: self.name(),
                what: job.describe(),
                seq: job.seq,
                reason,
            });
        }
        self.work.notify_waiters();
        self.done.notify_waiters();
    }

    pub(super) fn notes(&self) -> &mpsc::UnboundedSender<Note> {
        &self.notes
    }

    pub(super) fn reports_delivered(&self) -> bool {
        self.report_delivered
    }

    pub(super) fn destination(&self) -> &Destination {
        &self.destination
    }
}
