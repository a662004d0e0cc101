//! Locating and reading the TOML config file (top-level keys and `[profiles.NAME]`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use crate::exit::Fail;

/// The keys a config file (or one of its profiles) may set.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    pub api_key: Option<String>,
    pub hub_id: Option<String>,
    pub base_url: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    // Spelled out rather than flattened from `Keys`: serde's flatten loses the line of an
    // unknown key.
    api_key: Option<String>,
    hub_id: Option<String>,
    base_url: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Keys>,
}

impl ConfigFile {
    /// The top-level keys, which apply under every profile.
    pub fn top(&self) -> Keys {
        Keys {
            api_key: self.api_key.clone(),
            hub_id: self.hub_id.clone(),
            base_url: self.base_url.clone(),
        }
    }
}

/// Where the config file lives when neither `--config` nor CYCLE_NOTIFY_CONFIG names one.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("cycle-notify").join("config.toml"))
}

/// A config file as read: its content (empty when absent) and warnings for stderr.
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
    pub present: bool,
    pub warnings: Vec<String>,
}

/// Reads `path`. A missing default file is fine; a file the user named explicitly must exist;
/// a present file that does not parse is a usage error naming the file and line.
pub fn load(path: Option<PathBuf>, explicit: bool) -> Result<Loaded> {
    let Some(path) = path else {
        return Ok(Loaded::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return Ok(Loaded {
                path: Some(path),
                ..Loaded::default()
            })
        }
        Err(e) => {
            return Err(Fail::usage(format!(
                "cannot read config file {}: {e}",
                path.display()
            )))
        }
    };
    let file = parse(&path, &text)?;
    let mut warnings = Vec::new();
    if let Some(w) = permission_warning(&path) {
        warnings.push(w);
    }
    Ok(Loaded {
        path: Some(path),
        file,
        present: true,
        warnings,
    })
}

pub fn parse(path: &Path, text: &str) -> Result<ConfigFile> {
    toml::from_str(text).map_err(|e| {
        let where_ = match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].lines().count().max(1);
                let line = if text[..span.start.min(text.len())].ends_with('\n') {
                    line + 1
                } else {
                    line
                };
                format!("{}:{line}", path.display())
            }
            None => path.display().to_string(),
        };
        Fail::usage(format!(
            "invalid config file {where_}: {}",
            e.message().trim()
        ))
    })
}

/// The file holds an API key: like ssh, complain when others can read it.
#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "config file {} is readable by others (mode {:03o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_top_level_and_profiles() {
        let f = parse(
            Path::new("c.toml"),
            "api_key = \"k\"\n[profiles.prod]\nhub_id = \"h\"\n",
        )
        .unwrap();
        assert_eq!(f.top().api_key.as_deref(), Some("k"));
        assert_eq!(f.profiles["prod"].hub_id.as_deref(), Some("h"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = parse(Path::new("c.toml"), "hub_id = \"h\"\napi_kee = \"k\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("c.toml:2"), "{msg}");
        assert!(msg.contains("api_kee"), "{msg}");
    }
}
