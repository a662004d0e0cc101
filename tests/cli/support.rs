//! Test helpers: a scrubbed command, a hub on 127.0.0.1, runs with a deadline.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

pub use cycle_notify::sim::{Hub, HubConfig, Step};

pub const KEY: &str = "test-key-0123456789";
pub const HUB: &str = "65f0c0ffee00000000000001";
/// Far longer than any run should take: only a hung binary reaches it.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A fresh directory under the system temp dir, unique per call.
pub fn temp_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cycle-notify-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with a scrubbed environment: no CYCLE_*, no NO_COLOR, a private HOME and
/// config dir, so nothing on the developer's machine leaks into a test.
pub fn cmd() -> Command {
    let home = temp_dir();
    let mut c = Command::new(env!("CARGO_BIN_EXE_cycle-notify"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .stdin(Stdio::null());
    c
}

/// A command pointed at `hub` with the right credentials.
pub fn cmd_for(hub: &Hub) -> Command {
    let mut c = cmd();
    c.env("CYCLE_API_KEY", KEY)
        .env("CYCLE_HUB_ID", HUB)
        .env("CYCLE_BASE_URL", hub.base_url());
    c
}

pub fn hub(steps: Vec<Step>) -> Hub {
    Hub::start_in_thread(HubConfig::fixed(KEY, HUB, steps)).expect("start hub")
}

pub fn hub_with(config: HubConfig) -> Hub {
    Hub::start_in_thread(config).expect("start hub")
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
            .collect()
    }
    pub fn topics(&self) -> Vec<String> {
        self.json_lines()
            .iter()
            .map(|v| v["topic"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Runs to completion, killing the process if it outlives LIMIT.
pub fn run(c: &mut Command) -> Output {
    let child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cycle-notify");
    finish(child)
}

pub fn finish(mut child: Child) -> Output {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    std::thread::spawn(move || {
        let mut out = String::new();
        let mut err = String::new();
        let t = std::thread::spawn(move || {
            if let Some(e) = stderr.as_mut() {
                let _ = e.read_to_string(&mut err);
            }
            err
        });
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_string(&mut out);
        }
        let err = t.join().unwrap_or_default();
        let status = child.wait().expect("wait");
        let _ = tx.send(Output {
            code: status.code().unwrap_or(-1),
            stdout: out,
            stderr: err,
        });
    });
    match rx.recv_timeout(LIMIT) {
        Ok(out) => out,
        Err(_) => {
            signal(pid, libc::SIGKILL);
            panic!("cycle-notify did not finish within {LIMIT:?}");
        }
    }
}

pub fn signal(pid: u32, sig: i32) {
    // SAFETY: sending a signal to a child process we spawned.
    unsafe {
        libc::kill(pid as i32, sig);
    }
}

/// A notification frame as Cycle sends it.
pub fn note(topic: &str, id: &str, state: &str) -> Step {
    Step::text(
        serde_json::json!({
            "topic": topic,
            "object": {"id": id, "state": state, "state_previous": "starting", "error": null},
            "context": {"hub_id": HUB, "environments": ["env1"], "containers": ["c1"], "clusters": ["production"]},
            "flags": null,
        })
        .to_string(),
    )
}

pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A port with nothing listening on it.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A `cycle-notify simulate` process, killed when dropped.
pub struct Sim {
    child: Child,
    pub base_url: String,
    pub key: String,
    pub hub: String,
}

impl Sim {
    /// Starts `simulate` with `args` and reads the export lines it prints on start.
    pub fn start(args: &[&str]) -> Sim {
        use std::io::BufRead;
        let mut child = cmd()
            .arg("simulate")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn simulate");
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut vars = std::collections::HashMap::new();
        for _ in 0..3 {
            let mut line = String::new();
            reader.read_line(&mut line).expect("export line");
            let (name, value) = line
                .trim()
                .strip_prefix("export ")
                .and_then(|l| l.split_once('='))
                .unwrap_or_else(|| panic!("not an export line: {line:?}"));
            vars.insert(name.to_string(), value.trim_matches('\'').to_string());
        }
        Sim {
            child,
            base_url: vars.remove("CYCLE_BASE_URL").unwrap(),
            key: vars.remove("CYCLE_API_KEY").unwrap(),
            hub: vars.remove("CYCLE_HUB_ID").unwrap(),
        }
    }

    /// A cycle-notify command pointed at this simulator.
    pub fn client(&self) -> Command {
        let mut c = cmd();
        c.env("CYCLE_BASE_URL", &self.base_url)
            .env("CYCLE_API_KEY", &self.key)
            .env("CYCLE_HUB_ID", &self.hub);
        c
    }

    pub fn host_port(&self) -> String {
        self.base_url.trim_start_matches("http://").to_string()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
