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

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the child: its exit status (`None` when a signal ended it) and its peak RSS in
/// KiB, from the kernel's rusage.
pub fn wait_rusage(child: Child) -> (Option<i32>, u64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain wait4 on our own child; rusage is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    let code = (r == pid && libc::WIFEXITED(status)).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss as u64)
}
