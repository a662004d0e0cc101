//! `wait-for`: race-free waits on objects. Socket first (buffering), then state reads, then
//! the buffered and new notifications; outcomes as exit statuses a script can branch on.

use std::io::Write;
use std::pin::pin;
use std::time::Duration;

use anyhow::Result;
use futures_util::future::join_all;
use tokio::time::Instant;

use crate::catalog::kinds::{Kind, Parent, KINDS};
use crate::cli::WaitForArgs;
use crate::config::settings::Settings;
use crate::hub::api::Api;
use crate::hub::error::ApiError;
use crate::hub::socket::Frame;
use crate::hub::stream::{Event, Policy, Stream};
use crate::leaf::exit::{Exit, Fail};
use crate::output::report::{RateLimited, Report};
use crate::output::{Settled, SettledPrinter};

use super::common::{read_failure, sleep_until, stream_failure, Signals, Target};
use super::Timing;

/// How one object's wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Reached,
    Failed,
    Deleted,
    Error,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::Failed => "failed",
            Outcome::Deleted => "deleted",
            Outcome::Error => "error",
        }
    }
}

/// What the user asked for, resolved and validated before any I/O.
struct Plan {
    kind: &'static Kind,
    ids: Vec<String>,
    parent: Option<String>,
    targets: Vec<String>,
    failures: Vec<String>,
    any: bool,
    printer: SettledPrinter,
    timeout: Duration,
    policy: Policy,
}

impl Plan {
    fn judge(&self, state: &str) -> Option<Outcome> {
        if self.targets.iter().any(|t| t == state) {
            Some(Outcome::Reached)
        } else if state == "deleted" {
            Some(Outcome::Deleted)
        } else if self.failures.iter().any(|f| f == state) {
            Some(Outcome::Failed)
        } else {
            None
        }
    }
}

#[derive(Debug)]
struct Watched {
    id: String,
    state: Option<String>,
    outcome: Option<Outcome>,
    error: Option<String>,
}

/// A notification about one of the watched objects, owned so it can be buffered.
#[derive(Debug)]
struct Change {
    id: String,
    state: Option<String>,
    error: Option<String>,
    is_error: bool,
}

impl Plan {
    /// The plan and where to connect; the demo's objects are known before it starts.
    fn new(
        settings: &Settings,
        args: &WaitForArgs,
        out_is_terminal: bool,
        report: &mut Report<'_>,
    ) -> Result<(Plan, Target)> {
        let kind = Kind::find(&args.kind).ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            Fail::usage(format!(
                "unknown kind '{}'; known kinds: {}",
                args.kind,
                names.join(", ")
            ))
        })?;
        let target = Target::resolve_with_reads(settings, args.demo, args.internal.internal)?;
        let mut ids: Vec<String> = args
            .ids
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let mut parent = parent_of(kind, args)?;
        if ids.is_empty() {
            let Target::Demo(demo) = &target else {
                return Err(Fail::usage("give at least one ID"));
            };
            let (id, demo_parent) = demo.first_object(kind).ok_or_else(|| {
                Fail::usage(format!(
                    "the demo creates no {}; try container, instance, image, environment or stack-build",
                    kind.name
                ))
            })?;
            report.info(&format!("demo: waiting for {} {id}", kind.name));
            ids.push(id);
            parent = parent.or(demo_parent);
        }
        if kind.parent.is_some() && parent.is_none() {
            let flag = kind.parent.map(Parent::flag).unwrap_or_default();
            return Err(Fail::usage(format!(
                "{} needs its parent: add {flag} ID",
                kind.name
            )));
        }
        // Ids go into URL paths: anything but an id's characters is a mistake, not a path.
        for id in ids.iter().chain(parent.as_ref()) {
            if !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(Fail::usage(format!(
                    "'{id}' is not an object id (ids are like 65f0c0ffee0000000000abcd)"
                )));
            }
        }
        // The same id twice is one object: keep the first mention, in order.
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        let targets = pick(&args.states, kind.targets);
        let mut failures = pick(&args.fail_on, kind.failures);
        // Waiting for a failure-like state (say `deleted`) makes it a target, not a failure.
        failures.retain(|f| !targets.contains(f));
        for s in targets.iter().chain(&failures) {
            if !kind.states.contains(&s.as_str()) {
                report.warn(&format!(
                    "'{s}' is not a documented {} state ({}); waiting for it anyway",
                    kind.name,
                    kind.states.join(", ")
                ));
            }
        }
        let printer = SettledPrinter::new(
            args.output,
            out_is_terminal,
            settings.use_color(out_is_terminal),
        )
        .map_err(|e| Fail::usage(e.to_string()))?;
        let plan = Plan {
            kind,
            ids,
            parent,
            targets,
            failures,
            any: args.any,
            printer,
            timeout: args.timeout,
            policy: super::common::policy(&args.stream)?,
        };
        Ok((plan, target))
    }
}

