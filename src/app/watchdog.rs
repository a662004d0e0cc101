//! The binary's guard against a stdout nobody reads: a run blocked writing to a full pipe
//! cannot see a signal, so a thread of its own listens for the same signals
//! (leaf::exit::SIGNALS) and, when the main thread is still stuck in a write half a second
//! after one, ends the process with that signal's status. What was already written stays in
//! the pipe; only the output that could not be written is lost. A run that is not blocked
//! handles the signal itself (close frame, flush, drain), and this thread does nothing.
//! Only `main` uses this: it may end the process.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a write may stay blocked after a signal before the process ends without it.
pub const GRACE: Duration = Duration::from_millis(500);

/// Whether the main thread is inside a write to stdout or stderr right now, and how many
/// writes have returned: inside one that has not returned for a while is blocked.
static IN_WRITE: AtomicBool = AtomicBool::new(false);
static WRITES: AtomicU64 = AtomicU64::new(0);

/// A writer that marks the time it spends inside `write` and `flush`.
pub struct Watched<W>(pub W);

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        IN_WRITE.store(true, Ordering::SeqCst);
        let r = self.0.write(buf);
        IN_WRITE.store(false, Ordering::SeqCst);
        WRITES.fetch_add(1, Ordering::SeqCst);
        r
    }

    fn flush(&mut self) -> io::Result<()> {
        IN_WRITE.store(true, Ordering::SeqCst);
        let r = self.0.flush();
        IN_WRITE.store(false, Ordering::SeqCst);
        WRITES.fetch_add(1, Ordering::SeqCst);
        r
    }
}

/// Starts the watchdog thread (unix; elsewhere there is nothing to do).
pub fn start() {
    #[cfg(unix)]
    {
        let _ = std::thread::Builder::new()
            .name("signal watchdog".into())
            .spawn(watch);
    }
}

#[cfg(unix)]
fn watch() {
    use tokio::signal::unix::{signal, SignalKind};

    use crate::leaf::exit::SIGNALS;

    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        let mut listening = Vec::new();
        for &(n, exit) in SIGNALS {
            match signal(SignalKind::from_raw(n)) {
                Ok(s) => listening.push((s, exit)),
                Err(_) => return,
            }
        }
        let exit = std::future::poll_fn(|cx| {
            for (s, exit) in &mut listening {
                if s.poll_recv(cx).is_ready() {
                    return std::task::Poll::Ready(*exit);
                }
            }
            std::task::Poll::Pending
        })
        .await;
        // The main thread has the same signal; give it the grace to act on it, and step in
        // only while a write keeps it from doing so.
        let mut blocked: Option<(Instant, u64)> = None;
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let writes = WRITES.load(Ordering::SeqCst);
            if !IN_WRITE.load(Ordering::SeqCst) || blocked.is_some_and(|(_, w)| w != writes) {
                blocked = None;
                if !IN_WRITE.load(Ordering::SeqCst) {
                    continue;
                }
            }
            let (since, _) = *blocked.get_or_insert((Instant::now(), writes));
            if since.elapsed() >= GRACE {
                std::process::exit(i32::from(exit.code()));
            }
        }
    });
}
