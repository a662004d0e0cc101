//! Flags, environment and config file resolved once into one `Settings`; secrets redacted.

use std::fmt;
use std::path::PathBuf;

use anyhow::Result;

use crate::catalog::api::{DEFAULT_BASE_URL, INTERNAL_SOCKET};
use crate::config::file::{self as config_file, Keys};
use crate::hub::credentials::{check_base_url, Credentials, Secret};
use crate::hub::proxy::{Proxies, ProxyError};
use crate::leaf::env::{self, Env, Var};
use crate::leaf::exit::Fail;
use crate::output::{ColorEnv, ColorWhen};

/// What the command line says, before the environment and the config file are consulted:
/// the app layer builds it from the global flags.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// From `--api-key`, or standard input with `--api-key-stdin`.
    pub api_key: Option<Sourced<String>>,
    pub hub: Option<String>,
    pub base_url: Option<String>,
    pub profile: Option<String>,
    pub config: Option<PathBuf>,
    pub color: ColorWhen,
    /// `tail --forward-secret`.
    pub forward_secret: Option<String>,
    /// `--internal-socket`.
    pub internal_socket: Option<PathBuf>,
}

/// Where a resolved value came from, for `config show` and for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The flag's name (`--hub`).
    Flag(&'static str),
    /// Standard input (`--api-key-stdin`).
    Stdin,
    Env(&'static str),
    Profile(String),
    File,
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(name) => write!(f, "flag {name}"),
            Source::Stdin => f.write_str("stdin"),
            Source::Env(name) => write!(f, "env {name}"),
            Source::Profile(p) => write!(f, "profile {p}"),
            Source::File => f.write_str("file"),
            Source::Default => f.write_str("default"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

/// Everything the commands need to know about where and how to connect and print.
#[derive(Debug)]
pub struct Settings {
    pub api_key: Option<Sourced<Secret>>,
    pub hub_id: Option<Sourced<String>>,
    pub base_url: Sourced<String>,
    /// The `--forward-to` signing secret, when one is configured.
    pub forward_secret: Option<Sourced<Secret>>,
    /// NATS_URL and NATS_CREDS, for `--publish` without a URL or `--nats-creds`.
    pub nats_url: Option<String>,
    pub nats_creds: Option<String>,
    /// The internal API's socket (`--internal`): flag, env, or where Cycle mounts it.
    pub internal_socket: Sourced<PathBuf>,
    /// The container's internal API token (env only: Cycle sets it in the container).
    pub internal_token: Option<Sourced<Secret>>,
    pub profile: Option<Sourced<String>>,
    pub config_path: Option<PathBuf>,
    pub color: ColorWhen,
    /// NO_COLOR and CLICOLOR_FORCE.
    pub color_env: ColorEnv,
    /// Config-file warnings (loose permissions) to print once before work starts.
    pub warnings: Vec<String>,
    /// The proxy variables, or why they cannot be used (a usage error for network commands
    /// only).
    pub proxies: std::result::Result<Proxies, ProxyError>,
}

impl Settings {
    pub fn resolve(global: &Overrides, env: &dyn Env) -> Result<Settings> {
        let location = config_location(global, env);
        let config_path = location.path;
        let loaded = config_file::load(config_path.clone(), location.explicit)?;

        let profile = profile(global, env);
        let profile_keys: Option<&Keys> = match &profile {
            Some(p) => Some(loaded.file.profiles.get(&p.value).ok_or_else(|| {
                let where_ = config_path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "the config file".into());
                let known: Vec<&str> = loaded.file.profiles.keys().map(|k| k.as_str()).collect();
                Fail::usage(format!(
                    "profile '{}' ({}) is not defined in {where_}{}",
                    p.value,
                    p.source,
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (profiles there: {})", known.join(", "))
                    }
                ))
            })?),
            None => None,
        };
        let profile_name = profile.as_ref().map(|p| p.value.clone());
        let top = loaded.file.top();
        let from_file = |get: fn(&Keys) -> &Option<String>| -> Option<Sourced<String>> {
            if let (Some(keys), Some(name)) = (profile_keys, &profile_name) {
                if let Some(v) = get(keys) {
                    return Some(Sourced {
                        value: v.clone(),
                        source: Source::Profile(name.clone()),
                    });
                }
            }
            get(&top).clone().map(|value| Sourced {
                value,
                source: Source::File,
            })
        };

        let api_key = global
            .api_key
            .clone()
            .filter(|k| !k.value.is_empty())
            .or_else(|| pick_flag_env(None, env, &env::CYCLE_API_KEY))
            .or_else(|| from_file(|k| &k.api_key))
            .map(|s| Sourced {
                value: Secret::new(s.value),
                source: s.source,
            });
        let hub_id = pick_flag_env(flag("--hub", &global.hub), env, &env::CYCLE_HUB_ID)
            .or_else(|| from_file(|k| &k.hub_id));
        let base_url = pick_flag_env(
            flag("--base-url", &global.base_url),
            env,
            &env::CYCLE_BASE_URL,
        )
        .or_else(|| from_file(|k| &k.base_url))
        .unwrap_or(Sourced {
            value: DEFAULT_BASE_URL.to_string(),
            source: Source::Default,
        });
        let forward_secret = pick_flag_env(
            flag("--forward-secret", &global.forward_secret),
            env,
            &env::CYCLE_NOTIFY_FORWARD_SECRET,
        )
        .or_else(|| from_file(|k| &k.forward_secret))
        .map(|s| Sourced {
            value: Secret::new(s.value),
            source: s.source,
        });

        let internal_socket = global
            .internal_socket
            .clone()
            .map(|value| Sourced {
                value,
                source: Source::Flag("--internal-socket"),
            })
            .or_else(|| {
                pick_flag_env(None, env, &env::CYCLE_INTERNAL_SOCKET).map(|s| Sourced {
                    value: PathBuf::from(s.value),
                    source: s.source,
                })
            })
            .unwrap_or_else(|| Sourced {
                value: PathBuf::from(INTERNAL_SOCKET),
                source: Source::Default,
            });
        let internal_token = pick_flag_env(None, env, &env::CYCLE_API_TOKEN).map(|s| Sourced {
            value: Secret::new(s.value),
            source: s.source,
        });

        Ok(Settings {
            api_key,
            hub_id,
            base_url,
            forward_secret,
            nats_url: env.get(&env::NATS_URL),
            nats_creds: env.get(&env::NATS_CREDS),
            internal_socket,
            internal_token,
            profile,
            config_path,
            color: global.color,
            color_env: ColorEnv {
                no_color: env.get(&env::NO_COLOR).is_some(),
                clicolor_force: env.get(&env::CLICOLOR_FORCE).is_some_and(|v| v != "0"),
            },
            warnings: loaded.warnings,
            proxies: Proxies::from_env(env),
        })
    }

    /// Whether output to a terminal (or not) is coloured: `--color` with NO_COLOR and
    /// CLICOLOR_FORCE, as the output layer rules.
    pub fn use_color(&self, is_terminal: bool) -> bool {
        self.color.decide(self.color_env, is_terminal)
    }

    /// The key, hub and base URL a network command needs, or a usage error saying how to
    /// provide what is missing.
    pub fn credentials(&self) -> Result<Credentials> {
        let where_file = self
            .config_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "the config file".into());
        let api_key = self.api_key.as_ref().ok_or_else(|| {
            Fail::usage(format!(
                "no API key: pass --api-key, set CYCLE_API_KEY, or set api_key in {where_file} (or try --demo)"
            ))
        })?;
        let hub_id = self.hub_id.as_ref().ok_or_else(|| {
            Fail::usage(format!(
                "no hub id: pass --hub, set CYCLE_HUB_ID, or set hub_id in {where_file} (or try --demo)"
            ))
        })?;
        let base_url = check_base_url(&self.base_url.value)
            .map_err(|m| Fail::usage(format!("{m} (base URL from {})", self.base_url.source)))?;
        Ok(Credentials {
            api_key: Secret::new(header_safe(
                api_key.value.expose(),
                "API key",
                &api_key.source,
            )?),
            hub_id: hub_id_checked(&hub_id.value, &hub_id.source)?,
            base_url,
        })
    }
}

