//! What the benchmarks share: `cycle-notify simulate --scenario churn --rate max` as the hub,
//! commands of the release binary pointed at it, and peak RSS from the kernel.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_cycle-notify");
pub const KEY: &str = "bench-key";
pub const HUB: &str = "65f0c0ffee0000000000beef";

/// A `simulate --rate max` process (a pool of pre-encoded churn notifications written
/// straight to each socket), killed when dropped.
pub struct Simulator {
    child: Child,
    pub host: String,
}

impl Simulator {
    pub fn start() -> Simulator {
        let mut child = Command::new(BIN)
            .args([
                "simulate",
                "--scenario",
                "churn",
                "--rate",
                "max",
                "--key",
                KEY,
                "--hub-id",
                HUB,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start simulate");
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut host = String::new();
        for _ in 0..3 {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(url) = line.trim().strip_prefix("export CYCLE_BASE_URL=") {
                host = url.trim_start_matches("http://").to_string();
            }
        }
        Simulator { child, host }
    }

    pub fn token(&self) -> String {
        let mut s = TcpStream::connect(&self.host).unwrap();
        write!(
            s,
            "GET /v1/hubs/current/notifications HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {KEY}\r\nX-Hub-Id: {HUB}\r\nConnection: close\r\n\r\n",
            self.host
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let body = text.split_once("\r\n\r\n").unwrap().1;
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["data"]["token"].as_str().unwrap().to_string()
    }

    pub fn socket_url(&self) -> String {
        format!(
            "ws://{}/v1/hubs/current/notifications?token={}",
            self.host,
            self.token()
        )
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("CYCLE_BASE_URL", format!("http://{}", self.host))
            .env("CYCLE_API_KEY", KEY)
            .env("CYCLE_HUB_ID", HUB);
        c
    }
}

impl Simulator {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `tail -o json --count n ARGS` pointed at this hub, stdout to /dev/null: its exit
    /// status, what it used, and the seconds from spawn to exit.
    pub fn tail_usage(&self, args: &[&str], n: u64) -> (Option<i32>, Usage, f64) {
        let start = std::time::Instant::now();
        let child = self
            .command()
            .args(["tail", "-o", "json", "--count", &n.to_string()])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (status, usage) = wait_usage(child);
        (status, usage, start.elapsed().as_secs_f64())
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the child: its exit status (`None` when a signal ended it) and its peak RSS in
/// KiB, from the kernel's rusage.
pub fn wait_rusage(child: Child) -> (Option<i32>, u64) {
    let (code, usage) = wait_usage(child);
    (code, usage.rss_kib)
}

/// What a finished child used, from the kernel's rusage.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub rss_kib: u64,
    /// User plus system time.
    pub cpu_seconds: f64,
}

/// Waits for the child: its exit status (`None` when a signal ended it) and what it used.
pub fn wait_usage(child: Child) -> (Option<i32>, Usage) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain wait4 on our own child; rusage is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    let code = (r == pid && libc::WIFEXITED(status)).then(|| libc::WEXITSTATUS(status));
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        code,
        Usage {
            rss_kib: usage.ru_maxrss as u64,
            cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        },
    )
}

/// CPU seconds (user plus system) a running process has used so far, from /proc.
pub fn cpu_so_far(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line: 11 and 12 (from 0) after the name.
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) / hz
}
