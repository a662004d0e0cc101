//! Acting on events end to end: `--exec` and `--forward-to` against hubs and receivers the
//! tests start, with what each handler received checked on the receiving side.

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use crate::receiver::{verify, Receiver, Reply};
use crate::support::*;

const C1: &str = "65f0c0ffee0000000000c001";
const C2: &str = "65f0c0ffee0000000000c002";
const C3: &str = "65f0c0ffee0000000000c003";
/// The Standard Webhooks specification's example secret (24 bytes).
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// `per_object` notifications for each of `objects`, interleaved (a, b, c, a, b, c, …), each
/// with its place in the whole stream (`seq`) and in its object's own sequence (`n`).
fn numbered_notes(objects: &[&str], per_object: usize) -> Vec<Step> {
    let mut steps = Vec::new();
    for n in 0..per_object {
        for id in objects {
            steps.push(Step::text(
                serde_json::json!({
                    "topic": "container.state.changed",
                    "seq": steps.len(),
                    "n": n,
                    "object": {"id": id, "state": "running"},
                    "context": {"hub_id": HUB, "environments": ["env1"], "containers": [id]},
                })
                .to_string(),
            ));
        }
    }
    steps
}

/// Starts `c` with stdout and stderr going to `out.jsonl` and `err.txt` in `dir`, so a test
/// can look at them while the process runs.
fn spawn_to_files(c: &mut std::process::Command, dir: &Path) -> Child {
    let file = |name: &str| std::fs::File::create(dir.join(name)).unwrap();
    c.stdout(file("out.jsonl"))
        .stderr(file("err.txt"))
        .spawn()
        .expect("spawn cycle-notify")
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

/// The pids a command wrote, one a line.
fn pids(dir: &Path, name: &str) -> Vec<i32> {
    read(dir, name)
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

/// Whether a process no longer runs: gone, or a zombie nobody has reaped yet.
fn gone(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    if unsafe { libc::kill(pid, 0) } != 0 {
        return true;
    }
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z'))
        })
        .unwrap_or(true)
}

