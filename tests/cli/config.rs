//! `config` path/show/set/unset/profiles and `--api-key-stdin`: a round trip through the
//! default config location, mode 0600, source attribution, the key never printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::*;

/// A command whose default config directory is `xdg` (kept across commands of one test).
fn cmd_in(xdg: &Path) -> Cmd {
    let mut c = cmd();
    c.env("XDG_CONFIG_HOME", xdg);
    c
}

fn run_with_stdin(c: &mut Command, input: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cycle-notify");
    let mut stdin = child.stdin.take().unwrap();
    // A run refused at parse time exits without reading its input: that is not a failure.
    if let Err(e) = stdin.write_all(input.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    drop(stdin);
    finish(child)
}

/// `config show` as (key → (value, source)).
fn show(c: &mut Command) -> Vec<(String, String, String)> {
    let out = run(c.args(["config", "show"]));
    assert_eq!(out.code, 0, "{out:?}");
    out.stdout
        .lines()
        .map(|l| {
            let (key, rest) = l.split_once(' ').unwrap();
            let rest = rest.trim();
            match rest.rsplit_once("  (") {
                Some((value, source)) => (
                    key.to_string(),
                    value.trim().to_string(),
                    source.trim_end_matches(')').to_string(),
                ),
                None => (key.to_string(), rest.to_string(), String::new()),
            }
        })
        .collect()
}

fn row(rows: &[(String, String, String)], key: &str) -> (String, String) {
    let r = rows
        .iter()
        .find(|r| r.0 == key)
        .unwrap_or_else(|| panic!("{key} missing from {rows:?}"));
    (r.1.clone(), r.2.clone())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn set_show_unset_round_trip() {
    let tmp = temp_dir();
    let xdg = tmp.path().join("xdg");
    let file: PathBuf = xdg.join("cycle-notify").join("config.toml");

    let out = run(cmd_in(&xdg).args(["config", "path"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.trim_end(), file.display().to_string());
    assert!(!xdg.exists(), "path must not create anything");

    // The key from stdin: trimmed, written, never echoed.
    let out = run_with_stdin(
        cmd_in(&xdg).args(["config", "set", "api_key", "--api-key-stdin"]),
        "  s3cret-key-value\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains("s3cret") && !out.stderr.contains("s3cret"));
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text, "api_key = \"s3cret-key-value\"\n");

    // A comment the user added survives later edits.
    std::fs::write(&file, format!("# my hubs\n{text}")).unwrap();
    for args in [
        &["config", "set", "hub_id", "65f0c0ffee00000000000001"][..],
        &[
            "config",
            "set",
            "hub_id",
            "65f0c0ffee0000000000beef",
            "--profile",
            "prod",
            "--create",
        ],
        &[
            "config",
            "set",
            "base_url",
            "https://api.prod.cycle.io",
            "--profile",
            "prod",
        ],
    ] {
        let out = run(cmd_in(&xdg).args(args));
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# my hubs\napi_key = "), "{text}");
    assert!(text.contains("[profiles.prod]"), "{text}");
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);

    // Sources: file, profile, env, flag, default; the key by its last 4 characters.
    let rows = show(&mut cmd_in(&xdg));
    assert_eq!(
        row(&rows, "config_file"),
        (file.display().to_string(), "default".into())
    );
    assert_eq!(row(&rows, "api_key"), ("…alue".into(), "file".into()));
    assert_eq!(
        row(&rows, "hub_id"),
        ("65f0c0ffee00000000000001".into(), "file".into())
    );
    assert_eq!(
        row(&rows, "base_url"),
        ("https://api.cycle.io".into(), "default".into())
    );
    assert_eq!(row(&rows, "profile"), ("(not set)".into(), String::new()));

    let rows = show(cmd_in(&xdg).args(["--profile", "prod"]));
    assert_eq!(
        row(&rows, "profile"),
        ("prod".into(), "flag --profile".into())
    );
    assert_eq!(
        row(&rows, "hub_id"),
        ("65f0c0ffee0000000000beef".into(), "profile prod".into())
    );
    assert_eq!(
        row(&rows, "base_url"),
        ("https://api.prod.cycle.io".into(), "profile prod".into())
    );
    assert_eq!(row(&rows, "api_key"), ("…alue".into(), "file".into()));

    let rows = show(
        cmd_in(&xdg)
            .env("CYCLE_PROFILE", "prod")
            .env("CYCLE_HUB_ID", "65f0c0ffee0000000000e0e0")
            .args(["--base-url", "https://flag.example"]),
    );
    assert_eq!(
        row(&rows, "profile"),
        ("prod".into(), "env CYCLE_PROFILE".into())
    );
    assert_eq!(
        row(&rows, "hub_id"),
        ("65f0c0ffee0000000000e0e0".into(), "env CYCLE_HUB_ID".into())
    );
    assert_eq!(
        row(&rows, "base_url"),
        ("https://flag.example".into(), "flag --base-url".into())
    );

    let out = run(cmd_in(&xdg).args(["config", "show"]));
    assert!(!out.stdout.contains("s3cret"), "{}", out.stdout);
    let rows = show(cmd_in(&xdg).env("CYCLE_API_KEY", "from-the-environment-1d77"));
    assert_eq!(
        row(&rows, "api_key"),
        ("…1d77".into(), "env CYCLE_API_KEY".into())
    );
    let out = run_with_stdin(
        cmd_in(&xdg).args(["--api-key-stdin", "config", "show"]),
        "typed-into-stdin-0000\n",
    );
    assert!(
        out.stdout.contains("…0000") && out.stdout.contains("(stdin)"),
        "{}",
        out.stdout
    );

    let out = run(cmd_in(&xdg).args(["config", "profiles"]));
    assert_eq!(out.stdout, "prod\n");

    // Unset falls back to the top level; unsetting again is a warning, not an error.
    let out = run(cmd_in(&xdg).args(["config", "unset", "hub_id", "--profile", "prod"]));
    assert_eq!(out.code, 0, "{out:?}");
    let rows = show(cmd_in(&xdg).args(["--profile", "prod"]));
    assert_eq!(
        row(&rows, "hub_id"),
        ("65f0c0ffee00000000000001".into(), "file".into())
    );
    let out = run(cmd_in(&xdg).args(["config", "unset", "hub_id", "--profile", "prod"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("warning: hub_id is not set"),
        "{}",
        out.stderr
    );

    let out = run(cmd_in(&xdg).args(["config", "unset", "api_key"]));
    assert_eq!(out.code, 0, "{out:?}");
    let rows = show(&mut cmd_in(&xdg));
    assert_eq!(row(&rows, "api_key"), ("(not set)".into(), String::new()));
    assert!(!std::fs::read_to_string(&file).unwrap().contains("s3cret"));
}

#[test]
fn bad_edits_are_usage_errors_and_leave_the_file_alone() {
    let dir = temp_dir();
    let file = write_file(&dir, "c.toml", "hub_id = \"h\"\n");
    let config = |c: &mut Command| {
        c.env("CYCLE_NOTIFY_CONFIG", &file);
    };
    for (args, says) in [
        (
            &["config", "set", "base_url", "http://api.example.com"][..],
            "plain http",
        ),
        (&["config", "set", "hub_id"], "needs a VALUE"),
        (&["config", "set", "api_key"], "--api-key-stdin"),
        (&["config", "set", "hub_id", " "], "empty"),
    ] {
        let mut c = cmd();
        config(&mut c);
        let out = run(c.args(args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr.starts_with("cycle-notify: error: "),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
    let mut c = cmd();
    config(&mut c);
    let out = run(c.args(["config", "set", "nope", "x"]));
    assert_eq!(out.code, 2, "clap rejects an unknown key: {out:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hub_id = \"h\"\n");

    // A broken file is reported with its line and not rewritten.
    std::fs::write(&file, "hub_id = \"h\"\napi_kee = \"k\"\n").unwrap();
    let mut c = cmd();
    config(&mut c);
    let out = run(c.args(["config", "set", "hub_id", "x"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("c.toml:2"), "{}", out.stderr);
    assert!(std::fs::read_to_string(&file).unwrap().contains("api_kee"));
}

#[cfg(unix)]
#[test]
fn loose_permissions_warn_on_show() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let file = write_file(&dir, "c.toml", "api_key = \"k\"\n");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(cmd().args(["--config"]).arg(&file).args(["config", "show"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("readable by others"), "{}", out.stderr);
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);
}

#[test]
fn api_key_stdin_authenticates_tail() {
    let hub = hub(vec![note("container.state.changed", "x1", "running")]);
    let mut c = cmd();
    c.env("CYCLE_HUB_ID", HUB)
        .env("CYCLE_BASE_URL", hub.base_url())
        .args(["--api-key-stdin", "tail", "--count", "1"]);
    let out = run_with_stdin(&mut c, &format!("{KEY}\n"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.state.changed"]);

    let out = run_with_stdin(cmd().args(["--api-key-stdin", "tail"]), "\n");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("--api-key-stdin: standard input is empty"),
        "{}",
        out.stderr
    );

    let out = run_with_stdin(
        cmd().args(["--api-key", "k", "--api-key-stdin", "tail"]),
        "k\n",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
}

/// `config get` prints one effective value for a script; a key by its last 4 characters.
#[test]
fn get_prints_the_effective_value() {
    let dir = temp_dir();
    let file = write_file(
        &dir,
        "c.toml",
        "api_key = \"file-key-0123456789-1d77\"\nhub_id = \"65f0c0ffee00000000000001\"\n[profiles.prod]\nbase_url = \"https://api.prod.example\"\n",
    );
    let get = |c: &mut Command, key: &str| {
        let out = run(c
            .env("CYCLE_NOTIFY_CONFIG", &file)
            .args(["config", "get", key]));
        assert_eq!(out.code, 0, "{key}: {out:?}");
        out
    };
    assert_eq!(get(&mut cmd(), "api_key").stdout, "…1d77\n");
    assert_eq!(
        get(&mut cmd(), "hub_id").stdout,
        "65f0c0ffee00000000000001\n"
    );
    assert_eq!(get(&mut cmd(), "base_url").stdout, "https://api.cycle.io\n");
    assert_eq!(
        get(cmd().args(["--profile", "prod"]), "base_url").stdout,
        "https://api.prod.example\n"
    );
    assert_eq!(
        get(
            cmd().env("CYCLE_HUB_ID", "65f0c0ffee0000000000e0e0"),
            "hub_id"
        )
        .stdout,
        "65f0c0ffee0000000000e0e0\n"
    );
    // Not set: nothing on stdout, a sentence on stderr.
    let out = get(&mut cmd(), "forward_secret");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("forward_secret is not set"),
        "{}",
        out.stderr
    );
    assert!(!get(&mut cmd(), "api_key").stdout.contains("file-key"));
}

/// `config check` makes the token call a command would make and says whose key was taken.
#[test]
fn check_asks_the_api_about_the_effective_key() {
    let hub = hub(vec![]);
    let out = run(cmd_for(&hub).args(["config", "check"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        format!(
            "key …6789 (from env CYCLE_API_KEY) accepted for hub {HUB} (from env CYCLE_HUB_ID) at {} (env CYCLE_BASE_URL)\n",
            hub.base_url()
        )
    );
    assert_eq!(hub.log().requests.len(), 1, "one token call");
    assert_eq!(hub.log().sockets, 0, "no socket");

    // Refused: exit 3, with which key it was.
    let out = run(cmd_for(&hub)
        .env("CYCLE_API_KEY", "another-key-000000000abcd")
        .args(["config", "check"]));
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("cycle-notify: error: key …abcd (from env CYCLE_API_KEY) for hub ")
            && out.stderr.contains("refused (401"),
        "{}",
        out.stderr
    );
    assert_hidden(&out, &["another-key"]);

    // Not reached: exit 4; no key at all: exit 2 before any request.
    let out = run(cmd_for(&hub)
        .env("CYCLE_BASE_URL", "http://127.0.0.1:1")
        .args(["config", "check"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("connection refused"), "{}", out.stderr);
    let before = hub.log().requests.len();
    let out = run(cmd_for(&hub)
        .env_remove("CYCLE_API_KEY")
        .args(["config", "check"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(hub.log().requests.len(), before);
}

/// A profile the file does not have is a typo unless `--create` says otherwise.
#[test]
fn set_in_a_missing_profile_needs_create() {
    let dir = temp_dir();
    let file = write_file(
        &dir,
        "c.toml",
        "[profiles.prod]\nhub_id = \"65f0c0ffee00000000000001\"\n",
    );
    let set = |extra: &[&str]| {
        run(cmd()
            .env("CYCLE_NOTIFY_CONFIG", &file)
            .args([
                "config",
                "set",
                "hub_id",
                "65f0c0ffee0000000000beef",
                "--profile",
                "prdo",
            ])
            .args(extra))
    };
    let out = set(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("profile 'prdo' (flag --profile) is not in")
            && out.stderr.contains("(profiles prod)")
            && out.stderr.contains("--create"),
        "{}",
        out.stderr
    );
    assert!(!std::fs::read_to_string(&file).unwrap().contains("prdo"));
    let out = set(&["--create"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("created profile prdo in"),
        "{}",
        out.stderr
    );
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("[profiles.prdo]"));
    // Once there, no --create is needed, and none is said.
    let out = set(&[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("created"), "{}", out.stderr);
}

/// On a terminal, `config set api_key` asks for the key and does not show it as typed.
#[cfg(unix)]
#[test]
fn set_api_key_on_a_terminal_prompts_without_echo() {
    let dir = temp_dir();
    let file = dir.path().join("c.toml");
    let (out, screen) = run_typing(
        cmd()
            .env("CYCLE_NOTIFY_CONFIG", &file)
            .args(["config", "set", "api_key"]),
        "API key (not shown): ",
        b"typed-secret-kez\x7fy\r",
    );
    assert_eq!(out.code, 0, "{out:?} {screen:?}");
    assert!(!screen.contains("typed-secret"), "echoed: {screen:?}");
    assert!(screen.contains("set api_key in"), "{screen:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "api_key = \"typed-secret-key\"\n"
    );
}
