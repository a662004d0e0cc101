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
    // Disconnected at the end (4), unless the limit fell while a socket was open (0).
    assert!(matches!(out.code, 0 | 4), "{out:?}");
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

/// A TLS hub known as `name`, which resolves nowhere: only a proxy (the test proxies send
/// every target to 127.0.0.1) reaches it.
fn hub_named(ca: &Ca, name: &str) -> (Hub, String) {
    let mut config = HubConfig::fixed(KEY, HUB, vec![note("container.new", "c1", "new")]);
    config.tls = Some(ca.server(&[name], false));
    let hub = hub_with(config);
    let target = format!("{name}:{}", hub.addr.port());
    (hub, target)
}

/// `-v tail -o json --count 1` against `target`, with `ca` trusted and the proxy variables
/// `vars`.
fn tail_through(hub: &Hub, ca: &Ca, target: &str, vars: &[(&str, String)]) -> Output {
    let mut c = cmd_for(hub);
    c.env("CYCLE_BASE_URL", format!("https://{target}"))
        .env("SSL_CERT_FILE", &ca.pem);
    for (name, value) in vars {
        c.env(name, value);
    }
    run(c.args(["-v", "tail", "-o", "json", "--count", "1"]))
}

/// The run ended well, with the hub's one notification.
fn assert_delivered(out: &Output) {
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
}

#[test]
fn a_connect_proxy_carries_the_token_call_and_the_socket() {
    let ca = Ca::new();
    let (hub, target) = hub_named(&ca, "hub.test");
    let proxy = Proxy::start();
    let out = tail_through(
        &hub,
        &ca,
        &target,
        &[("HTTPS_PROXY", format!("http://user:p%40ss@{}", proxy.addr))],
    );
    assert_delivered(&out);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "token call and socket: {seen:?}");
    for c in &seen {
        assert_eq!(c.target, target);
        assert_eq!(c.auth.as_deref(), Some("Basic dXNlcjpwQHNz"), "user:p@ss");
    }
    let log = hub.log();
    assert_eq!(log.token_calls().count(), 1);
    assert_eq!(log.sockets, 1);
    assert!(
        out.stderr
            .contains(&format!("through the proxy http://redacted@{}", proxy.addr)),
        "{}",
        out.stderr
    );
    assert_hidden(&out, &["p%40ss", "p@ss", "dXNlcjpwQHNz"]);
}

#[test]
fn a_socks5h_proxy_with_a_login_carries_the_token_call_and_the_socket() {
    let ca = Ca::new();
    let (hub, target) = hub_named(&ca, "hub.test");
    let socks = Socks5::start(Some(("user", "p@ss:w")));
    // ALL_PROXY serves https and wss alike.
    let out = tail_through(
        &hub,
        &ca,
        &target,
        &[(
            "ALL_PROXY",
            format!("socks5h://user:p%40ss%3Aw@{}", socks.addr),
        )],
    );
    assert_delivered(&out);
    let login = Some(("user".to_string(), "p@ss:w".to_string()));
    let expected = SocksConnect {
        target: target.clone(),
        by_name: true,
        login,
    };
    assert_eq!(
        socks.seen(),
        [expected.clone(), expected],
        "token call, then socket"
    );
    assert_eq!(hub.log().sockets, 1);
    assert!(
        out.stderr.contains(&format!(
            "through the proxy socks5h://redacted@{}",
            socks.addr
        )),
        "{}",
        out.stderr
    );
    assert_hidden(&out, &["p%40ss", "p@ss"]);
}

#[test]
fn a_socks5_proxy_gets_addresses_and_no_login() {
    // socks5:// (not 5h) sends an address looked up here: an IP hub keeps the test off DNS.
    let ca = Ca::new();
    let (hub, target) = hub_named(&ca, "192.0.2.10");
    let socks = Socks5::start(None);
    let out = tail_through(
        &hub,
        &ca,
        &target,
        &[("https_proxy", format!("socks5://{}", socks.addr))],
    );
    assert_delivered(&out);
    let expected = SocksConnect {
        target,
        by_name: false,
        login: None,
    };
    assert_eq!(socks.seen(), [expected.clone(), expected]);
}

