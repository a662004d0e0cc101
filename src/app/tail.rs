//! `tail`: settings → stream → notification → filter → printer, until a limit or a signal.

use std::io::{BufWriter, Write};
use std::time::{Duration, SystemTime};

use anyhow::Result;
use tokio::time::Instant;
use url::Url;

use crate::cli::{FilterArgs, TailArgs};
use crate::config::settings::Settings;
use crate::filter::{self, Filter, FilterSpec};
use crate::hub::socket::Frame;
use crate::hub::stream::{Event, Gap, Policy, Stream};
use crate::leaf::exit::{Exit, Fail};
use crate::leaf::time::{human, rfc3339};
use crate::notification::{leading_topic, Notification};
use crate::output::report::{RateLimited, Report};
use crate::output::{PrettyOptions, Printer};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::act;
use super::common::{outage_failure, sleep_until, stream_failure, Signals, Target};
use super::{Stdout, Timing};
use crate::deliver::webhook::SigningKey;
use crate::deliver::{self, Deliveries, Job, Note, Notes};

/// Topics of the `--status-events` records; Cycle's topics never start with `cycle-notify.`.
pub const CONNECTED: &str = "cycle-notify.stream.connected";
pub const GAP: &str = "cycle-notify.stream.gap";
pub const DELIVERY_FAILED: &str = "cycle-notify.delivery.failed";

pub use super::common::MAX_FRAME;
/// Frames handled between two looks at signals and the deadline.
const BURST: usize = 1024;

/// Everything `tail` will do, decided from its flags before any socket opens: every usage
/// error is found here.
struct Plan {
    target: Target,
    filter: Filter,
    printer: Printer,
    policy: Policy,
    count: Option<u64>,
    timeout: Option<Duration>,
    /// Exit 124 when no notification passed the filters for this long.
    idle_timeout: Option<Duration>,
    status_events: bool,
    deliver: Option<deliver::Plan>,
    /// A forwarding secret made for this run, shown once.
    generated_secret: Option<SigningKey>,
}

impl Plan {
    fn new(
        settings: &Settings,
        args: &TailArgs,
        stdout: Stdout,
        report: &mut Report<'_>,
    ) -> Result<Plan> {
        let spec = filter_spec(&args.filters);
        let filter = Filter::new(&spec)?;
        for w in filter::typo_warnings(&spec) {
            report.warn(&w);
        }
        if args.count == Some(0) {
            return Err(Fail::usage("--count must be at least 1"));
        }
        let target = Target::resolve(settings, args.demo, args.internal.internal)?;
        let (deliver, generated_secret) = match act::plan(&args.act, settings, target.hub_id())? {
            Some((plan, secret)) => (Some(plan), secret),
            None => (None, None),
        };
        Ok(Plan {
            deliver,
            generated_secret,
            policy: super::common::policy(&args.stream)?,
            printer: Printer::with(
                args.output,
                stdout.is_terminal,
                PrettyOptions {
                    color: settings.use_color(stdout.is_terminal),
                    columns: stdout.columns,
                    utc: args.utc,
                    wide: false,
                },
            )
            .map_err(|e| Fail::usage(e.to_string()))
            .and_then(|p| match args.timestamps {
                true => p.with_timestamps().map_err(Fail::usage),
                false => Ok(p),
            })?,
            target,
            filter,
            count: args.count,
            timeout: args.timeout,
            idle_timeout: match args.idle_timeout {
                Some(d) if d.is_zero() => {
                    return Err(Fail::usage("--idle-timeout must be more than 0"))
                }
                other => other,
            },
            status_events: args.status_events,
        })
    }
}

/// The filter flags as the filter layer's plain lists.
fn filter_spec(args: &FilterArgs) -> FilterSpec {
    FilterSpec {
        topics: args.topics.clone(),
        excludes: args.excludes.clone(),
        ids: args.ids.clone(),
        states: args.states.clone(),
        environments: args.environments.clone(),
        containers: args.containers.clone(),
        clusters: args.clusters.clone(),
    }
}

