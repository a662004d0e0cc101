//! What the streaming commands share: the demo hub, the stream policy, frames to
//! notifications, lifecycle lines on stderr, signals.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::catalog::api::DEFAULT_BASE_URL;
use crate::catalog::kinds::Kind;
use crate::cli::StreamArgs;
use crate::config::settings::Settings;
use crate::hub::api::Api;
use crate::hub::credentials::{Credentials, Secret};
use crate::hub::error::{ApiError, GiveUp};
use crate::hub::internal::Internal;
use crate::hub::proxy::Proxies;
use crate::hub::socket::Frame;
use crate::hub::stream::{Event, Outage, Policy, Source};
use crate::leaf::exit::{self, Exit, Fail};
use crate::leaf::time::human;
use crate::notification::Notification;
use crate::output::report::{RateLimited, Report};
use crate::sim::{self, Hub, HubConfig, Script, Step};

use super::Timing;

/// The shortest `--ping-interval`.
pub const MIN_PING_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);

/// The reconnect and keepalive policy a streaming command asked for.
pub fn policy(args: &StreamArgs) -> Result<Policy> {
    // Shorter would be a ping storm, and a link declared dead on a hiccup.
    if args.ping_interval < MIN_PING_INTERVAL {
        return Err(Fail::usage(format!(
            "--ping-interval must be at least {}",
            human(MIN_PING_INTERVAL)
        )));
    }
    if args.max_reconnects == Some(0) {
        return Err(Fail::usage(
            "--max-reconnects must be at least 1 (--no-reconnect: no reconnect at all)",
        ));
    }
    Ok(Policy {
        reconnect: !args.no_reconnect,
        ping_interval: args.ping_interval,
        max_reconnects: args.max_reconnects,
        give_up_after: args.give_up_after,
    })
}

/// Frames bigger than this are not notifications worth printing (DESIGN.md "Connection").
pub const MAX_FRAME: usize = 1 << 20;

/// The notification a frame holds, or `None` for a bad frame (binary, oversized, not JSON,
/// no string topic), skipped with a rate-limited warning and counted.
pub fn notification_in<'f>(
    frame: &'f Frame,
    bad: &mut RateLimited,
    report: &mut Report<'_>,
) -> Option<Notification<'f>> {
    let mut skip = |reason: &str, detail: String| {
        if let Some(w) = bad.hit(reason, &detail) {
            report.warn(&w);
        }
    };
    let text = match frame {
        Frame::Binary(len) => {
            skip("a binary frame", format!("({len} bytes)"));
            return None;
        }
        Frame::Text(t) if t.len() > MAX_FRAME => {
            skip(
                "an oversized frame",
                format!("({} bytes, limit {MAX_FRAME})", t.len()),
            );
            return None;
        }
        Frame::Text(t) => t.as_str(),
    };
    match Notification::parse(text) {
        Ok(n) => Some(n),
        Err(reject) => {
            let excerpt: String = text.chars().take(60).collect();
            skip(
                &reject.to_string(),
                format!("({} bytes: {excerpt:?})", text.len()),
            );
            None
        }
    }
}

/// Retry lines shown in full for one reason in a row, before they are collapsed.
const REPEATS_SHOWN: u32 = 3;

/// A duration to the second, for a cadence (`~21s`).
fn about(d: std::time::Duration) -> String {
    if d.as_secs() >= 1 {
        format!("{}s", d.as_secs_f64().round())
    } else {
        human(d)
    }
}

/// The stderr line for a stream's lifecycle event, the same for every command.
pub fn lifecycle(event: &Event, report: &mut Report<'_>) {
    match event {
        Event::Frame(_) => {}
        Event::Connected { url, .. } => report.debug(&format!("connected to {url}")),
        Event::Gap(gap) => report.warn(&format!(
            "reconnected after {} down ({}): notifications sent in between may be missing",
            human(gap.duration()),
            gap.reason
        )),
        Event::Retrying {
            delay,
            reason,
            reconnect,
            attempt,
            repeats,
        } => {
            let verb = if *reconnect {
                "reconnecting"
            } else {
                "retrying"
            };
            let line = format!("{verb} in {}: {reason}", human(*delay));
            // The same failure over and over: the first few lines, then one every tenth
            // (every few minutes once the backoff is at its longest); all of them with -v.
            if *repeats <= REPEATS_SHOWN {
                report.info(&line);
            } else {
                if repeats % 10 == 0 {
                    report.info(&format!(
                        "{verb} (attempt {attempt}, every ~{}): {reason}",
                        about(*delay)
                    ));
                }
                report.debug(&line);
            }
            report.debug(&format!("retry {attempt} in a row"));
        }
        Event::Debug(line) => report.debug(line),
    }
}

