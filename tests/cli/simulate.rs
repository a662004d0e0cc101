//! `simulate` as a separate process, read by an independent client (raw HTTP over a
//! TcpStream and tungstenite's own client), plus replay and load through cycle-notify.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value};
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
    // A deploy round as a recording: the timeline ends with it, so the state reads after
    // it answer the last state each object was announced in.
    let dir = temp_dir();
    const HUB_ID: &str = "65f0c0ffee00000000000777";
    let lines: String =
        cycle_notify::sim::scenario::deploy_round(&mut cycle_notify::sim::Rng::new(5), HUB_ID, 0)
            .into_iter()
            .filter_map(|s| match s {
                Step::Text(t) => Some(format!("{}\n", t.as_str())),
                _ => None,
            })
            .collect();
    let total = lines.lines().count();
    let file = write_file(&dir, "deploy.jsonl", &lines);
    let sim = Sim::start(&[
        "--replay",
        file.to_str().unwrap(),
        "--rate",
        "2000",
        "--hub-id",
        HUB_ID,
    ]);
    assert_eq!(sim.hub, HUB_ID);
    let token = token(&sim);
    let mut ws = socket(&sim, &token).expect("socket with a fresh token");
    let notes = read_notifications(&mut ws, total);
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

    // Sockets dropped after 5 notifications: tail (in-process, on the fast schedule)
    // reconnects and reports the gap.
    let sim = Sim::start(&["--scenario", "churn", "--rate", "2000", "--drop-after", "5"]);
    let out = sim.lib().run(&["tail", "-o", "json", "--count", "12"]);
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
    // Seven ping intervals: a hub that left pings unanswered would be dropped after two.
    let sim = Sim::start(&["--scenario", "churn", "--rate", "max", "--count", "5"]);
    let out = run(sim.client().args([
        "tail",
        "-o",
        "json",
        "--ping-interval",
        "100ms",
        "--timeout",
        "700ms",
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

/// One HTTP/1.1 connection written by hand, so a test controls every byte of the handshake
/// and sees whether the server keeps the connection after answering.
struct Conn {
    reader: std::io::BufReader<TcpStream>,
}

#[derive(Debug)]
struct Resp {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Conn {
    fn open(addr: std::net::SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(LIMIT)).unwrap();
        Conn {
            reader: std::io::BufReader::new(s),
        }
    }

    /// Sends a request with these extra header lines (and body, when given).
    fn send(&mut self, method: &str, target: &str, headers: &[&str], body: &str) {
        let mut req = format!("{method} {target} HTTP/1.1\r\nHost: sim\r\n");
        for h in headers {
            req.push_str(h);
            req.push_str("\r\n");
        }
        if !body.is_empty() {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.reader.get_mut().write_all(req.as_bytes()).unwrap();
    }

    /// Reads one response; its body by Content-Length unless it answers a HEAD or is a 101
    /// or 204.
    fn response(&mut self, to_head: bool) -> Resp {
        use std::io::BufRead;
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let mut parts = line.trim_end().splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "{line:?}");
        let status = parts.next().unwrap().parse().unwrap();
        let reason = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            self.reader.read_line(&mut h).unwrap();
            if h.trim().is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let mut resp = Resp {
            status,
            reason,
            headers,
            body: String::new(),
        };
        if !to_head && status != 101 && status != 204 {
            let len: usize = resp.header("content-length").unwrap().parse().unwrap();
            let mut body = vec![0; len];
            self.reader.read_exact(&mut body).unwrap();
            resp.body = String::from_utf8(body).unwrap();
        }
        resp
    }

    fn token(&mut self) -> String {
        self.send("GET", NOTIFICATIONS, &AUTH, "");
        let r = self.response(false);
        assert_eq!(r.status, 200, "{r:?}");
        let v: Value = serde_json::from_str(&r.body).unwrap();
        v["data"]["token"].as_str().unwrap().to_string()
    }
}

const NOTIFICATIONS: &str = "/v1/hubs/current/notifications";
const AUTH: [&str; 2] = [
    "Authorization: Bearer test-key-0123456789",
    "X-Hub-Id: 65f0c0ffee00000000000001",
];
/// A valid key: the base64 of 16 bytes (RFC 6455's own example).
const WS_KEY: &str = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";

fn upgrade(conn: &mut Conn, token: &str, headers: &[&str]) -> Resp {
    conn.send(
        "GET",
        &format!("{NOTIFICATIONS}?token={token}"),
        &[&["Upgrade: websocket"][..], headers].concat(),
        "",
    );
    conn.response(false)
}

#[test]
fn bad_handshakes_are_refused_on_a_live_connection_without_spending_the_token() {
    let hub = hub(vec![note("container.state.changed", "c1", "running")]);
    let mut conn = Conn::open(hub.addr);
    let token = conn.token();

    let r = upgrade(
        &mut conn,
        &token,
        &[
            "Connection: Upgrade",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: not base64!",
        ],
    );
    assert_eq!((r.status, r.reason.as_str()), (400, "Bad Request"), "{r:?}");
    // Base64, but of 4 bytes.
    let r = upgrade(
        &mut conn,
        &token,
        &[
            "Connection: Upgrade",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: AAAAAA==",
        ],
    );
    assert_eq!(r.status, 400, "{r:?}");
    // The same connection still serves plain HTTP.
    conn.send("GET", "/v1/containers/ffffffffffffffffffffffff", &AUTH, "");
    let r = conn.response(false);
    assert_eq!((r.status, r.reason.as_str()), (404, "Not Found"), "{r:?}");
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["error"]["status"], 404);

    let r = upgrade(&mut conn, &token, &["Sec-WebSocket-Version: 13", WS_KEY]);
    assert_eq!(r.status, 400, "no Connection: Upgrade: {r:?}");
    let r = upgrade(
        &mut conn,
        &token,
        &[
            "Connection: keep-alive",
            "Sec-WebSocket-Version: 13",
            WS_KEY,
        ],
    );
    assert_eq!(r.status, 400, "Connection without the upgrade token: {r:?}");
    let r = upgrade(
        &mut conn,
        &token,
        &["Connection: Upgrade", "Sec-WebSocket-Version: 12", WS_KEY],
    );
    assert_eq!(
        (r.status, r.reason.as_str()),
        (426, "Upgrade Required"),
        "{r:?}"
    );
    assert_eq!(r.header("sec-websocket-version"), Some("13"));

    // None of that spent the token: a correct handshake with it opens the socket.
    let r = upgrade(
        &mut conn,
        &token,
        &[
            "Connection: keep-alive, Upgrade",
            "Sec-WebSocket-Version: 13",
            WS_KEY,
        ],
    );
    assert_eq!(
        (r.status, r.reason.as_str()),
        (101, "Switching Protocols"),
        "{r:?}"
    );
    // RFC 6455 §1.3's worked example.
    assert_eq!(
        r.header("sec-websocket-accept"),
        Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    );
    // The reader may already hold the first frame, read along with the 101.
    let early = conn.reader.buffer().to_vec();
    let mut ws = tungstenite::WebSocket::from_partially_read(
        conn.reader.into_inner(),
        early,
        tungstenite::protocol::Role::Client,
        None,
    );
    let first = read_notifications_from(&mut ws, 1);
    assert_eq!(first[0]["topic"], "container.state.changed");
    let statuses: Vec<u16> = hub.log().requests.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 400, 400, 404, 400, 400, 426, 101]);
    assert_eq!(hub.log().sockets, 1);
}

