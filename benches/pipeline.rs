//! End-to-end benchmark: `cycle-notify simulate --rate max` feeding the real release binary
//! in each output format, a minimal tokio-tungstenite "floor" client, jq, and websocat (alone
//! and piped into jq) when it is on PATH. Prints notifications per second, the ratios the performance targets
//! are stated in, peak RSS, time to first notification and latency on a quiet stream.
//!
//! Run: `cargo bench --bench pipeline` (BENCH_N sets the stream length, default 300000).

use std::borrow::Cow;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cycle_notify::sim::{Hub, HubConfig, Pacing, Script, Step};
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

mod common;

use common::{wait_rusage, Simulator, BIN, HUB, KEY};

const GLOB: &str = "container.*";
const RUNS: usize = 3;

fn main() {
    let n: u64 = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let sim = Simulator::start();
    println!("stream: {n} notifications from `cycle-notify simulate --scenario churn --rate max` ({} bytes on average)", sim.average_size(2000));

    let floor = best(RUNS, || floor_client(&sim, n));
    let matches = floor.matches;
    println!(
        "\n{:<44} {:>9} {:>13} {:>9} {:>10}",
        "client", "seconds", "notif/s", "vs floor", "peak RSS"
    );
    let row = |name: &str, secs: f64, rss_kib: Option<u64>| {
        println!(
            "{:<44} {:>9.3} {:>13.0} {:>8.2}x {:>10}",
            name,
            secs,
            n as f64 / secs,
            secs / floor.seconds,
            rss_kib
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "-".into())
        )
    };
    row(
        "floor: tungstenite + topic parse + glob",
        floor.seconds,
        None,
    );

    let json_topic = best(RUNS, || sim.tail(&["-o", "json", "--topic", GLOB], matches));
    row(
        "cycle-notify tail -o json --topic 'container.*'",
        json_topic.seconds,
        Some(json_topic.rss_kib),
    );
    let json = best(RUNS, || sim.tail(&["-o", "json"], n));
    row(
        "cycle-notify tail -o json",
        json.seconds,
        Some(json.rss_kib),
    );
    let raw = best(RUNS, || sim.tail(&["-o", "raw"], n));
    row("cycle-notify tail -o raw", raw.seconds, Some(raw.rss_kib));
    let pretty = best(RUNS, || sim.tail(&["-o", "pretty", "--color", "never"], n));
    row(
        "cycle-notify tail -o pretty (no colour)",
        pretty.seconds,
        Some(pretty.rss_kib),
    );

    // jq alone, on a file of the same stream: what `websocat | jq` costs past the socket.
    let capture =
        std::env::temp_dir().join(format!("cycle-notify-bench-{}.jsonl", std::process::id()));
    sim.capture(n, &capture);
    let jq = counted(
        "jq alone",
        &format!("jq -c {JQ_SELECT} {} | wc -l", capture.display()),
        matches,
    );
    if let Some(jq) = jq {
        row("jq -c 'select(...)' on a file (for reference)", jq, None);
    }
    let _ = std::fs::remove_file(&capture);
    // websocat as the docs' recipe runs it, receive-only. The stream never ends, so `head`
    // stops it; `wc -l` shows that all N frames (or all matches) went through, and the clock
    // stops when its count arrives, whatever websocat does after losing its stdout.
    let mut websocat_times = None;
    if let Some(ws) = which("websocat") {
        let alone = best_of(RUNS, || {
            counted(
                "websocat",
                &format!(
                    "{ws} -n -U -t '{}' < /dev/null | head -n {n} | wc -l",
                    sim.socket_url()
                ),
                n,
            )
        });
        let with_jq = best_of(RUNS, || {
            counted(
                "websocat | jq",
                &format!(
                    "{ws} -n -U -t '{}' < /dev/null | head -n {n} | jq -c {JQ_SELECT} | wc -l",
                    sim.socket_url()
                ),
                matches,
            )
        });
        if let Some(a) = alone {
            row("websocat -n -U -t URL | head -n N", a, None);
        }
        if let Some(j) = with_jq {
            row("websocat ... | head -n N | jq -c 'select(...)'", j, None);
        }
        websocat_times = Some((alone, with_jq));
    }

    // Memory must not grow with the stream: compare a 10x longer run.
    let long = sim.tail(&["-o", "json"], n * 10 / 3);
    let longer = sim.tail(&["-o", "json"], n * 10 / 3 * 3);

    println!("\ntargets:");
    let check = |ok: bool| if ok { "ok" } else { "MISSED" };
    let r = json_topic.seconds / floor.seconds;
    println!(
        "  tail -o json --topic within 1.5x of the floor: {r:.2}x {}",
        check(r <= 1.5)
    );
    match websocat_times {
        Some((alone, with_jq)) => {
            match with_jq {
                Some(j) => println!(
                    "  at least 20x faster than websocat | jq: {:.1}x {}",
                    j / json_topic.seconds,
                    check(j / json_topic.seconds >= 20.0)
                ),
                None => println!("  at least 20x faster than websocat | jq: not measured MISSED"),
            }
            match alone {
                Some(a) => println!(
                    "  faster than websocat alone: {:.2}x {}",
                    a / json_topic.seconds,
                    check(a > json_topic.seconds)
                ),
                None => println!("  faster than websocat alone: not measured MISSED"),
            }
        }
        None => {
            println!("  websocat not on PATH: `cargo install websocat` to compare with it directly")
        }
    }
    let r = pretty.seconds / json.seconds;
    println!(
        "  -o pretty within 3x of -o json: {r:.2}x {}",
        check(r <= 3.0)
    );
    println!(
        "  peak RSS at most 10 MiB and flat: {:.1} MiB after {} and {:.1} MiB after {} notifications {}",
        long.rss_kib as f64 / 1024.0,
        n * 10 / 3,
        longer.rss_kib as f64 / 1024.0,
        n * 10 / 3 * 3,
        check(longer.rss_kib <= 10 * 1024 && longer.rss_kib <= long.rss_kib + 1024)
    );
    let first = first_notification(&sim);
    println!(
        "  first notification within 50 ms of process start: median {:.1} ms {}",
        first * 1000.0,
        check(first <= 0.050)
    );
    let (p50, p99, max) = quiet_latency();
    println!(
        "  quiet stream (~1000/s) frame-to-stdout latency p99 within 1 ms: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms {}",
        p50 * 1e3,
        p99 * 1e3,
        max * 1e3,
        check(p99 <= 0.001)
    );
}

