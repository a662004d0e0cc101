//! Staying connected, end to end against hubs that misbehave on request: drops, half-open
//! stalls, 429/503/401 on the token call, bad frames, proxies, TLS, and what -v shows.

use std::process::Stdio;
use std::time::Duration;

use cycle_notify::sim::{Faults, Injected, Script};

use crate::support::*;

fn faulty(script: Script, faults: Faults) -> Hub {
    let mut config = HubConfig::new(KEY, HUB, script);
    config.faults = faults;
    hub_with(config)
}

/// The delay the client announced in `reconnecting in 312ms: …`, in milliseconds.
fn announced_delay(stderr: &str) -> f64 {
    let line = stderr
        .lines()
        .find(|l| l.contains("reconnecting in "))
        .unwrap_or_else(|| panic!("no reconnect line in {stderr}"));
    let after = line.split("reconnecting in ").nth(1).unwrap();
    let amount = after.split(':').next().unwrap();
    if let Some(ms) = amount.strip_suffix("ms") {
        ms.parse().unwrap()
    } else {
        amount.strip_suffix('s').unwrap().parse::<f64>().unwrap() * 1000.0
    }
}

#[test]
fn abort_mid_stream_reconnects_with_a_fresh_token_and_loses_nothing_after() {
    let hub = faulty(
        numbered(Duration::from_millis(5)),
        Faults {
            drop_after_frames: Some(5),
            faulty_sockets: Some(1),
            ..Faults::default()
        },
    );
    let out = Lib::for_hub(&hub).run(&["-v", "tail", "-o", "json", "--count", "20"]);
    assert_eq!(out.code, 0, "{out:?}");
    let log = hub.log();
    let tokens: Vec<String> = log
        .requests
        .iter()
        .filter(|r| r.request.is_upgrade())
        .map(|r| r.request.query_param("token").unwrap())
        .collect();
    assert_eq!(tokens.len(), 2, "one socket per connection: {tokens:?}");
    assert_ne!(tokens[0], tokens[1], "a fresh token for the reconnect");
    assert!(log.token_calls().all(|r| r.status == 200));
    assert!(
        out.stderr.contains("reconnecting in ") && out.stderr.contains(": connection reset"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("reconnected after")
            && out
                .stderr
                .contains("notifications sent in between may be missing"),
        "{}",
        out.stderr
    );
    // The second socket's notifications start at 5: every one of them arrives, once, in order.
    let seqs = seqs(&out);
    assert_eq!(seqs.len(), 20);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "no repeats: {seqs:?}");
    let after: Vec<u64> = seqs.iter().copied().filter(|s| *s >= 5).collect();
    let first = after[0];
    assert_eq!(first, 5, "{seqs:?}");
    assert_eq!(after, (5..5 + after.len() as u64).collect::<Vec<_>>());

    // The connection delivered frames, so it counted as healthy: the retry after it is the
    // first in a row, its delay drawn from the first step of the schedule.
    assert!(out.stderr.contains("retry 1 in a row"), "{}", out.stderr);
    assert!(!out.stderr.contains("retry 2 in a row"), "{}", out.stderr);
    let first = fast().backoff.first.as_secs_f64() * 1000.0;
    assert!(announced_delay(&out.stderr) <= first, "{}", out.stderr);
    let (dropped, _) = log.injected[0];
    let reconnect = log.token_calls().nth(1).unwrap().at;
    assert!(reconnect >= dropped);
}

