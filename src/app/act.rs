//! `tail`'s delivery flags (`--exec`, `--forward-to`, `--publish`) turned into a
//! `deliver::Plan` before any I/O.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::cli::ActArgs;
use crate::config::settings::Settings;
use crate::deliver::exec::Exec;
use crate::deliver::nats::{self, NatsPlan};
use crate::deliver::webhook::{self, SigningKey, Webhook};
use crate::deliver::{Destination, Handler, Plan, Retry};
use crate::leaf::exit::Fail;
use crate::leaf::rng::Rng;

pub const DEFAULT_QUEUE: usize = 1000;
pub const DEFAULT_DRAIN: Duration = Duration::from_secs(10);
pub const DEFAULT_RETRY_FOR: Duration = Duration::from_secs(5 * 60);
pub const DEFAULT_FORWARD_TIMEOUT: Duration = Duration::from_secs(10);

/// The destinations asked for, or `None` when `tail` only prints. A generated forwarding
/// secret comes back so it can be shown once.
pub fn plan(
    args: &ActArgs,
    settings: &Settings,
    hub_id: &str,
) -> Result<Option<(Plan, Option<SigningKey>)>> {
    let usage = |e: webhook::Invalid| Fail::usage(e.to_string());
    let jobs = |n: Option<usize>, flag: &str| -> Result<usize> {
        match n {
            Some(0) => Err(Fail::usage(format!("{flag} must be at least 1"))),
            Some(n) => Ok(n),
            None => Ok(1),
        }
    };
    let mut destinations = Vec::new();
    if let Some(command) = &args.exec {
        if command.trim().is_empty() {
            return Err(Fail::usage("--exec needs a command"));
        }
        destinations.push(Destination {
            handler: Handler::Exec(Exec {
                command: command.clone(),
                timeout: nonzero(args.exec_timeout, "--exec-timeout")?,
                hub_id: hub_id.to_string(),
            }),
            retry: Retry {
                attempts: Some(args.exec_retries.unwrap_or(0).saturating_add(1)),
                within: None,
            },
            jobs: jobs(args.exec_jobs, "--exec-jobs")?,
        });
    }
    let mut generated = None;
    if let Some(url) = &args.forward_to {
        let url = webhook::check_url(url).map_err(usage)?;
        let key = match &settings.forward_secret {
            Some(s) => SigningKey::parse(s.value.expose())
                .map_err(|e| Fail::usage(format!("{e} (secret from {})", s.source)))?,
            None => {
                let key = SigningKey::generate().map_err(usage)?;
                generated = Some(key.clone());
                key
            }
        };
        let headers = args
            .forward_header
            .iter()
            .map(|h| webhook::parse_header(h))
            .collect::<Result<Vec<_>, _>>()
            .map_err(usage)?;
        let timeout =
            nonzero(args.forward_timeout, "--forward-timeout")?.unwrap_or(DEFAULT_FORWARD_TIMEOUT);
        let run_id = Rng::from_time().hex(16);
        destinations.push(Destination {
            handler: Handler::Webhook(
                Webhook::new(url, key, headers, timeout, run_id).map_err(usage)?,
            ),
            retry: Retry {
                attempts: None,
                within: Some(args.forward_retry_for.unwrap_or(DEFAULT_RETRY_FOR)),
            },
            jobs: jobs(args.forward_jobs, "--forward-jobs")?,
        });
    }
    let nats = match &args.publish {
        Some(servers) => Some(nats_plan(args, servers, settings, hub_id)?),
        None => None,
    };
    if destinations.is_empty() && nats.is_none() {
        if args.queue.is_some() || args.drain.is_some() {
            return Err(Fail::usage(
                "--queue and --drain apply to --exec, --forward-to and --publish",
            ));
        }
        return Ok(None);
    }
    let queue = match args.queue {
        Some(0) => return Err(Fail::usage("--queue must be at least 1")),
        Some(n) => n,
        None => DEFAULT_QUEUE,
    };
    Ok(Some((
        Plan {
            destinations,
            nats,
            queue,
            drain: args.drain.unwrap_or(DEFAULT_DRAIN),
            report_delivered: true,
        },
        generated,
    )))
}

fn nonzero(d: Option<Duration>, flag: &str) -> Result<Option<Duration>> {
    match d {
        Some(d) if d.is_zero() => Err(Fail::usage(format!("{flag} must be more than 0"))),
        other => Ok(other),
    }
}

/// `--publish` and the NATS flags, the nats CLI's variables filling in what is not given.
fn nats_plan(args: &ActArgs, servers: &str, settings: &Settings, hub_id: &str) -> Result<NatsPlan> {
    let usage = |e: nats::Error| Fail::usage(e.to_string());
    let servers = match servers.trim() {
        "" => settings.nats_url.clone().ok_or_else(|| {
            Fail::usage("--publish needs a server: --publish nats://HOST:PORT, or set NATS_URL")
        })?,
        given => given.to_string(),
    };
    let parsed = servers
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(nats::parse_server)
        .collect::<Result<Vec<_>, _>>()
        .map_err(usage)?;
    if parsed.is_empty() {
        return Err(Fail::usage("--publish needs at least one nats://HOST:PORT"));
    }
    // One login for the whole cluster, as the client holds one: given on any URL, and the
    // same wherever it is given twice.
    let mut login = None;
    let mut servers = Vec::with_capacity(parsed.len());
    for (url, l) in parsed {
        match (&login, l) {
            (_, None) => {}
            (None, Some(l)) => login = Some(l),
            (Some(a), Some(b)) if *a == b => {}
            (Some(_), Some(_)) => return Err(Fail::usage(
                "--publish: the URLs carry different credentials; give one login for all servers",
            )),
        }
        servers.push(url);
    }
    let creds = args
        .nats_creds
        .clone()
        .or_else(|| settings.nats_creds.clone().map(PathBuf::from));
    if login.is_some() && creds.is_some() {
        return Err(Fail::usage(
            "--publish: credentials in the URL and a credentials file (--nats-creds or NATS_CREDS): use one",
        ));
    }
    let prefix = args
        .subject_prefix
        .clone()
        .unwrap_or_else(|| "cycle".into());
    if prefix.is_empty() || prefix.contains(['.', '*', '>', ' ']) {
        return Err(Fail::usage(
            "--subject-prefix must be one subject token: no dots, spaces, * or >",
        ));
    }
    if let Some(name) = &args.nats_stream {
        if name.is_empty() || name.contains(['.', '*', '>', ' ', '/', '\\']) {
            return Err(Fail::usage(format!(
                "--nats-stream '{name}' is not a stream name (no dots, spaces, *, >, slashes)"
            )));
        }
    }
    Ok(NatsPlan {
        servers,
        login,
        creds,
        ca: args.nats_ca.clone(),
        prefix,
        hub_id: hub_id.to_string(),
        stream: args.nats_stream.clone(),
        max_age: args.nats_max_age,
        ha: args.ha,
        retry_for: args.publish_retry_for.unwrap_or(DEFAULT_RETRY_FOR),
    })
}