#[test]
fn a_proxy_that_refuses_is_named_with_its_answer() {
    let ca = Ca::new();
    let (hub, target) = hub_named(&ca, "hub.test");
    let refused = |proxy: &str, vars: &[(&str, String)]| {
        let out = tail_through(&hub, &ca, &target, vars);
        assert_eq!(out.code, 4, "{out:?}");
        let errors: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| l.contains("error:"))
            .collect();
        assert_eq!(errors.len(), 1, "{}", out.stderr);
        assert!(
            errors[0].contains(&format!("{proxy} refused the tunnel: ")),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("tunnel error"), "{}", out.stderr);
        (errors[0].to_string(), out)
    };

    // The token call is refused: credentials sent, still 407.
    let proxy = Proxy::refusing("407 Proxy Authentication Required", 0);
    let (line, out) = refused(
        &format!("the proxy {}", proxy.addr),
        &[("HTTPS_PROXY", format!("http://user:hunter2@{}", proxy.addr))],
    );
    assert!(line.contains("the token request failed"), "{line}");
    assert!(line.contains("407 Proxy Authentication Required"), "{line}");
    assert!(line.contains("did not accept the user:password"), "{line}");
    assert_hidden(&out, &["hunter2", "dXNlcjpodW50ZXIy"]);
    assert_eq!(hub.log().token_calls().count(), 0);

    // The token call gets through, the socket's tunnel is refused.
    let proxy = Proxy::refusing("403 Forbidden by policy", 1);
    let (line, _) = refused(
        &format!("the proxy {}", proxy.addr),
        &[("HTTPS_PROXY", format!("http://{}", proxy.addr))],
    );
    assert!(line.contains("connecting to wss://hub.test:"), "{line}");
    assert!(line.ends_with("403 Forbidden by policy"), "{line}");
    assert_eq!(proxy.seen().len(), 2);

    // A SOCKS5 proxy that does not take the password.
    let socks = Socks5::start(Some(("user", "right")));
    let (line, out) = refused(
        &format!("the SOCKS5 proxy {}", socks.addr),
        &[(
            "ALL_PROXY",
            format!("socks5h://user:hunter2@{}", socks.addr),
        )],
    );
    assert!(line.ends_with("credentials not accepted"), "{line}");
    assert_hidden(&out, &["hunter2"]);

    // Nothing listening where the proxy should be.
    let port = dead_port();
    let out = tail_through(
        &hub,
        &ca,
        &target,
        &[("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))],
    );
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("cannot reach the proxy 127.0.0.1:{port}: ")),
        "{}",
        out.stderr
    );
}

#[test]
fn no_proxy_forms_send_a_host_direct() {
    let ca = Ca::new();
    let (hub, target) = hub_named(&ca, "hub.example.invalid");
    let proxy = Proxy::start();
    let run_with = |no_proxy: &[(&str, &str)]| {
        let mut vars = vec![("HTTPS_PROXY", format!("http://{}", proxy.addr))];
        vars.extend(no_proxy.iter().map(|(k, v)| (*k, v.to_string())));
        let before = proxy.seen().len();
        let out = tail_through(&hub, &ca, &target, &vars);
        (out, proxy.seen().len() - before)
    };
    // Direct: the name resolves nowhere, so the run fails without asking the proxy.
    for form in [
        "*.example.invalid",
        ".example.invalid",
        "example.invalid",
        "HUB.example.invalid:443",
        "other.test hub.example.invalid",
        "other.test,[fd00::1],10.0.0.0/8,  hub.example.invalid.",
        "*",
    ] {
        let (out, asked) = run_with(&[("NO_PROXY", form)]);
        assert_eq!(out.code, 4, "{form}: {out:?}");
        assert_eq!(asked, 0, "{form}: the proxy was asked");
        assert!(
            out.stderr.contains("hub.example.invalid") && !out.stderr.contains("proxy"),
            "{form}: {}",
            out.stderr
        );
    }
    // Through the proxy: forms that do not cover the host, and no_proxy before NO_PROXY.
    for vars in [
        &[("NO_PROXY", "xample.invalid")][..],
        &[("NO_PROXY", "other.example.invalid,10.0.0.0/8")][..],
        &[("no_proxy", "other.test"), ("NO_PROXY", "example.invalid")][..],
    ] {
        let (out, asked) = run_with(vars);
        assert_delivered(&out);
        assert_eq!(asked, 2, "{vars:?}");
    }
}

