//! Locating, reading and editing the TOML config file (top-level keys and `[profiles.NAME]`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use crate::leaf::exit::Fail;

/// The keys a config file (or one of its profiles) may set.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    pub api_key: Option<String>,
    pub hub_id: Option<String>,
    pub base_url: Option<String>,
    /// The `--forward-to` signing secret.
    pub forward_secret: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    // Spelled out rather than flattened from `Keys`: serde's flatten loses the line of an
    // unknown key.
    api_key: Option<String>,
    hub_id: Option<String>,
    base_url: Option<String>,
    forward_secret: Option<String>,
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
            forward_secret: self.forward_secret.clone(),
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
    pub file: ConfigFile,
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
            return Ok(Loaded::default())
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
    Ok(Loaded { file, warnings })
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

/// Sets `key` to `value` (or removes it, for `None`) at the top level or in
/// `[profiles.PROFILE]`, keeping comments, order and every other key as they were, and writes
/// the file with mode 0600 (creating its directory). Returns whether anything changed.
pub fn edit(path: &Path, profile: Option<&str>, key: &str, value: Option<&str>) -> Result<bool> {
    // Edit the file a symlink points to rather than replacing the link with a file.
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(Fail::usage(format!(
                "cannot read config file {}: {e}",
                path.display()
            )))
        }
    };
    // The same checks (and messages, with the line) as reading it for a command.
    parse(&path, &text)?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| Fail::usage(format!("invalid config file {}: {e}", path.display())))?;
    let changed = match value {
        Some(v) => {
            let table = table_for(&mut doc, profile, true).ok_or_else(|| {
                Fail::usage(format!(
                    "cannot edit {}: `profiles` there is not a table",
                    path.display()
                ))
            })?;
            set_keeping_decor(table, key, v);
            true
        }
        None => table_for(&mut doc, profile, false).is_some_and(|t| t.remove(key).is_some()),
    };
    if !changed {
        return Ok(false);
    }
    let text = doc.to_string();
    // Never write a file the next run would refuse.
    parse(&path, &text)?;
    write_private(&path, &text)?;
    Ok(true)
}

/// The table holding the keys of `profile` (or the top level), made when `create` is set.
/// `parse` has already checked that `profiles` and each profile are tables.
fn table_for<'d>(
    doc: &'d mut toml_edit::DocumentMut,
    profile: Option<&str>,
    create: bool,
) -> Option<&'d mut dyn toml_edit::TableLike> {
    use toml_edit::{InlineTable, Item, Table, Value};
    let root = doc.as_table_mut();
    let Some(name) = profile else {
        return Some(root);
    };
    if !root.contains_key("profiles") {
        if !create {
            return None;
        }
        // Implicit, so the file gets `[profiles.NAME]` and no empty `[profiles]` header.
        let mut profiles = Table::new();
        profiles.set_implicit(true);
        root.insert("profiles", Item::Table(profiles));
    }
    match root.get_mut("profiles")? {
        Item::Table(profiles) => {
            if !profiles.contains_key(name) {
                if !create {
                    return None;
                }
                profiles.insert(name, Item::Table(Table::new()));
            }
            profiles.get_mut(name)?.as_table_like_mut()
        }
        Item::Value(Value::InlineTable(profiles)) => {
            if !profiles.contains_key(name) {
                if !create {
                    return None;
                }
                profiles.insert(name, Value::InlineTable(InlineTable::new()));
            }
            profiles
                .get_mut(name)?
                .as_inline_table_mut()
                .map(|t| t as &mut dyn toml_edit::TableLike)
        }
        _ => None,
    }
}

/// Replaces the value in place, so a comment on the line or above the key survives.
fn set_keeping_decor(table: &mut dyn toml_edit::TableLike, key: &str, value: &str) {
    let mut new = toml_edit::Value::from(value);
    match table.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *new.decor_mut() = old.decor().clone();
            }
            *item = toml_edit::Item::Value(new);
        }
        None => {
            table.insert(key, toml_edit::Item::Value(new));
        }
    }
}

/// Writes `text` to `path` readable by the owner only: a temporary file made with mode 0600
/// in the same directory, then renamed over the old one, so the key is never exposed and a
/// crash leaves the old file whole.
pub fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let fail = |what: &str, p: &Path, e: std::io::Error| {
        Fail::usage(format!("cannot {what} {}: {e}", p.display()))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .map_err(|e| fail("create the config directory", &dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("write config file", path, e));
    }
    // The umask can only take bits away; set 0600 anyway in case the old file was looser.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| fail("set the mode of", path, e))?;
    }
    Ok(())
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

    /// A config path in a directory that does not exist yet (writes create it), inside a
    /// temp dir removed when the guard drops.
    fn scratch() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        (dir, path)
    }

    #[test]
    fn edit_keeps_comments_and_order() {
        let (_dir, path) = scratch();
        write_private(
            &path,
            "# mine\nhub_id = \"old\" # the hub\n\n[profiles.prod]\n# prod key\napi_key = \"k\"\n",
        )
        .unwrap();
        assert!(edit(&path, None, "hub_id", Some("new")).unwrap());
        assert!(edit(&path, Some("prod"), "base_url", Some("https://x.example")).unwrap());
        assert!(edit(&path, Some("dev"), "hub_id", Some("d")).unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "# mine\nhub_id = \"new\" # the hub\n\n[profiles.prod]\n# prod key\napi_key = \"k\"\nbase_url = \"https://x.example\"\n\n[profiles.dev]\nhub_id = \"d\"\n"
        );
        assert!(edit(&path, Some("prod"), "api_key", None).unwrap());
        assert!(!edit(&path, Some("prod"), "api_key", None).unwrap());
        assert!(!edit(&path, Some("nope"), "api_key", None).unwrap());
        let f = parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(f.profiles["prod"].api_key, None);
        assert_eq!(f.top().hub_id.as_deref(), Some("new"));
    }

    #[test]
    fn edit_works_on_inline_profiles_and_refuses_broken_files() {
        let (_dir, path) = scratch();
        write_private(&path, "profiles = { a = { hub_id = \"h\" } }\n").unwrap();
        assert!(edit(&path, Some("a"), "api_key", Some("k")).unwrap());
        assert!(edit(&path, Some("b"), "api_key", Some("k2")).unwrap());
        let f = parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(f.profiles["a"].api_key.as_deref(), Some("k"));
        assert_eq!(f.profiles["b"].api_key.as_deref(), Some("k2"));

        write_private(&path, "hub_id = \"h\"\nbogus = 1\n").unwrap();
        let err = edit(&path, None, "hub_id", Some("x"))
            .unwrap_err()
            .to_string();
        assert!(err.contains(":2"), "{err}");
        assert!(std::fs::read_to_string(&path).unwrap().contains("bogus"));
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = scratch();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        edit(&path, None, "api_key", Some("k")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = parse(Path::new("c.toml"), "hub_id = \"h\"\napi_kee = \"k\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("c.toml:2"), "{msg}");
        assert!(msg.contains("api_kee"), "{msg}");
    }
}
