//! `wait-for` end to end: every outcome and exit status, parents, `--any`, and the race
//! between the socket and the state read.

use crate::support::*;

const A: &str = "65f0c0ffee0000000000aaaa";
const B: &str = "65f0c0ffee0000000000bbbb";

/// A hub where `objects` (kind, id, state) exist from the start, playing `steps`.
fn config_of(objects: &[(&'static str, &str, &str)], steps: Vec<Step>) -> HubConfig {
    let mut config = HubConfig::fixed(KEY, HUB, steps);
    config.objects = objects
        .iter()
        .map(|(k, id, s)| (*k, id.to_string(), s.to_string()))
        .collect();
    config
}

fn hub_of(objects: &[(&'static str, &str, &str)], steps: Vec<Step>) -> Hub {
    hub_with(config_of(objects, steps))
}

/// The object turns `running` in the API, with no notification saying so.
fn silently_running(id: &str) -> Step {
    Step::SetState {
        kind: "container",
        id: id.into(),
        state: Some("running".into()),
    }
}

fn wait(hub: &Hub, args: &[&str]) -> Output {
    run(cmd_for(hub).arg("wait-for").args(args).args(["-o", "json"]))
}

/// `wait`, in-process on the fast schedule: for the retries and reconnects.
fn wait_fast(hub: &Hub, args: &[&str]) -> Output {
    let argv: Vec<&str> = ["wait-for"]
        .iter()
        .chain(args)
        .chain(&["-o", "json"])
        .copied()
        .collect();
    Lib::for_hub(hub).run(&argv)
}

fn state_change(topic: &str, id: &str, state: &str) -> Step {
    note(topic, id, state)
}

#[test]
fn already_at_target_exits_at_once() {
    let hub = hub_of(&[("container", A, "running")], vec![]);
    let out = wait(&hub, &["container", A, "--timeout", "30s"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines = out.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["kind"], "container");
    assert_eq!(lines[0]["id"], A);
    assert_eq!(lines[0]["state"], "running");
    assert_eq!(lines[0]["outcome"], "reached");
    assert!(lines[0]["elapsed_ms"].as_u64().is_some());
    // The socket was opened before the read, as the race-free order requires.
    let log = hub.log();
    let upgrade = log
        .requests
        .iter()
        .position(|r| r.status == 101)
        .expect("socket");
    let read = log
        .requests
        .iter()
        .position(|r| r.request.path.starts_with("/v1/containers/"))
        .expect("read");
    assert!(upgrade < read, "socket first, then the state read");
}

#[test]
fn reaches_target_by_notification() {
    let hub = hub_of(
        &[("container", A, "starting")],
        vec![
            Step::AwaitReads(1),
            state_change("container.state.changed", A, "running"),
        ],
    );
    let out = run(cmd_for(&hub).args(["wait-for", "container", A, "-o", "pretty"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with(&format!("container {A} running (")),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("starting → running"),
        "progress on stderr: {}",
        out.stderr
    );
    let quiet = run(cmd_for(&hub).args(["-q", "wait-for", "container", A]));
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "", "-q silences progress");
}

#[test]
fn notification_without_state_triggers_a_reread() {
    let hub = hub_of(
        &[("container", A, "starting")],
        vec![
            Step::AwaitReads(1),
            silently_running(A),
            Step::text(format!(
                r#"{{"topic":"container.reconfigured","object":{{"id":"{A}"}}}}"#
            )),
        ],
    );
    let out = wait(&hub, &["container", A]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    assert_eq!(
        hub.log().state_reads,
        2,
        "one read at the start, one after the notification"
    );
}

#[test]
fn failure_state_exits_1() {
    let hub = hub_of(
        &[("job", A, "running")],
        vec![
            Step::AwaitReads(1),
            state_change("job.state.changed", A, "error"),
        ],
    );
    let out = wait(&hub, &["job", A]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.json_lines()[0]["outcome"], "failed");
    assert!(
        out.stderr.contains(A) && out.stderr.contains("failure state error"),
        "{}",
        out.stderr
    );
    // --fail-on replaces the defaults.
    let hub = hub_of(
        &[("container", A, "running")],
        vec![
            Step::AwaitReads(1),
            state_change("container.state.changed", A, "stopped"),
        ],
    );
    let out = wait(
        &hub,
        &[
            "container",
            A,
            "--state",
            "starting",
            "--fail-on",
            "stopped",
        ],
    );
    assert_eq!(out.code, 1, "{out:?}");
}

#[test]
fn error_notification_exits_1_with_its_text() {
    let hub = hub_of(
        &[("container", A, "starting")],
        vec![
            Step::AwaitReads(1),
            Step::text(format!(
                r#"{{"topic":"container.error","object":{{"id":"{A}","error":{{"message":"image pull failed: 404"}}}}}}"#
            )),
        ],
    );
    let out = wait(&hub, &["container", A]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.json_lines()[0]["error"], "image pull failed: 404");
    assert!(
        out.stderr.contains("image pull failed: 404"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.lines().filter(|l| l.contains("error:")).count(),
        1
    );
}

/// What the hub says reaches stderr and the pretty result line escaped, never as the bidi
/// override or escape sequence it is; `-o json` keeps it for programs.
#[test]
fn hub_text_is_escaped_on_stderr_and_in_pretty_results() {
    let hub = hub_of(
        &[("container", A, "starting")],
        vec![
            Step::AwaitReads(1),
            Step::text(format!(
                r#"{{"topic":"container.error","object":{{"id":"{A}","error":"pull \u202efailed\u001b[2J\nagain"}}}}"#
            )),
        ],
    );
    let out = run(cmd_for(&hub).args(["wait-for", "container", A, "-o", "pretty"]));
    assert_eq!(out.code, 1, "{out:?}");
    let escaped = r"pull \u{202e}failed\u{1b}[2J";
    let error_line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("cycle-notify: error: "))
        .unwrap_or_else(|| panic!("no error line: {}", out.stderr));
    // One line per message on stderr: the newline is a space there, `\n` on stdout.
    assert!(
        error_line.ends_with(&format!("{escaped} again")),
        "{error_line:?}"
    );
    assert!(
        out.stdout.contains(&format!(r"{escaped}\nagain")),
        "{:?}",
        out.stdout
    );
    for text in [&out.stdout, &out.stderr] {
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{1b}'),
            "{text:?}"
        );
    }
    let out = wait(&hub, &["container", A]);
    assert_eq!(
        out.json_lines()[0]["error"],
        "pull \u{202e}failed\u{1b}[2J\nagain"
    );
}

#[test]
fn not_found_exits_1() {
    let hub = hub_of(&[], vec![]);
    let out = wait(&hub, &["image", A]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.json_lines()[0]["outcome"], "deleted");
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

#[test]
fn timeout_names_what_is_pending() {
    let hub = hub_of(&[("container", A, "starting")], vec![]);
    let out = wait(&hub, &["container", A, "--timeout", "400ms"]);
    assert_eq!(out.code, 124, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        hub.wait_until(LIMIT, |log| log.client_closes == 1),
        "close frame sent on timeout"
    );
    assert!(
        out.stderr.contains(A) && out.stderr.contains("still starting"),
        "{}",
        out.stderr
    );
}

#[test]
fn timeout_zero_checks_once_without_a_socket() {
    let hub = hub_of(
        &[("container", A, "starting"), ("container", B, "running")],
        vec![],
    );
    let out = wait(&hub, &["container", A, "--timeout", "0"]);
    assert_eq!(out.code, 124, "{out:?}");
    assert!(out.stderr.contains("checked once"), "{}", out.stderr);
    let out = wait(&hub, &["container", B, "--timeout", "0"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(hub.log().sockets, 0);
}

#[test]
fn all_ids_or_any() {
    let hub = hub_of(
        &[("container", A, "running"), ("container", B, "starting")],
        vec![],
    );
    let out = wait(&hub, &["container", A, B, "--timeout", "400ms"]);
    assert_eq!(out.code, 124, "{out:?}");
    let verdict = out
        .stderr
        .lines()
        .find(|l| l.contains("timed out"))
        .expect("timeout line");
    assert!(
        verdict.contains(B) && !verdict.contains(A),
        "only B is pending: {verdict}"
    );
    assert_eq!(out.json_lines()[0]["id"], A, "A settled and was printed");
    let out = wait(&hub, &["container", A, B, "--any"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["id"], A);
}

#[test]
fn parents_of_instances_and_pipeline_runs() {
    let hub = hub_of(
        &[("instance", A, "running"), ("pipeline-run", B, "complete")],
        vec![],
    );
    let out = wait(&hub, &["instance", A, "--container", "c123"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = wait(&hub, &["pipeline-run", B, "--pipeline", "p456"]);
    assert_eq!(out.code, 0, "{out:?}");
    let paths: Vec<String> = hub
        .log()
        .requests
        .iter()
        .map(|r| r.request.path.clone())
        .collect();
    assert!(
        paths.contains(&format!("/v1/containers/c123/instances/{A}")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&format!("/v1/pipelines/p456/runs/{B}")),
        "{paths:?}"
    );
    let out = wait(&hub, &["instance", A]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--container"), "{}", out.stderr);
    let out = wait(&hub, &["container", A, "--pipeline", "p"]);
    assert_eq!(out.code, 2, "{out:?}");
    let out = wait(&hub, &["gizmo", A]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("known kinds"), "{}", out.stderr);
}

#[test]
fn state_change_during_the_read_is_not_missed() {
    // The change is announced on the socket while the state read is held; the read then
    // answers the stale state. The buffered notification must still end the wait.
    let mut config = config_of(
        &[("container", A, "starting")],
        vec![state_change("container.state.changed", A, "running")],
    );
    config.track_state = false;
    config.hold_reads_until_frames = 1;
    let hub = hub_with(config);
    let out = wait(&hub, &["container", A, "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    assert_eq!(hub.log().state_reads, 1);
}

#[test]
fn refused_and_unreachable() {
    let hub = hub_of(&[("container", A, "running")], vec![]);
    let out = run(cmd_for(&hub)
        .env("CYCLE_API_KEY", "bad")
        .args(["wait-for", "container", A]));
    assert_eq!(out.code, 3, "{out:?}");
    let out = run(cmd()
        .args(["wait-for", "container", A, "--api-key", KEY, "--hub", HUB])
        .env(
            "CYCLE_BASE_URL",
            format!("http://127.0.0.1:{}", dead_port()),
        ));
    assert_eq!(out.code, 4, "{out:?}");
}

#[test]
fn demo_waits_for_its_first_container() {
    // In-process with the demo at 1/100 of its pace: the same story in tens of milliseconds.
    let out = Lib::new().run(&[
        "wait-for",
        "image",
        "--demo",
        "-o",
        "json",
        "--timeout",
        "60s",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let line = &out.json_lines()[0];
    assert_eq!(line["kind"], "image");
    assert_eq!(line["state"], "live");
}

#[test]
fn reconnect_rereads_the_pending_objects() {
    // The object changes while the socket is down, with no notification for it: only the
    // read after the reconnect can see it.
    let mut config = config_of(
        &[("container", A, "starting")],
        vec![Step::AwaitReads(1), silently_running(A), Step::Abort],
    );
    config.track_state = false;
    let hub = hub_with(config);
    let out = wait_fast(&hub, &["container", A, "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    let log = hub.log();
    assert!(log.sockets >= 2, "reconnected: {log:?}");
    assert!(log.state_reads >= 2, "read again after the reconnect");
    assert!(out.stderr.contains("reconnect"), "{}", out.stderr);
    // With reconnecting off, the drop is the end: exit 4.
    let hub = hub_of(
        &[("container", A, "starting")],
        vec![Step::AwaitReads(1), Step::Abort],
    );
    let out = wait(&hub, &["container", A, "--no-reconnect"]);
    assert_eq!(out.code, 4, "{out:?}");
}

#[test]
fn state_reads_are_retried_on_5xx() {
    let mut config = config_of(&[("container", A, "running")], vec![]);
    config.faults.reads_unavailable_first = 2;
    let hub = hub_with(config);
    let out = wait_fast(&hub, &["container", A, "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    let statuses: Vec<u16> = hub
        .log()
        .requests
        .iter()
        .filter(|r| r.request.path.starts_with("/v1/containers/"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    // A hub that stays unavailable: the retries end after their most attempts and the wait
    // ends as unreachable with the API's answer, long before the timeout.
    let mut config = HubConfig::fixed(KEY, HUB, vec![]);
    config.faults.reads_unavailable_first = 1000;
    let hub = hub_with(config);
    let out = wait_fast(&hub, &["container", A, "--timeout", "20s"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("503"), "{}", out.stderr);
    let reads = hub
        .log()
        .requests
        .iter()
        .filter(|r| r.request.path.starts_with("/v1/containers/"))
        .count();
    assert_eq!(reads, 9, "the first read and 8 retries");
}

#[test]
fn sigint_ends_a_wait_with_130() {
    let hub = hub_of(&[("container", A, "starting")], vec![]);
    let mut c = cmd_for(&hub);
    let child = c
        .args(["wait-for", "container", A])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        hub.wait_until(LIMIT, |log| log.state_reads >= 1),
        "the wait started"
    );
    signal(child.id(), libc::SIGINT);
    let out = finish(child);
    assert_eq!(out.code, 130, "{out:?}");
    assert!(
        hub.wait_until(LIMIT, |log| log.client_closes == 1),
        "close frame sent"
    );
}

#[test]
fn waiting_for_deletion_accepts_a_404() {
    let hub = hub_of(&[], vec![]);
    let out = wait(&hub, &["container", A, "--state", "deleted"]);
    assert_eq!(out.code, 0, "{out:?}");
    let line = &out.json_lines()[0];
    assert_eq!(line["outcome"], "reached");
    assert_eq!(line["state"], "deleted");
}

#[test]
fn a_repeated_id_is_one_object() {
    let hub = hub_of(
        &[("container", A, "running"), ("container", B, "running")],
        vec![],
    );
    let out = wait(&hub, &["container", B, A, B, "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    let ids: Vec<String> = out
        .json_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, [B, A]);
}

#[test]
fn bad_frames_and_bad_ids() {
    let hub = hub_of(
        &[("container", A, "starting")],
        vec![
            Step::AwaitReads(1),
            Step::text("garbage"),
            state_change("container.state.changed", A, "running"),
        ],
    );
    let out = wait(&hub, &["container", A]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("skipped not valid JSON"),
        "{}",
        out.stderr
    );
    let out = wait(&hub, &["container", "../../hubs/current/notifications"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("not an object id"), "{}", out.stderr);
}
