//! A webhook receiver on 127.0.0.1 for the forwarding tests: HTTP/1.1 over
//! `std::net::TcpListener` and httparse, keep-alive, Content-Length bodies, an answer chosen
//! per request by the test, every request recorded with when it came and when it was
//! answered, and the most requests it ever had in hand at once. Also the test's own
//! Standard Webhooks check, written apart from the code under test.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::support::LIMIT;

/// One request as the receiver read it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Which TCP connection it came on (0, 1, … in accept order).
    pub connection: usize,
    pub method: String,
    pub path: String,
    /// Names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
    /// When the answer was written; `None` for one left hanging.
    pub answered: Option<Instant>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// `object.id` of the notification in the body.
    pub fn object_id(&self) -> String {
        self.json()["object"]["id"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// What the receiver does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer at once with this status.
    Status(u16),
    /// Answer with this status and these extra headers.
    With(u16, Vec<(&'static str, String)>),
    /// Take this long (a slow handler), then answer with the status.
    After(Duration, u16),
    /// Never answer; the connection is held until the client gives up on it.
    Hang,
}

type Answer = dyn Fn(&Received, usize) -> Reply + Send + Sync;

#[derive(Default)]
struct Log {
    requests: Vec<Received>,
    in_flight: usize,
    max_in_flight: usize,
    connections: usize,
}

struct Shared {
    log: Mutex<Log>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Receiver {
    pub url: String,
    addr: std::net::SocketAddr,
    shared: Arc<Shared>,
}

impl Receiver {
    /// Always 200.
    pub fn ok() -> Receiver {
        Receiver::start(|_, _| Reply::Status(200))
    }

    /// `answer(request, index)` decides each reply; `index` counts requests from 0 in the
    /// order they were read.
    pub fn start(answer: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the receiver");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            log: Mutex::new(Log::default()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let answer: Arc<Answer> = Arc::new(answer);
        let s = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let id = {
                    let mut log = s.log();
                    log.connections += 1;
                    log.connections - 1
                };
                let (s, answer) = (s.clone(), answer.clone());
                std::thread::spawn(move || serve(conn, id, &s, &*answer));
            }
        });
        Receiver {
            url: format!("http://{addr}/hook"),
            addr,
            shared,
        }
    }

    pub fn requests(&self) -> Vec<Received> {
        self.shared.log().requests.clone()
    }

    /// Waits until `n` requests have come in (and those answered), or panics after LIMIT.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + LIMIT;
        let mut log = self.shared.log();
        while log.requests.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the receiver got {} requests, not {n}",
                log.requests.len()
            );
            log = self
                .shared
                .changed
                .wait_timeout(log, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        log.requests.clone()
    }

    /// The most requests read and not yet answered at any one time.
    pub fn max_in_flight(&self) -> usize {
        self.shared.log().max_in_flight
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.log().connections
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        // Wake the accept loop so its thread ends with the test.
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// One connection: requests one after another (keep-alive) until the client closes it.
fn serve(mut conn: TcpStream, id: usize, shared: &Shared, answer: &Answer) {
    let _ = conn.set_read_timeout(Some(LIMIT));
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let Some(request) = read_request(&mut conn, &mut buf, id) else {
            return;
        };
        let index = {
            let mut log = shared.log();
            log.in_flight += 1;
            log.max_in_flight = log.max_in_flight.max(log.in_flight);
            log.requests.push(request.clone());
            log.requests.len() - 1
        };
        let reply = answer(&request, index);
        let (status, extra) = match reply {
            Reply::Status(s) => (s, Vec::new()),
            Reply::With(s, h) => (s, h),
            Reply::After(d, s) => {
                // The handler's own work, not a wait for something.
                std::thread::sleep(d);
                (s, Vec::new())
            }
            Reply::Hang => {
                shared.changed.notify_all();
                // Held until the client drops the connection (its timeout) or LIMIT.
                let mut sink = [0u8; 1024];
                while matches!(conn.read(&mut sink), Ok(n) if n > 0) {}
                shared.log().in_flight -= 1;
                shared.changed.notify_all();
                return;
            }
        };
        {
            let mut log = shared.log();
            log.in_flight -= 1;
            log.requests[index].answered = Some(Instant::now());
        }
        let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\n");
        for (name, value) in extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let wrote = conn.write_all(head.as_bytes()).is_ok();
        shared.changed.notify_all();
        if !wrote {
            return;
        }
    }
}

/// The next request on the connection (bytes past it stay in `buf`); `None` at EOF.
fn read_request(conn: &mut TcpStream, buf: &mut Vec<u8>, id: usize) -> Option<Received> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head_len)) = req.parse(buf) {
            let headers: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_ascii_lowercase(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let method = req.method.unwrap_or("").to_string();
            let path = req.path.unwrap_or("").to_string();
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < head_len + length {
                if !fill(conn, buf) {
                    return None;
                }
            }
            let body = buf[head_len..head_len + length].to_vec();
            buf.drain(..head_len + length);
            return Some(Received {
                connection: id,
                method,
                path,
                headers,
                body,
                at: Instant::now(),
                answered: None,
            });
        }
        if !fill(conn, buf) {
            return None;
        }
    }
}

fn fill(conn: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    match conn.read(&mut chunk) {
        Ok(0) | Err(_) => {
            let _ = conn.shutdown(Shutdown::Both);
            false
        }
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Checks a request as a Standard Webhooks 1.0 receiver would, with `ring::hmac` directly:
/// the HMAC-SHA256, keyed with the base64-decoded `whsec_` secret, of `id.timestamp.body`
/// must be one of the `v1,` signatures, and the timestamp within 5 minutes of now.
pub fn verify(secret: &str, r: &Received) -> Result<(), String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|e| format!("the secret is not base64: {e}"))?;
    let id = r.header("webhook-id").ok_or("no webhook-id")?;
    let ts = r
        .header("webhook-timestamp")
        .ok_or("no webhook-timestamp")?;
    let signatures = r
        .header("webhook-signature")
        .ok_or("no webhook-signature")?;
    let ts_secs: u64 = ts.parse().map_err(|_| format!("timestamp {ts:?}"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    if now.abs_diff(ts_secs) > 300 {
        return Err(format!(
            "timestamp {ts_secs} is not within 5 minutes of {now}"
        ));
    }
    let mut signed = format!("{id}.{ts}.").into_bytes();
    signed.extend_from_slice(&r.body);
    let tag = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key),
        &signed,
    );
    let expected = format!("v1,{}", STANDARD.encode(tag.as_ref()));
    if signatures.split(' ').any(|s| s == expected) {
        Ok(())
    } else {
        Err(format!("{signatures:?} does not contain {expected:?}"))
    }
}
