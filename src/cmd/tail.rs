//! `tail`: settings → stream → notification → filter → printer, until a limit or a signal.

use std::io::{BufWriter, Write};

use anyhow::Result;
use tokio::time::Instant;

use crate::cli::TailArgs;
use crate::exit::{Exit, Fail};
use crate::filter::{self, Filter};
use crate::notification::Notification;
use crate::output::Printer;
use crate::report::{RateLimited, Report};
use crate::settings::Settings;
use crate::stream::{self, Frame};

use super::{sleep_until, Signals};

/// Frames bigger than this are not notifications worth printing (DESIGN.md "Connection").
pub const MAX_FRAME: usize = 1 << 20;
/// Frames handled between two looks at signals and the deadline.
const BURST: usize = 1024;

pub async fn run(
    settings: &Settings,
    args: &TailArgs,
    out: &mut dyn Write,
    out_is_terminal: bool,
    report: &mut Report<'_>,
) -> Result<Exit> {
    let filter = Filter::new(&args.filters)?;
    for w in filter::typo_warnings(&args.filters) {
        report.warn(&w);
    }
    if args.count == Some(0) {
        return Err(Fail::usage("--count must be at least 1"));
    }
    let printer = Printer::new(
        args.output,
        out_is_terminal,
        settings.use_color(out_is_terminal),
    );
    let deadline = args.timeout.map(|d| Instant::now() + d);
    let mut signals = Signals::new()?;

    let (api, _demo) = super::api_for(settings, args.demo, report).await?;
    let mut conn = tokio::select! {
        c = stream::connect(&api) => c?,
        exit = signals.recv() => return Ok(exit),
        _ = sleep_until(deadline) => return Ok(timeout_exit(args)),
    };
    report.debug(&format!("connected to {}", conn.url));

    let mut sink = Sink {
        out: BufWriter::with_capacity(64 * 1024, out),
        printer,
        filter,
        passed: 0,
        count: args.count,
        bad: RateLimited::default(),
    };
    let ending = loop {
        let frame = tokio::select! {
            exit = signals.recv() => break Ending::Exit(exit),
            _ = sleep_until(deadline) => break Ending::Exit(timeout_exit(args)),
            frame = conn.next() => frame?,
        };
        let Some(frame) = frame else {
            break Ending::Closed;
        };
        if sink.take(frame, report)? {
            break Ending::Exit(Exit::Success);
        }
        // Write a burst in one go; flush as soon as nothing more is waiting.
        let mut done = false;
        for _ in 0..BURST {
            match conn.next_ready()? {
                Some(frame) => {
                    if sink.take(frame, report)? {
                        done = true;
                        break;
                    }
                }
                None => break,
            }
        }
        sink.out.flush()?;
        if done {
            break Ending::Exit(Exit::Success);
        }
    };
    sink.out.flush()?;
    if let Some(summary) = sink.bad.summary() {
        report.warn(&summary);
    }
    match ending {
        Ending::Exit(exit) => {
            conn.close().await;
            Ok(exit)
        }
        Ending::Closed => Err(Fail::new(
            Exit::Unreachable,
            format!(
                "the hub closed the connection ({})",
                conn.closed.as_deref().unwrap_or("no reason given")
            ),
        )
        .into()),
    }
}

enum Ending {
    Exit(Exit),
    Closed,
}

/// 124 when a `--count` was asked for and not reached; a plain time limit is success.
fn timeout_exit(args: &TailArgs) -> Exit {
    if args.count.is_some() {
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
}

impl<W: Write> Sink<W> {
    /// Handles one frame; true once `--count` is reached.
    fn take(&mut self, frame: Frame, report: &mut Report<'_>) -> Result<bool> {
        let text = match &frame {
            Frame::Binary(len) => {
                self.skip("a binary frame", &format!("({len} bytes)"), report);
                return Ok(false);
            }
            Frame::Text(t) if t.len() > MAX_FRAME => {
                self.skip(
                    "an oversized frame",
                    &format!("({} bytes, limit {MAX_FRAME})", t.len()),
                    report,
                );
                return Ok(false);
            }
            Frame::Text(t) => t.as_str(),
        };
        report.trace(&format!("frame of {} bytes", text.len()));
        let n = match Notification::parse(text) {
            Ok(n) => n,
            Err(reject) => {
                let excerpt: String = text.chars().take(60).collect();
                self.skip(
                    &format!("{reject}"),
                    &format!("({} bytes: {excerpt:?})", text.len()),
                    report,
                );
                return Ok(false);
            }
        };
        if !self.filter.matches(&n) {
            return Ok(false);
        }
        self.printer.print(&mut self.out, text, &n)?;
        self.passed += 1;
        Ok(self.count.is_some_and(|c| self.passed >= c))
    }

    fn skip(&mut self, reason: &str, detail: &str, report: &mut Report<'_>) {
        if let Some(w) = self.bad.hit(reason, detail) {
            report.warn(&w);
        }
    }
}
