//! `simulate` as a separate process, read by an independent client (raw HTTP over a
//! TcpStream and tungstenite's own client), plus replay and load through cycle-notify.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::Value;
use tokio_tungstenite::tungstenite;

use crate::support::*;

/// A plain HTTP/1.1 GET: (status, JSON body).
fn http_get(host: &str, path: &str, key: &str, hub: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\nX-Hub-Id: {hub}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status: u16 = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn token(sim: &Sim) -> String {
    let (status, body) = http_get(
        &sim.host_port(),
        "/v1/hubs/current/notifications",
        &sim.key,
        &sim.hub,
    );
    assert_eq!(status, 200, "{body}");
    body["data"]["token"].as_str().unwrap().to_string()
}

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

fn socket(sim: &Sim, token: &str) -> Result<Socket, tungstenite::Error> {
    let url = format!(
        "ws://{}/v1/hubs/current/notifications?token={token}",
        sim.host_port()
    );
    tungstenite::connect(url).map(|(ws, _)| ws)
}

fn read_notifications(ws: &mut Socket, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    while out.len() < n {
        match ws.read().expect("read frame") {
            tungstenite::Message::Text(t) => {
                out.push(serde_json::from_str(&t).expect("JSON frame"))
            }
            tungstenite::Message::Close(_) => panic!("closed early"),
            _ => {}
        }
    }
    out
}

/// The REST path of an object, for the kinds the deploy scenario announces.
fn path_of(topic: &str, id: &str, container: Option<&str>) -> Option<String> {
    let table = [
        ("container.instance.", "containers/{c}/instances/"),
        ("container.", "containers/"),
        ("image.", "images/"),
        ("environment.", "environments/"),
        ("stack.build.", "stacks/builds/"),
    ];
    let (_, base) = table.iter().find(|(prefix, _)| topic.starts_with(prefix))?;
    Some(format!(
        "/v1/{}{id}",
        base.replace("{c}", container.unwrap_or("-"))
    ))
}

#[test]
fn independent_client_sees_notifications_and_matching_state_reads() {
    let sim = Sim::start(&["--scenario", "deploy", "--speed", "100", "--count", "30"]);
    assert_eq!(sim.hub.len(), 24);
    let token = token(&sim);
    let mut ws = socket(&sim, &token).expect("socket with a fresh token");
    let notes = read_notifications(&mut ws, 30);
    let mut last: HashMap<String, String> = HashMap::new();
    for n in &notes {
        let topic = n["topic"].as_str().unwrap();
        let id = n["object"]["id"].as_str().unwrap();
        assert_eq!(id.len(), 24);
        assert_eq!(n["context"]["hub_id"], sim.hub.as_str());
        if let (Some(state), Some(path)) = (
            n["object"]["state"].as_str(),
            path_of(topic, id, n["context"]["containers"][0].as_str()),
        ) {
            last.insert(path, state.to_string());
        }
    }
    assert!(last.len() >= 3, "{last:?}");
    for (path, state) in &last {
        let (status, body) = http_get(&sim.host_port(), path, &sim.key, &sim.hub);
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["data"]["state"]["current"], state.as_str(), "{path}");
    }
    // An id the simulation never created.
    let (status, body) = http_get(
        &sim.host_port(),
        "/v1/containers/ffffffffffffffffffffffff",
        &sim.key,
        &sim.hub,
    );
    assert_eq!(status, 404);
    assert_eq!(body["error"]["status"], 404);
    // Tokens are single-use.
    match socket(&sim, &token) {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 401),
        other => panic!(
            "a reused token must be refused, got {:?}",
            other.map(|_| "a socket")
        ),
    }
}

#[test]
fn wrong_key_gets_the_error_envelope() {
    let sim = Sim::start(&["--key", "right-key"]);
    assert_eq!(sim.key, "right-key");
    let (status, body) = http_get(
        &sim.host_port(),
        "/v1/hubs/current/notifications",
        "wrong",
        &sim.hub,
    );
    assert_eq!(status, 401);
    assert_eq!(body["error"]["status"], 401);
    assert!(body["error"]["code"].as_str().unwrap().starts_with("401."));
    assert!(body["error"]["title"].as_str().is_some());
    assert!(body["data"].is_null());
    let (status, _) = http_get(
        &sim.host_port(),
        "/v1/hubs/current/notifications",
        "right-key",
        "65f0c0ffee00000000000bad",
    );
    assert_eq!(status, 403);
}

