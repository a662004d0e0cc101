//! `wait-for`: race-free waits on objects, decided as Cycle's own tools decide
//! (docs/cycle-api.md §6). Socket first (buffering), then state reads; a 404 is "not visible
//! yet" for a grace period; `state.error` shown, and fatal where the kind says; fallback reads
//! on a timer and after every reconnect; `--healthy` for containers; progress on stderr;
//! outcomes as exit statuses a script can branch on.

mod health;
mod progress;

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::time::Duration;

use anyhow::Result;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::time::Instant;

use crate::catalog::kinds::{
    Context, Kind, Parent, CONTAINER, ENVIRONMENT, INTEGRATION, KINDS, PIPELINE, ZONE,
};
use crate::cli::WaitForArgs;
use crate::config::settings::Settings;
use crate::hub::api::{Api, ObjectState};
use crate::hub::error::{ApiError, Missing};
use crate::hub::socket::Frame;
use crate::hub::stream::{Event, Policy, Stream};
use crate::leaf::exit::{Exit, Fail};
use crate::leaf::time::{clock, whole};
use crate::output::report::{RateLimited, Report};
use crate::output::{Settled, SettledPrinter};

use super::common::{read_failure, sleep_until, stream_failure, Signals, Target};
use super::Timing;
use health::{Health, InstanceChange, Instances};
use progress::{Pending, Progress};

/// How one object's wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Reached,
    /// A failure state.
    Failed,
    /// An error notification, or a `state.error` that fails this kind.
    Error,
    Deleted,
    /// 404 past the grace.
    NotFound,
    /// `--healthy`: an instance failed or stayed unhealthy.
    Unhealthy,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::Failed => "failed",
            Outcome::Error => "error",
            Outcome::Deleted => "deleted",
            Outcome::NotFound => "not_found",
            Outcome::Unhealthy => "unhealthy",
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
    /// How long a 404 means "not visible yet" (zero: not found at once).
    appear_within: Duration,
    /// Fallback reads of every pending object; `None`: notifications and reconnects only.
    poll: Option<Duration>,
    heartbeat: Option<Duration>,
    /// A set `state.error` fails the wait.
    error_fails: bool,
    /// `--healthy`, with its `--unhealthy-grace`.
    healthy: Option<Duration>,
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

    fn waits_for_deletion(&self) -> bool {
        self.targets.iter().any(|t| t == "deleted")
    }

    /// What is awaited, for the first line: `container X to be running (up to 10m)`.
    fn awaited(&self) -> String {
        let ids = self.ids.join(", ");
        let who = match (self.ids.len(), self.any) {
            (1, _) => format!("{} {ids}", self.kind.name),
            (n, false) => format!("all {n} of {} {ids}", self.kind.name),
            (n, true) => format!("any of {n} {} {ids}", self.kind.name),
        };
        let mut target = self.targets.join(" or ");
        if self.healthy.is_some() {
            target.push_str(" with every instance running and healthy");
        }
        if self.timeout.is_zero() {
            format!("checking once whether {who} is {target}")
        } else {
            format!(
                "waiting up to {} for {who} to be {target}",
                clock(self.timeout)
            )
        }
    }
}

#[derive(Debug, Default)]
struct Watched {
    id: String,
    parent: Option<String>,
    state: Option<String>,
    /// `state.error`, or the text of an error notification.
    error: Option<String>,
    /// The outcome, and the sentence of a failure.
    settled: Option<(Outcome, String)>,
    /// A read found it once: a later 404 means it is gone.
    seen: bool,
    /// Since when reads have answered 404 (not visible yet), and the last code.
    missing: Option<(Instant, Option<String>)>,
    reading: bool,
    /// A read was asked for while one was in flight (whose answer may predate the ask).
    again: bool,
    next_read: Option<Instant>,
    /// Notifications that arrived during a read, applied after its answer.
    buffered: Vec<Change>,
    /// `--healthy`: its instances.
    instances: Instances,
    /// `--healthy`: why it is not done yet, while it is running.
    health: Option<String>,
}

