//! Completions and man pages: the committed files are current (`UPDATE_GENERATED=1` rewrites
//! them), bash loads and drives the completion, groff renders every page, and the ENVIRONMENT
//! and EXIT STATUS sections are complete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cycle_notify::app::generate;
use cycle_notify::leaf::{env, exit};

use crate::support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Generated files as (file name, content).
type Files = Vec<(String, Vec<u8>)>;

fn generated() -> Vec<(&'static str, Files)> {
    vec![
        ("completions", generate::completions()),
        ("man", generate::man_pages()),
    ]
}

fn on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap())
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn committed_completions_and_man_pages_are_current() {
    let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| !v.is_empty());
    let mut stale = Vec::new();
    for (dir, files) in generated() {
        let dir = repo().join(dir);
        let mut committed = on_disk(&dir);
        for (name, bytes) in &files {
            if committed.remove(name).as_ref() != Some(bytes) {
                stale.push(format!("{}/{name}", dir.display()));
                if update {
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(dir.join(name), bytes).unwrap();
                }
            }
        }
        // Files no longer generated (a removed subcommand's page) are stale too.
        for name in committed.keys() {
            stale.push(format!("{}/{name} (no longer generated)", dir.display()));
            if update {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
        }
    }
    assert!(
        update || stale.is_empty(),
        "generated files are out of date; run `UPDATE_GENERATED=1 cargo test --test cli generate` and commit:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn generate_command_writes_what_is_committed() {
    let tmp = temp_dir();
    let dir = tmp.path();
    for (what, files) in generated() {
        let out = run(cmd().args(["generate", what, "--dir"]).arg(dir.join(what)));
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(out.stdout, "");
        let written = on_disk(&dir.join(what));
        let expected: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        assert!(
            written == expected,
            "{what} differs from the in-memory render"
        );
    }
    let help = run(cmd().arg("--help"));
    assert!(!help.stdout.contains("generate"), "generate is hidden");
}

/// Runs `script` in bash after sourcing the committed completion, with the binary on PATH
/// (the `--profile` completion runs it) and a config file with two profiles.
fn bash(script: &str) -> Output {
    let tmp = temp_dir();
    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        "hub_id = \"h\"\n[profiles.staging]\nhub_id = \"s\"\n[profiles.prod]\nhub_id = \"p\"\n",
    )
    .unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cycle-notify"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let completion = repo().join("completions/cycle-notify.bash");
    let mut c = Command::new("bash");
    c.env_clear()
        .env("PATH", path)
        .env("HOME", tmp.path())
        .env("CYCLE_NOTIFY_CONFIG", &config)
        .arg("--norc")
        .arg("-c")
        .arg(format!("source {}\n{script}", completion.display()));
    run(&mut c)
}