/// Where the config file is, whether the user named it (then it must exist), and who said so.
#[derive(Debug, Clone)]
pub struct ConfigLocation {
    pub path: Option<PathBuf>,
    pub explicit: bool,
    pub source: Source,
}

/// `--config`, then CYCLE_NOTIFY_CONFIG, then the platform's config directory.
pub fn config_location(global: &Overrides, env: &dyn Env) -> ConfigLocation {
    match (&global.config, env.get_named(&env::CYCLE_NOTIFY_CONFIG)) {
        (Some(p), _) => ConfigLocation {
            path: Some(p.clone()),
            explicit: true,
            source: Source::Flag("--config"),
        },
        (None, Some((name, p))) => ConfigLocation {
            path: Some(PathBuf::from(p)),
            explicit: true,
            source: Source::Env(name),
        },
        (None, None) => ConfigLocation {
            path: config_file::default_path(),
            explicit: false,
            source: Source::Default,
        },
    }
}

/// The selected profile: `--profile`, then CYCLE_PROFILE.
pub fn profile(global: &Overrides, env: &dyn Env) -> Option<Sourced<String>> {
    pick_flag_env(flag("--profile", &global.profile), env, &env::CYCLE_PROFILE)
}

/// A credential as it can travel in an HTTP header: trimmed (a key read from a CRLF file
/// ends in `\r`), and visible ASCII only. The value itself is never echoed.
fn header_safe(value: &str, what: &str, source: &Source) -> Result<String> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Fail::usage(format!(
            "the {what} from {source} is not usable: it must be printable ASCII without spaces (a stray newline or quote?)"
        )));
    }
    Ok(value.to_string())
}

