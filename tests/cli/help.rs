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