/// What the completion offers for `line` (the cursor at its end).
fn complete(line: &str) -> Vec<String> {
    let script = format!(
        r#"
COMP_LINE='{line}'
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_POINT=${{#COMP_LINE}}
fn=$(complete -p cycle-notify | sed -E 's/.*-F ([^ ]+) .*/\1/')
prev=""
(( COMP_CWORD > 0 )) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
"$fn" cycle-notify "${{COMP_WORDS[COMP_CWORD]}}" "$prev"
printf '%s\n' "${{COMPREPLY[@]}}"
"#
    );
    let out = bash(&script);
    assert_eq!(out.code, 0, "{out:?}");
    out.stdout.lines().map(str::to_string).collect()
}

#[test]
fn bash_completion_loads_and_offers_subcommands() {
    let out = bash("complete -p cycle-notify");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("-F _cycle__notify_with_profiles")
            && out.stdout.trim_end().ends_with(" cycle-notify"),
        "{out:?}"
    );

    let subcommands = complete("cycle-notify ");
    for want in ["tail", "wait-for", "topics", "simulate", "config"] {
        assert!(
            subcommands.iter().any(|w| w == want),
            "{want}: {subcommands:?}"
        );
    }
    assert!(
        !subcommands.iter().any(|w| w == "generate"),
        "{subcommands:?}"
    );

    let topics = complete("cycle-notify tail --topic container.st");
    assert!(
        topics.iter().any(|t| t == "container.state.changed"),
        "{topics:?}"
    );
    assert!(
        topics.iter().all(|t| t.starts_with("container.st")),
        "{topics:?}"
    );

    // Past a subcommand, its own options (clap-rs/clap#6421 broke this for hyphenated names).
    let options = complete("cycle-notify tail --to");
    assert_eq!(options, ["--topic"]);

    // wait-for kinds come from the kinds table.
    let kinds = complete("cycle-notify wait-for ");
    for kind in cycle_notify::catalog::kinds::KINDS {
        assert!(
            kinds.iter().any(|k| k == kind.name),
            "{}: {kinds:?}",
            kind.name
        );
    }

    let keys = complete("cycle-notify config set ");
    for want in ["api_key", "hub_id", "base_url"] {
        assert!(keys.iter().any(|w| w == want), "{want}: {keys:?}");
    }
}

#[test]
fn bash_completes_profiles_from_the_config_file() {
    let mut profiles = complete("cycle-notify --profile ");
    profiles.sort();
    assert_eq!(profiles, ["prod", "staging"]);
    assert_eq!(complete("cycle-notify tail --profile st"), ["staging"]);
}

fn groff(page: &Path) -> Output {
    let mut c = Command::new("groff");
    c.args(["-man", "-Tutf8", "-ww"])
        .arg(page)
        .env("LC_ALL", "C.UTF-8");
    assert!(
        Command::new("groff").arg("--version").output().is_ok(),
        "groff is needed to check the man pages: apt-get install groff-base (.ci/run does)"
    );
    run(&mut c)
}

#[test]
fn every_man_page_renders_with_exit_status_and_environment() {
    let pages = on_disk(&repo().join("man"));
    assert!(pages.len() >= 5, "{:?}", pages.keys());
    for name in pages.keys() {
        let out = groff(&repo().join("man").join(name));
        assert_eq!(out.code, 0, "{name}: {out:?}");
        assert_eq!(out.stderr, "", "{name}: groff warnings");
        // groff marks bold with backspaces on a terminal device; read the plain letters.
        let text = strip_overstrike(&out.stdout);
        let status = section(&text, "EXIT STATUS");
        for (_, code, _) in exit::TABLE {
            assert!(
                status
                    .lines()
                    .any(|l| l.trim_start().starts_with(&code.to_string())),
                "{name}: exit status {code} missing from\n{status}"
            );
        }
        // Every name of the one table the code reads variables through (leaf::env::VARS),
        // as a word of the rendered section.
        let environment = section(&text, "ENVIRONMENT");
        let words: Vec<&str> = environment
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        for var in env::VARS {
            for want in var.names() {
                assert!(
                    words.contains(want),
                    "{name}: {want} missing from\n{environment}"
                );
            }
        }
        assert!(section(&text, "FILES").contains("config.toml"), "{name}");
    }
    let main = strip_overstrike(&groff(&repo().join("man/cycle-notify.1")).stdout);
    let examples = section(&main, "EXAMPLES");
    for want in ["| jq", "wait-for", "simulate", "--api-key-stdin"] {
        assert!(examples.contains(want), "{want} missing from\n{examples}");
    }
}

/// What the README explains is on the pages too: the kinds table on wait-for's, the filter
/// rules and how it stays connected on tail's, and value names in every SYNOPSIS.
#[test]
fn man_pages_carry_the_kinds_the_filter_rules_and_value_names() {
    let page = |name: &str| strip_overstrike(&groff(&repo().join("man").join(name)).stdout);
    let wait = page("cycle-notify-wait-for.1");
    let kinds = section(&wait, "KINDS");
    for kind in cycle_notify::catalog::kinds::KINDS {
        let row = kinds
            .split("\n\n")
            .find(|r| {
                r.trim_start().starts_with(&format!("{} ", kind.name)) || r.trim() == kind.name
            })
            .unwrap_or_else(|| panic!("{} missing from\n{kinds}", kind.name));
        let row = row.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            row.contains(&format!("waits for {}", kind.targets.join(", "))),
            "{}: {row}",
            kind.name
        );
    }
    let synopsis = section(&wait, "SYNOPSIS")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(synopsis.contains("[--timeout DURATION]"), "{synopsis}");
    assert!(synopsis.trim_end().ends_with("KIND [ID]..."), "{synopsis}");

    let tail = page("cycle-notify-tail.1");
    let filters = section(&tail, "FILTERS");
    let filters = filters.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "The same flag given twice is OR, different flags are AND",
        "* matches any run of characters, dots included",
        "--environment ID, --container ID, --cluster NAME",
        "usage error (exit 2) naming the flag",
    ] {
        assert!(filters.contains(want), "{want} missing from\n{filters}");
    }
    let connected = section(&tail, "STAYING CONNECTED");
    for want in [
        "Reconnecting",
        "Keepalive",
        "Gaps",
        "--status-events",
        "--no-reconnect",
    ] {
        assert!(connected.contains(want), "{want} missing from\n{connected}");
    }
    let synopsis = section(&tail, "SYNOPSIS")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for want in ["[-t|--topic GLOB]...", "[-n|--count N]", "[--api-key KEY]"] {
        assert!(synopsis.contains(want), "{want} missing from\n{synopsis}");
    }
    assert!(
        synopsis.find("--count") < synopsis.find("--api-key"),
        "own options first: {synopsis}"
    );
    let topics = section(&page("cycle-notify-topics.1"), "SYNOPSIS").to_string();
    assert!(!topics.contains("--api-key"), "{topics}");
}

