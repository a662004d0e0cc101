//! Hostile and sick servers at the HTTP level, written from the protocol alone (a raw
//! HTTP/1.1 server, not the simulator): bodies of gigabytes, answers that never come,
//! Retry-After as a date, error text that echoes the credentials back.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::*;

/// What the raw server answers to one request.
pub enum Reply {
    /// A whole response: status, extra header lines, body (with its Content-Length).
    Full(u16, Vec<String>, String),
    /// 200 with a chunked JSON-looking body of `total` bytes, written until the client
    /// stops reading.
    Endless { total: u64 },
    /// Nothing: the connection stays open, unanswered, until the client leaves.
    Hang,
}

/// A request as the raw server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    /// The request line and headers, as sent.
    pub head: String,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.head.split_whitespace().nth(1).unwrap_or("")
    }
}

/// An HTTP/1.1 server on 127.0.0.1 answering each request (one per connection) with what
/// `answer` says for it, given the requests so far.
pub struct Raw {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Raw {
    pub fn start(answer: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Raw {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (log, answer) = (log.clone(), answer.clone());
                std::thread::spawn(move || serve(conn, &log, &*answer));
            }
        });
        Raw { addr, seen }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(conn: TcpStream, log: &Mutex<Vec<Seen>>, answer: &dyn Fn(&Seen, usize) -> Reply) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let seen = Seen {
        at: Instant::now(),
        head,
    };
    let n = {
        let mut log = log.lock().unwrap();
        log.push(seen.clone());
        log.len()
    };
    let mut conn = conn;
    match answer(&seen, n) {
        Reply::Full(status, headers, body) => {
            let mut text = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for h in headers {
                text.push_str(&h);
                text.push_str("\r\n");
            }
            text.push_str("\r\n");
            text.push_str(&body);
            let _ = conn.write_all(text.as_bytes());
        }
        Reply::Endless { total } => {
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            );
            let chunk = vec![b' '; 64 * 1024];
            let framed = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk,
                b"\r\n".to_vec(),
            ]
            .concat();
            let mut sent = 0u64;
            while sent < total && conn.write_all(&framed).is_ok() {
                sent += 64 * 1024;
            }
            let _ = conn.write_all(b"0\r\n\r\n");
        }
        Reply::Hang => {
            // Read until the client gives up, answering nothing.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        }
    }
}

/// A token-call answer of 429 with this Retry-After, as JSON.
fn too_many(retry_after: &str) -> Reply {
    Reply::Full(
        429,
        vec![format!("Retry-After: {retry_after}")],
        r#"{"error":{"status":429,"code":"429.rate-limiting","title":"Too many requests"}}"#.into(),
    )
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    // Two seconds ahead, to the second: at least one second, which the fast schedule caps
    // at 50 ms. Its own delays before the cap (1–2 ms, 2–4 ms, …) are all shorter, so every
    // wait of 50 ms or more is the date's.
    let raw = Raw::start(|_, _| {
        let at = std::time::SystemTime::now() + Duration::from_secs(2);
        too_many(&httpdate::fmt_http_date(at))
    });
    let timing = fast();
    let out = Lib::new()
        .env("CYCLE_BASE_URL", &raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(&["tail", "--count", "1"]);
    assert_eq!(
        out.code, 4,
        "a busy API on the first connection is given up: {out:?}"
    );
    let seen = raw.seen();
    assert_eq!(seen.len(), 5, "{seen:?}");
    for pair in seen.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(gap >= timing.backoff.retry_after_cap, "{gap:?}");
    }
    assert!(out.stderr.contains("retrying in 50ms"), "{}", out.stderr);
}

/// Runs a child to its end, and its peak resident memory in kB, from the kernel's account
/// of the reaped child (`wait4`'s `ru_maxrss`, the VmHWM /proc showed while it ran).
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's wait would race
fn run_measured(c: &mut std::process::Command) -> (Output, u64) {
    use std::io::Read;
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cycle-notify");
    let pid = child.id();
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        let mut status = 0;
        // SAFETY: reaping our own child; `usage` is written by the kernel.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let reaped = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
        assert_eq!(reaped, pid as i32, "wait4");
        let _ = tx.send((out, status, usage.ru_maxrss as u64));
    });
    let Ok((stdout, status, peak_kb)) = rx.recv_timeout(LIMIT) else {
        signal(pid, libc::SIGKILL);
        panic!("cycle-notify did not finish within {LIMIT:?}");
    };
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let stderr = err.join().unwrap();
    (
        Output {
            code,
            stdout,
            stderr,
        },
        peak_kb,
    )
}