pub async fn run(
    settings: &Settings,
    args: &TailArgs,
    out: &mut dyn Write,
    stdout: Stdout,
    timing: &Timing,
    report: &mut Report<'_>,
) -> Result<Exit> {
    let plan = Plan::new(settings, args, stdout, report)?;
    let deadline = plan.timeout.map(|d| Instant::now() + d);
    let mut signals = Signals::new()?;

    if let Some(key) = &plan.generated_secret {
        report.info(&format!(
            "forwarding secret for this run: {} (set --forward-secret or CYCLE_NOTIFY_FORWARD_SECRET to keep one)",
            key.expose()
        ));
    }
    let link = plan.target.connect(timing, report).await?;
    let mut stream = Stream::new(link.events, plan.policy);
    let (deliveries, mut notes) = match plan.deliver {
        Some(mut p) => {
            // Acks are shown on a terminal or with -v; otherwise they are not even sent.
            p.report_delivered = plan.printer.is_pretty() || report.debugging();
            let run_id = crate::leaf::rng::Rng::from_time().hex(12);
            let (d, n) = Deliveries::start(p, &run_id)
                .await
                .map_err(|e| Fail::new(Exit::Unreachable, e.to_string()))?;
            (Some(d), Some(n))
        }
        None => (None, None),
    };
    let mut sink = Sink {
        out: BufWriter::with_capacity(64 * 1024, out),
        pretty: plan.printer.is_pretty(),
        printer: plan.printer,
        filter: plan.filter,
        passed: 0,
        count: plan.count,
        bad: RateLimited::default(),
        status_events: plan.status_events,
        deliveries,
        seq: 0,
    };
    // Whether the socket went unread for want of room since it was last read: noted on
    // every pass without room (a delivery note may wake the loop instead of the room), so
    // the keepalive is always told when reading starts again.
    let mut paused = false;
    let mut told_paused = false;
    // `--idle-timeout`: restarted whenever a notification passes the filters.
    let idle_from = |passed: u64| plan.idle_timeout.map(|d| (Instant::now() + d, passed));
    let mut idle = idle_from(0);
    let mut idle_message = None;
    let ending: Result<Exit> = loop {
        if let Some((_, passed)) = idle {
            if passed != sink.passed {
                idle = idle_from(sink.passed);
            }
        }
        let room = sink.has_room();
        if !room {
            paused = true;
            if !std::mem::replace(&mut told_paused, true) {
                report.debug(
                    "a delivery queue is full: the socket is not read until there is room (said once)",
                );
            }
        } else if std::mem::take(&mut paused) {
            stream.resume();
        }
        // Biased: a signal outranks a deadline that passed at the same time.
        let event = tokio::select! {
            biased;
            exit = signals.recv() => break Ok(exit),
            _ = sleep_until(deadline) => break match stream.outage() {
                Some(outage) => Err(outage_failure(&outage)),
                None => Ok(timeout_exit(plan.count)),
            },
            _ = sleep_until(idle.map(|(at, _)| at)) => {
                if let Some(outage) = stream.outage() {
                    break Err(outage_failure(&outage));
                }
                idle_message = plan.idle_timeout.map(|d| {
                    format!(
                        "no notification passed the filters for {} (--idle-timeout)",
                        humantime::format_duration(d)
                    )
                });
                break Ok(Exit::Timeout);
            }
            note = next_note(&mut notes) => {
                sink.note(note, report)?;
                continue;
            }
            // A full queue: the socket is not read until there is room (TCP backpressure).
            () = sink.room(), if !room => continue,
            event = stream.next(), if room => event,
        };
        let event = match event {
            Ok(event) => event,
            Err(e) => break Err(stream_failure(e)),
        };
        match event {
            Event::Frame(frame) => {
                if sink.take(frame, report)? {
                    break Ok(Exit::Success);
                }
                // Write a burst in one go; flush as soon as nothing more is waiting.
                let drained = drain(&mut stream, &mut sink, report);
                sink.out.flush()?;
                match drained {
                    Ok(true) => break Ok(Exit::Success),
                    Ok(false) => {}
                    Err(e) => break Err(e),
                }
            }
            Event::Connected { first, url, at } => {
                super::common::lifecycle(
                    &Event::Connected {
                        first,
                        url: url.clone(),
                        at,
                    },
                    report,
                );
                sink.connected(first, &url, at)?;
                if let Some(d) = &sink.deliveries {
                    d.hub_connected(true);
                }
            }
            event @ Event::Retrying {
                reconnect: true, ..
            } => {
                if let Some(d) = &sink.deliveries {
                    d.hub_connected(false);
                }
                super::common::lifecycle(&event, report);
            }
            Event::Gap(gap) => {
                sink.gap(&gap)?;
                super::common::lifecycle(&Event::Gap(gap), report);
            }
            other => super::common::lifecycle(&other, report),
        }
    };
    // What arrived is on stdout before any error line goes to stderr.
    sink.out.flush()?;
    if let Some(message) = idle_message {
        report.error(&message);
    }
    if let Some(summary) = sink.bad.summary() {
        report.warn(&summary);
    }
    if ending.is_ok() && stream.close().await {
        report.debug("closed the connection (close frame sent)");
    }
    let Some(deliveries) = sink.deliveries.take() else {
        return ending;
    };
    let mut notes = notes.take();
    let ending = settle(
        deliveries,
        &mut notes,
        &mut sink,
        &mut signals,
        ending,
        report,
    )
    .await?;
    Ok(ending)
}

