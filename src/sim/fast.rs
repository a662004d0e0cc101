//! The full-speed path of the simulated hub: a pool of pre-encoded websocket frames written
//! straight to the upgraded connection, so `--rate max` measures the client, not the server.
//! It honours only the faults `faults::FAULTS` marks so; any other sends sockets to the
//! player.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::{wire, Hub, Pacing, Script, Step};

impl Hub {
    /// The pre-encoded pool when nothing but raw speed is asked of this hub's sockets: a
    /// fixed script of data frames, repeated at `Pacing::Max`, with no per-frame bookkeeping
    /// and no fault the fast path cannot honour. Decided once per hub.
    pub(super) fn fast_pool(&self) -> Option<Arc<Encoded>> {
        self.shared
            .pool
            .get_or_init(|| {
                let c = &self.config;
                let eligible = c.pacing == Pacing::Max
                    && c.repeat
                    && !c.track_state
                    && c.hold_reads_until_frames == 0;
                let Script::Fixed(steps) = &c.script else {
                    return None;
                };
                if !eligible {
                    return None;
                }
                let beyond: Vec<&str> = c.faults.beyond_fast_path().map(|f| f.name).collect();
                if !beyond.is_empty() {
                    self.event(format!(
                        "sockets are played frame by frame, not by the full-speed path, for the fault{} {}",
                        if beyond.len() == 1 { "" } else { "s" },
                        beyond.join(", ")
                    ));
                    return None;
                }
                Encoded::new(steps).map(Arc::new)
            })
            .clone()
    }
}

/// Server frames for a script made only of data frames, back to back.
#[derive(Debug)]
pub struct Encoded {
    bytes: Vec<u8>,
    /// Where each frame ends in `bytes`, for stopping after a count mid-pool.
    ends: Vec<usize>,
}

impl Encoded {
    /// The script as wire bytes, or `None` if it has anything but data frames.
    pub fn new(steps: &[Step]) -> Option<Encoded> {
        let mut bytes = Vec::new();
        let mut ends = Vec::with_capacity(steps.len());
        for step in steps {
            let (opcode, payload) = match step {
                Step::Text(t) => (wire::TEXT, t.as_bytes()),
                Step::Binary(b) => (wire::BINARY, b.as_slice()),
                _ => return None,
            };
            wire::header(&mut bytes, opcode, payload.len());
            bytes.extend_from_slice(payload);
            ends.push(bytes.len());
        }
        (!ends.is_empty()).then_some(Encoded { bytes, ends })
    }
}

/// The most written in one call: a run of whole frames, so a client's close is answered
/// between two frames, never inside one.
const SLICE: usize = 64 * 1024;

/// Writes the pool over and over (or up to `limit` frames, then idles) until the client
/// closes or goes away; answers a close frame after the last whole frame. A socket of a
/// shared timeline starts where `head` says the others have got to, and moves it on.
/// Returns the frames sent and why it ended.
pub async fn blast<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    pool: &Encoded,
    limit: Option<u64>,
    head: Option<&AtomicU64>,
) -> (u64, &'static str) {
    let (rd, mut wr) = tokio::io::split(stream);
    let frames = pool.ends.len();
    let start = head.map_or(0, |h| h.load(Ordering::Relaxed));
    let ctl = wire::Control::default();
    let writer = async {
        let mut sent = 0u64;
        let mut at = (start % frames as u64) as usize;
        loop {
            if ctl.attention() {
                if let Some(why) = ctl.verdict() {
                    if why == wire::CLIENT_CLOSED {
                        let _ = wr.write_all(&wire::close(1000, "")).await;
                        let _ = wr.shutdown().await;
                    }
                    return (sent, why);
                }
                if wr.write_all(&ctl.pongs()).await.is_err() {
                    return (sent, "the connection failed");
                }
            }
            let left = limit.map_or(u64::MAX, |l| l - sent);
            if left == 0 {
                // Quiet, like a real hub between events, but still answering pings.
                let _ = wr.flush().await;
                ctl.wake.notified().await;
                continue;
            }
            let begin = if at == 0 { 0 } else { pool.ends[at - 1] };
            let most = left.min((frames - at) as u64) as usize;
            let fit = pool.ends[at..at + most].partition_point(|&end| end <= begin + SLICE);
            let stop = at + fit.max(1);
            if wr
                .write_all(&pool.bytes[begin..pool.ends[stop - 1]])
                .await
                .is_err()
            {
                return (sent, "the connection failed");
            }
            sent += (stop - at) as u64;
            at = stop % frames;
            if let Some(head) = head {
                head.fetch_max(start + sent, Ordering::Relaxed);
            }
        }
    };
    tokio::pin!(writer);
    tokio::select! {
        ended = &mut writer => ended,
        // The writer acts on the verdict between two writes: cancelling a write midway
        // would leave a torn frame on the wire.
        _ = wire::read_client(rd, &ctl) => (&mut writer).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_is_its_frames_back_to_back() {
        let enc = Encoded::new(&[Step::text("ab"), Step::Binary(vec![1; 200])]).unwrap();
        assert_eq!(enc.ends, [4, 4 + 4 + 200]);
        assert_eq!(&enc.bytes[..4], &[0x81, 2, b'a', b'b']);
        assert_eq!(&enc.bytes[4..8], &[0x82, 126, 0, 200]);
        assert!(Encoded::new(&[Step::Pause(std::time::Duration::ZERO)]).is_none());
    }
}