/// Hub ids are 24 hex characters (an object id): anything else is refused here, before a
/// token call the server would refuse less clearly.
fn hub_id_checked(value: &str, source: &Source) -> Result<String> {
    let value = value.trim();
    if value.len() != 24 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Fail::usage(format!(
            "the hub id from {source} is not a hub id: hub ids are 24 hex characters, e.g. 65f0c0ffee0000000000beef"
        )));
    }
    Ok(value.to_string())
}

/// A flag's value (when given and not empty), sourced to the flag.
fn flag(name: &'static str, value: &Option<String>) -> Option<Sourced<String>> {
    value
        .clone()
        .filter(|v| !v.is_empty())
        .map(|value| Sourced {
            value,
            source: Source::Flag(name),
        })
}

fn pick_flag_env(
    flag: Option<Sourced<String>>,
    env: &dyn Env,
    var: &Var,
) -> Option<Sourced<String>> {
    flag.or_else(|| {
        env.get_named(var).map(|(name, value)| Sourced {
            value,
            source: Source::Env(name),
        })
    })
}

/// The API key for `--api-key-stdin`: all of standard input, trimmed, one line. Scripts pipe
/// it in so it never shows in `ps` or shell history.
pub fn read_stdin_key(stdin: &mut dyn std::io::Read) -> Result<String> {
    use std::io::Read;
    let mut buf = Vec::new();
    // No key is this long; the limit keeps a mistaken `< big-file` from being swallowed.
    stdin
        .take(64 * 1024)
        .read_to_end(&mut buf)
        .map_err(|e| Fail::usage(format!("--api-key-stdin: cannot read standard input: {e}")))?;
    let text = String::from_utf8(buf)
        .map_err(|_| Fail::usage("--api-key-stdin: standard input is not text"))?;
    let key = text.trim();
    if key.is_empty() {
        return Err(Fail::usage(
            "--api-key-stdin: standard input is empty (pipe the key in, e.g. printf '%s' \"$KEY\" | cycle-notify ...)",
        ));
    }
    if key.contains(['\n', '\r']) {
        return Err(Fail::usage(
            "--api-key-stdin: standard input holds more than one line; pipe in the key alone",
        ));
    }
    Ok(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    /// A config file holding `text`, in a directory removed when the guard drops.
    fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn flag_beats_env_beats_profile_beats_file() {
        let (_dir, path) = config(
            "api_key = \"file-key\"\nhub_id = \"file-hub\"\nbase_url = \"https://file.example\"\n[profiles.p]\nhub_id = \"profile-hub\"\n",
        );
        let global = Overrides {
            api_key: Some(Sourced {
                value: "flag-key".into(),
                source: Source::Flag("--api-key"),
            }),
            config: Some(path),
            profile: Some("p".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(
            &global,
            &env(&[
                ("CYCLE_API_KEY", "env-key"),
                ("CYCLE_BASE_URL", "https://env.example"),
            ]),
        )
        .unwrap();
        assert_eq!(s.api_key.as_ref().unwrap().value.expose(), "flag-key");
        assert_eq!(
            s.api_key.as_ref().unwrap().source,
            Source::Flag("--api-key")
        );
        assert_eq!(s.base_url.value, "https://env.example");
        assert_eq!(s.hub_id.as_ref().unwrap().value, "profile-hub");
        assert_eq!(
            s.hub_id.as_ref().unwrap().source,
            Source::Profile("p".into())
        );
        assert!(format!("{s:?}").contains("(redacted)"));
        assert!(!format!("{s:?}").contains("flag-key"));
    }

    #[test]
    fn stdin_key_is_trimmed_and_checked() {
        let read = |s: &str| read_stdin_key(&mut s.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(read("  k3y\n").unwrap(), "k3y");
        assert!(read(" \n").unwrap_err().contains("empty"));
        assert!(read("a\nb\n").unwrap_err().contains("one line"));
    }

    #[test]
    fn credentials_are_trimmed_and_checked() {
        let (_dir, path) = config("");
        let resolve = |key: &str| {
            let global = Overrides {
                api_key: Some(Sourced {
                    value: key.into(),
                    source: Source::Flag("--api-key"),
                }),
                hub: Some("65f0c0ffee0000000000beef".into()),
                config: Some(path.clone()),
                ..Overrides::default()
            };
            Settings::resolve(&global, &env(&[])).unwrap().credentials()
        };
        assert_eq!(
            resolve("key-from-crlf-file\r\n").unwrap().api_key.expose(),
            "key-from-crlf-file"
        );
        let err = resolve("two words").unwrap_err();
        assert_eq!(
            crate::leaf::exit::status_of(&err),
            crate::leaf::exit::Exit::Usage
        );
        assert!(
            !err.to_string().contains("two words"),
            "the key is not echoed"
        );
    }

    #[test]
    fn loopback_rule() {
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost").is_ok());
        assert!(check_base_url("http://[::1]:1").is_ok());
        assert!(check_base_url("http://api.cycle.io").is_err());
        assert!(check_base_url("ftp://x").is_err());
        assert!(check_base_url("https://api.cycle.io").is_ok());
    }

    #[test]
    fn colour_reads_no_color_and_clicolor_force() {
        let (_dir, path) = config("");
        let resolve = |pairs: &[(&str, &str)]| {
            Settings::resolve(
                &Overrides {
                    config: Some(path.clone()),
                    ..Default::default()
                },
                &env(pairs),
            )
            .unwrap()
        };
        assert!(resolve(&[]).use_color(true));
        assert!(!resolve(&[]).use_color(false));
        assert!(!resolve(&[("NO_COLOR", "1")]).use_color(true));
        assert!(
            resolve(&[("NO_COLOR", "")]).use_color(true),
            "empty is unset"
        );
        assert!(resolve(&[("CLICOLOR_FORCE", "1")]).use_color(false));
        assert!(!resolve(&[("CLICOLOR_FORCE", "0")]).use_color(false));
    }
}