/// The end of a run with destinations: what is queued and in flight gets the drain period
/// (a second signal cuts it short), then every notification not delivered is listed, and
/// exit 5 says so unless the run already ends with a more telling status.
async fn settle<W: Write>(
    deliveries: Deliveries,
    notes: &mut Option<Notes>,
    sink: &mut Sink<W>,
    signals: &mut Signals,
    ending: Result<Exit>,
    report: &mut Report<'_>,
) -> Result<Exit> {
    deliveries.close();
    let drain = deliveries.drain();
    let until = Instant::now() + drain;
    let pending = deliveries.pending();
    if pending > 0 {
        let signalled = matches!(ending, Ok(Exit::Interrupted | Exit::Terminated));
        let line = format!(
            "finishing {pending} queued {} (up to {}, --drain){}",
            if pending == 1 {
                "delivery"
            } else {
                "deliveries"
            },
            human(drain),
            if signalled {
                "; a second signal stops now"
            } else {
                ""
            }
        );
        if signalled {
            report.info(&line);
        } else {
            report.debug(&line);
        }
    }
    let mut ending = ending;
    loop {
        tokio::select! {
            () = deliveries.settled() => break,
            _ = tokio::time::sleep_until(until) => break,
            exit = signals.recv() => {
                if ending.is_ok() {
                    ending = Ok(exit);
                }
                break;
            }
            note = next_note(notes) => sink.note(note, report)?,
        }
    }
    while let Some(note) = notes.as_mut().and_then(Notes::try_next) {
        sink.note(note, report)?;
    }
    let summary = deliveries.finish();
    sink.out.flush()?;
    const LISTED: usize = 20;
    for (destination, job) in summary.undelivered.iter().take(LISTED) {
        report.warn(&format!(
            "not delivered ({destination}): {}",
            job.describe()
        ));
    }
    if summary.undelivered.len() > LISTED {
        report.warn(&format!(
            "not delivered: {} more",
            summary.undelivered.len() - LISTED
        ));
    }
    report.debug(&format!(
        "deliveries: {} delivered, {} failed, {} left queued",
        summary.delivered,
        summary.failed,
        summary.undelivered.len()
    ));
    let exit = ending?;
    if summary.all_delivered() || matches!(exit, Exit::Interrupted | Exit::Terminated) {
        return Ok(exit);
    }
    let mut parts = Vec::new();
    if summary.failed > 0 {
        parts.push(format!("{} failed", summary.failed));
    }
    if !summary.undelivered.is_empty() {
        parts.push(format!(
            "{} still queued after the {} drain",
            summary.undelivered.len(),
            human(drain)
        ));
    }
    Err(Fail::new(
        Exit::Undelivered,
        format!(
            "some notifications were not delivered: {}",
            parts.join(", ")
        ),
    )
    .into())
}

/// The next delivery note, or never when nothing is delivered.
async fn next_note(notes: &mut Option<Notes>) -> Note {
    match notes {
        Some(n) => n.next().await,
        None => std::future::pending().await,
    }
}

/// Frames already waiting, up to a burst; true once `--count` is reached.
fn drain<W: Write>(
    stream: &mut Stream,
    sink: &mut Sink<W>,
    report: &mut Report<'_>,
) -> Result<bool> {
    for _ in 0..BURST {
        if !sink.has_room() {
            break;
        }
        match stream.next_ready().map_err(stream_failure)? {
            Some(frame) => {
                if sink.take(frame, report)? {
                    return Ok(true);
                }
            }
            None => break,
        }
    }
    Ok(false)
}