pub async fn run(
    settings: &Settings,
    args: &WaitForArgs,
    out: &mut dyn Write,
    out_is_terminal: bool,
    timing: &Timing,
    report: &mut Report<'_>,
) -> Result<Exit> {
    let started = Instant::now();
    let (mut plan, target) = Plan::new(settings, args, out_is_terminal, report)?;
    let link = target.connect(timing, report).await?;
    let api = link
        .api
        .clone()
        .ok_or_else(|| anyhow::anyhow!("wait-for connected without the public API"))?;
    let timeout = plan.timeout;
    let policy = plan.policy;
    let mut waiter = Waiter {
        bad: Default::default(),
        watched: std::mem::take(&mut plan.ids)
            .into_iter()
            .map(|id| Watched {
                id,
                state: None,
                outcome: None,
                error: None,
            })
            .collect(),
        api,
        out,
        printer: plan.printer,
        plan,
        started,
        // `--timeout 0` is one check, and a check that gets no answer must end too.
        deadline: Some(
            started
                + if timeout.is_zero() {
                    timing.check
                } else {
                    timeout
                },
        ),
    };
    let mut signals = Signals::new()?;
    let deadline = (!timeout.is_zero()).then(|| started + timeout);
    // Owned here, not by the wait, so the close frame goes out however the wait ends.
    let mut stream = (!timeout.is_zero()).then(|| Stream::new(link.events.clone(), policy));
    let result = tokio::select! {
        r = waiter.wait(stream.as_mut(), report) => r,
        exit = signals.recv() => Ok(exit),
        _ = sleep_until(deadline) => Ok(Exit::Timeout),
    };
    if let Some(stream) = stream.as_mut() {
        if stream.close().await {
            report.debug("closed the connection (close frame sent)");
        }
    }
    let exit = result?;
    if exit == Exit::Timeout {
        return Err(Fail::new(Exit::Timeout, waiter.pending_sentence(timeout)).into());
    }
    Ok(exit)
}

fn parent_of(kind: &Kind, args: &WaitForArgs) -> Result<Option<String>> {
    let given = [
        (Parent::Container, args.container.as_ref()),
        (Parent::Pipeline, args.pipeline.as_ref()),
    ];
    let mut parent = None;
    for (p, value) in given {
        let Some(value) = value else { continue };
        if kind.parent != Some(p) {
            return Err(Fail::usage(format!(
                "{} applies only to the kind that needs it, not to {}",
                p.flag(),
                kind.name
            )));
        }
        parent = Some(value.trim().to_string());
    }
    Ok(parent)
}

fn pick(given: &[String], default: &[&str]) -> Vec<String> {
    let given: Vec<String> = given
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if given.is_empty() {
        default.iter().map(|s| s.to_string()).collect()
    } else {
        given
    }
}

struct Waiter<'o> {
    plan: Plan,
    /// Skipped frames; a cell because frames are looked at while state reads borrow `self`.
    bad: std::cell::RefCell<RateLimited>,
    watched: Vec<Watched>,
    api: Api,
    out: &'o mut dyn Write,
    printer: SettledPrinter,
    started: Instant,
    deadline: Option<Instant>,
}