/// Where a network command connects, decided (and its credentials checked) before any I/O.
pub enum Target {
    /// The configured hub's public API; with `--internal` (wait-for) the events come from the
    /// internal API's socket instead of the public one.
    Hub(Box<(Credentials, Proxies)>, Option<Internal>),
    /// The internal API's socket alone (tail `--internal`), and the hub id when one is
    /// configured (destinations are told it when a notification does not say).
    Internal(Internal, String),
    /// A simulated hub to start in this process (`--demo`; with `--internal` its events on a
    /// unix socket).
    Demo(DemoPlan),
}

/// What a connected command holds.
pub struct Link {
    /// Where the stream's sockets come from.
    pub events: Source,
    /// The public API, for state reads; none with the internal API alone.
    pub api: Option<Api>,
    /// The demo hub, kept alive as long as this is.
    pub demo: Option<Demo>,
}

impl Target {
    /// Where the stream comes from when nothing else is read (tail): with `--internal`, the
    /// internal API alone, no key needed.
    pub fn resolve(settings: &Settings, demo: bool, internal: bool) -> Result<Target> {
        if demo {
            return Ok(Target::Demo(DemoPlan::new(internal)));
        }
        if internal {
            let hub_id = settings
                .hub_id
                .as_ref()
                .map(|h| h.value.clone())
                .unwrap_or_default();
            return Ok(Target::Internal(internal_api(settings)?, hub_id));
        }
        Ok(Target::Hub(Box::new(public_api(settings)?), None))
    }

    /// For a command that reads object states (wait-for): the public API always, and with
    /// `--internal` the events from the internal API's socket.
    pub fn resolve_with_reads(settings: &Settings, demo: bool, internal: bool) -> Result<Target> {
        if demo {
            return Ok(Target::Demo(DemoPlan::new(internal)));
        }
        let public = public_api(settings).map_err(|e| match internal {
            true => Fail::usage(format!(
                "--internal takes the events from the internal API, but the states are read from the public API: {}",
                exit::one_line(&e)
            )),
            false => e,
        })?;
        let events = internal.then(|| internal_api(settings)).transpose()?;
        Ok(Target::Hub(Box::new(public), events))
    }

    /// The hub's id, as notifications name it (empty when the internal API is all there is).
    pub fn hub_id(&self) -> &str {
        match self {
            Target::Hub(hub, _) => &hub.0.hub_id,
            Target::Internal(_, hub_id) => hub_id,
            Target::Demo(plan) => &plan.hub_id,
        }
    }

    /// Connects (starts the demo hub; nothing goes on the network yet), with `timing`'s
    /// retry schedule.
    pub async fn connect(self, timing: &Timing, report: &mut Report<'_>) -> Result<Link> {
        let (api, internal, demo) = match self {
            Target::Hub(hub, internal) => {
                let (creds, proxies) = *hub;
                (
                    Some(Api::with_proxies(creds, proxies).map_err(stream_failure)?),
                    internal,
                    None,
                )
            }
            Target::Internal(internal, _) => (None, Some(internal), None),
            Target::Demo(plan) => {
                let (api, internal, demo) = plan.start(timing.demo_pace, report).await?;
                (Some(api), internal, Some(demo))
            }
        };
        let api = api.map(|api| api.with_backoff(timing.backoff));
        let events = match (internal, &api) {
            (Some(internal), _) => Source::Internal(Internal {
                backoff: timing.backoff,
                ..internal
            }),
            (None, Some(api)) => api.clone().into(),
            (None, None) => unreachable!("every target has events"),
        };
        Ok(Link { events, api, demo })
    }
}

/// The key, hub and base URL of the public API, and its proxies.
pub(super) fn public_api(settings: &Settings) -> Result<(Credentials, Proxies)> {
    let creds = settings.credentials()?;
    let proxies = settings
        .proxies
        .clone()
        .map_err(|e| Fail::usage(e.to_string()))?;
    Ok((creds, proxies))
}

/// The internal API's socket and the container token, which `--internal` cannot do without.
fn internal_api(settings: &Settings) -> Result<Internal> {
    let token = settings.internal_token.as_ref().ok_or_else(|| {
        Fail::usage(
            "--internal needs the container's token in CYCLE_API_TOKEN (Cycle sets it in every container; `cycle-notify simulate --internal-socket PATH` prints one to use off Cycle)",
        )
    })?;
    Ok(Internal::new(
        settings.internal_socket.value.clone(),
        token.value.clone(),
    ))
}