fn strip_overstrike(s: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(c);
        }
    }
    out.into_iter().filter(|c| *c != '\u{1b}').collect()
}

/// The body of a man section: from its heading to the next heading at column 0.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no {heading} section in\n{text}"))
        + heading.len()
        + 2;
    let rest = &text[start..];
    let end = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| rest[i..].starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The table can only be complete if nothing reads the environment around it: outside
/// src/leaf/env.rs no code calls std::env's readers (libraries that read variables
/// themselves have rows of their own in the table).
#[test]
fn only_the_table_reads_the_environment() {
    let mut offenders = Vec::new();
    let mut stack = vec![repo().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.ends_with("src/leaf/env.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for reader in ["env::var(", "env::var_os(", "env::vars(", "env::vars_os("] {
                if text.contains(reader) {
                    offenders.push(format!("{} ({reader})", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "read around leaf::env::VARS: {offenders:?}"
    );
}

/// `completion SHELL` prints the committed script, so a binary install gets the same one.
#[test]
fn completion_prints_the_committed_scripts() {
    for (shell, file) in [
        ("bash", "cycle-notify.bash"),
        ("zsh", "_cycle-notify"),
        ("fish", "cycle-notify.fish"),
        ("elvish", "cycle-notify.elv"),
        ("powershell", "_cycle-notify.ps1"),
    ] {
        let out = run(cmd().args(["completion", shell]));
        assert_eq!(out.code, 0, "{shell}: {out:?}");
        let committed = std::fs::read_to_string(repo().join("completions").join(file)).unwrap();
        assert!(
            out.stdout == committed,
            "{shell}: differs from completions/{file}"
        );
    }
    let out = run(cmd().args(["completion", "tcsh"]));
    assert_eq!(out.code, 2, "{out:?}");
}

/// The bash script sources cleanly and completes subcommands and their flags.
#[test]
fn completion_bash_sources_and_completes() {
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let script = format!(
            "source <(\"$BIN\" completion bash) || exit 9\n\
             COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT={point}\n\
             $(complete -p cycle-notify | sed -E 's/.*-F ([^ ]+).*/\\1/') cycle-notify '{last}' '{prev}'\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
            cword = words.len() - 1,
            point = line.len(),
            last = words[words.len() - 1],
            prev = words[words.len() - 2],
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("BIN", env!("CARGO_BIN_EXE_cycle-notify"))
            .output()
            .expect("bash");
        assert!(out.status.success(), "{line}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let subcommands = complete("cycle-notify t");
    assert!(
        subcommands.lines().any(|l| l == "tail") && subcommands.lines().any(|l| l == "topics"),
        "{subcommands}"
    );
    let flags = complete("cycle-notify tail --ou");
    assert_eq!(flags.trim(), "--output", "{flags}");
    let formats = complete("cycle-notify tail -o w");
    assert_eq!(formats.trim(), "wide", "{formats}");
}