struct Run {
    seconds: f64,
    rss_kib: u64,
    matches: u64,
}

fn best(runs: usize, mut f: impl FnMut() -> Run) -> Run {
    let mut all: Vec<Run> = (0..runs).map(|_| f()).collect();
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    all.swap_remove(0)
}

impl Simulator {
    /// The real binary with `args --count count`, stdout to /dev/null.
    fn tail(&self, args: &[&str], count: u64) -> Run {
        let start = Instant::now();
        let child = self
            .command()
            .arg("tail")
            .args(args)
            .args(["--count", &count.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (code, rss_kib) = wait_rusage(child);
        assert_eq!(code, Some(0), "tail {args:?} failed");
        Run {
            seconds: start.elapsed().as_secs_f64(),
            rss_kib,
            matches: count,
        }
    }

    fn capture(&self, count: u64, path: &std::path::Path) {
        let file = std::fs::File::create(path).unwrap();
        let status = self
            .command()
            .args(["tail", "-o", "json", "--count", &count.to_string()])
            .stdout(file)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn average_size(&self, count: u64) -> u64 {
        let out = self
            .command()
            .args(["tail", "-o", "json", "--count", &count.to_string()])
            .output()
            .unwrap();
        out.stdout.len() as u64 / count
    }
}

#[derive(serde::Deserialize)]
struct TopicOnly<'a> {
    #[serde(borrow)]
    topic: Cow<'a, str>,
}

/// The least a client can do: receive, parse the topic, match the glob, write the frame.
fn floor_client(sim: &Simulator, n: u64) -> Run {
    let url = sim.socket_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let start = Instant::now();
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let glob = globset::GlobBuilder::new(GLOB)
            .literal_separator(false)
            .build()
            .unwrap()
            .compile_matcher();
        let mut out =
            BufWriter::with_capacity(64 * 1024, std::fs::File::create("/dev/null").unwrap());
        let (mut seen, mut matches) = (0u64, 0u64);
        while seen < n {
            let Some(Ok(msg)) = ws.next().await else {
                panic!("stream ended early")
            };
            if let Message::Text(t) = msg {
                seen += 1;
                let parsed: TopicOnly = serde_json::from_str(&t).unwrap();
                if glob.is_match(parsed.topic.as_ref()) {
                    matches += 1;
                    out.write_all(t.as_bytes()).unwrap();
                    out.write_all(b"\n").unwrap();
                }
            }
        }
        out.flush().unwrap();
        Run {
            seconds: start.elapsed().as_secs_f64(),
            rss_kib: 0,
            matches,
        }
    })
}

