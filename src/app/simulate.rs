//! `simulate`: a local Cycle-compatible hub for developing and testing scripts offline.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::cli::{AuthFailStyle, FaultArgs, Rate, SimulateArgs};
use crate::leaf::exit::{Exit, Fail};
use crate::notification::Notification;
use crate::output::report::Report;
use crate::sim::scenario::{self, Shape, SCENARIOS};
use crate::sim::{Faults, Hub, HubConfig, InternalSocket, Pacing, Rng, Script, Step, Timeline};

use super::common::{RemoveOnDrop, Signals};

/// Replayed lines without timestamps, and churn, go at this rate unless `--rate` says.
const DEFAULT_RATE: f64 = 10.0;
const CHURN_RATE: f64 = 50.0;

pub async fn run(
    args: &SimulateArgs,
    out: &mut dyn Write,
    report: &mut Report<'_>,
) -> Result<Exit> {
    if args.list_scenarios {
        for s in SCENARIOS {
            writeln!(out, "{:<8} {}", s.name, s.about)?;
        }
        return Ok(Exit::Success);
    }
    let mut rng = Rng::from_time();
    let key = args
        .key
        .clone()
        .unwrap_or_else(|| format!("sim_{}", rng.hex(32)));
    let hub_id = args.hub_id.clone().unwrap_or_else(|| rng.hex(24));
    let (script, pacing, repeat, what) = match &args.replay {
        Some(path) => {
            let Replay {
                steps,
                stamped,
                notifications,
            } = load_replay(path, report)?;
            let pacing = match args.rate {
                Some(rate) => pacing_of(rate),
                None if stamped => Pacing::Script { speed: args.speed },
                None => Pacing::Rate(DEFAULT_RATE * args.speed),
            };
            let what = format!(
                "replay of {} ({} notifications)",
                path.display(),
                notifications
            );
            (Script::Fixed(Arc::new(steps)), pacing, args.repeat, what)
        }
        None => {
            let sc = scenario::find(&args.scenario).ok_or_else(|| {
                let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
                Fail::usage(format!(
                    "unknown scenario '{}'; scenarios: {}",
                    args.scenario,
                    names.join(", ")
                ))
            })?;
            let what = format!("scenario {}", sc.name);
            match sc.shape {
                Shape::Rounds => {
                    let (build, id) = (sc.build, hub_id.clone());
                    let seed = rng.next_u64();
                    let script = Script::Endless(Arc::new(move |_: &mut Rng, round| {
                        build(&mut Rng::new(seed ^ round), &id, round)
                    }));
                    let pacing = args
                        .rate
                        .map_or(Pacing::Script { speed: args.speed }, pacing_of);
                    (script, pacing, false, what)
                }
                Shape::Pool => {
                    // Serialised once: at `--rate max` the hub only copies bytes.
                    let pool = (sc.build)(&mut rng, &hub_id, 0);
                    let pacing = args
                        .rate
                        .map_or(Pacing::Rate(CHURN_RATE * args.speed), pacing_of);
                    (Script::Fixed(Arc::new(pool)), pacing, true, what)
                }
            }
        }
    };
    let (events, mut event_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut config = HubConfig::new(&key, &hub_id, script);
    config.pacing = pacing;
    // One timeline for every client, as on a real hub; a recording starts when someone is
    // there to hear its first line.
    config.timeline = Timeline::Shared {
        from_first_socket: args.replay.is_some(),
    };
    config.repeat = repeat;
    config.limit = args.count;
    config.events = Some(events);
    config.faults = faults(&args.faults)?;
    // At full speed the per-frame state bookkeeping would be the bottleneck; load runs
    // are for throughput, not for state reads.
    config.track_state = pacing != Pacing::Max;
    config.internal = args.internal_socket.as_ref().map(|path| InternalSocket {
        path: path.clone(),
        token: args.internal_token.clone().unwrap_or_else(|| rng.hex(32)),
    });
    let internal = config.internal.clone();
    let addr = SocketAddr::new(args.bind, args.port);
    let hub = Hub::start(config, addr)
        .await
        .with_context(|| match &internal {
            Some(i) => format!("cannot listen on {addr} and {}", i.path.display()),
            None => format!("cannot listen on {addr}"),
        })?;
    // The socket file goes with this process (a killed one leaves it; the next replaces it).
    let _socket = internal.as_ref().map(|i| RemoveOnDrop(i.path.clone()));
    if !args.bind.is_loopback() {
        report.warn(&format!(
            "listening on {}: clients refuse plain http to a non-loopback host, so use it through a tunnel",
            hub.addr
        ));
    }
    // Quoted for the shell; the values are ours or the user's and may contain anything.
    writeln!(
        out,
        "export CYCLE_BASE_URL={}",
        shell_quote(&hub.base_url())
    )?;
    writeln!(out, "export CYCLE_API_KEY={}", shell_quote(&key))?;
    writeln!(out, "export CYCLE_HUB_ID={}", shell_quote(&hub_id))?;
    if let Some(i) = &internal {
        let path = i.path.to_string_lossy();
        writeln!(out, "export CYCLE_INTERNAL_SOCKET={}", shell_quote(&path))?;
        writeln!(out, "export CYCLE_API_TOKEN={}", shell_quote(&i.token))?;
    }
    out.flush()?;
    let rate = match pacing {
        Pacing::Script { speed } if speed != 1.0 => format!(" at {speed}x speed"),
        Pacing::Script { .. } => String::new(),
        Pacing::Rate(r) => format!(" at {r}/s"),
        Pacing::Max => " at full speed".into(),
    };
    let also = match &internal {
        Some(i) => format!(" (and its internal API socket on {})", i.path.display()),
        None => String::new(),
    };
    report.info(&format!(
        "simulate: serving hub {hub_id} on {}{also} with the {what}{rate}; Ctrl-C to stop",
        hub.base_url()
    ));
    let mut signals = Signals::new()?;
    loop {
        tokio::select! {
            exit = signals.recv() => return Ok(exit),
            line = event_rx.recv() => match line {
                Some(line) => report.info(&format!("simulate: {line}")),
                None => return Ok(Exit::Success),
            },
        }
    }
}

fn faults(f: &FaultArgs) -> Result<Faults> {
    for (flag, n) in [
        ("--drop-after", f.drop_after),
        ("--stall-after", f.stall_after),
        ("--garbage-every", f.garbage_every),
    ] {
        if n == Some(0) {
            return Err(Fail::usage(format!("{flag} must be at least 1")));
        }
    }
    if f.revoke_after == Some(0) || f.drop_every.is_some_and(|d| d.is_zero()) {
        return Err(Fail::usage(
            "--revoke-after and --drop-every must be more than 0",
        ));
    }
    Ok(Faults {
        drop_every: f.drop_every,
        drop_after_frames: f.drop_after,
        stall_after_frames: f.stall_after,
        garbage_every: f.garbage_every,
        refuse_from: if f.auth_fail { Some(1) } else { f.revoke_after },
        rate_limit_first: f.rate_limit_first,
        retry_after: (f.rate_limit_first > 0).then_some(1),
        unavailable_first: f.unavailable_first,
        oauth_401: f.auth_fail_style == AuthFailStyle::Oauth,
        ..Faults::default()
    })
}

fn pacing_of(rate: Rate) -> Pacing {
    match rate {
        Rate::PerSecond(n) => Pacing::Rate(n),
        Rate::Max => Pacing::Max,
    }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[derive(Deserialize)]
struct Stamp<'a> {
    #[serde(borrow, default)]
    received_at: Option<&'a RawValue>,
}

/// A replay file as the hub plays it.
struct Replay {
    steps: Vec<Step>,
    /// Whether the lines carried `received_at` (then the original spacing is kept).
    stamped: bool,
    notifications: usize,
}

/// The steps of a replay file: each notification without its `received_at` (which only
/// spaces them), cycle-notify's own records (`cycle-notify.*`, never sent by a hub) left
/// out. Bad lines are reported with their number and skipped.
fn load_replay(path: &Path, report: &mut Report<'_>) -> Result<Replay> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::usage(format!("cannot read replay file {}: {e}", path.display())))?;
    let mut steps = Vec::new();
    let mut previous: Option<f64> = None;
    let mut stamped = false;
    let mut notifications = 0usize;
    let mut own = 0usize;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match Notification::parse(line) {
            Err(reject) => {
                report.warn(&format!("{}:{}: skipped: {reject}", path.display(), i + 1));
                continue;
            }
            Ok(n) if n.topic.starts_with("cycle-notify.") => {
                own += 1;
                continue;
            }
            Ok(_) => {}
        }
        let stamp = serde_json::from_str::<Stamp>(line)
            .ok()
            .and_then(|s| s.received_at);
        if let Some(at) = stamp.and_then(|raw| seconds(raw.get())) {
            stamped = true;
            if let Some(prev) = previous {
                let gap = (at - prev).clamp(0.0, 3600.0);
                if gap > 0.0 {
                    steps.push(Step::Pause(Duration::from_secs_f64(gap)));
                }
            }
            previous = Some(at);
        }
        steps.push(Step::text(match stamp {
            Some(raw) => without_field(line, raw),
            None => line.to_string(),
        }));
        notifications += 1;
    }
    if own > 0 {
        report.info(&format!(
            "{}: {own} records of cycle-notify's own (cycle-notify.*) left out: a hub never sends them",
            path.display()
        ));
    }
    if notifications == 0 {
        return Err(Fail::usage(format!(
            "replay file {} has no notifications",
            path.display()
        )));
    }
    Ok(Replay {
        steps,
        stamped,
        notifications,
    })
}

