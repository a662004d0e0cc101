//! `wait-for` end to end: every outcome and exit status, parents, `--any`, the race between
//! the socket and the state read, the 404 grace, `state.error`, fallback reads, every kind's
//! path, `--healthy`, progress and refusals.

use std::time::Duration;

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

/// The paths of the requests the hub answered, in order.
fn paths(hub: &Hub) -> Vec<String> {
    hub.log()
        .requests
        .iter()
        .map(|r| r.request.path.clone())
        .collect()
}

/// The statuses the hub answered to requests under `prefix`, in order.
fn statuses(hub: &Hub, prefix: &str) -> Vec<u16> {
    hub.log()
        .requests
        .iter()
        .filter(|r| r.request.path.starts_with(prefix))
        .map(|r| r.status)
        .collect()
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
fn a_404_past_the_grace_is_not_found() {
    let hub = hub_of(&[], vec![]);
    let out = wait(&hub, &["image", A, "--appear-within", "300ms"]);
    assert_eq!(out.code, 1, "{out:?}");
    let line = &out.json_lines()[0];
    assert_eq!(line["outcome"], "not_found");
    assert!(
        out.stderr.contains(&format!(
            "image {A} was not found (404 404.image for --appear-within 300ms)"
        )),
        "{}",
        out.stderr
    );
    // Read again before giving up: at the end of the grace at least.
    let reads = statuses(&hub, "/v1/images/");
    assert!(
        reads.len() >= 2 && reads.iter().all(|s| *s == 404),
        "{reads:?}"
    );
}

#[test]
fn a_404_means_not_visible_yet_until_the_object_appears() {
    // 404 for 4 s after the first read, then the object is there and running: within the
    // default 10 s grace the wait succeeds. The hub plays at 100× and the re-reads come
    // every 20 ms instead of 2 s.
    let mut config = config_of(
        &[],
        vec![
            Step::AwaitReads(1),
            Step::Pause(Duration::from_secs(4)),
            silently_running(A),
        ],
    );
    config.pacing = cycle_notify::sim::Pacing::Script { speed: 100.0 };
    let hub = hub_with(config);
    let out = wait_fast(&hub, &["container", A, "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    let reads = statuses(&hub, "/v1/containers/");
    assert!(reads.len() >= 2, "read again while not visible: {reads:?}");
    assert_eq!(reads.last(), Some(&200));
    assert!(
        reads[..reads.len() - 1].iter().all(|s| *s == 404),
        "{reads:?}"
    );
}

#[test]
fn a_404_uri_is_a_wrong_base_url() {
    let hub = hub_of(&[("container", A, "running")], vec![]);
    // The path under the base URL is wrong for every id: the hub answers 404.uri.
    for timeout in ["0", "10s"] {
        let out = run(cmd_for(&hub)
            .env("CYCLE_BASE_URL", format!("{}/api", hub.base_url()))
            .args(["wait-for", "container", A, "--timeout", timeout]));
        assert_eq!(out.code, 4, "{out:?}");
        assert!(out.stderr.contains("--base-url"), "{}", out.stderr);
    }
    let out = run(cmd_for(&hub)
        .env("CYCLE_BASE_URL", format!("{}/api", hub.base_url()))
        .args(["wait-for", "container", A, "--timeout", "0"]));
    assert!(
        out.stderr
            .contains("the API has no such path (404 404.uri): check --base-url"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
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
    let paths = paths(&hub);
    assert!(
        paths.contains(&format!("/v1/containers/c123/instances/{A}")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&format!("/v1/pipelines/p456/runs/{B}")),
        "{paths:?}"
    );
    // A run's pipeline cannot be learnt from its notifications: it is needed.
    let out = wait(&hub, &["pipeline-run", B]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("add --pipeline ID"), "{}", out.stderr);
    // An instance's container can, but not when checking once.
    let out = wait(&hub, &["instance", A, "--timeout", "0"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--container"), "{}", out.stderr);
    let out = wait(&hub, &["container", A, "--pipeline", "p"]);
    assert_eq!(out.code, 2, "{out:?}");
    let out = wait(&hub, &["gizmo", A]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("known kinds"), "{}", out.stderr);
    let out = wait(&hub, &["contaner", A]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("unknown kind 'contaner' (did you mean container?)"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_instance_learns_its_container_from_a_notification() {
    // No --container: the first notification about the instance names it in its context,
    // and the state is read under it.
    let hub = hub_of(
        &[("instance", A, "running")],
        vec![Step::text(
            serde_json::json!({
                "topic": "container.instance.error_reset",
                "object": {"id": A},
                "context": {"containers": ["c123"]},
            })
            .to_string(),
        )],
    );
    let out = wait(&hub, &["instance", A, "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    let paths = paths(&hub);
    assert!(
        paths.contains(&format!("/v1/containers/c123/instances/{A}")),
        "{paths:?}"
    );
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
    assert_eq!(statuses(&hub, "/v1/containers/"), [503, 503, 200]);
    // A hub that stays unavailable: the retries end after their most attempts and the wait
    // ends as unreachable with the API's answer, long before the timeout.
    let mut config = HubConfig::fixed(KEY, HUB, vec![]);
    config.faults.reads_unavailable_first = 1000;
    let hub = hub_with(config);
    let out = wait_fast(&hub, &["container", A, "--timeout", "20s"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("503"), "{}", out.stderr);
    assert_eq!(
        statuses(&hub, "/v1/containers/").len(),
        9,
        "the first read and 8 retries"
    );
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

/// JSON merged into what reads of `id` answer.
fn patch(id: &str, data: serde_json::Value) -> (String, serde_json::Value) {
    (id.to_string(), data)
}

fn state_error(message: &str) -> serde_json::Value {
    serde_json::json!({"state": {"error": {"message": message, "time": "2026-01-01T00:00:00Z"}}})
}

#[test]
fn a_pipeline_run_with_a_state_error_fails_with_its_message() {
    let mut config = config_of(&[("pipeline-run", B, "running")], vec![]);
    config.patches = vec![patch(B, state_error("step 2: image pull failed"))];
    let hub = hub_with(config);
    let out = wait(&hub, &["pipeline-run", B, "--pipeline", "p456"]);
    assert_eq!(out.code, 1, "{out:?}");
    let line = &out.json_lines()[0];
    assert_eq!(line["outcome"], "error");
    assert_eq!(line["state"], "running");
    assert_eq!(line["error"], "step 2: image pull failed");
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("error: "))
        .collect();
    assert_eq!(
        errors,
        [format!(
            "cycle-notify: error: pipeline-run {B} failed with an error (state running): step 2: image pull failed"
        )],
        "{}",
        out.stderr
    );
}

#[test]
fn other_kinds_show_a_state_error_and_fail_on_it_only_when_asked() {
    let mut config = config_of(
        &[
            ("container", A, "running"),
            ("container", B, "starting"),
            ("job", "j1", "error"),
        ],
        vec![],
    );
    config.patches = vec![
        patch(A, state_error("volume degraded")),
        patch(B, state_error("image pull failed")),
        patch("j1", state_error("task 1 failed")),
    ];
    let hub = hub_with(config);
    let out = wait(&hub, &["container", A]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json_lines()[0]["error"],
        "volume degraded",
        "shown in the final line"
    );
    // Shown while it waits, and in what is said at the timeout.
    let out = wait(&hub, &["container", B, "--timeout", "300ms"]);
    assert_eq!(out.code, 124, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("container {B}: state.error: image pull failed"))
            && out.stderr.contains(&format!(
                "container {B} is still starting, state.error: image pull failed"
            )),
        "{}",
        out.stderr
    );
    let out = wait(&hub, &["container", B, "--fail-on-error"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(&format!(
            "error: container {B} failed with an error (state starting): image pull failed"
        )),
        "{}",
        out.stderr
    );
    // A job fails on its state `error` (as the official tracker does), saying so once,
    // with state.error's message.
    let out = wait(&hub, &["job", "j1"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.ends_with(
            "cycle-notify: error: job j1 reached the failure state error: task 1 failed\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_change_without_any_notification_is_caught_by_the_poll() {
    let mut config = config_of(
        &[("container", A, "starting")],
        vec![Step::AwaitReads(1), silently_running(A)],
    );
    config.track_state = false;
    let hub = hub_with(config);
    let out = wait(&hub, &["container", A, "--poll", "1s", "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    assert_eq!(hub.log().state_reads, 2, "the first read and one poll");
    // Notifications only: nothing tells the wait.
    let mut config = config_of(
        &[("container", A, "starting")],
        vec![Step::AwaitReads(1), silently_running(A)],
    );
    config.track_state = false;
    let hub = hub_with(config);
    let out = wait(&hub, &["container", A, "--poll", "0", "--timeout", "500ms"]);
    assert_eq!(out.code, 124, "{out:?}");
    assert_eq!(hub.log().state_reads, 1);
}

#[test]
fn every_kind_reads_its_own_path_with_its_parent_and_names_its_capability() {
    use cycle_notify::catalog::kinds::KINDS;
    for kind in KINDS {
        // The hub itself is read as `hubs/current`, without an id.
        let id = if kind.has_id() { A } else { HUB };
        let mut args = vec!["wait-for", kind.name, "--timeout", "0", "-o", "json"];
        if kind.has_id() {
            args.push(id);
        }
        if let Some(p) = kind.parent {
            args.extend([p.flag, "p123"]);
        }
        let hub = hub_of(&[(kind.name, id, kind.targets[0])], vec![]);
        let out = Lib::for_hub(&hub).run(&args);
        assert_eq!(out.code, 0, "{}: {out:?}", kind.name);
        assert_eq!(
            out.json_lines()[0]["state"],
            kind.targets[0],
            "{}",
            kind.name
        );
        let want = kind.api_path(id, kind.parent.map(|_| "p123"));
        assert_eq!(paths(&hub), [want], "{}", kind.name);
        // Refused: the sentence names the capability this GET needs.
        let mut config = config_of(&[], vec![]);
        config.faults.reads_forbidden = true;
        let hub = hub_with(config);
        let out = Lib::for_hub(&hub).run(&args);
        assert_eq!(out.code, 3, "{}: {out:?}", kind.name);
        assert!(
            out.stderr
                .contains(&format!("lacks the capability {}", kind.capability)),
            "{}: {}",
            kind.name,
            out.stderr
        );
    }
}

#[test]
fn a_refused_read_names_its_capability_not_the_streams() {
    let mut config = config_of(&[("job", A, "running")], vec![]);
    config.faults.reads_forbidden = true;
    let hub = hub_with(config);
    let out = wait(&hub, &["job", A]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr
            .contains("the API key lacks the capability apionly-jobs-view")
            && !out.stderr.contains("notifications-listen"),
        "{}",
        out.stderr
    );
}

/// A running container `A` with a health check and two instances: `healthy1` healthy and
/// `i2` as given.
fn healthy_hub(i2: Option<bool>, steps: Vec<Step>) -> Hub {
    let mut config = config_of(
        &[
            ("container", A, "running"),
            ("instance", "healthy1", "running"),
            ("instance", "i2", "running"),
        ],
        steps,
    );
    let instance = |healthy: Option<bool>| serde_json::json!({"container_id": A, "state": {"health": {"healthy": healthy, "updated": "2026-01-01T00:00:00Z"}}});
    config.patches = vec![
        patch(
            A,
            serde_json::json!({"config": {"deploy": {"health_check": {"command": "true"}}}}),
        ),
        patch("healthy1", instance(Some(true))),
        patch("i2", instance(i2)),
    ];
    hub_with(config)
}

#[test]
fn healthy_fails_naming_an_instance_unhealthy_past_the_grace() {
    let hub = healthy_hub(Some(false), vec![]);
    let out = wait(
        &hub,
        &["container", A, "--healthy", "--unhealthy-grace", "300ms"],
    );
    assert_eq!(out.code, 1, "{out:?}");
    let line = &out.json_lines()[0];
    assert_eq!(line["outcome"], "unhealthy");
    assert!(
        out.stderr.contains(&format!(
            "error: container {A}: instance i2 stayed unhealthy for"
        )),
        "{}",
        out.stderr
    );
    assert!(
        hub.log()
            .requests
            .iter()
            .any(|r| r.request.path == format!("/v1/containers/{A}/instances")),
        "the instance list was read"
    );
}

#[test]
fn healthy_waits_until_every_instance_reports_healthy() {
    // i2 has not reported yet; its health notification says healthy.
    let hub = healthy_hub(
        None,
        vec![
            Step::AwaitReads(2),
            Step::text(
                serde_json::json!({
                    "topic": "container.instance.health.status.changed",
                    "object": {"id": "i2", "state": "running"},
                    "context": {"containers": [A]},
                    "annotations": {"health": "healthy"},
                })
                .to_string(),
            ),
        ],
    );
    let out = wait(&hub, &["container", A, "--healthy", "--timeout", "20s"]);
    assert_eq!(out.code, 0, "{out:?}");
    let line = &out.json_lines()[0];
    assert_eq!(
        (&line["state"], &line["outcome"]),
        (&"running".into(), &"reached".into())
    );
    assert!(
        out.stderr.contains("1 of 2 instances running and healthy"),
        "{}",
        out.stderr
    );
    let out = wait(&hub, &["instance", "i2", "--container", A, "--healthy"]);
    assert_eq!(out.code, 2, "containers only: {out:?}");
}

#[test]
fn progress_in_a_pipe_is_a_first_line_and_a_heartbeat() {
    let hub = hub_of(&[("container", A, "starting")], vec![]);
    let out = wait(
        &hub,
        &["container", A, "--heartbeat", "200ms", "--timeout", "1s"],
    );
    assert_eq!(out.code, 124, "{out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        format!("cycle-notify: waiting up to 1s for container {A} to be running"),
        "{}",
        out.stderr
    );
    let beats: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("cycle-notify: still waiting: container 65f0…aaaa starting ("))
        .collect();
    assert!(beats.len() >= 2, "{}", out.stderr);
    assert!(beats[0].ends_with(" of 1s)"), "{beats:?}");
    let quiet = run(cmd_for(&hub).args([
        "-q",
        "wait-for",
        "container",
        A,
        "--heartbeat",
        "100ms",
        "--timeout",
        "300ms",
    ]));
    assert_eq!(quiet.code, 124);
    assert!(
        !quiet.stderr.contains("still waiting") && !quiet.stderr.contains("waiting up to"),
        "-q: {}",
        quiet.stderr
    );
}

/// The README's kinds table is the one the code has (`UPDATE_GENERATED=1` rewrites it).
#[test]
fn readme_kinds_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        "<!-- kinds: generated from src/catalog/kinds.rs -->\n",
        "<!-- end of kinds -->",
    );
    let start = readme
        .find(begin)
        .expect("the README marks its kinds table")
        + begin.len();
    let stop = start + readme[start..].find(end).expect("end marker");
    let table = cycle_notify::catalog::kinds::markdown_table();
    if readme[start..stop] != table {
        if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| !v.is_empty()) {
            std::fs::write(
                &path,
                format!("{}{table}{}", &readme[..start], &readme[stop..]),
            )
            .unwrap();
        } else {
            panic!("README.md's kinds table is out of date; run `UPDATE_GENERATED=1 cargo test --test cli wait_for` and commit");
        }
    }
}