#[test]
fn lowercase_proxy_variables_win() {
    let ca = Ca::new();
    let (hub, target) = hub_named(&ca, "hub.test");
    let proxy = Proxy::start();
    // Each uppercase name would fail the run if it were used: a dead port, a scheme no one
    // supports. They are not even read.
    let out = tail_through(
        &hub,
        &ca,
        &target,
        &[
            ("https_proxy", format!("http://{}", proxy.addr)),
            ("HTTPS_PROXY", format!("http://127.0.0.1:{}", dead_port())),
            ("all_proxy", format!("http://{}", proxy.addr)),
            ("ALL_PROXY", "socks4://127.0.0.1:1080".to_string()),
        ],
    );
    assert_delivered(&out);
    assert_eq!(proxy.seen().len(), 2);
}

#[test]
fn loopback_is_never_proxied() {
    let hub = hub(vec![note("container.new", "c1", "new")]);
    let dead = |scheme: &str| format!("{scheme}://127.0.0.1:{}", dead_port());
    for host in ["127.0.0.1", "localhost"] {
        let base = hub.base_url().replace("127.0.0.1", host);
        let out = run(cmd_for(&hub)
            .env("CYCLE_BASE_URL", &base)
            .env("HTTP_PROXY", dead("http"))
            .env("https_proxy", dead("http"))
            .env("ALL_PROXY", dead("socks5h"))
            .args(["-v", "tail", "-o", "json", "--count", "1"]));
        assert_eq!(out.code, 0, "{host}: {out:?}");
        assert_eq!(out.topics(), ["container.new"]);
        assert!(!out.stderr.contains("proxy"), "{}", out.stderr);
    }
}

