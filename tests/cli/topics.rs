//! `topics`: the catalogue, narrowed by globs, legacy names marked, as text or JSON lines.

use cycle_notify::catalog::topics;

use crate::support::*;

#[test]
fn container_glob_lists_only_container_topics() {
    let out = run(cmd().args(["topics", "container.*"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr, "");
    let lines: Vec<&str> = out.stdout.lines().collect();
    let expected = topics::all()
        .filter(|t| t.name.starts_with("container."))
        .count();
    assert_eq!(lines.len(), expected, "{lines:?}");
    assert!(expected > 20);
    assert!(
        lines.iter().all(|l| l.starts_with("container.")),
        "{lines:?}"
    );
    // `*` spans dots: deeper topics are included.
    assert!(lines.contains(&"container.instance.state.changed"));
    assert!(lines.contains(&"container.instances.reconfigured"));
    // Legacy names are marked, current ones are the bare name.
    let legacy: Vec<&str> = lines
        .iter()
        .filter(|l| l.ends_with(" legacy"))
        .copied()
        .collect();
    let want_legacy = topics::all()
        .filter(|t| t.legacy && t.name.starts_with("container."))
        .count();
    assert_eq!(legacy.len(), want_legacy, "{legacy:?}");
}

#[test]
fn no_glob_lists_the_whole_catalogue_and_several_globs_are_a_union() {
    let out = run(cmd().arg("topics"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), topics::all().count());
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.ends_with(" legacy"))
            .count(),
        topics::all().filter(|t| t.legacy).count()
    );

    let out = run(cmd().args(["topics", "image.new", "*.error_reset", "image.*"]));
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let expected: Vec<&str> = topics::all()
        .map(|t| t.name)
        .filter(|n| n.starts_with("image.") || n.ends_with(".error_reset"))
        .collect();
    assert_eq!(lines, expected, "each topic once, in catalogue order");
    assert!(lines.contains(&"pipeline.run.error_reset"));
}

#[test]
fn json_lines_carry_topic_and_status() {
    let out = run(cmd().args(["topics", "-o", "json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let lines = out.json_lines();
    assert_eq!(lines.len(), topics::all().count());
    for (v, t) in lines.iter().zip(topics::all()) {
        assert_eq!(v["topic"], t.name);
        assert_eq!(v["status"], if t.legacy { "legacy" } else { "current" });
    }
}

#[test]
fn unknown_glob_warns_with_suggestions_and_bad_glob_is_usage() {
    let out = run(cmd().args(["topics", "contianer.state.*"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with("cycle-notify: warning: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("container.state.changed"),
        "{}",
        out.stderr
    );

    let out = run(cmd().args(["topics", "container.[a"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("cycle-notify: error: invalid topic glob"),
        "{}",
        out.stderr
    );
}
