//! `config`: where the config file is, the effective settings with where each came from, a
//! check of the key against the API, and safe edits of the file (comments kept, mode 0600).

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::cli::{ConfigCommand, ConfigKey, GlobalArgs};
use crate::config::file as config_file;
use crate::config::settings::{self, Overrides, Settings, Source, Sourced};
use crate::deliver::webhook::SigningKey;
use crate::hub::api::Api;
use crate::hub::credentials::check_base_url;
use crate::leaf::env::Env;
use crate::leaf::exit::{Exit, Fail};
use crate::output::report::Report;

use super::common::{public_api, stream_failure};

/// Standard input, for the key `config set api_key` prompts for on a terminal.
pub struct Input<'a> {
    pub stdin: &'a mut dyn Read,
    pub terminal: bool,
}

pub async fn run(
    command: &ConfigCommand,
    flags: &GlobalArgs,
    global: &Overrides,
    env: &dyn Env,
    input: Input<'_>,
    out: &mut dyn Write,
    report: &mut Report<'_>,
) -> Result<Exit> {
    match command {
        ConfigCommand::Path => {
            writeln!(out, "{}", path(global, env)?.display())?;
        }
        ConfigCommand::Show => show(global, env, out, report)?,
        ConfigCommand::Get { key } => get(*key, global, env, out, report)?,
        ConfigCommand::Check => check(global, env, out, report).await?,
        ConfigCommand::Set { key, value, create } => {
            let path = path(global, env)?;
            let profile = settings::profile(global, env);
            // Before any prompt: a typo in the profile is found before the key is typed.
            let creating = match &profile {
                Some(p) => new_profile(&path, p, *create)?,
                None => false,
            };
            let value = value_to_set(*key, value.as_deref(), flags, global, input, report)?;
            let profile = profile.map(|p| p.value);
            config_file::edit(&path, profile.as_deref(), key.name(), Some(&value))?;
            if creating {
                report.info(&format!(
                    "created profile {} in {}",
                    profile.as_deref().unwrap_or_default(),
                    path.display()
                ));
            }
            report.info(&format!("set {} in {}", key.name(), place(&path, &profile)));
        }
        ConfigCommand::Unset { key } => {
            let path = path(global, env)?;
            let profile = settings::profile(global, env).map(|p| p.value);
            if config_file::edit(&path, profile.as_deref(), key.name(), None)? {
                report.info(&format!(
                    "removed {} from {}",
                    key.name(),
                    place(&path, &profile)
                ));
            } else {
                report.warn(&format!(
                    "{} is not set in {}; nothing to do",
                    key.name(),
                    place(&path, &profile)
                ));
            }
        }
        ConfigCommand::Profiles => {
            let location = settings::config_location(global, env);
            let loaded = config_file::load(location.path, location.explicit)?;
            for w in &loaded.warnings {
                report.warn(w);
            }
            let mut text = String::new();
            for name in loaded.file.profiles.keys() {
                text.push_str(name);
                text.push('\n');
            }
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}

fn path(global: &Overrides, env: &dyn Env) -> Result<PathBuf> {
    settings::config_location(global, env).path.ok_or_else(|| {
        Fail::usage(
            "this system has no config directory; name a file with --config or CYCLE_NOTIFY_CONFIG",
        )
    })
}

fn place(path: &std::path::Path, profile: &Option<String>) -> String {
    match profile {
        Some(p) => format!("profile {p} of {}", path.display()),
        None => path.display().to_string(),
    }
}

/// The value to write, checked now rather than at the next run. The key itself may come from
/// standard input (`--api-key-stdin`), which keeps it out of `ps` and shell history.
fn value_to_set(
    key: ConfigKey,
    value: Option<&str>,
    flags: &GlobalArgs,
    global: &Overrides,
    input: Input<'_>,
    report: &mut Report<'_>,
) -> Result<String> {
    let value = match (value, key) {
        (Some(_), ConfigKey::ApiKey) if flags.api_key_stdin => {
            return Err(Fail::usage(
                "config set api_key: give the key either as VALUE or on standard input (--api-key-stdin), not both",
            ))
        }
        (Some(v), _) => v.trim().to_string(),
        (None, ConfigKey::ApiKey) => match (&global.api_key, flags.api_key_stdin) {
            (Some(k), true) => k.value.clone(),
            // Typed, not echoed: out of shell history and off the screen.
            _ if input.terminal => {
                super::prompt::hidden("API key (not shown): ", input.stdin, report)?
                    .trim()
                    .to_string()
            }
            _ => {
                return Err(Fail::usage(
                    "config set api_key needs the key: pipe it in with --api-key-stdin (keeps it out of shell history), run it on a terminal to be asked for it, or give it as VALUE",
                ))
            }
        },
        (None, k) => {
            return Err(Fail::usage(format!(
                "config set {} needs a VALUE",
                k.name()
            )))
        }
    };
    if value.is_empty() {
        return Err(Fail::usage(format!(
            "config set {}: the value is empty (use `config unset {}` to remove it)",
            key.name(),
            key.name()
        )));
    }
    if key == ConfigKey::ForwardSecret {
        SigningKey::parse(&value).map_err(|e| Fail::usage(e.to_string()))?;
    }
    if key == ConfigKey::BaseUrl {
        check_base_url(&value).map_err(|e| Fail::usage(e.to_string()))?;
    }
    Ok(value)
}

/// Whether `config set` makes `profile`: a profile the file does not have is a typo unless
/// `--create` says otherwise.
fn new_profile(path: &std::path::Path, profile: &Sourced<String>, create: bool) -> Result<bool> {
    let loaded = config_file::load(Some(path.to_path_buf()), false)?;
    if loaded.file.profiles.contains_key(&profile.value) {
        return Ok(false);
    }
    if create {
        return Ok(true);
    }
    let known: Vec<&str> = loaded.file.profiles.keys().map(|k| k.as_str()).collect();
    let there = if known.is_empty() {
        "no profiles".to_string()
    } else {
        format!("profiles {}", known.join(", "))
    };
    Err(Fail::usage(format!(
        "profile '{}' ({}) is not in {} ({there}); add --create to make it",
        profile.value,
        profile.source,
        path.display()
    )))
}

/// Settings as a command would resolve them, the file's warnings printed.
fn resolve(global: &Overrides, env: &dyn Env, report: &mut Report<'_>) -> Result<Settings> {
    let s = Settings::resolve(global, env)?;
    for w in &s.warnings {
        report.warn(w);
    }
    Ok(s)
}

/// One effective value on stdout, for scripts; nothing (and a warning) when it is not set.
fn get(
    key: ConfigKey,
    global: &Overrides,
    env: &dyn Env,
    out: &mut dyn Write,
    report: &mut Report<'_>,
) -> Result<()> {
    let s = resolve(global, env, report)?;
    let value = match key {
        ConfigKey::ApiKey => s.api_key.map(|k| k.value.tail()),
        ConfigKey::HubId => s.hub_id.map(|h| h.value),
        ConfigKey::BaseUrl => Some(s.base_url.value),
        ConfigKey::ForwardSecret => s.forward_secret.map(|k| k.value.tail()),
    };
    match value {
        Some(v) => writeln!(out, "{v}")?,
        None => report.warn(&format!(
            "{} is not set (by a flag, the environment or the config file)",
            key.name()
        )),
    }
    Ok(())
}

/// The token call with the settings a command would use: the key accepted (0), refused (3),
/// or the API not reached (4).
async fn check(
    global: &Overrides,
    env: &dyn Env,
    out: &mut dyn Write,
    report: &mut Report<'_>,
) -> Result<()> {
    let s = resolve(global, env, report)?;
    let (creds, proxies) = public_api(&s)?;
    let key = format!(
        "key {} ({})",
        s.api_key
            .as_ref()
            .map(|k| k.value.tail())
            .unwrap_or_default(),
        from(&s.api_key)
    );
    let hub = format!("hub {} ({})", creds.hub_id, from(&s.hub_id));
    let at = format!("{} ({})", s.base_url.value, s.base_url.source);
    let api = Api::with_proxies(creds, proxies).map_err(stream_failure)?;
    api.token()
        .await
        .map_err(stream_failure)
        .with_context(|| format!("{key} for {hub} at {at}"))?;
    writeln!(out, "{key} accepted for {hub} at {at}")?;
    Ok(())
}

/// "from env CYCLE_API_KEY".
fn from<T>(value: &Option<Sourced<T>>) -> String {
    value
        .as_ref()
        .map_or_else(String::new, |v| format!("from {}", v.source))
}

/// The effective settings, one per line: name, value (keys by their last 4 characters), and
/// where it came from.
fn show(
    global: &Overrides,
    env: &dyn Env,
    out: &mut dyn Write,
    report: &mut Report<'_>,
) -> Result<()> {
    let location = settings::config_location(global, env);
    let s = Settings::resolve(global, env)?;
    for w in &s.warnings {
        report.warn(w);
    }
    let file = match &location.path {
        Some(p) if p.exists() => p.display().to_string(),
        Some(p) => format!("{} (not present)", p.display()),
        None => "(no config directory on this system)".to_string(),
    };
    let not_set = || ("(not set)".to_string(), None);
    let rows: Vec<(&str, (String, Option<Source>))> = vec![
        ("config_file", (file, Some(location.source))),
        (
            "profile",
            s.profile
                .as_ref()
                .map_or_else(not_set, |p| (p.value.clone(), Some(p.source.clone()))),
        ),
        (
            "api_key",
            s.api_key
                .as_ref()
                .map_or_else(not_set, |k| (k.value.tail(), Some(k.source.clone()))),
        ),
        (
            "hub_id",
            s.hub_id
                .as_ref()
                .map_or_else(not_set, |h| (h.value.clone(), Some(h.source.clone()))),
        ),
        (
            "base_url",
            (s.base_url.value.clone(), Some(s.base_url.source.clone())),
        ),
        (
            "forward_secret",
            s.forward_secret
                .as_ref()
                .map_or_else(not_set, |k| (k.value.tail(), Some(k.source.clone()))),
        ),
    ];
    let width = rows.iter().map(|(_, (v, _))| v.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (name, (value, source)) in rows {
        let line = match source {
            Some(source) => format!("{name:<16}{value:<width$}  ({source})"),
            None => format!("{name:<16}{value}"),
        };
        text.push_str(line.trim_end());
        text.push('\n');
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}