#[test]
fn a_huge_token_body_is_refused_without_reading_it() {
    // 2 GiB, chunked (no length to refuse up front): read up to the cap, then dropped.
    let raw = Raw::start(|_, _| Reply::Endless { total: 2 << 30 });
    let started = Instant::now();
    let mut c = cmd();
    c.env("CYCLE_BASE_URL", raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .args(["tail", "--count", "1"]);
    let (out, peak_kb) = run_measured(&mut c);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("over the 1 MiB limit"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(started.elapsed() < Duration::from_secs(10));
    // Against the same run refused at once: the body costs its 1 MiB cap and little more.
    // (A debug build starts at some 17 MiB of mapped code; a release build far below.)
    let mut c = cmd();
    c.env(
        "CYCLE_BASE_URL",
        format!("http://127.0.0.1:{}", dead_port()),
    )
    .env("CYCLE_API_KEY", KEY)
    .env("CYCLE_HUB_ID", HUB)
    .args(["tail", "--count", "1"]);
    let (refused, base_kb) = run_measured(&mut c);
    assert_eq!(refused.code, 4, "{refused:?}");
    eprintln!("measured: peak RSS {peak_kb} kB against a 2 GiB token body, {base_kb} kB refused");
    assert!(
        base_kb > 0 && peak_kb < base_kb + 4 * 1024,
        "{peak_kb} kB vs {base_kb} kB"
    );
}

#[test]
fn a_declared_huge_state_read_is_not_read_at_all() {
    // wait-for's state read declares 1 GiB and sends a few bytes: the client gives up on
    // the declared length alone. Written by hand, as Reply::Full states the true length.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    line.clear();
                }
                let mut conn = conn;
                let _ = conn.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"data\":",
                );
                let _ = std::io::copy(&mut reader, &mut std::io::sink());
            });
        }
    });
    let out = Lib::new()
        .env("CYCLE_BASE_URL", &format!("http://{addr}"))
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(&[
            "wait-for",
            "container",
            "65f0c0ffee0000000000aaaa",
            "--timeout",
            "0",
        ]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr
            .contains("1073741824 bytes, over the 1 MiB limit"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_check_with_timeout_zero_is_bounded() {
    // A state read that is never answered: `--timeout 0` is one bounded check (3 s in the
    // binary, 1 s on the fast schedule), then unreachable, not a hang of minutes.
    let raw = Raw::start(|seen, _| {
        assert!(seen.path().starts_with("/v1/containers/"), "{seen:?}");
        Reply::Hang
    });
    let timing = fast();
    let started = Instant::now();
    let out = Lib::new()
        .env("CYCLE_BASE_URL", &raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(&[
            "wait-for",
            "container",
            "65f0c0ffee0000000000aaaa",
            "--timeout",
            "0",
        ]);
    let took = started.elapsed();
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("no answer within"), "{}", out.stderr);
    assert!(took >= timing.check && took < timing.check * 10, "{took:?}");
    assert_eq!(raw.seen().len(), 1, "no socket, one read");
    // Answers that keep failing: the retries stop at the same bound.
    let raw = Raw::start(|_, _| {
        Reply::Full(
            503,
            vec![],
            r#"{"error":{"status":503,"title":"Unavailable"}}"#.into(),
        )
    });
    let mut slow = fast();
    slow.backoff.first = Duration::from_millis(80);
    slow.backoff.max = Duration::from_millis(80);
    slow.check = Duration::from_millis(200);
    let started = Instant::now();
    let out = Lib::new()
        .timing(slow)
        .env("CYCLE_BASE_URL", &raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(&[
            "wait-for",
            "container",
            "65f0c0ffee0000000000aaaa",
            "--timeout",
            "0",
        ]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("503"), "{}", out.stderr);
    let reads = raw.seen().len();
    // 40–80 ms apart within 200 ms: more than one, at most six (an unbounded wait makes
    // its 9 attempts).
    assert!((2..=6).contains(&reads), "{reads} reads");
    assert!(started.elapsed() < slow.check * 10);
}

#[test]
fn a_run_that_never_connected_does_not_exit_0() {
    // The token call is never answered: `tail --timeout` without `--count` used to exit 0
    // ("no events") with nothing on stderr. The executable, for the exit status and the line.
    let raw = Raw::start(|_, _| Reply::Hang);
    let mut c = cmd();
    c.env("CYCLE_BASE_URL", raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .args(["tail", "--timeout", "300ms"]);
    let out = run(&mut c);
    assert_eq!(out.code, 4, "{out:?}");
    let line = out.stderr.trim();
    assert!(
        line.starts_with("cycle-notify: error: never connected to the hub in 3")
            && line.ends_with("ms (no answer yet)")
            && out.stderr.lines().count() == 1,
        "{}",
        out.stderr
    );
    // With --count, the same: not a timeout, an unreachable hub.
    let out = run(c.args(["--count", "1"]));
    assert_eq!(out.code, 4, "{out:?}");
    // A hub that keeps failing the token call, on a schedule that keeps retrying past the
    // deadline: the reason is the last failure.
    let raw = Raw::start(|_, _| {
        Reply::Full(
            500,
            vec![],
            r#"{"error":{"status":500,"title":"Internal"}}"#.into(),
        )
    });
    let mut slow = fast();
    slow.backoff.first = Duration::from_secs(20);
    slow.backoff.max = Duration::from_secs(20);
    let out = Lib::new()
        .timing(slow)
        .env("CYCLE_BASE_URL", &raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(&["tail", "--timeout", "200ms"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("never connected to the hub in ")
            && out.stderr.contains("500 Internal Server Error"),
        "{}",
        out.stderr
    );
}

#[test]
fn server_text_that_echoes_the_credentials_is_scrubbed() {
    // An API that puts the request it got (its Authorization header) in the title of its
    // errors: a 401 on the token call, then a 500 that is retried.
    for status in [401, 500] {
        let raw = Raw::start(move |seen, _| {
            let title = seen.head.replace("\r\n", " ").replace('"', "'");
            Reply::Full(
                status,
                vec![],
                format!(r#"{{"error":{{"status":{status},"title":"you sent: {title}"}}}}"#),
            )
        });
        let mut c = cmd();
        c.env("CYCLE_BASE_URL", raw.base_url())
            .env("CYCLE_API_KEY", KEY)
            .env("CYCLE_HUB_ID", HUB)
            .args(["-v", "tail", "--count", "1"]);
        let out = if status == 500 {
            // The retries of a busy API, in-process on the fast schedule.
            Lib::new()
                .env("CYCLE_BASE_URL", &raw.base_url())
                .env("CYCLE_API_KEY", KEY)
                .env("CYCLE_HUB_ID", HUB)
                .run(&["-v", "tail", "--count", "1"])
        } else {
            run(&mut c)
        };
        assert_eq!(out.code, if status == 401 { 3 } else { 4 }, "{out:?}");
        assert!(out.stderr.contains("you sent: GET /v1/"), "{}", out.stderr);
        assert!(
            out.stderr.contains("Bearer (redacted)"),
            "{status}: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains(KEY),
            "{status}: the key leaked: {}",
            out.stderr
        );
    }
    // A socket endpoint that refuses the upgrade echoing its path, `?token=` and all.
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let issued = tokens.clone();
    let raw = Raw::start(move |seen, n| {
        if seen
            .head
            .to_ascii_lowercase()
            .contains("upgrade: websocket")
        {
            let line = seen.head.lines().next().unwrap_or_default().to_string();
            return Reply::Full(
                401,
                vec![],
                format!(
                    r#"{{"error":{{"status":401,"title":"Invalid token","detail":"for {line}"}}}}"#
                ),
            );
        }
        let token = format!("tok-{n}-5ecret5ecret");
        issued.lock().unwrap().push(token.clone());
        Reply::Full(200, vec![], format!(r#"{{"data":{{"token":"{token}"}}}}"#))
    });
    let out = Lib::new()
        .env("CYCLE_BASE_URL", &raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(&["-v", "tail", "--count", "1"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("?token=(redacted)"), "{}", out.stderr);
    let tokens = tokens.lock().unwrap();
    assert_eq!(tokens.len(), 2, "one retry with a fresh token");
    for t in tokens.iter().map(String::as_str).chain([KEY]) {
        assert!(!out.stderr.contains(t), "{t} leaked: {}", out.stderr);
    }
}

#[test]
fn credentials_in_urls_are_never_shown() {
    // `user:password@` in the base URL would go out as Basic auth in place of the key: a
    // usage error that does not repeat the password.
    let hub = hub(vec![note("container.new", "c1", "new")]);
    let base = hub
        .base_url()
        .replace("http://", "http://someone:pa55word@");
    let out = run(cmd_for(&hub)
        .env("CYCLE_BASE_URL", &base)
        .args(["-v", "tail", "--count", "1"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("carries user:password@"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("pa55word"), "{}", out.stderr);
    assert_eq!(hub.log().requests.len(), 0, "refused before any request");
    // In an address the token response gives, they are dropped: a hub pointing at a closed
    // port, whose failure line names the address without them.
    let closed = dead_port();
    let mut config = HubConfig::fixed(KEY, HUB, vec![]);
    config.address = Some(format!("ws://someone:pa55word@127.0.0.1:{closed}"));
    let hub = hub_with(config);
    let out = Lib::for_hub(&hub).run(&["-v", "tail", "--count", "1"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(!out.stderr.contains("pa55word"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("ws://127.0.0.1:{closed}")),
        "{}",
        out.stderr
    );
}

/// A token endpoint (the raw server) whose tokens point at a websocket server of the test's
/// own, where `on_socket` plays each connection; `header` goes into every 101 answer.
// The handshake callback returns tungstenite's own error type, large by its design.
#[allow(clippy::result_large_err)]
fn ws_hub(
    header: Option<(&'static str, &'static str)>,
    on_socket: impl Fn(tokio_tungstenite::tungstenite::WebSocket<TcpStream>) + Send + Sync + 'static,
) -> Raw {
    use tokio_tungstenite::tungstenite;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let ws_addr = listener.local_addr().unwrap();
    let on_socket = Arc::new(on_socket);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let on_socket = on_socket.clone();
            std::thread::spawn(move || {
                let answer =
                    |_: &tungstenite::handshake::server::Request,
                     mut resp: tungstenite::handshake::server::Response| {
                        if let Some((name, value)) = header {
                            resp.headers_mut().insert(name, value.parse().unwrap());
                        }
                        Ok(resp)
                    };
                if let Ok(ws) = tungstenite::accept_hdr(conn, answer) {
                    on_socket(ws);
                }
            });
        }
    });
    Raw::start(move |_, n| {
        Reply::Full(
            200,
            vec![],
            format!(r#"{{"data":{{"token":"t{n}","address":"ws://{ws_addr}"}}}}"#),
        )
    })
}

fn tail_on(raw: &Raw, args: &[&str]) -> Output {
    Lib::new()
        .env("CYCLE_BASE_URL", &raw.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .run(args)
}

#[test]
fn the_hubs_close_frame_is_answered_with_one() {
    use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
    use tokio_tungstenite::tungstenite::Message;
    let answered = Arc::new(Mutex::new(None));
    let seen = answered.clone();
    let raw = ws_hub(None, move |mut ws| {
        let note = r#"{"topic":"container.new","object":{"id":"c1","state":"new"}}"#;
        ws.send(Message::text(note)).unwrap();
        ws.close(Some(CloseFrame {
            code: CloseCode::Away,
            reason: "going down".into(),
        }))
        .unwrap();
        // What comes back before the connection ends: the client's close, if it answers.
        let mut reply = None;
        loop {
            match ws.read() {
                Ok(Message::Close(frame)) => reply = Some(frame.map(|f| u16::from(f.code))),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        *seen.lock().unwrap() = Some(reply);
    });
    let out = tail_on(&raw, &["tail", "-o", "json", "--no-reconnect"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
    assert!(
        out.stderr.contains("closed by the hub (1001 going down)"),
        "{}",
        out.stderr
    );
    eventually("the hub to see the connection end", || {
        answered.lock().unwrap().is_some()
    });
    let reply = (*answered.lock().unwrap()).unwrap();
    assert!(
        reply.is_some(),
        "the client answered the close with a close frame"
    );
}

#[test]
fn an_extension_the_client_did_not_offer_fails_the_handshake() {
    let raw = ws_hub(
        Some(("Sec-WebSocket-Extensions", "permessage-deflate")),
        |mut ws| {
            let _ = ws.send(tokio_tungstenite::tungstenite::Message::text(
                r#"{"topic":"a"}"#,
            ));
        },
    );
    let out = tail_on(&raw, &["tail", "--count", "1"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr
            .contains("the hub accepted with sec-websocket-extensions: permessage-deflate, which this client did not offer"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_state_read_of_an_unexpected_shape_gets_one_warning() {
    // `data.state` a string instead of an object, for two objects: one warning in all, and
    // the check ends as pending (its state is not known).
    let raw = Raw::start(|_, _| Reply::Full(200, vec![], r#"{"data":{"state":"running"}}"#.into()));
    let out = tail_on(
        &raw,
        &[
            "wait-for",
            "container",
            "65f0c0ffee0000000000aaaa",
            "65f0c0ffee0000000000bbbb",
            "--timeout",
            "0",
        ],
    );
    assert_eq!(out.code, 124, "{out:?}");
    assert_eq!(
        out.stderr
            .matches("without a data.state.current string")
            .count(),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn tiny_ping_intervals_are_refused() {
    for (value, code) in [("99ms", 2), ("1ns", 2), ("0", 2), ("100ms", 0)] {
        let hub = hub(vec![note("container.new", "c1", "new")]);
        let out = run(cmd_for(&hub).args(["tail", "--count", "1", "--ping-interval", value]));
        assert_eq!(out.code, code, "{value}: {out:?}");
        if code == 2 {
            assert!(out.stderr.contains("at least 100ms"), "{}", out.stderr);
            assert_eq!(hub.log().requests.len(), 0, "refused before any request");
        }
    }
}

#[test]
fn an_invalid_utf8_text_frame_ends_the_connection_and_a_reconnect_follows() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio_tungstenite::tungstenite::Message;
    let sockets = Arc::new(AtomicUsize::new(0));
    let count = sockets.clone();
    let raw = ws_hub(None, move |mut ws| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        let note = |id: &str| {
            Message::text(format!(
                r#"{{"topic":"container.new","object":{{"id":"{id}","state":"new"}}}}"#
            ))
        };
        if n == 0 {
            // A text frame of two bytes that are not UTF-8, then a good one behind it.
            let _ = ws.get_mut().write_all(&[0x81, 0x02, 0xff, 0xfe]);
            let _ = ws.send(note("lost"));
        } else {
            let _ = ws.send(note("after"));
        }
        while ws.read().is_ok() {}
    });
    let out = tail_on(&raw, &["tail", "-o", "json", "--count", "1"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines = out.json_lines();
    assert_eq!(lines[0]["object"]["id"], "after", "{lines:?}");
    assert!(out.stderr.contains("reconnecting in "), "{}", out.stderr);
    assert_eq!(sockets.load(Ordering::SeqCst), 2);
}

#[test]
fn a_webhook_receiver_answering_with_a_huge_body_costs_no_memory() {
    // 256 MiB of answer to each POST: read up to the cap and dropped with the connection.
    let receiver = Raw::start(|_, _| Reply::Endless { total: 256 << 20 });
    let hub = hub(vec![note("container.new", "c1", "new")]);
    let mut c = cmd_for(&hub);
    c.args(["tail", "-o", "json", "--count", "1"])
        .args(["--forward-to", &format!("{}/hook", receiver.base_url())])
        .args(["--forward-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);
    let (out, peak_kb) = run_measured(&mut c);
    assert_eq!(out.code, 0, "{out:?}");
    let (_, base_kb) = run_measured(cmd_for(&hub).args(["tail", "-o", "json", "--count", "1"]));
    eprintln!(
        "measured: peak RSS {peak_kb} kB with a 256 MiB webhook answer, {base_kb} kB without"
    );
    assert!(peak_kb < base_kb + 4 * 1024, "{peak_kb} kB vs {base_kb} kB");
}