/// The jq filter of the recipe, quoted for sh.
const JQ_SELECT: &str = r#"'select(.topic|startswith("container."))'"#;

fn best_of(runs: usize, mut f: impl FnMut() -> Option<f64>) -> Option<f64> {
    (0..runs).filter_map(|_| f()).min_by(f64::total_cmp)
}

/// Runs a shell pipeline that ends in `wc -l` and times it up to the moment its count is
/// printed; `None` (with a note) unless the count is `want`. The pipeline runs in its own
/// process group, killed once the count is in or after two minutes, so a stage that hangs
/// after its reader went away cannot stall or flatter the benchmark.
fn counted(what: &str, script: &str, want: u64) -> Option<f64> {
    use std::os::unix::process::CommandExt;
    let start = Instant::now();
    let mut child = Command::new("sh")
        .args(["-c", script])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()?;
    let pgid = child.id() as libc::pid_t;
    let stdout = child.stdout.take()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send((start.elapsed().as_secs_f64(), line));
    });
    let got = rx.recv_timeout(Duration::from_secs(120));
    // SAFETY: signals our own process group, then reaps its leader.
    unsafe { libc::kill(-pgid, libc::SIGKILL) };
    let _ = child.wait();
    match got {
        Ok((secs, line)) => match line.trim().parse::<u64>() {
            Ok(count) if count == want => Some(secs),
            _ => {
                println!(
                    "  ({what}: {:?} lines instead of {want}: not counted)",
                    line.trim()
                );
                None
            }
        },
        Err(_) => {
            println!("  ({what}: no result within 120 s: not counted)");
            None
        }
    }
}

fn which(name: &str) -> Option<String> {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()?;
    let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!path.is_empty()).then_some(path)
}

/// Median time from spawning the binary to reading its first notification.
fn first_notification(sim: &Simulator) -> f64 {
    let mut times: Vec<f64> = (0..11)
        .map(|_| {
            let start = Instant::now();
            let mut child = sim
                .command()
                .args(["tail", "-o", "json", "--count", "1"])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            let t = start.elapsed().as_secs_f64();
            let _ = child.wait();
            t
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// A hub sending one notification per millisecond, each stamped with its send time; the
/// latency is from that stamp to the line arriving on the binary's stdout.
fn quiet_latency() -> (f64, f64, f64) {
    let script = Script::Endless(Arc::new(|_, _| {
        vec![
            Step::text(format!(
                r#"{{"topic":"container.state.changed","object":{{"id":"65f0c0ffee0000000000c001","state":"running"}},"sent_ns":{}}}"#,
                now_ns()
            )),
            Step::Pause(Duration::from_millis(1)),
        ]
    }));
    let mut config = HubConfig::new(KEY, HUB, script);
    config.track_state = false;
    config.pacing = Pacing::Script { speed: 1.0 };
    let hub = Hub::start_in_thread(config).unwrap();
    let count = 3000;
    let mut child = Command::new(BIN)
        .env_clear()
        .env("CYCLE_BASE_URL", hub.base_url())
        .env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .args(["tail", "-o", "json", "--count", &count.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let reader = BufReader::new(child.stdout.take().unwrap());
    let mut lat: Vec<f64> = Vec::new();
    for line in reader.lines() {
        let line = line.unwrap();
        let now = now_ns();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let sent = v["sent_ns"].as_u64().unwrap() as u128;
        lat.push(now.saturating_sub(sent) as f64 / 1e9);
    }
    let _ = child.wait();
    // The first notifications race the connection set-up: measure the steady stream.
    let mut steady = lat.split_off(lat.len().min(100));
    steady.sort_by(f64::total_cmp);
    let pct = |p: f64| steady[((steady.len() - 1) as f64 * p) as usize];
    (pct(0.5), pct(0.99), *steady.last().unwrap())
}
