//! The full-speed path of the simulated hub: a pool of pre-encoded websocket frames written
//! straight to the upgraded connection, so `--rate max` measures the client, not the server.
//! It honours only the faults `faults::FAULTS` marks so; any other sends sockets to the
//! player.

use std::io;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Hub, Pacing, Script, Step};

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
                Step::Text(t) => (0x1, t.as_bytes()),
                Step::Binary(b) => (0x2, b.as_slice()),
                _ => return None,
            };
            frame_header(&mut bytes, opcode, payload.len());
            bytes.extend_from_slice(payload);
            ends.push(bytes.len());
        }
        (!ends.is_empty()).then_some(Encoded { bytes, ends })
    }
}

/// FIN set, no mask (server to client), the shortest length encoding.
fn frame_header(out: &mut Vec<u8>, opcode: u8, len: usize) {
    out.push(0x80 | opcode);
    match len {
        0..=125 => out.push(len as u8),
        126..=0xFFFF => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
}

/// Writes the pool over and over (or up to `limit` frames, then idles) until the client
/// closes or goes away; answers a close frame. Returns the frames sent and why it ended.
pub async fn blast<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    pool: &Encoded,
    limit: Option<u64>,
) -> (u64, &'static str) {
    let (mut rd, mut wr) = tokio::io::split(stream);
    let mut sent = 0u64;
    // Pongs owed to the client's keepalive pings: the reader finds them, the writer sends.
    let pongs = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
    let owed = tokio::sync::Notify::new();
    let writer = async {
        let per_pool = pool.ends.len() as u64;
        loop {
            let due: Vec<Vec<u8>> =
                std::mem::take(&mut *pongs.lock().unwrap_or_else(|e| e.into_inner()));
            for payload in due {
                let mut frame = vec![0x8A, payload.len() as u8];
                frame.extend_from_slice(&payload);
                if wr.write_all(&frame).await.is_err() {
                    return "the connection failed";
                }
            }
            let left = limit.map_or(u64::MAX, |l| l - sent);
            if left == 0 {
                // Quiet, like a real hub between events, but still answering pings.
                let _ = wr.flush().await;
                owed.notified().await;
                continue;
            }
            let (bytes, frames) = if left >= per_pool {
                (&pool.bytes[..], per_pool)
            } else {
                (&pool.bytes[..pool.ends[left as usize - 1]], left)
            };
            if wr.write_all(bytes).await.is_err() {
                return "the connection failed";
            }
            sent += frames;
        }
    };
    let why = tokio::select! {
        why = writer => why,
        why = wait_for_close(&mut rd, |payload| {
            pongs.lock().unwrap_or_else(|e| e.into_inner()).push(payload);
            owed.notify_one();
        }) => why,
    };
    if why == "the client closed" {
        // Close reply, code 1000.
        let _ = wr.write_all(&[0x88, 0x02, 0x03, 0xE8]).await;
        let _ = wr.shutdown().await;
    }
    (sent, why)
}

/// Reads the client's frames (control frames only, in this one-way protocol) until a
/// close frame or the end of the connection, handing each ping's payload to `ping`.
async fn wait_for_close(
    rd: &mut (impl AsyncRead + Unpin),
    mut ping: impl FnMut(Vec<u8>),
) -> &'static str {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match parse_client_frame(&buf) {
            Ok(Some((opcode, used))) => {
                if opcode == 0x8 {
                    return "the client closed";
                }
                if opcode == 0x9 {
                    ping(unmasked_payload(&buf[..used]));
                }
                buf.drain(..used);
                continue;
            }
            Ok(None) => {}
            Err(_) => return "the client sent a malformed frame",
        }
        match rd.read(&mut chunk).await {
            Ok(0) | Err(_) => return "the connection ended",
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The payload of one complete client frame (control frames: at most 125 bytes), unmasked.
fn unmasked_payload(frame: &[u8]) -> Vec<u8> {
    let len = (frame[1] & 0x7F) as usize;
    if frame[1] & 0x80 == 0 || len > 125 {
        return frame[2..].iter().take(125).copied().collect();
    }
    let key = [frame[2], frame[3], frame[4], frame[5]];
    frame[6..6 + len]
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ key[i % 4])
        .collect()
}

/// One complete client frame at the start of `buf`: (opcode, bytes used), or `None` when
/// more bytes are needed.
fn parse_client_frame(buf: &[u8]) -> io::Result<Option<(u8, usize)>> {
    if buf.len() < 2 {
        return Ok(None);
    }
    let opcode = buf[0] & 0x0F;
    let masked = buf[1] & 0x80 != 0;
    let (len, mut used) = match buf[1] & 0x7F {
        126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
        127 if buf.len() >= 10 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&buf[2..10]);
            let len = u64::from_be_bytes(b);
            if len > 1 << 20 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "client frame too large",
                ));
            }
            (len as usize, 10)
        }
        126 | 127 => return Ok(None),
        n => (n as usize, 2),
    };
    if masked {
        used += 4;
    }
    if buf.len() < used + len {
        return Ok(None);
    }
    Ok(Some((opcode, used + len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_use_the_shortest_length() {
        for (len, header) in [(5usize, 2usize), (200, 4), (70_000, 10)] {
            let enc = Encoded::new(&[Step::text("x".repeat(len))]).unwrap();
            assert_eq!(enc.bytes.len(), header + len);
            assert_eq!(enc.bytes[0], 0x81);
        }
        assert!(Encoded::new(&[Step::Pause(std::time::Duration::ZERO)]).is_none());
    }

    #[test]
    fn client_frames() {
        // A masked close frame with a 2-byte code.
        let close = [0x88, 0x82, 1, 2, 3, 4, 9, 9];
        assert_eq!(parse_client_frame(&close).unwrap(), Some((0x8, 8)));
        assert_eq!(parse_client_frame(&close[..5]).unwrap(), None);
        let ping = [0x89, 0x80, 1, 2, 3, 4];
        assert_eq!(parse_client_frame(&ping).unwrap(), Some((0x9, 6)));
        // "hi" masked with 1,2,3,4.
        let ping = [0x89, 0x82, 1, 2, 3, 4, b'h' ^ 1, b'i' ^ 2];
        assert_eq!(unmasked_payload(&ping), b"hi");
    }
}