impl Waiter<'_> {
    /// Without a stream (`--timeout 0`), checks once.
    async fn wait(&mut self, stream: Option<&mut Stream>, report: &mut Report<'_>) -> Result<Exit> {
        let Some(stream) = stream else {
            let pending: Vec<usize> = (0..self.watched.len()).collect();
            let states = read_states(
                &self.api,
                &self.plan,
                &self.watched,
                &pending,
                self.deadline,
            )
            .await;
            self.settle_reads(&pending, states, report)?;
            return Ok(self.verdict()?.unwrap_or(Exit::Timeout));
        };
        // The socket opens first, so nothing that happens during the state reads is missed.
        loop {
            match stream.next().await.map_err(stream_failure)? {
                event @ Event::Connected { .. } => {
                    super::common::lifecycle(&event, report);
                    break;
                }
                other => super::common::lifecycle(&other, report),
            }
        }
        let exit = loop {
            if let Some(exit) = self.sync(stream, report).await? {
                break exit;
            }
            // Between syncs: notifications, until a reconnect calls for another sync.
            let decided = loop {
                match stream.next().await.map_err(stream_failure)? {
                    Event::Frame(frame) => {
                        if let Some(change) = self.relevant(&frame, report) {
                            if let Some(exit) = self.apply(change, report).await? {
                                break Some(exit);
                            }
                        }
                    }
                    event @ Event::Connected { first: false, .. } => {
                        super::common::lifecycle(&event, report);
                        break None;
                    }
                    other => super::common::lifecycle(&other, report),
                }
            };
            if let Some(exit) = decided {
                break exit;
            }
            report.debug("reconnected: reading the state of the pending objects again");
        };
        Ok(exit)
    }

    /// Reads the state of every pending object while buffering the notifications that
    /// arrive meanwhile, then applies both in order. Repeats when the socket reconnected
    /// during the reads (the stream has no replay, so only a read can fill the gap).
    async fn sync(&mut self, stream: &mut Stream, report: &mut Report<'_>) -> Result<Option<Exit>> {
        loop {
            let pending: Vec<usize> = (0..self.watched.len())
                .filter(|&i| self.watched[i].outcome.is_none())
                .collect();
            let mut buffered = Vec::new();
            let mut reconnected = false;
            let states = {
                let mut reads = pin!(read_states(
                    &self.api,
                    &self.plan,
                    &self.watched,
                    &pending,
                    self.deadline
                ));
                loop {
                    tokio::select! {
                        states = &mut reads => break states,
                        event = stream.next() => match event.map_err(stream_failure)? {
                            Event::Frame(frame) => buffered.extend(self.relevant(&frame, report)),
                            event @ Event::Connected { first: false, .. } => {
                                super::common::lifecycle(&event, report);
                                reconnected = true;
                            }
                            other => super::common::lifecycle(&other, report),
                        },
                    }
                }
            };
            self.settle_reads(&pending, states, report)?;
            if let Some(exit) = self.verdict()? {
                return Ok(Some(exit));
            }
            for change in buffered {
                if let Some(exit) = self.apply(change, report).await? {
                    return Ok(Some(exit));
                }
            }
            if !reconnected {
                return Ok(None);
            }
        }
    }

    fn settle_reads(
        &mut self,
        indices: &[usize],
        states: Vec<Result<String, ApiError>>,
        report: &mut Report<'_>,
    ) -> Result<()> {
        for (&i, state) in indices.iter().zip(states) {
            self.settle_from_read(i, state_read(state)?, report)?;
        }
        Ok(())
    }

    /// A notification about a watched object of this kind, if the frame is one.
    fn relevant(&self, frame: &Frame, report: &mut Report<'_>) -> Option<Change> {
        let n = super::common::notification_in(frame, &mut self.bad.borrow_mut(), report)?;
        if Kind::of_topic(&n.topic) != Some(self.plan.kind) {
            return None;
        }
        let object = n.object();
        let id = object.id.get()?;
        if !self.watched.iter().any(|w| w.id == id) {
            return None;
        }
        Some(Change {
            id: id.to_string(),
            state: object.state.get().map(String::from),
            error: object.error_text().map(|e| e.into_owned()),
            is_error: self.plan.kind.is_error_topic(&n.topic),
        })
    }

    fn settle_from_read(
        &mut self,
        i: usize,
        state: Option<String>,
        report: &mut Report<'_>,
    ) -> Result<()> {
        match state {
            Some(state) => self.observe(i, state, report),
            // A 404 is how the API says an object is deleted: the same as state `deleted`,
            // which `--state deleted` waits for.
            None => {
                self.watched[i].error = Some("not found (404)".into());
                self.observe(i, "deleted".into(), report)
            }
        }
    }

    /// Records a state; settles the object if the state decides it.
    fn observe(&mut self, i: usize, state: String, report: &mut Report<'_>) -> Result<()> {
        let w = &mut self.watched[i];
        if w.outcome.is_some() {
            return Ok(());
        }
        if w.state.as_deref() != Some(state.as_str()) {
            match &w.state {
                Some(prev) => report.info(&format!(
                    "{} {}: {prev} → {state}",
                    self.plan.kind.name, w.id
                )),
                None => report.info(&format!("{} {}: {state}", self.plan.kind.name, w.id)),
            }
            w.state = Some(state.clone());
        }
        match self.plan.judge(&state) {
            Some(outcome) => self.settle(i, outcome),
            None => Ok(()),
        }
    }

    async fn apply(&mut self, change: Change, report: &mut Report<'_>) -> Result<Option<Exit>> {
        let Some(i) = self.watched.iter().position(|w| w.id == change.id) else {
            return Ok(None);
        };
        if self.watched[i].outcome.is_some() {
            return Ok(None);
        }
        if change.is_error {
            let w = &mut self.watched[i];
            w.error = Some(
                change
                    .error
                    .unwrap_or_else(|| "an error notification without text".into()),
            );
            if let Some(state) = change.state {
                w.state = Some(state);
            }
            self.settle(i, Outcome::Error)?;
        } else if let Some(state) = change.state {
            self.observe(i, state, report)?;
        } else {
            // A notification that does not carry the state: ask the API what it is now.
            report.debug(&format!(
                "re-reading the state of {} {}",
                self.plan.kind.name, change.id
            ));
            let state = self
                .api
                .state(
                    self.plan.kind,
                    &change.id,
                    self.plan.parent.as_deref(),
                    self.deadline,
                )
                .await;
            self.settle_from_read(i, state_read(state)?, report)?;
        }
        self.verdict()
    }

    /// Prints the settled line for object `i`.
    fn settle(&mut self, i: usize, outcome: Outcome) -> Result<()> {
        let w = &mut self.watched[i];
        w.outcome = Some(outcome);
        let elapsed = self.started.elapsed();
        let state = w
            .state
            .as_deref()
            .unwrap_or(if outcome == Outcome::Deleted {
                "deleted"
            } else {
                "unknown"
            });
        self.printer.print(
            self.out,
            &Settled {
                kind: self.plan.kind.name,
                id: &w.id,
                state,
                outcome: outcome.name(),
                reached: outcome == Outcome::Reached,
                elapsed,
                error: w.error.as_deref(),
            },
        )?;
        Ok(())
    }

    /// The exit status once the outcome is decided: all reached (or any with `--any`) is
    /// 0; a failure is 1 (with `--any`, only when none can succeed any more).
    fn verdict(&self) -> Result<Option<Exit>> {
        let reached = self
            .watched
            .iter()
            .filter(|w| w.outcome == Some(Outcome::Reached))
            .count();
        let failed: Vec<&Watched> = self
            .watched
            .iter()
            .filter(|w| w.outcome.is_some_and(|o| o != Outcome::Reached))
            .collect();
        let done = if self.plan.any {
            reached > 0
        } else {
            reached == self.watched.len()
        };
        if done {
            return Ok(Some(Exit::Success));
        }
        let doomed = if self.plan.any {
            failed.len() == self.watched.len()
        } else {
            !failed.is_empty()
        };
        if doomed {
            let parts: Vec<String> = failed
                .iter()
                .map(|w| {
                    let what = match w.outcome {
                        Some(Outcome::Error) => "got an error notification".to_string(),
                        Some(Outcome::Deleted) => "was deleted or does not exist".to_string(),
                        _ => format!(
                            "reached the failure state {}",
                            w.state.as_deref().unwrap_or("?")
                        ),
                    };
                    let state = w
                        .state
                        .as_deref()
                        .map(|s| format!(" (state {s})"))
                        .unwrap_or_default();
                    match &w.error {
                        Some(e) => format!("{} {} {what}{state}: {e}", self.plan.kind.name, w.id),
                        None => format!("{} {} {what}{state}", self.plan.kind.name, w.id),
                    }
                })
                .collect();
            return Err(Fail::new(Exit::Failed, parts.join("; ")).into());
        }
        Ok(None)
    }

    fn pending_sentence(&self, timeout: Duration) -> String {
        let pending: Vec<String> = self
            .watched
            .iter()
            .filter(|w| w.outcome.is_none())
            .map(|w| {
                format!(
                    "{} {} is {}",
                    self.plan.kind.name,
                    w.id,
                    w.state
                        .as_deref()
                        .map_or("in an unknown state".to_string(), |s| format!("still {s}"))
                )
            })
            .collect();
        let limit = if timeout.is_zero() {
            "checked once (--timeout 0)".to_string()
        } else {
            format!("timed out after {}", humantime::format_duration(timeout))
        };
        format!(
            "{limit} waiting for {}: {}",
            self.plan.targets.join(" or "),
            pending.join("; ")
        )
    }
}

/// Reads the state of the objects at `indices` concurrently.
async fn read_states(
    api: &Api,
    plan: &Plan,
    watched: &[Watched],
    indices: &[usize],
    deadline: Option<Instant>,
) -> Vec<Result<String, ApiError>> {
    join_all(
        indices
            .iter()
            .map(|&i| api.state(plan.kind, &watched[i].id, plan.parent.as_deref(), deadline)),
    )
    .await
}

/// A state read as wait-for decides it: a 404 means the object is gone (`None`); a refusal
/// is exit 3; anything else is exit 4.
fn state_read(read: Result<String, ApiError>) -> Result<Option<String>> {
    match read {
        Ok(state) => Ok(Some(state)),
        Err(ApiError::NotFound { .. }) => Ok(None),
        Err(e) => Err(read_failure(e)),
    }
}
