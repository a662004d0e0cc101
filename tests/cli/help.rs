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

#[test]
fn version_prints_the_package_version() {
    let out = run(cmd().arg("--version"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout.trim_end(),
        format!("cycle-notify {}", env!("CARGO_PKG_VERSION"))
    );
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
        (&["tail", "-o", "text"][..], "auto, pretty, json, raw"),
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