#[test]
fn an_unusable_proxy_value_is_a_usage_error_naming_the_variable() {
    let plain = hub(vec![note("container.new", "c1", "new")]);
    for (var, value, says) in [
        (
            "HTTPS_PROXY",
            "socks4://127.0.0.1:1080",
            "unsupported proxy scheme socks4://",
        ),
        (
            "http_proxy",
            "https://user:hunter2@proxy.example",
            "unsupported proxy scheme https://",
        ),
        (
            "ALL_PROXY",
            "http://user:hunter2@[bad",
            "invalid proxy URL '(a proxy URL with credentials)'",
        ),
    ] {
        // Even for a loopback hub: a broken setting is found before it could matter.
        let out = run(cmd_for(&plain)
            .env(var, value)
            .args(["tail", "--count", "1"]));
        assert_eq!(out.code, 2, "{out:?}");
        assert!(
            out.stderr.contains(&format!("error: {var}: {says}")),
            "{}",
            out.stderr
        );
        assert_hidden(&out, &["hunter2"]);
    }
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

/// A failure to connect is one line: what happened, as a fact, then the setting to check.
#[test]
fn connection_failures_are_one_line_with_a_hint() {
    let one_line = |c: &mut std::process::Command, code: i32, want: &str| {
        let out = run(c);
        assert_eq!(out.code, code, "{want}: {out:?}");
        let lines: Vec<&str> = out.stderr.lines().filter(|l| l.contains("error")).collect();
        assert_eq!(lines.len(), 1, "{}", out.stderr);
        assert!(lines[0].contains(want), "{want}: {}", lines[0]);
        lines[0].to_string()
    };
    let refused = "cycle-notify: error: cannot connect to 127.0.0.1:1: connection refused (check --base-url / CYCLE_BASE_URL)";
    for args in [
        &["tail", "--count", "1"][..],
        &["wait-for", "container", "65f0c0ffee0000000000aaaa"],
    ] {
        let line = one_line(
            cmd()
                .env("CYCLE_API_KEY", KEY)
                .env("CYCLE_HUB_ID", HUB)
                .env("CYCLE_BASE_URL", "http://127.0.0.1:1")
                .args(args),
            4,
            refused,
        );
        assert_eq!(line, refused, "{args:?}");
    }

    // https at a port that speaks plain http.
    let plain = hub(vec![]);
    let https = plain.base_url().replace("http://", "https://");
    one_line(
        cmd_for(&plain)
            .env("CYCLE_BASE_URL", &https)
            .args(["tail", "--count", "1"]),
        4,
        "TLS with 127.0.0.1 failed: the server does not speak TLS on that port (check --base-url / CYCLE_BASE_URL)",
    );

    // A server presenting its CA's certificate as its own.
    let ca = Ca::new();
    let mut config = HubConfig::fixed(KEY, HUB, vec![]);
    config.tls = Some(ca.server_as_ca());
    let misconfigured = hub_with(config);
    one_line(
        cmd_for(&misconfigured)
            .env("SSL_CERT_FILE", &ca.pem)
            .args(["tail", "--count", "1"]),
        4,
        "TLS with 127.0.0.1 failed: it presents a CA certificate as its own",
    );
}

/// SSL_CERT_FILE naming a file that is not there is a mistake to report, not a trust store
/// to fall back from: nothing is sent.
#[test]
fn a_missing_ssl_cert_file_is_an_error_naming_it() {
    let tmp = temp_dir();
    let missing = tmp.path().join("no-such-bundle.pem");
    let out = run(cmd()
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .env("CYCLE_BASE_URL", "https://127.0.0.1:1")
        .env("SSL_CERT_FILE", &missing)
        .env("SSL_CERT_DIR", "/etc/ssl/certs")
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains(&format!(
            "SSL_CERT_FILE names {}, which cannot be read",
            missing.display()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
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

/// Token calls were never closer together than the schedule's floor for their attempt (the
/// attempts counted from `first_attempt`, never reset): what "not hammered" means.
fn assert_spaced_by_the_floor(hub: &Hub, timing: &Timing, first_attempt: u32) -> usize {
    let calls: Vec<std::time::Instant> = hub.log().token_calls().map(|c| c.at).collect();
    for (i, pair) in calls.windows(2).enumerate() {
        let floor = timing.backoff.floor(first_attempt + i as u32);
        let gap = pair[1].duration_since(pair[0]);
        assert!(
            gap >= floor,
            "token call {}: {gap:?} after the last, floor {floor:?}",
            i + 2
        );
    }
    calls.len()
}

#[test]
fn a_hub_that_drops_every_socket_after_one_message_is_not_hammered() {
    // One frame per connection used to reset the backoff: 2–4 token calls a second, forever.
    // Only a connection that stayed up `healthy_after` resets it now. In-process, on a
    // schedule of 1 and 2 ms, so the collapsing of repeated lines shows within the run.
    let hub = faulty(
        numbered(Duration::from_millis(1)),
        Faults {
            drop_after_frames: Some(1),
            ..Faults::default()
        },
    );
    let mut timing = fast();
    timing.backoff.first = Duration::from_millis(1);
    timing.backoff.max = Duration::from_millis(2);
    let out = Lib::for_hub(&hub)
        .timing(timing)
        .run(&["tail", "-o", "json", "--timeout", "500ms"]);
    assert!(matches!(out.code, 0 | 4), "{out:?}");
    let calls = assert_spaced_by_the_floor(&hub, &timing, 0);
    assert!(calls >= 12, "{calls} token calls: {}", out.stderr);
    // Nothing after a reconnect is lost or repeated, for all the drops.
    let seqs = seqs(&out);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // The same reason over and over: three lines in full, then one every tenth attempt.
    let full = out.stderr.matches("reconnecting in ").count();
    assert_eq!(full, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("reconnecting (attempt 10, every ~")
            && out.stderr.contains("): connection reset"),
        "{}",
        out.stderr
    );
    // With -v, every one.
    let hub = faulty(
        numbered(Duration::from_millis(1)),
        Faults {
            drop_after_frames: Some(1),
            ..Faults::default()
        },
    );
    let out =
        Lib::for_hub(&hub)
            .timing(timing)
            .run(&["-v", "tail", "-o", "json", "--timeout", "200ms"]);
    let sockets = hub.log().sockets;
    let lines = out.stderr.matches("reconnecting in ").count();
    assert!(
        lines + 1 >= sockets && lines <= sockets,
        "{lines} for {sockets}: {}",
        out.stderr
    );
}

#[test]
fn retry_after_zero_does_not_skip_the_backoff() {
    // `Retry-After: 0` on every token call: each retry still waits the backoff.
    let hub = faulty(
        Script::Fixed(std::sync::Arc::new(vec![])),
        Faults {
            rate_limit_first: 100,
            retry_after: Some(0),
            ..Faults::default()
        },
    );
    let timing = fast();
    let out = Lib::for_hub(&hub).run(&["tail", "--count", "1"]);
    assert_eq!(
        out.code, 4,
        "a busy API on the first connection is given up: {out:?}"
    );
    assert_eq!(assert_spaced_by_the_floor(&hub, &timing, 0), 5);
    assert_eq!(
        out.stderr.matches("retrying in ").count(),
        3,
        "{}",
        out.stderr
    );
}

#[test]
fn a_run_that_ends_while_disconnected_says_so_with_4() {
    // One notification, then the socket drops; the next attempt is 10–20 s away when the
    // 300 ms limit ends the run: what arrived is printed, and the run is not a success.
    let hub = hub(vec![note("container.new", "c1", "new"), Step::Abort]);
    let mut slow = fast();
    slow.backoff.first = Duration::from_secs(20);
    slow.backoff.max = Duration::from_secs(20);
    let out = Lib::for_hub(&hub)
        .timing(slow)
        .run(&["tail", "-o", "json", "--timeout", "300ms"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("cycle-notify: error: ended while disconnected, after ")
            && last.ends_with(" down: connection reset: notifications sent meanwhile were missed"),
        "{}",
        out.stderr
    );
    // Connected at the end: a plain time limit is still a normal end.
    let hub = hub_with(HubConfig::fixed(
        KEY,
        HUB,
        vec![note("container.new", "c1", "new")],
    ));
    let out = Lib::for_hub(&hub).run(&["tail", "-o", "json", "--timeout", "300ms"]);
    assert_eq!(out.code, 0, "{out:?}");
}

/// `--max-reconnects` and `--give-up-after` end a run whose hub went away, with status 4 and
/// a line saying why, instead of retrying for ever.
#[test]
fn a_run_gives_up_after_its_reconnect_limits() {
    for (flag, value, says) in [
        (
            "--max-reconnects",
            "3",
            "gave up after 3 failed attempts in a row",
        ),
        ("--give-up-after", "200ms", "without a connection"),
    ] {
        let hub = faulty(numbered(Duration::from_millis(5)), Faults::default());
        let relay = Relay::start(hub.addr);
        let mut lib = Lib::for_hub(&hub);
        lib.env("CYCLE_BASE_URL", &relay.base_url());
        let args = ["tail", "-o", "json", flag, value];
        let started = std::thread::spawn(move || lib.run(&args));
        // The token answer, the 101 and a dozen notifications: the client is connected.
        assert!(relay.wait_for_bytes(2000), "{flag}: never connected");
        relay.cut();
        let out = started.join().unwrap();
        assert_eq!(out.code, 4, "{flag}: {out:?}");
        let last = out.stderr.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("cycle-notify: error: ")
                && last.contains(says)
                && last.ends_with(&format!("({flag} {value})")),
            "{flag}: {last}"
        );
    }
}