/// The JSON lines an exec command appended (one notification per line).
fn json_file(dir: &Path, name: &str) -> Vec<serde_json::Value> {
    read(dir, name)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

#[test]
fn exec_gets_the_frame_on_stdin_and_its_fields_in_the_environment() {
    let hub = hub(vec![
        Step::text(format!(
            r#"{{"topic":"container.state.changed","object":{{"id":"{C1}","state":"running","state_previous":"starting","error":null}},"context":{{"hub_id":"{HUB}","environments":["e1","e2"],"containers":["{C1}"]}},"extra":{{"kept":true}}}}"#
        )),
        note("container.state.changed", C2, "stopped"),
        Step::text(format!(
            r#"{{"topic":"container.error","object":{{"id":"{C3}","error":{{"message":"out of memory"}}}},"context":{{"environments":[],"containers":[]}}}}"#
        )),
    ]);
    let dir = temp_dir();
    let script = format!(
        "read -r json && printf '%s\\n' \"$json\" >> '{0}/stdin.jsonl' && env | grep -E '^CYCLE_' | sort > \"{0}/env.$CYCLE_OBJECT_ID\"",
        dir.path().display()
    );
    let out = run(cmd_for(&hub).args(["tail", "--count", "3", "-o", "json", "--exec", &script]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json_lines().len(),
        3,
        "stdout still carries the notifications"
    );

    // One line each, newline-terminated (`read -r` fails on a line without one).
    let received = json_file(dir.path(), "stdin.jsonl");
    assert_eq!(received.len(), 3, "{received:?}");
    assert_eq!(received[0]["extra"]["kept"], true, "the frame's own bytes");
    assert_eq!(received[1]["object"]["id"], C2, "in arrival order");

    let env = read(dir.path(), &format!("env.{C1}"));
    for line in [
        "CYCLE_TOPIC=container.state.changed",
        &format!("CYCLE_OBJECT_ID={C1}"),
        "CYCLE_OBJECT_STATE=running",
        "CYCLE_PREVIOUS_STATE=starting",
        &format!("CYCLE_HUB_ID={HUB}"),
        "CYCLE_ENVIRONMENT_IDS=e1,e2",
        &format!("CYCLE_CONTAINER_IDS={C1}"),
    ] {
        assert!(env.lines().any(|l| l == line), "{line} missing in:\n{env}");
    }
    assert!(
        !env.contains("CYCLE_API_KEY") && !env.contains(KEY),
        "the API key never reaches a destination:\n{env}"
    );
    assert!(!env.contains("CYCLE_OBJECT_ERROR"), "no error, no variable");

    let env = read(dir.path(), &format!("env.{C3}"));
    for line in [
        "CYCLE_TOPIC=container.error",
        "CYCLE_OBJECT_ERROR=out of memory",
        // Not in the frame: the hub the run is connected to.
        &format!("CYCLE_HUB_ID={HUB}"),
        "CYCLE_ENVIRONMENT_IDS=",
    ] {
        assert!(env.lines().any(|l| l == line), "{line} missing in:\n{env}");
    }
    assert!(!env.contains("CYCLE_OBJECT_STATE"), "no state, no variable");
}

#[test]
fn a_failing_command_is_reported_with_its_last_stderr_line_and_exits_5() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let out = run(cmd_for(&hub).args([
        "tail",
        "--count",
        "1",
        "-o",
        "json",
        "--exec",
        "echo first >&2; echo 'it broke' >&2; exit 3",
    ]));
    assert_eq!(out.code, 5, "{out:?}");
    assert_eq!(out.json_lines().len(), 1);
    assert!(
        out.stderr.contains(&format!(
            "exec failed (exit 3) for container.state.changed {C1}: it broke"
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn forwarded_notifications_are_signed_as_standard_webhooks_prescribe() {
    let hub = hub(numbered_notes(&[C1, C2], 2));
    let receiver = Receiver::ok();
    let out = run(cmd_for(&hub)
        .env("CYCLE_NOTIFY_FORWARD_SECRET", SECRET)
        .args(["tail", "--count", "4", "-o", "pretty", "--color", "never"])
        .args(["--forward-to", &receiver.url])
        .args(["--forward-header", "X-Team: ops"])
        .args(["--forward-header", "X-Route: a:b"]));
    assert_eq!(out.code, 0, "{out:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 4, "{requests:?}");
    let mut ids = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/hook"));
        verify(SECRET, r).unwrap_or_else(|e| panic!("request {i}: {e}"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("x-team"), Some("ops"));
        assert_eq!(r.header("x-route"), Some("a:b"));
        assert_eq!(r.header("authorization"), None, "no credentials of ours");
        assert!(
            r.headers.iter().all(|(_, v)| !v.contains(KEY)),
            "the API key is never sent: {:?}",
            r.headers
        );
        assert_eq!(r.json()["seq"], i, "in arrival order");
        ids.push(r.header("webhook-id").unwrap().to_string());
    }
    // The frame's own bytes are the body.
    let Step::Text(first) = &numbered_notes(&[C1, C2], 2)[0] else {
        unreachable!()
    };
    assert_eq!(requests[0].body, first.as_bytes());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "one webhook-id per notification");
    assert_eq!(receiver.connections(), 1, "one kept-alive connection");
    // Pretty mode: one result line per delivery on stderr, as stripe listen shows them.
    assert_eq!(
        out.stderr.matches("forward → 200 in ").count(),
        4,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("(container.state.changed {C2})")),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("whsec_"),
        "a given secret is not shown"
    );
}

#[test]
fn a_generated_secret_is_printed_once_on_stderr_and_signs() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let receiver = Receiver::ok();
    let out = run(cmd_for(&hub).args([
        "tail",
        "--count",
        "1",
        "-o",
        "json",
        "--forward-to",
        &receiver.url,
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr.matches("whsec_").count(), 1, "{}", out.stderr);
    let secret = out
        .stderr
        .split_whitespace()
        .find(|w| w.starts_with("whsec_"))
        .unwrap();
    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    verify(secret, &requests[0]).unwrap();
    assert!(verify(SECRET, &requests[0]).is_err(), "the check can fail");
}

#[test]
fn the_secret_never_appears_in_verbose_output() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let payload = SECRET.trim_start_matches("whsec_");
    let leaks = |text: &str| text.contains(payload);
    let dir = temp_dir();
    let config = write_file(
        &dir,
        "config.toml",
        &format!("forward_secret = \"{SECRET}\"\n"),
    );
    for from in ["flag", "env", "file"] {
        // One failure first, so retry lines are logged too.
        let receiver = Receiver::start(|_, i| Reply::Status(if i == 0 { 503 } else { 200 }));
        let mut c = cmd_for(&hub);
        c.args(["-vv", "tail", "--count", "1", "-o", "json"])
            .args(["--forward-to", &receiver.url]);
        match from {
            "flag" => c.args(["--forward-secret", SECRET]),
            "env" => c.env("CYCLE_NOTIFY_FORWARD_SECRET", SECRET),
            _ => c.env("CYCLE_NOTIFY_CONFIG", &config),
        };
        let out = run(&mut c);
        assert_eq!(out.code, 0, "{from}: {out:?}");
        assert!(out.stderr.contains("frame of"), "-vv is on: {}", out.stderr);
        assert!(out.stderr.contains("retrying in"), "{}", out.stderr);
        assert!(
            !leaks(&out.stderr) && !leaks(&out.stdout),
            "{from}: {out:?}"
        );
        verify(SECRET, receiver.requests().last().unwrap()).unwrap();
    }
    let shown = run(cmd()
        .env("CYCLE_NOTIFY_CONFIG", &config)
        .args(["config", "show"]));
    assert_eq!(shown.code, 0, "{shown:?}");
    assert!(shown.stdout.contains("forward_secret"), "{}", shown.stdout);
    assert!(!leaks(&shown.stdout) && !leaks(&shown.stderr), "{shown:?}");
    // A secret that cannot be used is refused without being repeated.
    let bad = "whsec_not!base64secret";
    let out = run(cmd_for(&hub).args([
        "tail",
        "--forward-to",
        "http://127.0.0.1:1/",
        "--forward-secret",
        bad,
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!out.stderr.contains("not!base64"), "{}", out.stderr);
}

#[test]
fn transient_failures_are_retried_with_the_same_webhook_id_and_delivered_once() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let receiver = Receiver::start(|_, i| match i {
        0 => Reply::Status(503),
        1 => Reply::With(429, vec![("Retry-After", "1".into())]),
        _ => Reply::Status(200),
    });
    let out = run(cmd_for(&hub)
        .args(["-v", "tail", "--count", "1", "-o", "json"])
        .args(["--forward-to", &receiver.url, "--forward-secret", SECRET]));
    assert_eq!(out.code, 0, "{out:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    let id = requests[0].header("webhook-id").unwrap();
    for r in &requests {
        assert_eq!(
            r.header("webhook-id"),
            Some(id),
            "the same id on every retry"
        );
        assert_eq!(r.body, requests[0].body);
        verify(SECRET, r).unwrap();
    }
    let waited = requests[2].at.duration_since(requests[1].at);
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After: 1 honoured, waited {waited:?}"
    );
    assert!(
        out.stderr.contains(&format!(
            "forward failed (503 Service Unavailable) for container.state.changed {C1}; retrying in"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("(429 Too Many Requests)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("deliveries: 1 delivered, 0 failed, 0 left queued"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_4xx_is_permanent_reported_with_topic_and_id_and_exits_5() {
    let hub = hub(numbered_notes(&[C1, C2], 1));
    let receiver =
        Receiver::start(|r, _| Reply::Status(if r.object_id() == C1 { 400 } else { 200 }));
    let out = run(cmd_for(&hub)
        .args(["tail", "--count", "2", "-o", "json", "--status-events"])
        .args(["--forward-to", &receiver.url, "--forward-secret", SECRET]));
    assert_eq!(out.code, 5, "{out:?}");
    let tried: Vec<String> = receiver.requests().iter().map(|r| r.object_id()).collect();
    assert_eq!(
        tried,
        [C1, C2],
        "no retry of a 400; the next one still goes"
    );
    assert!(
        out.stderr.contains(&format!(
            "warning: forward failed (400 Bad Request) for container.state.changed {C1}"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: some notifications were not delivered: 1 failed"),
        "{}",
        out.stderr
    );
    let lines = out.json_lines();
    let failed: Vec<_> = lines
        .iter()
        .filter(|v| v["topic"] == "cycle-notify.delivery.failed")
        .collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(failed[0]["destination"], "forward");
    assert_eq!(failed[0]["reason"], "400 Bad Request");
    assert_eq!(
        failed[0]["notification"],
        format!("container.state.changed {C1}")
    );
    assert_eq!(failed[0]["seq"], 1);
}

#[test]
fn a_hanging_receiver_times_out_per_attempt_and_is_retried() {
    // Hangs once, then answers: delivered on the second attempt.
    let hub1 = hub(vec![note("container.state.changed", C1, "running")]);
    let receiver = Receiver::start(|_, i| {
        if i == 0 {
            Reply::Hang
        } else {
            Reply::Status(200)
        }
    });
    let out = run(cmd_for(&hub1)
        .args([
            "tail",
            "--count",
            "1",
            "-o",
            "json",
            "--forward-timeout",
            "200ms",
        ])
        .args(["--forward-to", &receiver.url, "--forward-secret", SECRET]));
    assert_eq!(out.code, 0, "{out:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        requests[0].header("webhook-id"),
        requests[1].header("webhook-id")
    );
    assert!(out.stderr.contains("(no answer within"), "{}", out.stderr);

    // Hangs every time: retried until --forward-retry-for runs out, then failed.
    let hub2 = hub(vec![note("container.state.changed", C1, "running")]);
    let receiver = Receiver::start(|_, _| Reply::Hang);
    let out = run(cmd_for(&hub2)
        .args(["tail", "--count", "1", "-o", "json"])
        .args(["--forward-timeout", "150ms", "--forward-retry-for", "1s"])
        .args(["--forward-to", &receiver.url, "--forward-secret", SECRET]));
    assert_eq!(out.code, 5, "{out:?}");
    let requests = receiver.requests();
    // The first backoff is at most 0.5 s, so a second attempt always fits in.
    assert!(requests.len() >= 2, "retried: {requests:?}");
    let last = requests.last().unwrap().at.duration_since(requests[0].at);
    // (As the receiver saw them: a little slack for a loaded machine.)
    assert!(
        last < Duration::from_millis(1200),
        "no attempt starts after --forward-retry-for: {last:?}"
    );
    assert!(
        out.stderr.contains(&format!(
            "warning: forward failed (no answer within 150ms) for container.state.changed {C1}\n"
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn parallel_forwarding_keeps_each_objects_order_within_the_limit() {
    let objects = [
        "65f0c0ffee00000000000a01",
        "65f0c0ffee00000000000a02",
        "65f0c0ffee00000000000a03",
        "65f0c0ffee00000000000a04",
        "65f0c0ffee00000000000a05",
        "65f0c0ffee00000000000a06",
    ];
    let per_object = 4;
    let total = objects.len() * per_object;
    let hub = hub(numbered_notes(&objects, per_object));
    let receiver = Receiver::start(|_, _| Reply::After(Duration::from_millis(40), 200));
    let out = run(cmd_for(&hub)
        .args(["tail", "--count", &total.to_string(), "-o", "json"])
        .args(["--forward-to", &receiver.url, "--forward-secret", SECRET])
        .args(["--forward-jobs", "4"]));
    assert_eq!(out.code, 0, "{out:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), total);
    let max = receiver.max_in_flight();
    assert!(max <= 4, "at most --forward-jobs at once, saw {max}");
    assert!(
        max >= 2,
        "requests ran in parallel, saw at most {max} at once"
    );
    for id in objects {
        let mine: Vec<_> = requests.iter().filter(|r| r.object_id() == id).collect();
        let order: Vec<u64> = mine
            .iter()
            .map(|r| r.json()["n"].as_u64().unwrap())
            .collect();
        assert_eq!(order, (0..per_object as u64).collect::<Vec<_>>(), "{id}");
        for pair in mine.windows(2) {
            assert!(
                pair[1].at >= pair[0].answered.unwrap(),
                "two requests for {id} at once"
            );
        }
    }
}

#[test]
fn a_slow_command_pauses_the_socket_and_loses_nothing() {
    const QUEUE: usize = 5;
    const TOTAL: usize = 60;
    // A burst that fills the queue, a quiet spell, then the rest as fast as the socket
    // takes them.
    let mut steps = numbered_notes(&[C1], TOTAL);
    steps.insert(QUEUE, Step::Pause(Duration::from_millis(1000)));
    let hub = hub(steps);
    let dir = temp_dir();
    let d = dir.path().display();
    // The first command takes longer than two ping intervals, so the socket goes unread for
    // that long and is then found with nothing waiting: the keepalive must not count the
    // pause as the hub's silence. Each command records, as it ends, how many notifications
    // cycle-notify has printed (taken from the socket) by then.
    let script = format!(
        "cat >> '{d}/got.jsonl'; \
         if [ ! -e '{d}/first' ]; then touch '{d}/first'; sleep 0.7; fi; \
         wc -l < '{d}/out.jsonl' >> '{d}/printed'"
    );
    let mut c = cmd_for(&hub);
    c.args(["-v", "tail", "-o", "json", "--count", &TOTAL.to_string()])
        .args(["--queue", &QUEUE.to_string(), "--ping-interval", "150ms"])
        .args(["--exec", &script]);
    let out = finish(spawn_to_files(&mut c, dir.path()));
    let stderr = read(dir.path(), "err.txt");
    assert_eq!(out.code, 0, "{stderr}");

    let got: Vec<u64> = json_file(dir.path(), "got.jsonl")
        .iter()
        .map(|v| v["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(
        got,
        (0..TOTAL as u64).collect::<Vec<_>>(),
        "all, in order: {stderr}"
    );
    let printed: Vec<usize> = read(dir.path(), "printed")
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert_eq!(printed.len(), TOTAL);
    for (i, p) in printed.iter().enumerate() {
        // Command i ends while i commands are done and at most QUEUE are taken but not
        // done: anything past that is still in the socket, unread.
        assert!(
            *p <= i + QUEUE,
            "command {i} saw {p} notifications taken from the socket (queue {QUEUE})"
        );
    }
    assert!(
        stderr.contains("the socket is not read until there is room"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("dead") && !stderr.contains("reconnect"),
        "our own pause is not a dead link: {stderr}"
    );
}

#[test]
fn exec_timeout_kills_the_whole_process_group() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let dir = temp_dir();
    let script = format!(
        "sleep 30 & echo $! >> '{}/pids'; wait",
        dir.path().display()
    );
    let out = run(cmd_for(&hub)
        .args(["tail", "--count", "1", "-o", "json", "--exec", &script])
        .args(["--exec-timeout", "300ms", "--exec-retries", "1"]));
    assert_eq!(out.code, 5, "{out:?}");
    let pids = pids(dir.path(), "pids");
    assert_eq!(pids.len(), 2, "tried twice: {pids:?}");
    for pid in pids {
        eventually(&format!("the background sleep {pid} to be killed"), || {
            gone(pid)
        });
    }
    let failure =
        format!("exec failed (timed out after 300ms, killed) for container.state.changed {C1}");
    assert!(
        out.stderr.contains(&format!("{failure}; retrying in")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("{failure}\n")),
        "{}",
        out.stderr
    );
}

#[test]
fn sigterm_drains_then_exits_143_listing_what_was_not_delivered() {
    let hub = hub(numbered_notes(&[C1, C2, C3], 1));
    let dir = temp_dir();
    let d = dir.path().display();
    // C1 finishes once the test says so; C2 would take 30 s.
    let script = format!(
        "echo $CYCLE_OBJECT_ID >> '{d}/started'; \
         if [ $CYCLE_OBJECT_ID = {C1} ]; then while [ ! -e '{d}/go' ]; do sleep 0.01; done; \
         else sleep 30 & echo $! >> '{d}/pids'; wait; fi; \
         echo $CYCLE_OBJECT_ID >> '{d}/done'"
    );
    let mut c = cmd_for(&hub);
    c.args(["tail", "-o", "json", "--drain", "1s", "--exec", &script]);
    let child = spawn_to_files(&mut c, dir.path());
    eventually("the first command to start", || {
        read(dir.path(), "started").contains(C1)
    });
    eventually("all three notifications to be taken", || {
        read(dir.path(), "out.jsonl").lines().count() == 3
    });
    signal(child.id(), libc::SIGTERM);
    let drain = "finishing 3 queued deliveries (up to 1.0s, --drain); a second signal stops now";
    let deadline = std::time::Instant::now() + LIMIT;
    while !read(dir.path(), "err.txt").contains(drain) {
        assert!(
            std::time::Instant::now() < deadline,
            "no drain: {}",
            read(dir.path(), "err.txt")
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::fs::write(dir.path().join("go"), "").unwrap();
    let out = finish(child);
    let stderr = read(dir.path(), "err.txt");
    assert_eq!(out.code, 143, "{stderr}");
    assert_eq!(
        read(dir.path(), "done").trim(),
        C1,
        "C1 finished in the drain"
    );
    assert!(
        stderr.contains(&format!(
            "warning: not delivered (exec): container.state.changed {C2}\n"
        )) && stderr.contains(&format!(
            "warning: not delivered (exec): container.state.changed {C3}\n"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(&format!(
        "not delivered (exec): container.state.changed {C1}"
    )));
    for pid in pids(dir.path(), "pids") {
        eventually("the command in flight to be killed", || gone(pid));
    }
}

#[test]
fn exec_and_forward_together_each_get_every_notification_with_nothing_on_stdout() {
    let hub = hub(numbered_notes(&[C1, C2], 3));
    let receiver = Receiver::ok();
    let dir = temp_dir();
    let script = format!(
        // Each notification arrives as one newline-terminated line.
        "cat >> '{0}/got.jsonl'",
        dir.path().display()
    );
    let out = run(cmd_for(&hub)
        .args([
            "-v", "tail", "--count", "6", "-o", "none", "--exec", &script,
        ])
        .args(["--forward-to", &receiver.url, "--forward-secret", SECRET]));
    assert_eq!(out.code, 0, "{out:?}");
    let want: Vec<u64> = (0..6).collect();
    let execs: Vec<u64> = json_file(dir.path(), "got.jsonl")
        .iter()
        .map(|v| v["seq"].as_u64().unwrap())
        .collect();
    let posts: Vec<u64> = receiver
        .requests()
        .iter()
        .map(|r| r.json()["seq"].as_u64().unwrap())
        .collect();
    assert_eq!((execs, posts), (want.clone(), want));
    assert_eq!(out.stdout, "", "-o none prints nothing");
    assert!(
        out.stderr
            .contains("deliveries: 12 delivered, 0 failed, 0 left queued"),
        "{}",
        out.stderr
    );
}

#[test]
fn delivery_flags_are_checked_before_connecting() {
    let port = dead_port();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--forward-to", "http://hooks.example.com/x"],
            "refusing plain http",
        ),
        (&["--forward-to", "ftp://127.0.0.1/"], "scheme"),
        (
            &[
                "--forward-to",
                "http://127.0.0.1:1/",
                "--forward-header",
                "nocolon",
            ],
            "'Name: value'",
        ),
        (
            &[
                "--forward-to",
                "http://127.0.0.1:1/",
                "--forward-header",
                "Webhook-Id: x",
            ],
            "set by cycle-notify itself",
        ),
        (
            &["--exec", "true", "--queue", "0"],
            "--queue must be at least 1",
        ),
        (
            &["--exec", "true", "--exec-jobs", "0"],
            "--exec-jobs must be at least 1",
        ),
        (
            &["--queue", "5"],
            "--queue and --drain apply to --exec, --forward-to and --publish",
        ),
        (&["--exec", " "], "--exec needs a command"),
    ];
    for (args, message) in cases {
        let out = run(cmd()
            .env("CYCLE_API_KEY", KEY)
            .env("CYCLE_HUB_ID", HUB)
            .env("CYCLE_BASE_URL", format!("http://127.0.0.1:{port}"))
            .arg("tail")
            .args(*args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn a_command_is_done_when_it_exits_even_if_it_left_something_running() {
    let hub = hub(numbered_notes(&[C1, C2], 1));
    let dir = temp_dir();
    // The background sleep keeps the command's stderr pipe open for 30 s.
    let script = format!(
        "sleep 30 > /dev/null & echo $! >> '{}/pids'; echo 'left one running' >&2",
        dir.path().display()
    );
    let started = std::time::Instant::now();
    let out = run(cmd_for(&hub)
        .args(["tail", "--count", "2", "-o", "pretty", "--color", "never"])
        .args(["--exec", &script]));
    let took = started.elapsed();
    for pid in pids(dir.path(), "pids") {
        signal(pid as u32, libc::SIGKILL);
    }
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        took < Duration::from_secs(20),
        "waited for the background process: {took:?}"
    );
    assert_eq!(
        out.stderr.matches("exec → exit 0 in").count(),
        2,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "exec (container.state.changed {C2}): left one running"
        )),
        "{}",
        out.stderr
    );
}
