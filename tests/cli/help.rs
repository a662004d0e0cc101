//! Help, version and clap's usage errors.

use crate::support::*;

#[test]
fn help_shows_examples_for_every_command() {
    for args in [
        &["--help"][..],
        &["tail", "--help"],
        &["topics", "--help"],
        &["config", "--help"],
    ] {
        let out = run(cmd().args(args));
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert!(out.stdout.contains("Examples:"), "{args:?}: {}", out.stdout);
        assert!(out.stdout.contains("  cycle-notify "), "{args:?}");
    }
}

/// The part of a help text under `heading:`, up to the next heading or the end.
fn under<'a>(help: &'a str, heading: &str) -> &'a str {
    let Some(start) = help.find(&format!("\n{heading}:\n")) else {
        return "";
    };
    let rest = &help[start + heading.len() + 3..];
    let end = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| rest[i..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A subcommand's own options come first; the globals it acts on follow under their own
/// heading, and the ones it ignores are not listed at all.
#[test]
fn help_lists_own_options_then_the_globals_that_apply() {
    let credentials = ["--api-key ", "--api-key-stdin", "--hub ", "--base-url"];
    for (args, own, globals, absent) in [
        (
            &["tail", "--help"][..],
            &["--topic", "--count", "--no-reconnect"][..],
            &[
                "--api-key ",
                "--hub ",
                "--base-url",
                "--profile",
                "--color",
                "--verbose",
            ][..],
            &[][..],
        ),
        (
            &["wait-for", "--help"],
            &["--state", "--fail-on", "--timeout"],
            &[
                "--api-key ",
                "--hub ",
                "--base-url",
                "--profile",
                "--config",
            ],
            &[],
        ),
        (
            &["topics", "--help"],
            &["--output"],
            &["--quiet"],
            &credentials[..],
        ),
        (
            &["config", "path", "--help"],
            &[],
            &["--config"],
            &credentials[..],
        ),
        (
            &["simulate", "--help"],
            &["--key", "--hub-id", "--port"],
            &["--quiet"],
            &credentials[..],
        ),
        (
            &["config", "show", "--help"],
            &[],
            &["--api-key ", "--hub ", "--profile"],
            &["--color"],
        ),
    ] {
        let out = run(cmd().args(args));
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        let help = out.stdout;
        let options = under(&help, "Options");
        let global = under(&help, "Global options");
        for flag in own {
            assert!(options.contains(flag), "{args:?}: {flag} not in\n{options}");
        }
        for flag in globals {
            assert!(global.contains(flag), "{args:?}: {flag} not in\n{global}");
            assert!(
                !options.contains(flag),
                "{args:?}: {flag} among own options"
            );
        }
        for flag in absent {
            assert!(!help.contains(flag), "{args:?}: {flag} listed in\n{help}");
        }
        assert!(
            help.find("\nOptions:") < help.find("\nGlobal options:"),
            "{args:?}: globals before own options"
        );
    }
}

#[test]
fn version_prints_the_package_version() {
    let out = run(cmd().arg("-V"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout.trim_end(),
        format!("cycle-notify {}", env!("CARGO_PKG_VERSION"))
    );
}

/// `--version` has what a bug report needs: version, commit, target, TLS stack.
#[test]
fn long_version_has_the_build_facts() {
    let out = run(cmd().arg("--version"));
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("cycle-notify {}", env!("CARGO_PKG_VERSION"))
    );
    for (prefix, want) in [
        ("commit: ", ""),
        ("target: ", std::env::consts::ARCH),
        ("tls:    ", "rustls 0."),
    ] {
        let line = lines.iter().find(|l| l.starts_with(prefix));
        assert!(
            line.is_some_and(|l| l.contains(want) && l.len() > prefix.len()),
            "{prefix}{want}: {lines:?}"
        );
    }
}

#[test]
fn unknown_subcommands_and_flags_exit_2() {
    for args in [
        &["tial"][..],
        &["tail", "--nope"],
        &["topics", "-o", "yaml"],
    ] {
        let out = run(cmd().args(args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert_eq!(out.stdout, "");
    }
}

/// `-o` takes what the command prints in, from the one format table, and says which.
#[test]
fn a_format_the_command_does_not_print_is_a_usage_error_listing_the_ones_it_does() {
    for (args, allowed) in [
        (
            &["tail", "-o", "text"][..],
            "auto, pretty, wide, json, raw, none",
        ),
        (
            &["wait-for", "container", "x", "-o", "raw"],
            "auto, pretty, json",
        ),
        (&["topics", "-o", "pretty"], "text, json"),
        (&["--color", "sometimes", "topics"], "auto, always, never"),
    ] {
        let out = run(cmd().args(args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr
                .contains(&format!("[possible values: {allowed}]")),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// An unset variable in a script (`--id "$IMAGE_ID"`) must not widen a filter or fall back
/// to another source: every empty value is exit 2 naming the flag.
#[test]
fn empty_values_are_usage_errors_naming_the_flag() {
    for (args, flag) in [
        (&["tail", "--id", ""][..], "--id"),
        (&["tail", "--topic", ""], "--topic"),
        (&["tail", "--exclude", "a,"], "--exclude"),
        (&["tail", "--state", ""], "--state"),
        (&["tail", "--environment", ""], "--environment"),
        (&["tail", "--container", ""], "--container"),
        (&["tail", "--cluster", ",x"], "--cluster"),
        (&["wait-for", "container", ""], "ID"),
        (
            &["wait-for", "instance", "x", "--container", ""],
            "--container",
        ),
        (&["wait-for", "container", "x", "--state", ""], "--state"),
        (
            &["wait-for", "container", "x", "--fail-on", ""],
            "--fail-on",
        ),
        (&["--api-key", "", "tail"], "--api-key"),
        (&["--hub", "", "tail"], "--hub"),
        (&["--base-url", "", "tail"], "--base-url"),
        (&["--profile", "", "tail"], "--profile"),
        (&["--config", "", "tail"], "--config"),
        (&["topics", ""], "GLOB"),
    ] {
        let out = run(cmd().args(args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(first.contains(flag), "{args:?}: {first}");
    }
}

#[test]
fn a_negative_duration_gets_a_sentence() {
    let out = run(cmd().args(["tail", "--timeout", "-1s"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("-1s is negative"), "{}", out.stderr);
}

#[test]
fn a_malformed_hub_id_is_refused_before_any_request() {
    let hub = hub(vec![]);
    let out = run(cmd_for(&hub).args(["--hub", "zz", "tail"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("24 hex characters"), "{}", out.stderr);
    assert!(hub.log().requests.is_empty(), "{:?}", hub.log().requests);
}
