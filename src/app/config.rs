//! `config`: where the config file is, the effective settings with where each came from, and
//! safe edits of the file (comments kept, mode 0600).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{ConfigCommand, ConfigKey, GlobalArgs};
use crate::config::file as config_file;
use crate::config::settings::{self, Overrides, Settings, Source};
use crate::deliver::webhook::SigningKey;
use crate::hub::credentials::check_base_url;
use crate::leaf::env::Env;
use crate::leaf::exit::{Exit, Fail};
use crate::output::report::Report;

pub fn run(
    command: &ConfigCommand,
    flags: &GlobalArgs,
    global: &Overrides,
    env: &dyn Env,
    out: &mut dyn Write,
    report: &mut Report<'_>,
) -> Result<Exit> {
    match command {
        ConfigCommand::Path => {
            writeln!(out, "{}", path(global, env)?.display())?;
        }
        ConfigCommand::Show => show(global, env, out, report)?,
        ConfigCommand::Set { key, value } => {
            let value = value_to_set(*key, value.as_deref(), flags, global)?;
            let path = path(global, env)?;
            let profile = settings::profile(global, env).map(|p| p.value);
            config_file::edit(&path, profile.as_deref(), key.name(), Some(&value))?;
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
            _ => {
                return Err(Fail::usage(
                    "config set api_key needs the key: pipe it in with --api-key-stdin (keeps it out of shell history) or give it as VALUE",
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

/// The effective settings, one per line: name, value (the key redacted), and where it came from.
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
                .map_or_else(not_set, |k| (k.value.to_string(), Some(k.source.clone()))),
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
                .map_or_else(not_set, |k| (k.value.to_string(), Some(k.source.clone()))),
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