fn detail(detail: &Option<String>) -> String {
    detail
        .as_ref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// 124 when a `--count` was asked for and not reached; a plain time limit is success.
fn timeout_exit(count: Option<u64>) -> Exit {
    if count.is_some() {
        Exit::Timeout
    } else {
        Exit::Success
    }
}

/// The consuming end of the pipeline: parse, filter, print, count.
struct Sink<W: Write> {
    out: W,
    printer: Printer,
    filter: Filter,
    passed: u64,
    count: Option<u64>,
    bad: RateLimited,
    /// `--status-events`: connection records on stdout, past the filters, not counted.
    status_events: bool,
    /// Whether stdout is for people: delivery results then get a line on stderr each.
    pretty: bool,
    /// Where notifications go besides stdout (`--exec`, `--forward-to`).
    deliveries: Option<Deliveries>,
    /// Notifications handed to the deliveries so far.
    seq: u64,
}

impl<W: Write> Sink<W> {
    /// Handles one frame; true once `--count` is reached.
    fn take(&mut self, frame: Frame, report: &mut Report<'_>) -> Result<bool> {
        // A frame whose topic the filters drop is not read any further: checking the rest
        // of it is most of the per-frame cost, and nothing of it would be shown.
        if let Frame::Text(text) = &frame {
            if let Some(topic) = leading_topic(text) {
                if !self.filter.topic_passes(topic) {
                    return Ok(false);
                }
            }
        }
        let Some(n) = super::common::notification_in(&frame, &mut self.bad, report) else {
            return Ok(false);
        };
        let Frame::Text(text) = &frame else {
            return Ok(false);
        };
        if report.tracing() {
            report.trace(&format!("frame of {} bytes", text.len()));
        }
        if !self.filter.matches(&n) {
            return Ok(false);
        }
        self.printer.print(&mut self.out, text, &n)?;
        if let Some(d) = &self.deliveries {
            self.seq += 1;
            d.push(Job::new(self.seq, text.clone(), &n));
        }
        self.passed += 1;
        Ok(self.count.is_some_and(|c| self.passed >= c))
    }

    fn has_room(&self) -> bool {
        self.deliveries.as_ref().is_none_or(Deliveries::has_room)
    }

    async fn room(&self) {
        if let Some(d) = &self.deliveries {
            d.room().await;
        }
    }

    /// A delivery note as a stderr line, and as an in-band record for failures with
    /// `--status-events`.
    fn note(&mut self, note: Note, report: &mut Report<'_>) -> Result<()> {
        match note {
            Note::Delivered {
                destination,
                job,
                result,
            } => {
                if self.pretty {
                    report.info(&format!("{destination} → {result} ({})", job.describe()));
                } else if report.debugging() {
                    report.debug(&format!("{destination} → {result} ({})", job.describe()));
                }
            }
            Note::Retrying {
                destination,
                what,
                reason,
                delay,
            } => report.warn(&format!(
                "{destination} failed ({}) for {what}{}; retrying in {}",
                reason.summary,
                detail(&reason.detail),
                human(delay)
            )),
            Note::Failed {
                destination,
                what,
                seq,
                reason,
            } => {
                report.warn(&format!(
                    "{destination} failed ({}) for {what}{}",
                    reason.summary,
                    detail(&reason.detail)
                ));
                if self.status_events {
                    let record = serde_json::json!({
                        "topic": DELIVERY_FAILED,
                        "time": rfc3339(SystemTime::now()),
                        "destination": destination,
                        "seq": seq,
                        "notification": what,
                        "reason": reason.summary,
                        "detail": reason.detail,
                    });
                    let summary = format!("{destination} failed ({}) for {what}", reason.summary);
                    self.status(&record, DELIVERY_FAILED, &summary)?;
                }
            }
            Note::Output { what, line } => report.info(&format!("exec ({what}): {line}")),
            Note::Info(line) => report.info(&line),
        }
        Ok(())
    }

    fn connected(&mut self, first: bool, url: &Url, at: SystemTime) -> Result<()> {
        if !self.status_events {
            return Ok(());
        }
        let record = serde_json::json!({
            "topic": CONNECTED,
            "time": rfc3339(at),
            "url": url.as_str(),
            "first": first,
        });
        let summary = format!("{url}{}", if first { "" } else { " (reconnected)" });
        self.status(&record, CONNECTED, &summary)
    }

    fn gap(&mut self, gap: &Gap) -> Result<()> {
        let record = serde_json::json!({
            "topic": GAP,
            "from": rfc3339(gap.from),
            "to": rfc3339(gap.to),
            "duration_ms": gap.duration().as_millis() as u64,
            "reason": gap.reason,
        });
        // Consumers downstream of NATS learn of the gap too.
        if let Some(d) = &self.deliveries {
            self.seq += 1;
            let frame = Utf8Bytes::from(record.to_string());
            let job = match Notification::parse(&frame) {
                Ok(n) => Job::new(self.seq, frame.clone(), &n),
                Err(_) => return Ok(()),
            };
            d.push_record(job);
        }
        if !self.status_events {
            return Ok(());
        }
        let summary = format!(
            "down {} from {} ({}): notifications in between may be missing",
            human(gap.duration()),
            rfc3339(gap.from),
            gap.reason
        );
        self.status(&record, GAP, &summary)
    }

    fn status(&mut self, record: &serde_json::Value, topic: &str, summary: &str) -> Result<()> {
        self.printer
            .print_status(&mut self.out, &record.to_string(), topic, summary)?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    use super::*;
    use crate::output::Format;
    use crate::sim::{scenario, Rng, Step};

    /// Counts this thread's allocations, so tests running in parallel do not disturb it.
    struct Counting;

    thread_local! {
        static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    }

    // SAFETY: defers to the system allocator; the counter is a const thread-local Cell,
    // which neither allocates nor has a destructor.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            unsafe { System.realloc(ptr, layout, size) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    fn allocations() -> u64 {
        ALLOCATIONS.with(Cell::get)
    }

    /// Frames of the simulator's churn pool, as the socket hands them over.
    fn frames() -> Vec<Frame> {
        scenario::churn_pool(&mut Rng::new(6), "65f0c0ffee0000000000beef", 0)
            .into_iter()
            .filter_map(|s| match s {
                Step::Text(t) => Some(Frame::Text(t)),
                _ => None,
            })
            .collect()
    }

    /// The pretty printer allocates nothing of its own: what a line costs is what reading
    /// the object, context and annotations costs (the view's lists), and the sanitiser's
    /// fast check adds nothing.
    #[test]
    fn pretty_allocates_only_what_reading_the_fields_does() {
        let texts: Vec<String> = frames()
            .into_iter()
            .filter_map(|f| match f {
                Frame::Text(t) => Some(t.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let parsed: Vec<_> = texts
            .iter()
            .map(|t| crate::notification::Notification::parse(t).unwrap())
            .collect();
        // Unfitted (a pipe) and fitted to an 80-column terminal, which shortens ids.
        for columns in [None, Some(80)] {
            let options = PrettyOptions {
                color: true,
                columns,
                ..PrettyOptions::default()
            };
            let mut printer = Printer::with(Format::Pretty, true, options).unwrap();
            let mut out = Vec::with_capacity(16 << 20);
            // The first line reads the time zone.
            for (t, n) in texts.iter().zip(&parsed) {
                printer.print(&mut out, t, n).unwrap();
            }
            out.clear();
            let before = allocations();
            for n in &parsed {
                let o = n.object();
                let _ = (o.error_text(), n.context(), n.annotations());
            }
            let reading = allocations() - before;
            let before = allocations();
            for (t, n) in texts.iter().zip(&parsed) {
                printer.print(&mut out, t, n).unwrap();
            }
            let printing = allocations() - before;
            assert!(
                printing <= reading,
                "{columns:?}: printing {} lines allocated {printing} times, reading their fields {reading}",
                parsed.len()
            );
            assert!(out.len() > parsed.len() * 40, "lines were printed");
        }
    }

    #[test]
    fn json_and_raw_allocate_nothing_per_frame() {
        for format in [Format::Json, Format::Raw] {
            let args = FilterSpec {
                topics: vec!["container.*".into(), "*.error".into()],
                excludes: vec!["container.instance.*".into()],
                ..FilterSpec::default()
            };
            let mut err = Vec::new();
            let mut report = Report::new(&mut err, false, 0);
            let mut sink = Sink {
                out: Vec::with_capacity(8 << 20),
                printer: Printer::new(format, false, false).unwrap(),
                filter: Filter::new(&args).unwrap(),
                passed: 0,
                count: None,
                bad: RateLimited::default(),
                status_events: false,
                pretty: false,
                deliveries: None,
                seq: 0,
            };
            // The first pass fills the topic memo, which allocates once per distinct topic.
            for frame in frames() {
                sink.take(frame, &mut report).unwrap();
            }
            let frames = frames();
            let before = allocations();
            for frame in frames {
                sink.take(frame, &mut report).unwrap();
            }
            assert_eq!(allocations() - before, 0, "{format:?}");
            assert!(sink.passed > 1000, "the filter let frames through");
        }
    }
}
