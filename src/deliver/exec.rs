//! `--exec CMD`: each notification runs `sh -c CMD` (`cmd /C` on Windows) with the
//! notification's JSON on stdin and its fields in `CYCLE_*` variables; a command that runs
//! too long is killed with its whole process group.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{Attempt, Job, Note, Reason};
use crate::leaf::time::human;
use crate::notification::Notification;

/// How long the end of a command's stderr is waited for once it has exited.
const STDERR_GRACE: Duration = Duration::from_millis(100);

/// Variables a command must not inherit: destinations never see the API key.
const WITHHELD: &[&str] = &["CYCLE_API_KEY"];

#[derive(Debug)]
pub struct Exec {
    pub command: String,
    /// Killed (with its process group) and counted as failed after this long.
    pub timeout: Option<Duration>,
    /// `CYCLE_HUB_ID` when a notification does not name its hub.
    pub hub_id: String,
}

/// The environment a command gets for one notification, beyond what it inherits.
pub fn variables(n: &Notification, hub_id: &str) -> Vec<(&'static str, String)> {
    let o = n.object();
    let c = n.context();
    let mut vars = vec![("CYCLE_TOPIC", n.topic.to_string())];
    let fields = [
        ("CYCLE_OBJECT_ID", o.id.get()),
        ("CYCLE_OBJECT_STATE", o.state.get()),
        ("CYCLE_PREVIOUS_STATE", o.previous_state()),
    ];
    vars.extend(
        fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v.to_string()))),
    );
    if let Some(e) = o.error_text() {
        vars.push(("CYCLE_OBJECT_ERROR", e.into_owned()));
    }
    vars.push(("CYCLE_HUB_ID", c.hub_id.get().unwrap_or(hub_id).to_string()));
    vars.push(("CYCLE_ENVIRONMENT_IDS", c.environments.0.join(",")));
    vars.push(("CYCLE_CONTAINER_IDS", c.containers.0.join(",")));
    vars
}

impl Exec {
    pub(super) async fn attempt(&self, job: &Job, notes: &mpsc::UnboundedSender<Note>) -> Attempt {
        let started = Instant::now();
        // A whole line, newline included, so `read -r json` in a shell script succeeds.
        let mut line = crate::output::json_line(&job.frame).into_owned();
        line.push(b'\n');
        let mut cmd = shell(&self.command);
        if let Ok(n) = Notification::parse(&job.frame) {
            cmd.envs(variables(&n, &self.hub_id));
        }
        for name in WITHHELD {
            cmd.env_remove(name);
        }
        cmd.stdin(Stdio::piped())
            .stdout(stdout_to_stderr())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        #[cfg(unix)]
        cmd.process_group(0);
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => return Attempt::Never(Reason::new(format!("cannot run the shell: {e}"))),
        };
        // Killed with its group if this attempt ends before the command does (a timeout,
        // the end of the run); a command that exited keeps whatever it left running.
        let mut group = Group(child.id());
        let mut stdin = child.stdin.take();
        let feed = async {
            if let Some(stdin) = stdin.as_mut() {
                // A command that does not read its stdin closes the pipe: not a failure.
                let _ = stdin.write_all(&line).await;
            }
            drop(stdin.take());
        };
        let last = Arc::new(Mutex::new(String::new()));
        let relay = child
            .stderr
            .take()
            .map(|stderr| tokio::spawn(relay(stderr, notes.clone(), job.describe(), last.clone())));
        let run = async {
            let ((), status) = tokio::join!(feed, child.wait());
            status
        };
        let status = match self.timeout {
            Some(t) => match tokio::time::timeout(t, run).await {
                Ok(done) => done,
                Err(_) => {
                    return Attempt::Again {
                        reason: Reason::new(format!("timed out after {}, killed", human(t))),
                        after: None,
                    }
                }
            },
            None => run.await,
        };
        group.0 = None;
        let took = started.elapsed();
        // What the command wrote before it exited is in the pipe already. The pipe stays
        // open while anything the command left running in the background holds it: that
        // one's lines are still relayed, but the delivery does not wait for it to exit.
        if let Some(relay) = relay {
            let _ = tokio::time::timeout(STDERR_GRACE, relay).await;
        }
        let last = std::mem::take(&mut *last.lock().unwrap_or_else(|e| e.into_inner()));
        let status = match status {
            Ok(s) => s,
            Err(e) => {
                return Attempt::Again {
                    reason: Reason::new(format!("waiting for the command failed: {e}")),
                    after: None,
                }
            }
        };
        if status.success() {
            return Attempt::Done(format!("exit 0 in {}", human(took)));
        }
        let code = match status.code() {
            Some(c) => format!("exit {c}"),
            None => signal_of(&status),
        };
        Attempt::Again {
            reason: Reason {
                summary: code,
                detail: (!last.is_empty()).then_some(last),
            },
            after: None,
        }
    }
}

/// Relays a command's stderr line by line as notes, keeping the last non-blank line for the
/// failure report.
async fn relay(
    stderr: tokio::process::ChildStderr,
    notes: mpsc::UnboundedSender<Note>,
    what: String,
    last: Arc<Mutex<String>>,
) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if !line.trim().is_empty() {
            *last.lock().unwrap_or_else(|e| e.into_inner()) = line.clone();
        }
        let _ = notes.send(Note::Output {
            what: what.clone(),
            line,
        });
    }
}

#[cfg(unix)]
fn shell(command: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(windows)]
fn shell(command: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

/// stdout carries notifications only: what a command prints goes to stderr.
fn stdout_to_stderr() -> Stdio {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return Stdio::from(fd);
        }
    }
    Stdio::null()
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(s) => format!("killed by signal {s}"),
        None => "exit unknown".into(),
    }
}

#[cfg(not(unix))]
fn signal_of(_status: &std::process::ExitStatus) -> String {
    "exit unknown".into()
}

/// The process group of a command (its pid, as it leads the group): everything in it is
/// killed on drop, so a timed-out `sh -c 'sleep 100 | cat'` leaves nothing behind.
struct Group(Option<u32>);

impl Drop for Group {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.0.and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: killpg only sends a signal; a group that is gone yields ESRCH.
            unsafe {
                libc::killpg(pid, libc::SIGKILL);
            }
        }
    }
}
