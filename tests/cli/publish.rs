//! `tail --publish` against a real `nats-server -js` that each test starts on 127.0.0.1: what
//! lands in the stream is read back with the test's own JetStream client. Without nats-server
//! on PATH these tests say so and return (CI sets CYCLE_NOTIFY_REQUIRE_NATS, which makes that
//! a failure).

use std::collections::HashSet;
use std::fs::File;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

const C1: &str = "65f0c0ffee0000000000c001";
const C2: &str = "65f0c0ffee0000000000c002";
const C3: &str = "65f0c0ffee0000000000c003";

fn subject(topic_tokens: &str) -> String {
    format!("cycle.{HUB}.{topic_tokens}")
}

/// `tail -o json --publish URL` on `hub`, then `extra`.
fn tail_publishing(hub: &Hub, url: &str, extra: &[&str]) -> Cmd {
    let mut c = cmd_for(hub);
    c.args(["tail", "-o", "json", "--publish", url]).args(extra);
    c
}

/// The same into the stream CYCLE, created when missing.
fn publishing(hub: &Hub, url: &str, extra: &[&str]) -> Cmd {
    let mut c = tail_publishing(hub, url, &["--nats-stream", "CYCLE"]);
    c.args(extra);
    c
}

/// The part of a Nats-Msg-Id before its first `-`: one per run.
fn run_of(id: &str) -> &str {
    id.split_once('-').map_or(id, |(run, _)| run)
}

/// Lines of a file written by a running child (its stdout).
fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn notifications_arrive_in_order_with_their_subjects_payloads_and_headers() {
    let Some(nats) = NatsServer::start() else {
        return;
    };
    let odd =
        format!(r#"{{"topic":"odd topic.*.>..x","object":{{"id":"{C2}","state":"running"}}}}"#);
    // A frame spread over lines: stdout and the stream both get it on one line.
    let spread = format!(
        "{{\n  \"topic\": \"image.state.changed\",\n  \"object\": {{\"id\": \"{C3}\", \"state\": \"live\"}}\n}}\n"
    );
    let same = note("container.state.changed", C1, "stopped");
    let steps = vec![
        note("container.state.changed", C1, "running"),
        Step::text(odd),
        Step::text(spread),
        same.clone(),
        // The same bytes again: a distinct notification, stored twice.
        same,
        note("environment.state.changed", C2, "live"),
    ];
    let n = steps.len();
    let hub = hub(steps);
    let out = run(&mut publishing(
        &hub,
        &nats.url(),
        &["--count", &n.to_string()],
    ));
    assert_eq!(out.code, 0, "{out:?}");
    let printed: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(printed.len(), n, "{out:?}");

    let stored = nats.messages("CYCLE");
    let subjects: Vec<&str> = stored.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            subject("container.state.changed"),
            // Whitespace, * and > become _, and so does an empty token: never dropped.
            subject("odd_topic._._._.x"),
            subject("image.state.changed"),
            subject("container.state.changed"),
            subject("container.state.changed"),
            subject("environment.state.changed"),
        ]
    );
    let payloads: Vec<&str> = stored.iter().map(|m| m.payload.as_str()).collect();
    assert_eq!(payloads, printed, "the frames' own bytes, one line each");
    assert_eq!(stored[3].payload, stored[4].payload);

    let topics = [
        "container.state.changed",
        "odd topic.*.>..x",
        "image.state.changed",
        "container.state.changed",
        "container.state.changed",
        "environment.state.changed",
    ];
    let run_id = run_of(stored[0].header("Nats-Msg-Id")).to_string();
    assert!(!run_id.is_empty());
    for (i, m) in stored.iter().enumerate() {
        assert_eq!(m.header("Cycle-Hub-Id"), HUB);
        assert_eq!(m.header("Cycle-Topic"), topics[i]);
        let at: jiff::Timestamp = m
            .header("Cycle-Received-At")
            .parse()
            .unwrap_or_else(|e| panic!("Cycle-Received-At is not RFC 3339 ({e}): {m:?}"));
        assert!(at <= jiff::Timestamp::now());
        assert_eq!(
            m.header("Nats-Msg-Id"),
            format!("{run_id}-{}", i + 1),
            "one id per notification of this run"
        );
    }
    let received: Vec<jiff::Timestamp> = stored
        .iter()
        .map(|m| m.header("Cycle-Received-At").parse().unwrap())
        .collect();
    assert!(received.windows(2).all(|w| w[0] <= w[1]), "{received:?}");

    // A second run's ids differ: JetStream keeps its notifications too.
    let again = run(&mut tail_publishing(&hub, &nats.url(), &["--count", "1"]));
    assert_eq!(again.code, 0, "an existing stream is found: {again:?}");
    let stored = nats.messages("CYCLE");
    assert_eq!(stored.len(), n + 1);
    assert_ne!(run_of(stored[n].header("Nats-Msg-Id")), run_id);
}