fn read_notifications_from<S: Read + Write>(
    ws: &mut tungstenite::WebSocket<S>,
    n: usize,
) -> Vec<Value> {
    let mut out = Vec::new();
    while out.len() < n {
        if let tungstenite::Message::Text(t) = ws.read().expect("read frame") {
            out.push(serde_json::from_str(&t).expect("JSON frame"));
        }
    }
    out
}

#[test]
fn head_and_request_bodies_keep_the_connection_in_step() {
    let hub = hub(three_notes());
    let mut conn = Conn::open(hub.addr);
    let token = conn.token();
    let mut ws = socket_on(&hub, &token);
    read_notifications_from(&mut ws, 3);
    let path = "/v1/containers/65f0c0ffee0000000000c001";

    conn.send("GET", path, &AUTH, "");
    let get = conn.response(false);
    assert_eq!(get.status, 200, "{get:?}");
    // HEAD: the GET's status and length, and no body: the next response follows at once.
    conn.send("HEAD", path, &AUTH, "");
    let head = conn.response(true);
    assert_eq!(head.status, 200, "{head:?}");
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    // A request with a body: read whole, so the body is not taken for the next request.
    let body = "{\"not\":\"a request line\"}\r\n\r\nGET /x HTTP/1.1\r\n\r\n";
    conn.send("GET", path, &AUTH, body);
    let with_body = conn.response(false);
    assert_eq!(with_body.status, 200, "{with_body:?}");
    assert_eq!(with_body.body, get.body);
    conn.send("GET", path, &AUTH, "");
    assert_eq!(conn.response(false).body, get.body);

    let log = hub.log();
    let reads: Vec<(&str, &[u8])> = log
        .requests
        .iter()
        .filter(|r| r.request.path == path)
        .map(|r| (r.request.method.as_str(), r.request.body.as_slice()))
        .collect();
    assert_eq!(
        reads,
        [
            ("GET", &b""[..]),
            ("HEAD", b""),
            ("GET", body.as_bytes()),
            ("GET", b"")
        ]
    );
}