/// A demo hub running in this process, kept alive as long as it is held; its internal
/// socket file, when it has one, is removed with it.
pub struct Demo {
    _hub: Hub,
    _socket: Option<RemoveOnDrop>,
}

/// A file this process made (a unix socket's), removed when dropped.
pub struct RemoveOnDrop(pub PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The simulated hub of `--demo`: its id and seed are chosen up front, so the objects it
/// will create are known before it starts (what `wait-for KIND --demo` waits on).
pub struct DemoPlan {
    hub_id: String,
    seed: u64,
    /// Serve the stream on an internal API socket (`--demo --internal`).
    internal: bool,
}

impl DemoPlan {
    fn new(internal: bool) -> DemoPlan {
        let mut rng = sim::Rng::from_time();
        DemoPlan {
            hub_id: rng.hex(24),
            seed: rng.next_u64(),
            internal,
        }
    }

    /// The demo's first round, exactly as the hub will play it.
    fn first_round(&self) -> Vec<Step> {
        sim::scenario::demo_round(&mut sim::Rng::new(self.seed), &self.hub_id, 0)
    }

    /// The first object of `kind` the demo creates, with its parent id when the kind has
    /// one.
    pub fn first_object(&self, kind: &Kind) -> Option<(String, Option<String>)> {
        self.first_round().iter().find_map(|step| {
            let Step::Text(t) = step else { return None };
            let n = Notification::parse(t).ok()?;
            if Kind::of_topic(&n.topic)? != kind {
                return None;
            }
            let id = n.object().id.get()?.to_string();
            let parent = kind
                .parent
                .and_then(|_| n.context().containers.first().map(String::from));
            Some((id, parent))
        })
    }

    /// Starts the hub, its pauses scaled by `pace` (1.0: human pace).
    async fn start(
        self,
        pace: f64,
        report: &mut Report<'_>,
    ) -> Result<(Api, Option<Internal>, Demo)> {
        let DemoPlan { hub_id, seed, .. } = &self;
        let (id, seed) = (hub_id.clone(), *seed);
        // Each round from its own seed, so `first_object` can know the ids in advance.
        let script = Script::Endless(Arc::new(move |_: &mut sim::Rng, round| {
            let mut steps = sim::scenario::demo_round(&mut sim::Rng::new(seed ^ round), &id, round);
            if pace != 1.0 {
                for step in &mut steps {
                    if let Step::Pause(d) = step {
                        *d = d.mul_f64(pace);
                    }
                }
            }
            steps
        }));
        let mut config = HubConfig::new("demo-key", hub_id, script);
        // The demo's one client sees it from its first notification.
        config.timeline = sim::Timeline::Shared {
            from_first_socket: true,
        };
        // The first round's objects exist from the start (as if created just before), so a
        // state read before their first notification finds them.
        for step in self.first_round() {
            let Step::Text(t) = step else { continue };
            let Ok(n) = Notification::parse(&t) else {
                continue;
            };
            let (Some(kind), o) = (Kind::of_topic(&n.topic), n.object()) else {
                continue;
            };
            if let (Some(id), Some(state)) = (o.id.get(), o.state.get()) {
                if !config.objects.iter().any(|(_, known, _)| known == id) {
                    config
                        .objects
                        .push((kind.name, id.to_string(), state.to_string()));
                }
            }
        }
        let internal = self.internal.then(|| {
            let mut rng = sim::Rng::from_time();
            sim::InternalSocket {
                path: std::env::temp_dir().join(format!(
                    "cycle-notify-demo-{}-{}.sock",
                    std::process::id(),
                    rng.hex(8)
                )),
                token: rng.hex(32),
            }
        });
        config.internal = internal.clone();
        let hub = Hub::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .context("cannot start the demo hub")?;
        let demo = Demo {
            _hub: hub.clone(),
            _socket: internal.as_ref().map(|i| RemoveOnDrop(i.path.clone())),
        };
        let internal = internal.map(|i| Internal::new(i.path, Secret::new(i.token)));
        match &internal {
            Some(i) => report.info(&format!(
                "demo: simulated hub {hub_id} on {}, its internal API socket at {} (no account needed; Ctrl-C to stop)",
                hub.base_url(),
                i.url()
            )),
            None => report.info(&format!(
                "demo: simulated hub {hub_id} on {} (no account needed; Ctrl-C to stop)",
                hub.base_url()
            )),
        }
        let creds = Credentials {
            api_key: Secret::new("demo-key"),
            hub_id: self.hub_id,
            base_url: url::Url::parse(&hub.base_url())?,
        };
        // The demo hub is in this process: no proxy can reach it (Api::new is direct).
        Ok((Api::new(creds).map_err(stream_failure)?, internal, demo))
    }
}

/// Sleeps until the deadline, or forever without one (a `select!` branch that never fires).
pub async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// SIGHUP, SIGINT and SIGTERM (leaf::exit::SIGNALS) as values, so the loop can close the
/// socket and flush before exiting.
pub struct Signals {
    #[cfg(unix)]
    listening: Vec<(tokio::signal::unix::Signal, Exit)>,
}

impl Signals {
    pub fn new() -> Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listening = exit::SIGNALS
                .iter()
                .map(|&(n, exit)| Ok((signal(SignalKind::from_raw(n))?, exit)))
                .collect::<std::io::Result<_>>()?;
            Ok(Signals { listening })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    pub async fn recv(&mut self) -> Exit {
        #[cfg(unix)]
        {
            std::future::poll_fn(|cx| {
                for (signal, exit) in &mut self.listening {
                    if signal.poll_recv(cx).is_ready() {
                        return std::task::Poll::Ready(*exit);
                    }
                }
                std::task::Poll::Pending
            })
            .await
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Exit::Interrupted
        }
    }
}

/// What a failure of the notification stream means: a refusal is exit 3; a setup problem
/// on this machine (an unreadable SSL_CERT_FILE) 2; anything else 4. The hub says what
/// happened; which setting to check is said here.
pub fn stream_failure(e: ApiError) -> anyhow::Error {
    failure(e)
}

/// What a failed state read means when the caller has handled 404: as `stream_failure`.
pub fn read_failure(e: ApiError) -> anyhow::Error {
    failure(e)
}

fn failure(e: ApiError) -> anyhow::Error {
    let exit = match e {
        ApiError::Refused { .. } | ApiError::InternalRefused { .. } => Exit::Refused,
        ApiError::Setup { .. } => Exit::Usage,
        _ => Exit::Unreachable,
    };
    let mut message = e.to_string();
    if matches!(e, ApiError::NotFound { .. }) {
        message.push_str(&format!(
            ": the base URL must be the API root, e.g. {DEFAULT_BASE_URL}"
        ));
    }
    if let Some(hint) = hint(&e) {
        message.push_str(&format!(" ({hint})"));
    }
    if let ApiError::GaveUp { limit, .. } = &e {
        message.push_str(&match limit {
            GiveUp::Attempts(n) => format!(" (--max-reconnects {n})"),
            GiveUp::Down(d) => format!(" (--give-up-after {})", human(*d)),
        });
    }
    Fail::new(exit, message).into()
}

const CHECK_BASE_URL: &str = "check --base-url / CYCLE_BASE_URL";

/// The setting to look at for a failure, when one is likely to be the cause.
fn hint(e: &ApiError) -> Option<&'static str> {
    use crate::hub::error::{ConnectFailure as F, Endpoint, Tls};
    match e {
        ApiError::NotFound { .. } => Some(CHECK_BASE_URL),
        ApiError::Connect { to, failure, .. } => match (failure, to) {
            (F::Tls(Tls::UnknownIssuer), _) => Some(
                "for a private CA, add it to the system trust store or point SSL_CERT_FILE at it",
            ),
            (F::Tls(Tls::NotValidYet | Tls::Expired), _) => Some("check this machine's clock"),
            // The socket's address is the hub's to give: no setting of ours picked it.
            (_, Endpoint::Socket(_)) => None,
            (F::Tls(Tls::NotTls | Tls::WrongName), Endpoint::Api) => Some(CHECK_BASE_URL),
            (F::Tls(_), Endpoint::Api) => None,
            (_, Endpoint::Api) => Some(CHECK_BASE_URL),
        },
        _ => None,
    }
}

/// A run that ends on a timer while it has no socket must not look like a quiet success (or
/// a plain timeout): never connected, or disconnected at the end, is exit 4, saying for how
/// long and why.
pub fn outage_failure(outage: &Outage) -> anyhow::Error {
    let reason = outage
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_else(|| " (no answer yet)".into());
    let message = if outage.ever_connected {
        format!(
            "ended while disconnected, after {} down{reason}: notifications sent meanwhile were missed",
            human(outage.duration())
        )
    } else {
        format!(
            "never connected to the hub in {}{reason}",
            human(outage.duration())
        )
    };
    Fail::new(Exit::Unreachable, message).into()
}