#[test]
fn a_missing_or_narrow_stream_is_exit_4_naming_the_subject() {
    let Some(nats) = NatsServer::start() else {
        return;
    };
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let wildcard = format!("cycle.{HUB}.>");
    let tail =
        |extra: &[&str]| run(tail_publishing(&hub, &nats.url(), &["--count", "1"]).args(extra));

    let out = tail(&[]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains(&wildcard) && out.stderr.contains("--nats-stream"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);

    nats.add_stream("OTHER", &["other.>"]);
    let out = tail(&["--nats-stream", "OTHER"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains(&wildcard) && out.stderr.contains("OTHER"),
        "{}",
        out.stderr
    );

    // A stream that takes only some of the bridge's subjects is not enough either.
    nats.add_stream("PART", &[&format!("cycle.{HUB}.container.>")]);
    let out = tail(&[]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains(&wildcard), "{}", out.stderr);
    assert_eq!(nats.count("PART"), 0, "nothing was published");

    // --nats-stream creates what is missing: the prefix's subjects, the retention asked for.
    let out = tail(&[
        "--subject-prefix",
        "acme",
        "--nats-stream",
        "ACME",
        "--nats-max-age",
        "1h",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let (subjects, max_age) = nats.with_js(async |js| {
        let info = js
            .get_stream("ACME")
            .await
            .unwrap()
            .get_info()
            .await
            .unwrap();
        (info.config.subjects, info.config.max_age)
    });
    assert_eq!(subjects, [format!("acme.{HUB}.>")]);
    assert_eq!(max_age, Duration::from_secs(3600));
    let stored = nats.messages("ACME");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].subject,
        format!("acme.{HUB}.container.state.changed")
    );

    // No server at all: exit 4 before anything is read.
    let dead = format!("nats://127.0.0.1:{}", dead_port());
    let out = run(cmd_for(&hub).args(["tail", "--count", "1", "--publish", &dead]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("cannot connect to NATS"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
}

/// A cycle-notify process whose stdout goes to a file the test reads while it runs.
struct Bridge {
    child: Child,
    stdout: std::path::PathBuf,
    stderr: std::path::PathBuf,
    _cmd: Cmd,
}

impl Bridge {
    fn start(mut c: Cmd, dir: &std::path::Path, name: &str) -> Bridge {
        let stdout = dir.join(format!("{name}.out"));
        let stderr = dir.join(format!("{name}.err"));
        let child = c
            .stdout(Stdio::from(File::create(&stdout).unwrap()))
            .stderr(Stdio::from(File::create(&stderr).unwrap()))
            .spawn()
            .expect("spawn cycle-notify");
        Bridge {
            child,
            stdout,
            stderr,
            _cmd: c,
        }
    }

    fn printed(&self) -> Vec<String> {
        lines_of(&self.stdout)
    }

    fn seqs(&self) -> Vec<u64> {
        self.printed()
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["seq"].as_u64())
            .collect()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Waits for the exit status, killing the process after LIMIT.
    fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                signal(self.child.id(), libc::SIGKILL);
                panic!("cycle-notify did not finish: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_nats_restart_mid_run_loses_nothing_and_duplicates_nothing() {
    let Some(mut nats) = NatsServer::start() else {
        return;
    };
    let mut config = HubConfig::new(KEY, HUB, numbered(Duration::from_millis(2)));
    config.track_state = false;
    let hub = hub_with(config);
    let dir = temp_dir();
    let count = 600;
    let c = publishing(
        &hub,
        &nats.url(),
        &["--count", &count.to_string(), "--drain", "25s"],
    );
    let mut bridge = Bridge::start(c, dir.path(), "bridge");
    nats.wait_for("CYCLE", 50);
    // Killed with acks in flight; notifications keep arriving into the queue meanwhile, and
    // the server stays away until a publish has failed (no ack within 5 s).
    nats.stop_with(libc::SIGKILL);
    let printed = bridge.printed().len();
    eventually("notifications queued while NATS is down", || {
        bridge.printed().len() >= printed + 100
    });
    eventually("a failed publish", || {
        bridge.stderr().contains("publish failed")
    });
    nats.start_again();
    let code = bridge.wait();
    assert_eq!(code, 0, "{}", bridge.stderr());
    let printed = bridge.printed();
    assert_eq!(printed.len(), count);

    let stored = nats.messages("CYCLE");
    let ids: Vec<&str> = stored.iter().map(|m| m.header("Nats-Msg-Id")).collect();
    let distinct: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), ids.len(), "no message stored twice");
    let payloads: Vec<&str> = stored.iter().map(|m| m.payload.as_str()).collect();
    assert_eq!(payloads.len(), count, "{}", bridge.stderr());
    assert_eq!(payloads, printed, "every notification, in order");
}

#[test]
fn a_publish_that_cannot_succeed_within_the_retry_budget_fails_with_exit_5() {
    let Some(mut nats) = NatsServer::start() else {
        return;
    };
    let mut steps = vec![
        note("container.state.changed", C1, "running"),
        Step::Pause(Duration::from_millis(500)),
    ];
    for i in 0..20 {
        steps.push(note(
            "container.state.changed",
            &format!("65f0c0ffee00000000000{i:03}"),
            "running",
        ));
    }
    let hub = hub(steps);
    let dir = temp_dir();
    let c = publishing(
        &hub,
        &nats.url(),
        &[
            "--count",
            "21",
            "--publish-retry-for",
            "1s",
            "--drain",
            "25s",
        ],
    );
    let mut bridge = Bridge::start(c, dir.path(), "bridge");
    nats.wait_for("CYCLE", 1);
    nats.stop_with(libc::SIGKILL);
    let stopped = Instant::now();
    let code = bridge.wait();
    let took = stopped.elapsed();
    let stderr = bridge.stderr();
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("20 failed"), "{stderr}");
    assert!(!stderr.contains("still queued"), "{stderr}");
    // The budget bounds the run, not one ack timeout per notification in turn.
    assert!(took < Duration::from_secs(15), "took {took:?}: {stderr}");
    assert_eq!(bridge.printed().len(), 21);
}

#[test]
fn of_two_ha_bridges_one_publishes_and_the_other_takes_over_after_a_kill() {
    let Some(nats) = NatsServer::start() else {
        return;
    };
    // One timeline for both sockets, as on a real hub: both bridges see the same
    // notifications (`seq` 0, 1, 2, …), each from when it joined.
    let mut config = HubConfig::new(KEY, HUB, numbered(Duration::from_millis(20)));
    config.track_state = false;
    config.timeline = cycle_notify::sim::Timeline::Shared {
        from_first_socket: true,
    };
    let hub = hub_with(config);
    let dir = temp_dir();
    let bridge = |name: &str| {
        // A standby that queued what it does not publish would stop reading at once.
        let c = publishing(&hub, &nats.url(), &["--ha", "--queue", "10"]);
        Bridge::start(c, dir.path(), name)
    };
    let mut first = bridge("first");
    nats.wait_for("CYCLE", 10);
    let mut second = bridge("second");
    eventually("the standby reading the hub well past its queue", || {
        second.printed().len() >= 100
    });
    let before = nats.messages("CYCLE");
    let runs: HashSet<&str> = before
        .iter()
        .map(|m| run_of(m.header("Nats-Msg-Id")))
        .collect();
    assert_eq!(runs.len(), 1, "one publisher: {runs:?}");
    let publisher_run = runs.into_iter().next().unwrap().to_string();

    signal(first.child.id(), libc::SIGKILL);
    let killed = Instant::now();
    let _ = first.child.wait();
    let taken_over = loop {
        let stored = nats.messages("CYCLE");
        if stored.iter().any(|m| {
            run_of(m.header("Nats-Msg-Id")) != publisher_run && !m.subject.ends_with(".gap")
        }) {
            break killed.elapsed();
        }
        assert!(killed.elapsed() < LIMIT, "no takeover: {}", second.stderr());
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        taken_over < Duration::from_secs(10),
        "took over after {taken_over:?}"
    );
    // Some more from the new publisher, then stop it.
    let settled = nats.count("CYCLE");
    nats.wait_for("CYCLE", settled + 20);
    signal(second.child.id(), libc::SIGTERM);
    assert_eq!(second.wait(), 143, "{}", second.stderr());

    let stored = nats.messages("CYCLE");
    let gap_subject = subject("cycle-notify.stream.gap");
    let gaps: Vec<&Stored> = stored.iter().filter(|m| m.subject == gap_subject).collect();
    // The first publisher of the stream had nothing before it: the handover is the one gap.
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    let handover = gaps[0].json();
    assert_eq!(handover["topic"], "cycle-notify.stream.gap");
    assert!(handover["from"].is_string(), "{handover}");
    let from: jiff::Timestamp = handover["from"].as_str().unwrap().parse().unwrap();
    let to: jiff::Timestamp = handover["to"].as_str().unwrap().parse().unwrap();
    assert!(from < to, "{handover}");

    // Every notification once: one publisher's run, the gap record, then the other's.
    let mut seen = Vec::new();
    let mut runs_in_order: Vec<String> = Vec::new();
    for m in &stored {
        let run = run_of(m.header("Nats-Msg-Id")).to_string();
        if runs_in_order.last() != Some(&run) {
            runs_in_order.push(run);
        }
        if m.subject != gap_subject {
            seen.push(m.json()["seq"].as_u64().unwrap());
        }
    }
    assert_eq!(runs_in_order.len(), 2, "{runs_in_order:?}");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "no notification twice, in order: {seen:?}"
    );
    // What each published is exactly what it received over that stretch.
    let second_seqs = second.seqs();
    let handed_over = stored
        .iter()
        .position(|m| std::ptr::eq(m, gaps[0]))
        .unwrap();
    let theirs: Vec<u64> = stored[handed_over + 1..]
        .iter()
        .map(|m| m.json()["seq"].as_u64().unwrap())
        .collect();
    let start = second_seqs.iter().position(|s| *s == theirs[0]).unwrap();
    assert_eq!(
        &second_seqs[start..start + theirs.len()],
        &theirs[..],
        "the new publisher skipped nothing it received"
    );
    let first_seqs = first.seqs();
    let mine: Vec<u64> = stored[..handed_over]
        .iter()
        .map(|m| m.json()["seq"].as_u64().unwrap())
        .collect();
    let start = first_seqs.iter().position(|s| *s == mine[0]).unwrap();
    assert_eq!(&first_seqs[start..start + mine.len()], &mine[..]);
    assert!(
        second.stderr().contains("publisher for"),
        "{}",
        second.stderr()
    );
}

#[test]
fn a_token_in_the_url_logs_in_and_never_appears_on_stderr() {
    const TOKEN: &str = "s3cr3t-nats-token-0123";
    let login = NatsLogin {
        token: Some(TOKEN.into()),
        ..Default::default()
    };
    let Some(nats) = NatsServer::start_with(&["--auth", TOKEN], login) else {
        return;
    };
    let hub = hub(vec![
        note("container.state.changed", C1, "running"),
        note("container.state.changed", C2, "running"),
    ]);
    let url = format!("nats://{TOKEN}@127.0.0.1:{}", nats.port);
    let out = run(&mut publishing(&hub, &url, &["-vv", "--count", "2"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains(TOKEN), "{}", out.stderr);
    assert!(
        out.stderr.contains("publish →"),
        "-vv shows the acks: {}",
        out.stderr
    );
    assert_eq!(nats.count("CYCLE"), 2);

    let wrong = format!("nats://wrong-{TOKEN}@127.0.0.1:{}", nats.port);
    let out = run(&mut publishing(&hub, &wrong, &["-vv", "--count", "1"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("authorization"), "{}", out.stderr);
    assert!(!out.stderr.contains(TOKEN), "{}", out.stderr);
}

#[test]
fn a_user_and_password_come_from_nats_url() {
    let login = NatsLogin {
        user: Some(("bridge".into(), "pa55word".into())),
        ..Default::default()
    };
    let Some(nats) = NatsServer::start_with(&["--user", "bridge", "--pass", "pa55word"], login)
    else {
        return;
    };
    let url = format!("nats://bridge:pa55word@127.0.0.1:{}", nats.port);
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let out = run(cmd_for(&hub).env("NATS_URL", &url).args([
        "tail",
        "-v",
        "-o",
        "json",
        "--count",
        "1",
        "--publish",
        "--nats-stream",
        "CYCLE",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("pa55word"), "{}", out.stderr);
    assert_eq!(nats.count("CYCLE"), 1);
}

#[test]
fn tls_with_a_private_ca_given_by_nats_ca() {
    let ca = Ca::new();
    let (cert, key) = ca.server_files(&["127.0.0.1", "localhost"]);
    let login = NatsLogin {
        ca: Some(ca.pem.clone()),
        ..Default::default()
    };
    let Some(nats) = NatsServer::start_with(
        &[
            "--tls",
            "--tlscert",
            cert.to_str().unwrap(),
            "--tlskey",
            key.to_str().unwrap(),
        ],
        login,
    ) else {
        return;
    };
    assert!(nats.url().starts_with("tls://"));
    let hub = hub(vec![
        note("container.state.changed", C1, "running"),
        note("container.state.changed", C2, "running"),
    ]);
    let tail = |extra: &[&str]| run(publishing(&hub, &nats.url(), &["--count", "2"]).args(extra));
    let out = tail(&["--nats-ca", ca.pem.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(nats.count("CYCLE"), 2);

    // The system store alone does not know the test CA.
    let out = tail(&[]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("unknown authority"), "{}", out.stderr);
    assert_eq!(nats.count("CYCLE"), 2);
}

/// A reconnect on the Cycle side is a gap consumers downstream must hear of: the record
/// goes into the stream between the notifications, in arrival order.
#[test]
fn a_gap_on_the_cycle_side_is_published_in_order() {
    let Some(nats) = NatsServer::start() else {
        return;
    };
    // Each socket gets one notification and is then dropped.
    let hub = hub(vec![
        note("container.state.changed", C1, "running"),
        Step::Abort,
    ]);
    let out = Lib::for_hub(&hub).run(&[
        "tail",
        "-o",
        "json",
        "--count",
        "3",
        "--publish",
        &nats.url(),
        "--nats-stream",
        "CYCLE",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let stored = nats.messages("CYCLE");
    let topics: Vec<&str> = stored.iter().map(|m| m.header("Cycle-Topic")).collect();
    let gap = "cycle-notify.stream.gap";
    assert_eq!(
        topics,
        [
            "container.state.changed",
            gap,
            "container.state.changed",
            gap,
            "container.state.changed"
        ],
        "{out:?}"
    );
    let record = stored[1].json();
    assert_eq!(stored[1].subject, subject(gap));
    assert_eq!(record["topic"], gap);
    assert!(
        record["from"].is_string() && record["to"].is_string(),
        "{record}"
    );
    assert!(record["duration_ms"].is_u64(), "{record}");
    assert_eq!(
        out.json_lines().len(),
        3,
        "stdout has only the notifications without --status-events"
    );
}
