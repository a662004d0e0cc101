//! Acting on events, end to end, with the release binary fed by `cycle-notify simulate
//! --scenario churn --rate max`: forwarding to a keep-alive receiver on 127.0.0.1 with
//! `--forward-jobs 1` and `8` (each run checked to have POSTed every notification once, on
//! at most one connection per job), `--exec true` per notification against a bare
//! `sh -c true` loop, and peak RSS while a queue of 1000 is full and the socket unread. Each run is timed from spawn to exit,
//! so it includes connecting and the drain: the rate is of notifications delivered.
//!
//! Run: `cargo bench --bench deliver` (BENCH_FORWARD_N, default 40000, and BENCH_EXEC_N,
//! default 2000, set the counts).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use common::{wait_rusage, Simulator};

const RUNS: usize = 3;
/// The Standard Webhooks specification's example secret.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn count(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let forward_n = count("BENCH_FORWARD_N", 40_000);
    let exec_n = count("BENCH_EXEC_N", 2_000);
    let sim = Simulator::start();
    let receiver = Receiver::start(false);
    println!(
        "{:<58} {:>9} {:>10} {:>10}",
        "run", "seconds", "notif/s", "peak RSS"
    );
    let row = |name: &str, n: u64, r: &Timed| {
        println!(
            "{:<58} {:>9.3} {:>10.0} {:>10}",
            name,
            r.seconds,
            n as f64 / r.seconds,
            r.rss_kib
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "-".into())
        )
    };

    let mut forward = Vec::new();
    for jobs in [1u32, 8] {
        let r = best(RUNS, || {
            let (before, conns) = (receiver.requests(), receiver.connections());
            let r = tail(
                &sim,
                &[
                    "--forward-to",
                    &receiver.url,
                    "--forward-secret",
                    SECRET,
                    "--forward-jobs",
                    &jobs.to_string(),
                ],
                forward_n,
                0,
            );
            let got = receiver.requests() - before;
            assert_eq!(got, forward_n, "every notification POSTed once");
            let opened = receiver.connections() - conns;
            assert!(
                opened <= u64::from(jobs),
                "kept alive: {opened} connections for {jobs} jobs"
            );
            r
        });
        row(
            &format!("tail --forward-to --forward-jobs {jobs} (at most {jobs} connections)"),
            forward_n,
            &r,
        );
        forward.push((jobs, r));
    }

    let bare = best(RUNS, || {
        let start = Instant::now();
        for _ in 0..exec_n {
            let status = Command::new("sh")
                .args(["-c", "true"])
                .stdin(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        }
        Timed {
            seconds: start.elapsed().as_secs_f64(),
            rss_kib: None,
        }
    });
    row("bare loop: std::process::Command sh -c true", exec_n, &bare);
    let exec = best(RUNS, || tail(&sim, &["--exec", "true"], exec_n, 0));
    row("tail --exec true", exec_n, &exec);

    // A receiver that never answers: one POST hangs and 999 wait in the queue, so for the
    // second of --timeout the socket is not read while the simulator pushes at full speed.
    // The drain then gives up and lists them (exit 5).
    let hanging = Receiver::start(true);
    let start = Instant::now();
    let mut child = sim
        .command()
        .args(["tail", "-o", "json", "--timeout", "1s", "--drain", "300ms"])
        .args(["--forward-to", &hanging.url, "--forward-secret", SECRET])
        .args(["--forward-timeout", "60s", "--queue", "1000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let (status, rss_kib) = wait_rusage(child);
    let stderr = reader.join().unwrap();
    assert_eq!(status, Some(5), "{stderr}");
    assert!(
        stderr.contains("1000 still queued after the 300ms drain"),
        "the queue was full: {stderr}"
    );
    let full = Timed {
        seconds: start.elapsed().as_secs_f64(),
        rss_kib: Some(rss_kib),
    };
    println!(
        "{:<58} {:>9.3} {:>10} {:>10.1} MiB",
        "tail --forward-to (hanging), queue of 1000 full for 1s",
        full.seconds,
        "-",
        rss_kib as f64 / 1024.0
    );
    let plain = tail(&sim, &[], 1000, 0);
    row("tail (no destination), for reference", 1000, &plain);

    println!("\ntargets:");
    let check = |ok: bool| if ok { "ok" } else { "MISSED" };
    for ((jobs, r), target) in forward.iter().zip([5_000.0, 20_000.0]) {
        let rate = forward_n as f64 / r.seconds;
        println!(
            "  --forward-jobs {jobs} at least {target:.0}/s: {rate:.0}/s {}",
            check(rate >= target)
        );
    }
    let ratio = exec.seconds / bare.seconds;
    println!(
        "  --exec true within 1.5x of a bare sh -c true loop: {ratio:.2}x {}",
        check(ratio <= 1.5)
    );
    let rss = full.rss_kib.unwrap_or(u64::MAX);
    println!(
        "  peak RSS with a full queue of 1000 at most 16 MiB: {:.1} MiB {}",
        rss as f64 / 1024.0,
        check(rss <= 16 * 1024)
    );
}

struct Timed {
    seconds: f64,
    rss_kib: Option<u64>,
}

fn best(runs: usize, mut f: impl FnMut() -> Timed) -> Timed {
    let mut all: Vec<Timed> = (0..runs).map(|_| f()).collect();
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    all.swap_remove(0)
}

/// `tail -o json --count n ARGS`, stdout to /dev/null, expected to exit with `code`.
fn tail(sim: &Simulator, args: &[&str], n: u64, code: i32) -> Timed {
    let (status, usage, seconds) = sim.tail_usage(args, n);
    assert_eq!(status, Some(code), "tail {args:?}");
    Timed {
        seconds,
        rss_kib: Some(usage.rss_kib),
    }
}

/// A webhook receiver on 127.0.0.1 that answers 200 at once on kept-alive connections (a
/// thread each, pipelined requests answered in one write), or never answers. Counts only.
struct Receiver {
    url: String,
    requests: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
}

impl Receiver {
    fn start(hang: bool) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicU64::new(0));
        let connections = Arc::new(AtomicU64::new(0));
        let (counter, accepted) = (requests.clone(), connections.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                accepted.fetch_add(1, Ordering::SeqCst);
                let counter = counter.clone();
                std::thread::spawn(move || serve(conn, &counter, hang));
            }
        });
        Receiver {
            url,
            requests,
            connections,
        }
    }

    fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

fn serve(mut conn: TcpStream, counter: &AtomicU64, hang: bool) {
    const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let _ = conn.set_nodelay(true);
    let mut buf = vec![0u8; 256 * 1024];
    let (mut start, mut end) = (0, 0);
    let mut replies = Vec::with_capacity(OK.len() * 64);
    loop {
        // Every complete request in the buffer.
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut req = httparse::Request::new(&mut headers);
            let Ok(httparse::Status::Complete(head)) = req.parse(&buf[start..end]) else {
                break;
            };
            let length: usize = req
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
                .unwrap_or(0);
            if end - start < head + length {
                break;
            }
            start += head + length;
            if !hang {
                counter.fetch_add(1, Ordering::SeqCst);
                replies.extend_from_slice(OK);
            }
        }
        if !replies.is_empty() {
            if conn.write_all(&replies).is_err() {
                return;
            }
            replies.clear();
        }
        if start == end {
            (start, end) = (0, 0);
        } else if end == buf.len() {
            buf.copy_within(start..end, 0);
            (start, end) = (0, end - start);
        }
        match conn.read(&mut buf[end..]) {
            Ok(0) | Err(_) => return,
            Ok(n) => end += n,
        }
    }
}
