//! Build facts for `--version` (a bug report's first lines): the git commit and its date
//! when built from a checkout, the target, the profile, and the TLS stack's version.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

/// The version of `crate_name` in Cargo.lock (what was built with, not what was asked for).
fn locked_version(lock: &str, crate_name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{crate_name}\"") {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_string());
        }
    }
    None
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.lock");
    // A new commit changes what HEAD (or the branch it names) points at.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
            if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
                println!("cargo:rerun-if-changed={common}/{reference}");
                println!("cargo:rerun-if-changed={common}/packed-refs");
            }
        }
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"])
        .map(|c| match git(&["log", "-1", "--format=%cs", "HEAD"]) {
            Some(date) => format!("{c} ({date})"),
            None => c,
        })
        .unwrap_or_else(|| "unknown (not built from a git checkout)".into());
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let rustls = locked_version(&lock, "rustls").unwrap_or_else(|| "?".into());
    let set = |name: &str, value: &str| println!("cargo:rustc-env={name}={value}");
    set("CYCLE_NOTIFY_COMMIT", &commit);
    set(
        "CYCLE_NOTIFY_TARGET",
        &std::env::var("TARGET").unwrap_or_default(),
    );
    set(
        "CYCLE_NOTIFY_PROFILE",
        &std::env::var("PROFILE").unwrap_or_default(),
    );
    set("CYCLE_NOTIFY_RUSTLS", &rustls);
}