/// The line with `"received_at": value` and one comma beside it cut out, every other byte
/// kept: a line `tail --timestamps` wrote becomes the frame it received.
fn without_field(line: &str, value: &RawValue) -> String {
    let start = value.get().as_ptr() as usize - line.as_ptr() as usize;
    let end = start + value.get().len();
    let Some(key) = line[..start].rfind("\"received_at\"") else {
        return line.to_string();
    };
    let after = &line[end..];
    let trimmed = after.trim_start();
    if let Some(rest) = trimmed.strip_prefix(',') {
        // A field follows: drop up to it.
        let rest = rest.trim_start();
        return format!("{}{}", &line[..key], rest);
    }
    // The last field: drop the comma before it.
    let before = line[..key].trim_end();
    match before.strip_suffix(',') {
        Some(head) => format!("{head}{after}"),
        None => format!("{before}{after}"),
    }
}

/// `received_at` as seconds since the epoch: an RFC 3339 string, or a number of seconds
/// (or milliseconds, when it is too big to be seconds).
fn seconds(raw: &str) -> Option<f64> {
    if let Ok(n) = raw.parse::<f64>() {
        return Some(if n > 1e11 { n / 1000.0 } else { n });
    }
    let s: String = serde_json::from_str(raw).ok()?;
    let t = humantime::parse_rfc3339_weak(s.trim()).ok()?;
    Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(seconds("1700000000.5"), Some(1_700_000_000.5));
        assert_eq!(seconds("1700000000500"), Some(1_700_000_000.5));
        assert_eq!(seconds("\"1970-01-01T00:01:00Z\""), Some(60.0));
        assert_eq!(seconds("\"yesterday\""), None);
    }

    #[test]
    fn replay_keeps_the_original_spacing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            "{\"topic\":\"a\",\"received_at\":\"2026-01-01T00:00:00Z\"}\n{\"topic\":\"b\",\"received_at\":\"2026-01-01T00:00:00.250Z\"}\n",
        )
        .unwrap();
        let mut err = Vec::new();
        let replay = load_replay(&path, &mut Report::new(&mut err, false, 0)).unwrap();
        assert!(replay.stamped);
        let steps = &replay.steps;
        assert!(
            matches!(steps[1], Step::Pause(d) if d == Duration::from_millis(250)),
            "{steps:?}"
        );
        assert_eq!(steps.len(), 3);
        assert_eq!(replay.notifications, 2);
        assert!(matches!(&steps[0], Step::Text(t) if t.as_str() == "{\"topic\":\"a\"}"));
    }

    #[test]
    fn received_at_is_cut_out_wherever_it_is() {
        let cut = |line: &str| {
            let stamp: Stamp = serde_json::from_str(line).unwrap();
            without_field(line, stamp.received_at.unwrap())
        };
        assert_eq!(
            cut(r#"{"received_at":"2026-01-01T00:00:00Z","topic":"a","x":{"y":1}}"#),
            r#"{"topic":"a","x":{"y":1}}"#
        );
        assert_eq!(
            cut(r#"{"topic":"a", "received_at": 17}"#),
            r#"{"topic":"a"}"#
        );
        assert_eq!(
            cut(r#"{"topic":"a","received_at":"t","b":2}"#),
            r#"{"topic":"a","b":2}"#
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("http://127.0.0.1:7"), "http://127.0.0.1:7");
        assert_eq!(shell_quote("a b'c"), r"'a b'\''c'");
    }
}