/// A notification about a watched object, owned so it can be buffered.
#[derive(Debug)]
enum Change {
    Object {
        state: Option<String>,
        error: Option<String>,
        is_error: bool,
        /// The parent id its context names, when the kind's parent can be learnt so.
        parent: Option<String>,
    },
    /// About an instance of a watched container (`--healthy`).
    Instance(InstanceChange),
}

/// The answer to one read: the object, and its instances when `--healthy` found it running.
struct Read {
    object: Result<ObjectState, ApiError>,
    instances: Option<Result<Vec<ObjectState>, ApiError>>,
}

type Reading = Pin<Box<dyn Future<Output = (usize, Read)>>>;

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
            let close = Kind::suggest(&args.kind);
            let hint = match close.as_slice() {
                [] => String::new(),
                [one] => format!(" (did you mean {one}?)"),
                more => format!(" (did you mean {}?)", more.join(" or ")),
            };
            Fail::usage(format!(
                "unknown kind '{}'{hint}; known kinds: {}",
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
        if !kind.has_id() {
            // The hub itself: its id is the one the key is used with.
            let hub = target.hub_id().to_string();
            if let Some(other) = ids.iter().find(|id| **id != hub) {
                return Err(Fail::usage(format!(
                    "{} waits for the hub of --hub ({hub}), not {other}: leave out the ID",
                    kind.name
                )));
            }
            ids = vec![hub];
        }
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
        if let (Some(p), None) = (kind.parent, &parent) {
            // Learnt from the first notification where its context names it; else needed.
            if p.context.is_none() || args.timeout.is_zero() {
                return Err(Fail::usage(format!(
                    "{} needs its {}: add {} ID",
                    kind.name, p.name, p.flag
                )));
            }
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
        let healthy = if args.healthy {
            if kind != Kind::find("container").expect("container is a kind") {
                return Err(Fail::usage(format!(
                    "--healthy applies to containers, not to {}",
                    kind.name
                )));
            }
            if !args.states.is_empty() {
                return Err(Fail::usage(
                    "--healthy waits for running with healthy instances: leave out --state",
                ));
            }
            Some(args.unhealthy_grace)
        } else {
            None
        };
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
        let nonzero = |d: Duration| (!d.is_zero()).then_some(d);
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
            // Checking once leaves no time to appear.
            appear_within: if args.timeout.is_zero() {
                Duration::ZERO
            } else {
                args.appear_within
            },
            poll: nonzero(args.poll),
            heartbeat: nonzero(args.heartbeat),
            error_fails: args.fail_on_error || kind.error_fails.is_some(),
            healthy,
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
    report.info(&plan.awaited());
    let parent = plan.parent.clone();
    let mut waiter = Waiter {
        bad: RateLimited::default(),
        watched: std::mem::take(&mut plan.ids)
            .into_iter()
            .map(|id| Watched {
                id,
                parent: parent.clone(),
                ..Watched::default()
            })
            .collect(),
        api,
        out,
        printer: plan.printer,
        progress: Progress::new(report, plan.heartbeat, started),
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
        reread: timing.reread,
        told_no_state: false,
    };
    let mut signals = Signals::new()?;
    let deadline = (!timeout.is_zero()).then(|| started + timeout);
    // Owned here, not by the wait, so the close frame goes out however the wait ends.
    let mut stream = (!timeout.is_zero()).then(|| Stream::new(link.events.clone(), policy));
    // Biased: a signal outranks everything, and a wait that ended outranks a deadline that
    // passed at the same time.
    let result = tokio::select! {
        biased;
        exit = signals.recv() => Ok(exit),
        r = waiter.wait(stream.as_mut(), report) => r,
        _ = sleep_until(deadline) => Ok(Exit::Timeout),
    };
    report.clear_live();
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

/// The parent id from its flag; a flag for a parent this kind does not have is a mistake.
fn parent_of(kind: &Kind, args: &WaitForArgs) -> Result<Option<String>> {
    let given: [(&Parent, &Option<String>); 5] = [
        (&CONTAINER, &args.container),
        (&PIPELINE, &args.pipeline),
        (&ENVIRONMENT, &args.environment),
        (&ZONE, &args.zone),
        (&INTEGRATION, &args.integration),
    ];
    let mut parent = None;
    for (p, value) in given {
        let Some(value) = value else { continue };
        if kind.parent != Some(p) {
            return Err(Fail::usage(format!(
                "{} applies only to the kinds that need it, not to {}",
                p.flag, kind.name
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

/// What the loop does next.
enum Next {
    Read(usize, Read),
    Event(Event),
    Tick,
}

struct Waiter<'o> {
    plan: Plan,
    bad: RateLimited,
    watched: Vec<Watched>,
    api: Api,
    out: &'o mut dyn Write,
    printer: SettledPrinter,
    progress: Progress,
    started: Instant,
    deadline: Option<Instant>,
    /// While a read answers 404 within the grace, it is repeated this often
    /// (`Timing::reread`).
    reread: Duration,
    /// A read answered without a `data.state.current` string: said once per run.
    told_no_state: bool,
}

impl Waiter<'_> {
    /// Without a stream (`--timeout 0`), checks once.
    async fn wait(&mut self, stream: Option<&mut Stream>, report: &mut Report<'_>) -> Result<Exit> {
        let mut reads: FuturesUnordered<Reading> = FuturesUnordered::new();
        let Some(stream) = stream else {
            for i in 0..self.watched.len() {
                reads.push(self.start_read(i));
            }
            while let Some((i, read)) = reads.next().await {
                self.settle_read(i, read, report)?;
            }
            return Ok(self.verdict()?.unwrap_or(Exit::Timeout));
        };
        // The socket opens first, so nothing that happens during the first reads is missed.
        loop {
            match stream.next().await.map_err(stream_failure)? {
                event @ Event::Connected { .. } => {
                    super::common::lifecycle(&event, report);
                    break;
                }
                other => super::common::lifecycle(&other, report),
            }
        }
        self.read_all_now();
        loop {
            let now = Instant::now();
            for i in 0..self.watched.len() {
                if self.read_due(i, now) {
                    reads.push(self.start_read(i));
                }
            }
            if let Some(exit) = self.verdict()? {
                return Ok(exit);
            }
            if self.progress.due().is_some_and(|at| at <= now) {
                let pending = self.pending(now);
                let elapsed = now - self.started;
                self.progress
                    .tick(now, elapsed, self.plan.timeout, &pending, report);
            }
            let wake = self.next_wake();
            let next = tokio::select! {
                Some((i, read)) = reads.next(), if !reads.is_empty() => Next::Read(i, read),
                event = stream.next() => Next::Event(event.map_err(stream_failure)?),
                _ = sleep_until(wake) => Next::Tick,
            };
            match next {
                Next::Read(i, read) => self.settle_read(i, read, report)?,
                Next::Event(Event::Frame(frame)) => {
                    if let Some((i, change)) = self.relevant(&frame, report) {
                        self.take(i, change, report)?;
                    }
                }
                Next::Event(event @ Event::Connected { first: false, .. }) => {
                    super::common::lifecycle(&event, report);
                    // The stream has no replay: only a read can fill the gap.
                    report.debug("reconnected: reading the state of the pending objects again");
                    self.read_all_now();
                }
                Next::Event(other) => super::common::lifecycle(&other, report),
                Next::Tick => {}
            }
        }
    }

    fn read_all_now(&mut self) {
        let now = Instant::now();
        for i in 0..self.watched.len() {
            self.ask_read(i, now);
        }
    }

    /// Asks for a read of object `i` at `at` (or sooner, if one is due sooner).
    fn ask_read(&mut self, i: usize, at: Instant) {
        let w = &mut self.watched[i];
        if w.settled.is_some() {
            return;
        }
        if w.reading {
            w.again = w.again || at <= Instant::now();
            if !w.again {
                w.next_read = Some(w.next_read.map_or(at, |n| n.min(at)));
            }
            return;
        }
        w.next_read = Some(w.next_read.map_or(at, |n| n.min(at)));
    }

    /// Whether a read of object `i` should start now (its parent is known, none in flight).
    fn read_due(&self, i: usize, now: Instant) -> bool {
        let w = &self.watched[i];
        w.settled.is_none()
            && !w.reading
            && (w.parent.is_some() || self.plan.kind.parent.is_none())
            && w.next_read.is_some_and(|at| at <= now)
    }

    fn start_read(&mut self, i: usize) -> Reading {
        let w = &mut self.watched[i];
        w.reading = true;
        w.again = false;
        w.next_read = None;
        let api = self.api.clone();
        let kind = self.plan.kind;
        let id = w.id.clone();
        let parent = w.parent.clone();
        let deadline = self.deadline;
        let healthy = self.plan.healthy.is_some();
        Box::pin(async move {
            let object = api.state(kind, &id, parent.as_deref(), deadline).await;
            let running = matches!(&object, Ok(o) if o.current.as_deref() == Some("running"));
            let instances = if healthy && running {
                Some(api.instances(&id, deadline).await)
            } else {
                None
            };
            (i, Read { object, instances })
        })
    }

    /// The earliest time something is due: a read or a progress line.
    fn next_wake(&self) -> Option<Instant> {
        // An object whose parent is not known yet cannot be read: not a reason to wake.
        let readable = |w: &&Watched| w.parent.is_some() || self.plan.kind.parent.is_none();
        let reads = self
            .watched
            .iter()
            .filter(|w| w.settled.is_none() && !w.reading)
            .filter(readable)
            .filter_map(|w| w.next_read);
        reads.chain(self.progress.due()).min()
    }

    /// Applies a read's answer, then what arrived during it; schedules the next read.
    fn settle_read(&mut self, i: usize, read: Read, report: &mut Report<'_>) -> Result<()> {
        let now = Instant::now();
        self.watched[i].reading = false;
        match read.object {
            Ok(o) => self.found(i, o, read.instances, now, report)?,
            Err(ApiError::NotFound { what, missing }) => {
                self.missing(i, &what, missing, now, report)?
            }
            Err(e) => return Err(read_failure(e)),
        }
        for change in std::mem::take(&mut self.watched[i].buffered) {
            self.apply(i, change, report)?;
        }
        let w = &mut self.watched[i];
        if w.settled.is_none() {
            if w.again {
                w.next_read = Some(now);
            } else if let Some(poll) = self.plan.poll {
                w.next_read = Some(w.next_read.map_or(now + poll, |n| n.min(now + poll)));
            }
        }
        Ok(())
    }

    /// A read found the object.
    fn found(
        &mut self,
        i: usize,
        o: ObjectState,
        instances: Option<Result<Vec<ObjectState>, ApiError>>,
        now: Instant,
        report: &mut Report<'_>,
    ) -> Result<()> {
        let w = &mut self.watched[i];
        w.seen = true;
        w.missing = None;
        if w.parent.is_none() {
            w.parent = o.parent;
        }
        w.instances.health_check = o.health_check.or(w.instances.health_check);
        match instances {
            Some(Ok(list)) => w.instances.listed(list, now),
            // Listed between the container's read and a change: try again soon.
            Some(Err(ApiError::NotFound {
                missing: Missing::Object(_),
                ..
            })) => self.ask_read(i, now + self.reread),
            Some(Err(ApiError::NotFound { what, .. })) => return Err(no_such_path(&what)),
            Some(Err(e)) => return Err(read_failure(e)),
            None => {}
        }
        let w = &mut self.watched[i];
        let error_changed = o.error.is_some() && o.error != w.error;
        // The read's state.error is the current one (None: cleared, as by `*.error_reset`).
        w.error = o.error;
        let state = o.current.unwrap_or_else(|| {
            if !std::mem::replace(&mut self.told_no_state, true) {
                report.warn(&format!(
                    "the API answered for {} {} without a data.state.current string; its state counts as unknown until one comes",
                    self.plan.kind.name, self.watched[i].id
                ));
            }
            "unknown".into()
        });
        self.observe(i, state, report)?;
        let w = &self.watched[i];
        if w.settled.is_none() {
            if let Some(e) = w.error.clone().filter(|_| self.plan.error_fails) {
                let state = w.state.clone().unwrap_or_default();
                let sentence = format!(
                    "{} {} failed with an error (state {state}): {e}",
                    self.plan.kind.name, w.id
                );
                return self.settle(i, Outcome::Error, sentence, None, report);
            }
            if error_changed {
                report.info(&format!(
                    "{} {}: state.error: {}",
                    self.plan.kind.name,
                    w.id,
                    w.error.as_deref().unwrap_or_default()
                ));
            }
        }
        Ok(())
    }

    /// A read answered 404: a wrong path (exit 4), deletion awaited, gone, or not visible yet.
    fn missing(
        &mut self,
        i: usize,
        what: &str,
        missing: Missing,
        now: Instant,
        report: &mut Report<'_>,
    ) -> Result<()> {
        let Missing::Object(code) = missing else {
            return Err(no_such_path(what));
        };
        let kind = self.plan.kind;
        let w = &mut self.watched[i];
        if self.plan.waits_for_deletion() {
            w.state = Some("deleted".into());
            let sentence = String::new();
            return self.settle(i, Outcome::Reached, sentence, None, report);
        }
        if w.seen {
            let sentence = format!("{} {} is gone (404 after it was found)", kind.name, w.id);
            w.state = Some("deleted".into());
            return self.settle(
                i,
                Outcome::Deleted,
                sentence,
                Some("gone (404)".into()),
                report,
            );
        }
        let since = w.missing.as_ref().map_or(now, |(since, _)| *since);
        w.missing = Some((since, code.clone()));
        let ends = since + self.plan.appear_within;
        if now >= ends {
            let shown = code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            // The code may say that the parent is what does not exist.
            let whose = match (kind.parent, w.parent.as_deref()) {
                (Some(p), Some(pid)) if p.not_found.is_some() && p.not_found == code.as_deref() => {
                    format!(": its {} {pid} does not exist", p.name)
                }
                _ => String::new(),
            };
            let detail = format!(
                "not found (404{shown}{}){whose}",
                if self.plan.appear_within.is_zero() {
                    String::new()
                } else {
                    format!(" for --appear-within {}", clock(self.plan.appear_within))
                }
            );
            let sentence = format!("{} {} was {detail}", kind.name, w.id);
            return self.settle(i, Outcome::NotFound, sentence, Some(detail), report);
        }
        if since == now {
            report.debug(&format!(
                "{} {} is not visible yet (404): reading it again every {} for up to {}",
                kind.name,
                w.id,
                clock(self.reread),
                clock(self.plan.appear_within)
            ));
        }
        self.ask_read(i, (now + self.reread).min(ends));
        Ok(())
    }

    /// A notification about a watched object of this kind (or, with `--healthy`, about an
    /// instance of a watched container), if the frame is one.
    fn relevant(&mut self, frame: &Frame, report: &mut Report<'_>) -> Option<(usize, Change)> {
        let n = super::common::notification_in(frame, &mut self.bad, report)?;
        let kind = Kind::of_topic(&n.topic)?;
        let object = n.object();
        let id = object.id.get()?;
        if kind.name == self.plan.kind.name {
            let i = self.watched.iter().position(|w| w.id == id)?;
            let context = n.context();
            let parent = self.plan.kind.parent.and_then(|p| {
                let list = match p.context? {
                    Context::Containers => &context.containers,
                    Context::Environments => &context.environments,
                };
                // One entry is the parent; several cannot be told apart.
                (list.0.len() == 1).then(|| list.0[0].to_string())
            });
            return Some((
                i,
                Change::Object {
                    state: object.state.get().map(String::from),
                    error: object.error_text().map(|e| e.into_owned()),
                    is_error: kind.is_error_topic(&n.topic),
                    parent,
                },
            ));
        }
        if self.plan.healthy.is_none() || kind.name != "instance" {
            return None;
        }
        let context = n.context();
        let i = self
            .watched
            .iter()
            .position(|w| context.containers.contains(&w.id))?;
        Some((
            i,
            Change::Instance(InstanceChange {
                id: id.to_string(),
                state: object.state.get().map(String::from),
                health: InstanceChange::health_of(n.annotations().health.get()),
                error: object.error_text().map(|e| e.into_owned()),
            }),
        ))
    }

    /// A notification: buffered while a read of its object is in flight, else applied.
    fn take(&mut self, i: usize, change: Change, report: &mut Report<'_>) -> Result<()> {
        let w = &mut self.watched[i];
        if w.settled.is_some() {
            return Ok(());
        }
        if w.reading {
            w.buffered.push(change);
            return Ok(());
        }
        self.apply(i, change, report)
    }

    fn apply(&mut self, i: usize, change: Change, report: &mut Report<'_>) -> Result<()> {
        let now = Instant::now();
        let kind = self.plan.kind;
        let w = &mut self.watched[i];
        if w.settled.is_some() {
            return Ok(());
        }
        match change {
            Change::Object {
                state,
                error,
                is_error,
                parent,
            } => {
                if w.parent.is_none() {
                    if let Some(p) = parent {
                        report.debug(&format!(
                            "{} {}: its {} is {p} (from a notification)",
                            kind.name,
                            w.id,
                            kind.parent.map_or("parent", |p| p.name)
                        ));
                        w.parent = Some(p);
                        self.ask_read(i, now);
                    }
                }
                let w = &mut self.watched[i];
                if is_error {
                    w.error =
                        Some(error.unwrap_or_else(|| "an error notification without text".into()));
                    if let Some(state) = state {
                        w.state = Some(state);
                    }
                    let state = w
                        .state
                        .as_deref()
                        .map(|s| format!(" (state {s})"))
                        .unwrap_or_default();
                    let sentence = format!(
                        "{} {} got an error notification{state}: {}",
                        kind.name,
                        w.id,
                        w.error.as_deref().unwrap_or_default()
                    );
                    return self.settle(i, Outcome::Error, sentence, None, report);
                }
                match state {
                    Some(state) => self.observe(i, state, report)?,
                    None => {
                        // A notification that does not carry the state: ask the API.
                        report.debug(&format!("re-reading the state of {} {}", kind.name, w.id));
                        self.ask_read(i, now);
                    }
                }
            }
            Change::Instance(change) => {
                if w.instances.changed(change, now) {
                    // An instance the list did not have: read the list again.
                    self.ask_read(i, now);
                }
                self.check_health(i, report)?;
            }
        }
        Ok(())
    }

    /// Records a state; settles the object if the state decides it.
    fn observe(&mut self, i: usize, state: String, report: &mut Report<'_>) -> Result<()> {
        let kind = self.plan.kind;
        let w = &mut self.watched[i];
        if w.settled.is_some() {
            return Ok(());
        }
        if w.state.as_deref() != Some(state.as_str()) {
            match &w.state {
                Some(prev) => report.info(&format!("{} {}: {prev} → {state}", kind.name, w.id)),
                None => report.info(&format!("{} {}: {state}", kind.name, w.id)),
            }
            w.state = Some(state.clone());
        }
        match self.plan.judge(&state) {
            Some(Outcome::Reached) if self.plan.healthy.is_some() => self.check_health(i, report),
            Some(Outcome::Reached) => self.settle(i, Outcome::Reached, String::new(), None, report),
            Some(outcome) => {
                let w = &self.watched[i];
                let what = if outcome == Outcome::Deleted {
                    "was deleted".to_string()
                } else {
                    format!("reached the failure state {state}")
                };
                let error = w
                    .error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default();
                let sentence = format!("{} {} {what}{error}", kind.name, w.id);
                self.settle(i, outcome, sentence, None, report)
            }
            None => Ok(()),
        }
    }

    /// `--healthy`, once the container is running: done, failed, or a later look.
    fn check_health(&mut self, i: usize, report: &mut Report<'_>) -> Result<()> {
        let Some(grace) = self.plan.healthy else {
            return Ok(());
        };
        let now = Instant::now();
        let w = &mut self.watched[i];
        let running = w
            .state
            .as_deref()
            .is_some_and(|s| self.plan.judge(s) == Some(Outcome::Reached));
        if !running || w.settled.is_some() {
            return Ok(());
        }
        if !w.instances.is_listed() {
            // Running by a notification: the read that lists the instances comes next.
            self.ask_read(i, now);
            return Ok(());
        }
        match w.instances.judge(now, grace) {
            Health::Healthy => {
                w.health = None;
                self.settle(i, Outcome::Reached, String::new(), None, report)
            }
            Health::Failed(why) => {
                let sentence = format!("{} {}: {why}", self.plan.kind.name, w.id);
                self.settle(i, Outcome::Unhealthy, sentence, Some(why), report)
            }
            Health::Pending { why, recheck } => {
                if w.health.as_deref() != Some(why.as_str()) {
                    report.info(&format!("{} {}: {why}", self.plan.kind.name, w.id));
                    w.health = Some(why);
                }
                if let Some(at) = recheck {
                    self.ask_read(i, at);
                }
                Ok(())
            }
        }
    }

    /// Prints the settled line for object `i`; `detail` replaces its error text there.
    fn settle(
        &mut self,
        i: usize,
        outcome: Outcome,
        sentence: String,
        detail: Option<String>,
        report: &mut Report<'_>,
    ) -> Result<()> {
        let w = &mut self.watched[i];
        w.settled = Some((outcome, sentence));
        w.buffered.clear();
        let elapsed = self.started.elapsed();
        // A result line on a terminal shared with the live lines would be torn by them.
        report.clear_live();
        self.printer.print(
            self.out,
            &Settled {
                kind: self.plan.kind.name,
                id: &w.id,
                state: w.state.as_deref().unwrap_or("unknown"),
                outcome: outcome.name(),
                reached: outcome == Outcome::Reached,
                elapsed,
                error: detail.as_deref().or(w.error.as_deref()),
            },
        )?;
        Ok(())
    }

    /// The exit status once the outcome is decided: all reached (or any with `--any`) is
    /// 0; a failure is 1 (with `--any`, only when none can succeed any more).
    fn verdict(&self) -> Result<Option<Exit>> {
        let outcome = |w: &Watched| w.settled.as_ref().map(|(o, _)| *o);
        let reached = self
            .watched
            .iter()
            .filter(|w| outcome(w) == Some(Outcome::Reached))
            .count();
        let failed: Vec<&str> = self
            .watched
            .iter()
            .filter_map(|w| match &w.settled {
                Some((o, sentence)) if *o != Outcome::Reached => Some(sentence.as_str()),
                _ => None,
            })
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
            return Err(Fail::new(Exit::Failed, failed.join("; ")).into());
        }
        Ok(None)
    }

    /// How a pending object stands, for progress and the timeout sentence.
    fn describe(&self, w: &Watched, now: Instant) -> String {
        let mut what = match (&w.state, &w.missing) {
            (Some(state), _) => state.clone(),
            (None, Some((since, _))) => {
                format!("not visible yet (404 for {})", whole(now - *since))
            }
            (None, None) => match self.plan.kind.parent {
                Some(p) if w.parent.is_none() => {
                    format!(
                        "waiting for a notification naming its {} (or {} ID)",
                        p.name, p.flag
                    )
                }
                _ => "in an unknown state".into(),
            },
        };
        if let Some(health) = &w.health {
            what.push_str(&format!(", {health}"));
        }
        if let Some(e) = &w.error {
            what.push_str(&format!(", state.error: {e}"));
        }
        what
    }

    fn pending(&self, now: Instant) -> Vec<Pending> {
        self.watched
            .iter()
            .filter(|w| w.settled.is_none())
            .map(|w| Pending {
                kind: self.plan.kind.name,
                id: w.id.clone(),
                what: self.describe(w, now),
            })
            .collect()
    }

    fn pending_sentence(&self, timeout: Duration) -> String {
        let now = Instant::now();
        let pending: Vec<String> = self
            .watched
            .iter()
            .filter(|w| w.settled.is_none())
            .map(|w| {
                let still = if w.state.is_some() { "still " } else { "" };
                format!(
                    "{} {} is {still}{}",
                    self.plan.kind.name,
                    w.id,
                    self.describe(w, now)
                )
            })
            .collect();
        let limit = if timeout.is_zero() {
            "checked once (--timeout 0)".to_string()
        } else {
            format!("timed out after {}", humantime::format_duration(timeout))
        };
        let mut targets = self.plan.targets.join(" or ");
        if self.plan.healthy.is_some() {
            targets.push_str(" and healthy");
        }
        format!("{limit} waiting for {targets}: {}", pending.join("; "))
    }
}

/// A 404 on a path that no id can fix: the API has no such route, so the base URL is wrong.
fn no_such_path(what: &str) -> anyhow::Error {
    Fail::new(
        Exit::Unreachable,
        format!(
            "{what}: the API has no such path (404 404.uri): check --base-url / CYCLE_BASE_URL"
        ),
    )
    .into()
}