#[test]
fn replay_round_trip() {
    let dir = temp_dir();
    let sim = Sim::start(&["--scenario", "demo", "--speed", "200", "--count", "25"]);
    let first = run(sim.client().args(["tail", "-o", "json", "--count", "25"]));
    assert_eq!(first.code, 0, "{first:?}");
    drop(sim);
    let file = write_file(&dir, "capture.jsonl", &first.stdout);
    let file = file.to_str().unwrap();
    let sim = Sim::start(&["--replay", file, "--rate", "1000"]);
    let second = run(sim.client().args(["tail", "-o", "json", "--count", "25"]));
    assert_eq!(second.code, 0, "{second:?}");
    assert_eq!(
        first.stdout, second.stdout,
        "the replay is byte for byte the capture"
    );
}

#[test]
fn replay_reports_bad_lines_with_their_numbers() {
    let dir = temp_dir();
    let file = write_file(
        &dir,
        "mixed.jsonl",
        "{\"topic\":\"image.new\",\"received_at\":\"2026-01-01T00:00:00Z\"}\nnot json\n{\"no\":\"topic\"}\n\n{\"topic\":\"image.state.changed\",\"received_at\":\"2026-01-01T00:00:00.200Z\"}\n",
    );
    let out = run(cmd().args([
        "simulate",
        "--replay",
        file.to_str().unwrap(),
        "--list-scenarios",
    ]));
    assert_eq!(out.code, 0, "listing ignores the rest");
    let mut c = cmd();
    let mut child = c
        .args(["simulate", "--replay", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut l = String::new();
        std::io::BufRead::read_line(&mut stderr, &mut l).unwrap();
        lines.push(l);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        lines[0].contains("mixed.jsonl:2: skipped: not valid JSON"),
        "{lines:?}"
    );
    assert!(lines[1].contains("mixed.jsonl:3: skipped"), "{lines:?}");
    let empty = write_file(&dir, "empty.jsonl", "garbage\n");
    let out = run(cmd().args(["simulate", "--replay", empty.to_str().unwrap()]));
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn max_rate_delivers_the_count() {
    let sim = Sim::start(&["--scenario", "churn", "--rate", "max", "--count", "20000"]);
    let out = run(sim
        .client()
        .args(["tail", "-o", "json", "--count", "20000"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 20000);
    let topics = out.topics();
    let distinct: std::collections::HashSet<&String> = topics.iter().collect();
    assert!(
        distinct.len() > 150,
        "churn covers the catalogue: {}",
        distinct.len()
    );
}

#[test]
fn bad_simulate_flags_are_usage_errors() {
    for args in [
        &["--scenario", "nope"][..],
        &["--rate", "fast"],
        &["--rate", "1e-30"],
        &["--speed", "1e-30"],
        &["--speed", "0"],
        &["--loop"],
    ] {
        let out = run(cmd().arg("simulate").args(args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
    }
}

#[test]
fn fault_flags_reach_the_client() {
    // Garbage among the notifications: skipped with warnings, the valid ones all printed.
    let sim = Sim::start(&[
        "--scenario",
        "churn",
        "--rate",
        "2000",
        "--garbage-every",
        "3",
    ]);
    let out = run(sim.client().args(["tail", "-o", "json", "--count", "9"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines().len(), 9);
    assert!(out.stderr.contains("skipped"), "{}", out.stderr);
    drop(sim);

    // A refused key: exit 3, whatever the key.
    let sim = Sim::start(&["--auth-fail"]);
    let out = run(sim.client().args(["tail", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
    drop(sim);

    // Sockets dropped after 5 notifications: tail reconnects and reports the gap.
    let sim = Sim::start(&["--scenario", "churn", "--rate", "2000", "--drop-after", "5"]);
    let out = run(sim.client().args(["tail", "-o", "json", "--count", "12"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines().len(), 12);
    assert!(out.stderr.contains("reconnected after"), "{}", out.stderr);
    drop(sim);

    for bad in [
        &["--garbage-every", "0"][..],
        &["--auth-fail", "--revoke-after", "2"],
    ] {
        let out = run(cmd().arg("simulate").args(bad));
        assert_eq!(out.code, 2, "{bad:?}: {out:?}");
    }
}

#[test]
fn full_speed_hub_answers_keepalive_pings_when_quiet() {
    let sim = Sim::start(&["--scenario", "churn", "--rate", "max", "--count", "5"]);
    let out = run(sim.client().args([
        "tail",
        "-o",
        "json",
        "--ping-interval",
        "200ms",
        "--timeout",
        "1500ms",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout.lines().count(),
        5,
        "no reconnect, so no second batch: {}",
        out.stderr
    );
    assert!(!out.stderr.contains("reconnect"), "{}", out.stderr);
}