fn three_notes() -> Vec<Step> {
    ["c001", "c002", "c003"]
        .iter()
        .map(|n| {
            note(
                "container.state.changed",
                &format!("65f0c0ffee0000000000{n}"),
                "running",
            )
        })
        .collect()
}

fn socket_on(
    hub: &Hub,
    token: &str,
) -> tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>> {
    let url = format!("ws://{}{NOTIFICATIONS}?token={token}", hub.addr);
    tungstenite::connect(url).unwrap().0
}

/// A load hub as `simulate --rate max` builds it, with these faults.
fn full_speed(faults: cycle_notify::sim::Faults) -> Hub {
    let mut config = HubConfig::fixed(KEY, HUB, three_notes());
    config.pacing = cycle_notify::sim::Pacing::Max;
    config.repeat = true;
    config.track_state = false;
    config.faults = faults;
    hub_with(config)
}

#[test]
fn a_fault_the_fast_path_cannot_honour_is_still_injected_at_full_speed() {
    use cycle_notify::sim::{Faults, Injected};
    // Without faults the fast path plays the socket: the checks below are not vacuous.
    let plain = full_speed(Faults::default());
    let out = run(cmd_for(&plain).args(["tail", "-o", "json", "--count", "10"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(plain.log().fast_sockets, 1);

    let dropping = full_speed(Faults {
        drop_after_frames: Some(5),
        faulty_sockets: Some(1),
        ..Faults::default()
    });
    let out = run(cmd_for(&dropping).args(["tail", "-o", "json", "--count", "8"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines().len(), 8);
    assert!(out.stderr.contains("reconnected after"), "{}", out.stderr);
    let log = dropping.log();
    assert_eq!(log.injected.len(), 1, "{:?}", log.injected);
    assert_eq!(log.injected[0].1, Injected::Drop);
    assert_eq!(
        log.fast_sockets, 0,
        "the dropping socket was played frame by frame"
    );

    let garbage = full_speed(Faults {
        garbage_every: Some(2),
        ..Faults::default()
    });
    let out = run(cmd_for(&garbage).args(["tail", "-o", "json", "--count", "6"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines().len(), 6);
    assert!(garbage.log().bad_frames >= 2);
    assert!(out.stderr.contains("skipped"), "{}", out.stderr);
}

/// A shared-timeline hub (as `simulate` serves one) playing numbered notifications.
fn timeline_hub(every: std::time::Duration) -> Hub {
    let mut config = HubConfig::new(KEY, HUB, numbered(every));
    config.timeline = cycle_notify::sim::Timeline::Shared {
        from_first_socket: false,
    };
    hub_with(config)
}

fn seq_of(v: &Value) -> u64 {
    v["seq"].as_u64().unwrap()
}

#[test]
fn a_socket_that_joins_late_sees_only_what_happens_after_it_joined() {
    let hub = timeline_hub(std::time::Duration::from_millis(2));
    let mut conn = Conn::open(hub.addr);
    let mut first = socket_on(&hub, &conn.token());
    // The second socket joins once the first has seen 20 notifications.
    let early: Vec<u64> = read_notifications_from(&mut first, 20)
        .iter()
        .map(seq_of)
        .collect();
    let mut second = socket_on(&hub, &conn.token());
    let late: Vec<u64> = read_notifications_from(&mut second, 30)
        .iter()
        .map(seq_of)
        .collect();
    assert!(
        late[0] > *early.last().unwrap(),
        "the late socket got {} from before it joined (first saw up to {})",
        late[0],
        early.last().unwrap()
    );
    // From there on both see the same notifications, in the same order, none skipped.
    let mut rest: Vec<u64> = Vec::new();
    while rest.last().is_none_or(|&n| n < *late.last().unwrap()) {
        rest.extend(read_notifications_from(&mut first, 1).iter().map(seq_of));
    }
    let from_join: Vec<u64> = rest.into_iter().filter(|n| *n >= late[0]).collect();
    assert_eq!(from_join, late);
    assert!(late.windows(2).all(|w| w[1] == w[0] + 1), "{late:?}");
}

/// Server frames parsed by hand: (opcode, payload), FIN required, no mask.
fn parse_frames(mut bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut frames = Vec::new();
    while !bytes.is_empty() {
        assert!(bytes.len() >= 2, "a torn frame header at the end");
        assert_eq!(bytes[0] & 0x80, 0x80, "not FIN: {:x}", bytes[0]);
        assert_eq!(bytes[1] & 0x80, 0, "server frames are not masked");
        let (len, head) = match bytes[1] & 0x7F {
            126 => (u16::from_be_bytes([bytes[2], bytes[3]]) as usize, 4),
            127 => (
                u64::from_be_bytes(bytes[2..10].try_into().unwrap()) as usize,
                10,
            ),
            n => (n as usize, 2),
        };
        assert!(
            bytes.len() >= head + len,
            "a torn frame: {} of {} bytes",
            bytes.len() - head,
            len
        );
        frames.push((bytes[0] & 0x0F, bytes[head..head + len].to_vec()));
        bytes = &bytes[head + len..];
    }
    frames
}

/// Opens a socket by hand, reads until `before` bytes have come, sends a masked close
/// (1000), then reads to the end of the connection: every byte the hub sent.
fn close_midstream(hub: &Hub, before: usize) -> Vec<u8> {
    let mut conn = Conn::open(hub.addr);
    let token = conn.token();
    let r = upgrade(
        &mut conn,
        &token,
        &["Connection: Upgrade", "Sec-WebSocket-Version: 13", WS_KEY],
    );
    assert_eq!(r.status, 101, "{r:?}");
    let mut got = conn.reader.buffer().to_vec();
    let mut stream = conn.reader.into_inner();
    let mut chunk = vec![0u8; 64 * 1024];
    while got.len() < before {
        let n = stream.read(&mut chunk).unwrap();
        assert!(n > 0, "the hub ended the stream early");
        got.extend_from_slice(&chunk[..n]);
    }
    let mask = [1u8, 2, 3, 4];
    let code = 1000u16.to_be_bytes();
    let close = [
        0x88,
        0x82,
        mask[0],
        mask[1],
        mask[2],
        mask[3],
        code[0] ^ mask[0],
        code[1] ^ mask[1],
    ];
    stream.write_all(&close).unwrap();
    stream.read_to_end(&mut got).unwrap();
    got
}

#[test]
fn a_client_closing_at_full_speed_gets_a_clean_close_after_whole_frames() {
    use cycle_notify::sim::{Pacing, Script, Timeline};
    let pool: Vec<Step> = (0..64)
        .map(|i| {
            Step::text(
                serde_json::json!({"topic": "container.state.changed", "seq": i, "pad": "x".repeat(300)})
                    .to_string(),
            )
        })
        .collect();
    // The fast path (a pool at full speed), and the frame-by-frame player at full speed.
    let fast = {
        let mut c = HubConfig::fixed(KEY, HUB, pool.clone());
        c.track_state = false;
        c
    };
    let player = {
        let steps = std::sync::Arc::new(pool);
        HubConfig::new(
            KEY,
            HUB,
            Script::Endless(std::sync::Arc::new(move |_, _| steps.to_vec())),
        )
    };
    for (name, mut config) in [("fast path", fast), ("player", player)] {
        let (events, mut lines) = tokio::sync::mpsc::unbounded_channel();
        config.pacing = Pacing::Max;
        config.repeat = true;
        config.timeline = Timeline::Shared {
            from_first_socket: false,
        };
        config.events = Some(events);
        let hub = hub_with(config);
        let bytes = close_midstream(&hub, 3 << 20);
        let ended = event_line(&mut lines, "ended after");
        let frames = parse_frames(&bytes);
        let (last, data) = frames.split_last().unwrap();
        assert_eq!(
            last.0, 0x8,
            "{name}: the last frame is the close reply; {ended}"
        );
        assert_eq!(&last.1[..2], &1000u16.to_be_bytes(), "{name}");
        for (opcode, payload) in data {
            assert_eq!(*opcode, 0x1, "{name}: only text frames before the close");
            let v: Value = serde_json::from_slice(payload).expect("each frame whole JSON");
            assert_eq!(v["topic"], "container.state.changed");
        }
        assert_eq!(
            hub.log().fast_sockets,
            usize::from(name == "fast path"),
            "{name}"
        );
        // The log's count is what the client received.
        assert!(
            ended.contains(&format!(
                "ended after {} notifications: the client closed",
                data.len()
            )),
            "{name}: {ended} (received {})",
            data.len()
        );
    }
}

#[test]
fn a_socket_that_falls_too_far_behind_the_timeline_is_closed_with_1008() {
    use cycle_notify::sim::{Pacing, Timeline};
    let big = Step::text(
        serde_json::json!({"topic": "container.state.changed", "pad": "x".repeat(8000)})
            .to_string(),
    );
    let (events, mut lines) = tokio::sync::mpsc::unbounded_channel();
    let mut config = HubConfig::fixed(KEY, HUB, vec![big]);
    config.repeat = true;
    config.pacing = Pacing::Rate(200_000.0);
    config.timeline = Timeline::Shared {
        from_first_socket: false,
    };
    config.events = Some(events);
    let hub = hub_with(config);
    let mut conn = Conn::open(hub.addr);
    let token = conn.token();
    let r = upgrade(
        &mut conn,
        &token,
        &["Connection: Upgrade", "Sec-WebSocket-Version: 13", WS_KEY],
    );
    assert_eq!(r.status, 101);
    // Not reading: the timeline runs on, and the hub gives up on this socket.
    event_line(&mut lines, "closing it with 1008");
    let mut got = conn.reader.buffer().to_vec();
    conn.reader.into_inner().read_to_end(&mut got).unwrap();
    let frames = parse_frames(&got);
    let last = frames.last().unwrap();
    assert_eq!(last.0, 0x8);
    assert_eq!(&last.1[..2], &1008u16.to_be_bytes());
}

/// The first event line of a hub that contains `what`, polled for until LIMIT.
fn event_line(lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>, what: &str) -> String {
    let found = std::cell::RefCell::new(None);
    let lines = std::cell::RefCell::new(lines);
    eventually(what, || {
        while let Ok(line) = lines.borrow_mut().try_recv() {
            if line.contains(what) {
                *found.borrow_mut() = Some(line);
                return true;
            }
        }
        false
    });
    found.into_inner().unwrap()
}

fn frame(v: Value) -> Step {
    Step::text(v.to_string())
}

const C: &str = "65f0c0ffee000000000c0001";
const C2: &str = "65f0c0ffee000000000c0002";
const I: &str = "65f0c0ffee000000000a0001";
const J: &str = "65f0c0ffee000000000b0001";
const R: &str = "65f0c0ffee000000000d0001";
const P: &str = "65f0c0ffee000000000e0001";

/// A hub whose one socket announces a container with an instance (unhealthy, ready), a
/// second container, a job that failed and a pipeline run; the test reads them back.
fn objects_hub() -> Hub {
    let ctx = |c: &str| json!({"hub_id": HUB, "environments": ["e1"], "containers": [c]});
    let steps = vec![
        frame(
            json!({"topic": "container.state.changed", "object": {"id": C, "state": "running"}, "context": ctx(C)}),
        ),
        frame(
            json!({"topic": "container.state.changed", "object": {"id": C2, "state": "stopping"}, "context": ctx(C2)}),
        ),
        frame(
            json!({"topic": "container.instance.state.changed", "object": {"id": I, "state": "running"}, "context": ctx(C)}),
        ),
        frame(
            json!({"topic": "container.instance.health.status.changed", "object": {"id": I}, "context": ctx(C), "annotations": {"health": "unhealthy", "ready": "ready"}}),
        ),
        frame(
            json!({"topic": "job.state.changed", "object": {"id": J, "state": "error"}, "context": ctx(C)}),
        ),
        frame(
            json!({"topic": "job.error", "object": {"id": J, "state": "error", "error": "task `migrate` failed"}, "context": ctx(C)}),
        ),
        frame(
            json!({"topic": "pipeline.run.state.changed", "object": {"id": R, "state": "running"}, "context": ctx(C)}),
        ),
        Step::Parent {
            id: R.into(),
            parent: P.into(),
        },
        frame(
            json!({"topic": "image.new", "object": {"id": "65f0c0ffee000000000f0001", "state": "new"}, "context": ctx(C)}),
        ),
    ];
    let hub = hub(steps);
    let mut conn = Conn::open(hub.addr);
    let mut ws = socket_on(&hub, &conn.token());
    read_notifications_from(&mut ws, 8);
    hub
}

fn get(conn: &mut Conn, path: &str) -> (u16, Value) {
    conn.send("GET", path, &AUTH, "");
    let r = conn.response(false);
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

fn rfc3339(v: &Value) -> std::time::SystemTime {
    humantime::parse_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
        .unwrap_or_else(|e| panic!("{v} is not RFC 3339: {e}"))
}

#[test]
fn state_reads_have_the_spec_s_shape() {
    let hub = objects_hub();
    let mut conn = Conn::open(hub.addr);
    let now = std::time::SystemTime::now();
    let recent = |v: &Value| {
        let t = rfc3339(v);
        assert!(now.duration_since(t).unwrap_or_default() < LIMIT, "{v}");
    };
    let (status, body) = get(&mut conn, &format!("/v1/containers/{C}"));
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["id"], C);
    assert_eq!(data["hub_id"], HUB);
    assert!(data["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(data["state"]["current"], "running");
    assert_eq!(data["state"]["desired"], "running");
    assert!(data["state"]["error"].is_null());
    recent(&data["state"]["changed"]);
    let (_, body) = get(&mut conn, &format!("/v1/containers/{C2}"));
    assert_eq!(body["data"]["state"]["desired"], "stopped");

    let (status, body) = get(&mut conn, &format!("/v1/containers/{C}/instances/{I}"));
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["container_id"], C);
    assert_eq!(data["state"]["current"], "running");
    assert_eq!(data["state"]["health"]["healthy"], false);
    recent(&data["state"]["health"]["updated"]);
    assert_eq!(data["state"]["readiness"]["ready"], true);
    recent(&data["state"]["readiness"]["updated"]);
    assert!(
        data["state"].get("desired").is_none(),
        "desired is for containers"
    );

    let (status, body) = get(&mut conn, &format!("/v1/jobs/{J}"));
    assert_eq!(status, 200, "{body}");
    let error = &body["data"]["state"]["error"];
    assert_eq!(error["message"], "task `migrate` failed");
    recent(&error["time"]);

    let (status, body) = get(&mut conn, &format!("/v1/pipelines/{P}/runs/{R}"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["pipeline_id"], P);

    // The instance list of a container (what wait-for --healthy reads).
    let (status, body) = get(&mut conn, &format!("/v1/containers/{C}/instances"));
    assert_eq!(status, 200, "{body}");
    let list = body["data"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], I);
    let (_, body) = get(&mut conn, &format!("/v1/containers/{C2}/instances"));
    assert_eq!(body["data"], json!([]));
}

/// `(status, code, whether extra.capability is there)` of an error answer.
fn code_of(status: u16, body: &Value) -> (u16, String, bool) {
    let e = &body["error"];
    assert_eq!(e["status"], status, "{body}");
    assert!(e["title"].as_str().is_some(), "{body}");
    assert!(body["data"].is_null(), "{body}");
    (
        status,
        e["code"].as_str().unwrap().to_string(),
        e["extra"]["capability"].is_string(),
    )
}

#[test]
fn errors_carry_the_spec_s_codes() {
    let hub = objects_hub();
    let mut conn = Conn::open(hub.addr);
    let cases = [
        ("/v1/nothing/here".to_string(), (404, "404.uri")),
        (format!("/v1/containers/{J}"), (404, "404.container")),
        ("/v1/jobs/65f0c0ffee0000000000dead".into(), (404, "404.job")),
        (
            "/v1/images/65f0c0ffee0000000000dead".into(),
            (404, "404.image"),
        ),
        // A wrong parent: one the hub does not know, then a container the instance is not in.
        (
            format!("/v1/containers/65f0c0ffee0000000000dead/instances/{I}"),
            (404, "404.container"),
        ),
        (
            format!("/v1/containers/{C2}/instances/{I}"),
            (404, "404.instance"),
        ),
        (
            format!("/v1/pipelines/65f0c0ffee0000000000dead/runs/{R}"),
            (404, "404.pipeline"),
        ),
        (
            "/v1/containers/65f0c0ffee0000000000dead/instances".into(),
            (404, "404.container"),
        ),
    ];
    for (path, (status, code)) in cases {
        let (got, body) = get(&mut conn, &path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(
            code_of(status, &body),
            (status, code.to_string(), false),
            "{path}"
        );
    }
    conn.send("DELETE", &format!("/v1/containers/{C}"), &AUTH, "");
    let r = conn.response(false);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(code_of(404, &body).1, "404.uri");

    // The token call's refusals.
    let faulty = |faults: cycle_notify::sim::Faults| {
        let mut config = HubConfig::fixed(KEY, HUB, vec![]);
        config.faults = faults;
        hub_with(config)
    };
    let token_call = |hub: &Hub, auth: &[&str]| {
        let mut conn = Conn::open(hub.addr);
        conn.send("GET", NOTIFICATIONS, auth, "");
        let r = conn.response(false);
        (r.status, serde_json::from_str::<Value>(&r.body).unwrap())
    };
    let plain = faulty(Default::default());
    let (status, body) = token_call(&plain, &["Authorization: Bearer wrong", AUTH[1]]);
    assert_eq!(
        code_of(status, &body),
        (401, "401.auth-invalid".into(), false)
    );
    let (status, body) = token_call(&plain, &[AUTH[0], "X-Hub-Id: 65f0c0ffee00000000000bad"]);
    assert_eq!(code_of(status, &body), (403, "403.wrong-hub".into(), false));
    let denied = faulty(cycle_notify::sim::Faults {
        missing_capability: true,
        ..Default::default()
    });
    let (status, body) = token_call(&denied, &AUTH);
    assert_eq!(
        code_of(status, &body),
        (403, "403.permissions".into(), true)
    );
    let busy = faulty(cycle_notify::sim::Faults {
        unavailable_first: 1,
        ..Default::default()
    });
    let (status, body) = token_call(&busy, &AUTH);
    assert_eq!(code_of(status, &body), (503, "503.not-ready".into(), false));
    let limited = faulty(cycle_notify::sim::Faults {
        rate_limit_first: 1,
        ..Default::default()
    });
    let (status, body) = token_call(&limited, &AUTH);
    assert_eq!(
        code_of(status, &body),
        (429, "429.rate-limiting".into(), false)
    );
    // The client reads the capability out of the 403.
    let out = run(cmd_for(&denied).args(["tail", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains("apionly-notifications-listen"),
        "{}",
        out.stderr
    );
}

#[test]
fn oauth_shaped_401s_on_request() {
    let sim = Sim::start(&["--auth-fail-style", "oauth"]);
    let mut s = TcpStream::connect(sim.host_port()).unwrap();
    write!(
        s,
        "GET {NOTIFICATIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nX-Hub-Id: {}\r\nConnection: close\r\n\r\n",
        sim.hub
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 401 Unauthorized\r\n"), "{text}");
    assert!(
        text.to_ascii_lowercase()
            .contains("www-authenticate: bearer error=\"invalid_token\""),
        "{text}"
    );
    let body: Value = serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["error"], "invalid_token");
    assert!(body["error_description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    let out = run(sim
        .client()
        .env("CYCLE_API_KEY", "wrong")
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
}

#[test]
fn browsers_may_call_it_cors() {
    let hub = objects_hub();
    let mut conn = Conn::open(hub.addr);
    conn.send(
        "OPTIONS",
        &format!("/v1/containers/{C}"),
        &[
            "Origin: http://localhost:5173",
            "Access-Control-Request-Method: GET",
            "Access-Control-Request-Headers: authorization, x-hub-id",
        ],
        "",
    );
    let r = conn.response(false);
    assert_eq!(r.status, 204, "{r:?}");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("access-control-allow-methods")
        .is_some_and(|m| m.contains("GET")));
    assert!(r
        .header("access-control-allow-headers")
        .is_some_and(|h| h.contains("authorization") && h.contains("x-hub-id")));
    conn.send("GET", &format!("/v1/containers/{C}"), &AUTH, "");
    let r = conn.response(false);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}

/// A `tail --timestamps` line split into its `received_at` and the frame as received.
fn unstamp(line: &str) -> (std::time::SystemTime, String) {
    let rest = line
        .strip_prefix("{\"received_at\":\"")
        .unwrap_or_else(|| panic!("received_at is not the first field: {line}"));
    let (at, rest) = rest.split_once('"').unwrap();
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    (humantime::parse_rfc3339(at).unwrap(), format!("{{{rest}"))
}

#[test]
fn a_timestamped_recording_replays_with_its_spacing_and_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    const N: usize = 15;
    let count = N.to_string();
    let sim = Sim::start(&["--scenario", "deploy", "--speed", "8"]);
    let first = run(sim.client().args([
        "tail",
        "-o",
        "json",
        "--timestamps",
        "--status-events",
        "--count",
        &count,
    ]));
    assert_eq!(first.code, 0, "{first:?}");
    drop(sim);
    let recorded: Vec<(std::time::SystemTime, String)> = first
        .stdout
        .lines()
        .filter(|l| !l.contains("\"cycle-notify."))
        .map(unstamp)
        .collect();
    assert_eq!(recorded.len(), N);
    assert!(
        first.stdout.contains("cycle-notify.stream.connected"),
        "a record of our own"
    );
    let file = write_file(dir.path(), "recording.jsonl", &first.stdout);

    let sim = Sim::start(&["--replay", file.to_str().unwrap()]);
    let second = run(sim
        .client()
        .args(["tail", "-o", "json", "--timestamps", "--count", &count]));
    assert_eq!(second.code, 0, "{second:?}");
    let replayed: Vec<(std::time::SystemTime, String)> =
        second.stdout.lines().map(unstamp).collect();
    let frames = |v: &[(std::time::SystemTime, String)]| -> Vec<String> {
        v.iter().map(|(_, f)| f.clone()).collect()
    };
    assert_eq!(
        frames(&replayed),
        frames(&recorded),
        "the replayed frames are the received ones, byte for byte, and no record of ours"
    );
    // The spacing, as offsets from the first frame: one late arrival (a loaded machine) moves
    // one offset, where it would move two gaps. A replay that ignored the spacing would be
    // off by the whole recording (some 700 ms) by its end.
    let offsets = |v: &[(std::time::SystemTime, String)]| -> Vec<f64> {
        v.iter()
            .map(|(t, _)| t.duration_since(v[0].0).unwrap_or_default().as_secs_f64())
            .collect()
    };
    let (was, now) = (offsets(&recorded), offsets(&replayed));
    for (i, (a, b)) in was.iter().zip(&now).enumerate() {
        assert!(
            (a - b).abs() <= 0.100,
            "frame {i}: recorded at +{a:.3}s, replayed at +{b:.3}s"
        );
    }
    let (total_was, total_now) = (was[N - 1], now[N - 1]);
    assert!(
        total_was > 0.2 && total_now >= total_was * 0.8,
        "recorded over {total_was:.3}s, replayed over {total_now:.3}s"
    );
    let out = run(cmd().args(["tail", "--demo", "-o", "raw", "--timestamps"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--timestamps"), "{}", out.stderr);
}