#[test]
fn half_open_stall_is_detected_within_two_ping_intervals() {
    let hub = faulty(
        numbered(Duration::from_millis(5)),
        Faults {
            stall_after_frames: Some(3),
            faulty_sockets: Some(1),
            ..Faults::default()
        },
    );
    let out = run(cmd_for(&hub).args([
        "-v",
        "tail",
        "-o",
        "json",
        "--count",
        "10",
        "--ping-interval",
        "100ms",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    // The stalled socket kept its TCP connection: everything it sent arrived, and the next
    // socket carried on from there.
    assert_eq!(seqs(&out), (0..10).collect::<Vec<_>>());
    assert!(out.stderr.contains("ping sent"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no frame or pong for 200ms: the link is dead"),
        "{}",
        out.stderr
    );
    let log = hub.log();
    assert_eq!(log.injected[0].1, Injected::Stall);
    let reconnect = log.token_calls().nth(1).expect("a reconnect").at;
    let total = reconnect.duration_since(log.injected[0].0).as_secs_f64() * 1000.0;
    let detection = total - announced_delay(&out.stderr);
    eprintln!(
        "measured: stall detected after {detection:.0}ms (ping interval 100ms), reconnect started {total:.0}ms after the stall"
    );
    // Never before two intervals; the upper bound leaves room for a loaded machine.
    assert!(
        (190.0..1500.0).contains(&detection),
        "detection {detection:.0}ms: {}",
        out.stderr
    );
}

#[test]
fn rate_limited_token_call_waits_for_retry_after() {
    let hub = faulty(
        Script::Fixed(std::sync::Arc::new(vec![note(
            "container.new",
            "c1",
            "new",
        )])),
        Faults {
            rate_limit_first: 1,
            retry_after: Some(1),
            ..Faults::default()
        },
    );
    // In-process with Retry-After capped at 50 ms: the 1 s the hub asks for is waited as the
    // cap, which no jittered delay of this schedule (at most 2 ms at first) can be.
    let timing = fast();
    let cap = timing.backoff.retry_after_cap;
    let out = Lib::for_hub(&hub).run(&["tail", "-o", "json", "--count", "1"]);
    assert_eq!(out.code, 0, "{out:?}");
    let log = hub.log();
    let calls: Vec<_> = log.token_calls().collect();
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [429, 200]
    );
    let waited = calls[1].at.duration_since(calls[0].at);
    assert!(waited >= cap, "{waited:?}");
    assert!(
        out.stderr.contains("retrying in 50ms") && out.stderr.contains("429"),
        "{}",
        out.stderr
    );
}

#[test]
fn unavailable_twice_then_success() {
    let hub = faulty(
        Script::Fixed(std::sync::Arc::new(vec![note(
            "container.new",
            "c1",
            "new",
        )])),
        Faults {
            unavailable_first: 2,
            ..Faults::default()
        },
    );
    let out = Lib::for_hub(&hub).run(&["tail", "-o", "json", "--count", "1"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
    let statuses: Vec<u16> = hub.log().token_calls().map(|c| c.status).collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(
        out.stderr.matches("retrying in ").count(),
        2,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("503"), "{}", out.stderr);
}

#[test]
fn busy_api_on_the_first_connection_is_given_up_with_4() {
    let hub = faulty(
        Script::Fixed(std::sync::Arc::new(vec![])),
        Faults {
            unavailable_first: 100,
            ..Faults::default()
        },
    );
    let out = Lib::for_hub(&hub).run(&["tail", "--count", "1"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(hub.log().token_calls().count(), 5);
    assert!(out.stderr.contains("503"), "{}", out.stderr);
}

#[test]
fn refused_on_the_second_token_call_exits_3() {
    let hub = faulty(
        Script::Fixed(std::sync::Arc::new(vec![
            note("container.new", "c1", "new"),
            Step::Abort,
        ])),
        Faults {
            refuse_from: Some(2),
            ..Faults::default()
        },
    );
    let out = Lib::for_hub(&hub).run(&["tail", "-o", "json"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
    assert!(out.stderr.contains("revoked"), "{}", out.stderr);
    let statuses: Vec<u16> = hub.log().token_calls().map(|c| c.status).collect();
    assert_eq!(statuses, [200, 401], "no retry of a refused key");
}

#[test]
fn no_reconnect_exits_4_on_a_drop() {
    let hub = hub(vec![note("container.new", "c1", "new"), Step::Abort]);
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--no-reconnect"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.topics(), ["container.new"], "what arrived is printed");
    assert!(
        out.stderr.contains("connection reset") && out.stderr.contains("--no-reconnect"),
        "{}",
        out.stderr
    );
    assert_eq!(hub.log().token_calls().count(), 1);
}

#[test]
fn a_hub_that_accepts_and_closes_is_not_hammered() {
    // No frame ever arrives, so no connection counts as healthy: the retries are counted in
    // one row and each delay is drawn from a longer step of the schedule. In-process, on a
    // schedule of milliseconds (2, 4, 8, then 16 ms at most).
    let hub = hub(vec![Step::Close]);
    let timing = fast();
    let out = Lib::for_hub(&hub).run(&["-v", "tail", "--timeout", "300ms"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    let mut retries = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("reconnecting in ") {
            let row = lines.get(i + 1).and_then(|l| l.split("retry ").nth(1));
            let n: u32 = row
                .and_then(|r| r.strip_suffix(" in a row"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no retry count after {line:?}: {}", out.stderr));
            retries.push((n, announced_delay(line)));
        }
    }
    assert!(retries.len() >= 3, "{}", out.stderr);
    for (i, (n, delay)) in retries.iter().enumerate() {
        assert_eq!(*n, i as u32 + 1, "never reset: {}", out.stderr);
        let cap = timing.backoff.cap(n - 1).as_secs_f64() * 1000.0;
        assert!(*delay <= cap, "retry {n}: {delay}ms over {cap}ms");
    }
    // One line per attempt; the last socket's close may race the deadline.
    let sockets = hub.log().sockets;
    assert!(
        retries.len() == sockets || retries.len() + 1 == sockets,
        "{} lines for {sockets} sockets: {}",
        retries.len(),
        out.stderr
    );
}

#[test]
fn garbage_and_oversized_frames_are_skipped_and_counted() {
    let steps: Vec<Step> = (0..30)
        .map(|i| {
            Step::text(
                serde_json::json!({"topic": "container.state.changed", "seq": i}).to_string(),
            )
        })
        .collect();
    let hub = faulty(
        Script::Fixed(std::sync::Arc::new(steps)),
        Faults {
            garbage_every: Some(2),
            oversized_every: Some(5),
            ..Faults::default()
        },
    );
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--count", "30"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(seqs(&out), (0..30).collect::<Vec<_>>());
    for reason in [
        "not valid JSON",
        "binary frame",
        "without a string",
        "oversized",
    ] {
        assert!(out.stderr.contains(reason), "{reason}: {}", out.stderr);
    }
    // Read before the 30th notification: garbage after frames 2..28 (14) and oversized
    // after 5..25 (5).
    assert!(
        out.stderr.contains("skipped 19 bad frames in all"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.lines().count() <= 6,
        "rate-limited: {}",
        out.stderr
    );
}

#[test]
fn status_events_are_records_that_pass_filters() {
    // A hub that drops the first socket after 3 frames; the filter lets no frame through,
    // so stdout holds only the records: connected, connected again, the gap.
    let records_in = |format: &str| -> Vec<String> {
        let hub = faulty(
            numbered(Duration::from_millis(5)),
            Faults {
                drop_after_frames: Some(3),
                faulty_sockets: Some(1),
                ..Faults::default()
            },
        );
        let mut c = cmd_for(&hub);
        let mut child = c
            .args(["tail", "-o", format, "--status-events", "-t", "image.*"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = read_until(&mut child, |l| l.len() >= 3);
        signal(child.id(), libc::SIGINT);
        let out = finish(child);
        assert_eq!(out.code, 130, "{out:?}");
        lines
    };
    let lines = records_in("json");
    let records: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["topic"], "cycle-notify.stream.connected");
    assert_eq!(records[0]["first"], true);
    assert_eq!(records[1]["topic"], "cycle-notify.stream.connected");
    assert_eq!(records[1]["first"], false);
    let gap = &records[2];
    assert_eq!(gap["topic"], "cycle-notify.stream.gap");
    assert_eq!(gap["reason"], "connection reset");
    let from = humantime::parse_rfc3339(gap["from"].as_str().unwrap()).unwrap();
    let to = humantime::parse_rfc3339(gap["to"].as_str().unwrap()).unwrap();
    assert!(from <= to);
    assert!(gap["duration_ms"].as_u64().unwrap() < 5000);

    // Pretty: one readable line per record.
    let lines = records_in("pretty");
    assert!(lines[2].contains("cycle-notify.stream.gap"), "{lines:?}");
    assert!(lines[2].contains("connection reset"), "{lines:?}");
}

#[test]
fn a_connect_proxy_carries_the_token_call_and_the_socket() {
    let ca = Ca::new();
    let mut config = HubConfig::fixed(KEY, HUB, vec![note("container.new", "c1", "new")]);
    config.tls = Some(ca.server(&["hub.test"], false));
    let hub = hub_with(config);
    let proxy = Proxy::start();
    // hub.test resolves nowhere but in the proxy, so success proves both went through it.
    let target = format!("hub.test:{}", hub.addr.port());
    let out = run(cmd_for(&hub)
        .env("CYCLE_BASE_URL", format!("https://{target}"))
        .env("SSL_CERT_FILE", &ca.pem)
        .env("HTTPS_PROXY", format!("http://user:p%40ss@{}", proxy.addr))
        .args(["-v", "tail", "-o", "json", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "token call and socket: {seen:?}");
    for c in &seen {
        assert_eq!(c.target, target);
        assert_eq!(c.auth.as_deref(), Some("Basic dXNlcjpwQHNz"), "user:p@ss");
    }
    let log = hub.log();
    assert_eq!(log.token_calls().count(), 1);
    assert_eq!(log.sockets, 1);
    assert!(out.stderr.contains("through the proxy"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("p%40ss"),
        "proxy password in: {}",
        out.stderr
    );

    // Loopback never goes through a proxy: a dead one does not matter for 127.0.0.1.
    let plain = hub_with(HubConfig::fixed(
        KEY,
        HUB,
        vec![note("container.new", "c1", "new")],
    ));
    let out = run(cmd_for(&plain)
        .env("HTTP_PROXY", format!("http://127.0.0.1:{}", dead_port()))
        .args(["tail", "-o", "json", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");

    // A proxy this tool cannot use is a usage error naming the variable.
    let out = run(cmd_for(&plain)
        .env("HTTPS_PROXY", "socks5://127.0.0.1:1080")
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("HTTPS_PROXY"), "{}", out.stderr);
}

#[test]
fn tls_hub_is_trusted_through_ssl_cert_file() {
    let ca = Ca::new();
    let tls_hub = |names: &[&str], expired: bool| {
        let mut config = HubConfig::fixed(KEY, HUB, vec![note("container.new", "c1", "new")]);
        config.tls = Some(ca.server(names, expired));
        hub_with(config)
    };
    let good = tls_hub(&["127.0.0.1", "localhost"], false);
    assert!(good.base_url().starts_with("https://"));
    let out = run(cmd_for(&good)
        .env("SSL_CERT_FILE", &ca.pem)
        .args(["tail", "-o", "json", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
    assert_eq!(good.log().sockets, 1, "the socket was wss");

    let fails = |c: &mut std::process::Command, reason: &str| {
        let out = run(c.args(["tail", "--count", "1"]));
        assert_eq!(out.code, 4, "{out:?}");
        assert!(
            out.stderr.contains("TLS with 127.0.0.1 failed") && out.stderr.contains(reason),
            "{reason}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    };
    // Another CA's bundle, and the system store alone: the hub's CA is unknown.
    let other = Ca::new();
    fails(
        cmd_for(&good).env("SSL_CERT_FILE", &other.pem),
        "unknown authority",
    );
    let out = run(cmd_for(&good).args(["tail", "--count", "1"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("unknown authority") || out.stderr.contains("no trusted root"),
        "{}",
        out.stderr
    );
    fails(
        cmd_for(&tls_hub(&["hub.test"], false)).env("SSL_CERT_FILE", &ca.pem),
        "not valid for the name 127.0.0.1",
    );
    fails(
        cmd_for(&tls_hub(&["127.0.0.1"], true)).env("SSL_CERT_FILE", &ca.pem),
        "expired",
    );

    // The socket's own TLS: a good token endpoint pointing at a socket with an expired cert.
    let expired = tls_hub(&["127.0.0.1"], true);
    let mut config = HubConfig::fixed(KEY, HUB, vec![]);
    config.tls = Some(ca.server(&["127.0.0.1"], false));
    config.address = Some(format!("wss://{}", expired.addr));
    let pointer = hub_with(config);
    let out = run(cmd_for(&pointer)
        .env("SSL_CERT_FILE", &ca.pem)
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("connecting to wss://")
            && out.stderr.contains("its certificate has expired"),
        "{}",
        out.stderr
    );
}

#[test]
fn verbose_output_never_shows_the_key_or_a_token() {
    let hub = faulty(
        numbered(Duration::from_millis(5)),
        Faults {
            drop_after_frames: Some(2),
            faulty_sockets: Some(1),
            ..Faults::default()
        },
    );
    let out = run(cmd_for(&hub).args(["-vv", "tail", "-o", "json", "--count", "4"]));
    assert_eq!(out.code, 0, "{out:?}");
    for expected in [
        "requesting a token from http://",
        "token received (redacted)",
        "connected to ws://",
        "frame of ",
        "connection lost after",
        "closed the connection (close frame sent)",
    ] {
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }
    let log = hub.log();
    let tokens: Vec<String> = log
        .requests
        .iter()
        .filter_map(|r| r.request.query_param("token"))
        .collect();
    assert_eq!(tokens.len(), 2);
    for secret in tokens.iter().map(String::as_str).chain([KEY]) {
        assert!(
            !out.stderr.contains(secret),
            "{secret} leaked: {}",
            out.stderr
        );
        assert!(!out.stdout.contains(secret));
    }
}

#[test]
fn a_token_refused_on_the_upgrade_is_retried_once_with_a_fresh_one() {
    // The hub hands out tokens but points clients at another hub's socket, where they are
    // unknown: every upgrade is refused. One fresh token is tried, then the run ends with 3.
    let other = hub(vec![note("container.new", "c1", "new")]);
    let mut config = HubConfig::fixed(KEY, HUB, vec![]);
    config.address = Some(format!("ws://{}", other.addr));
    let issuing = hub_with(config);
    let out = Lib::for_hub(&issuing).run(&["tail", "--count", "1"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(
        issuing.log().token_calls().count(),
        2,
        "one retry with a fresh token"
    );
    assert!(out.stderr.contains("Invalid token"), "{}", out.stderr);
    assert_eq!(
        out.stderr.lines().filter(|l| l.contains("error:")).count(),
        1
    );
}
