//! Websocket framing on the hub's side of the connection: server frames encoded (FIN, no
//! mask), and the client's frames read back. In this one-way protocol only the client's
//! control frames matter: pings to answer and the close to reply to. The reader never
//! writes; it tells the writer (`Control`), which acts between two whole frames, so a
//! close reply can never land inside a data frame.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use tokio::io::{AsyncRead, AsyncReadExt};

pub(super) const TEXT: u8 = 0x1;
pub(super) const BINARY: u8 = 0x2;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xA;

/// What the reader has to tell the writer.
#[derive(Default)]
pub(super) struct Control {
    pongs: Mutex<Vec<Vec<u8>>>,
    /// Why the client's side ended (it closed, or the connection went).
    verdict: OnceLock<&'static str>,
    /// Set with every pong owed and with the verdict: the writer's cheap per-frame check.
    attention: AtomicBool,
    /// Wakes a writer that is waiting (between frames, on a pause, idle).
    pub wake: tokio::sync::Notify,
}

impl Control {
    /// Whether a pong is owed or the verdict is in (and clears the flag).
    pub fn attention(&self) -> bool {
        self.attention.load(Ordering::Relaxed) && self.attention.swap(false, Ordering::Relaxed)
    }

    pub fn verdict(&self) -> Option<&'static str> {
        self.verdict.get().copied()
    }

    /// The pong frames owed, encoded.
    pub fn pongs(&self) -> Vec<u8> {
        let owed = std::mem::take(&mut *self.pongs.lock().unwrap_or_else(|e| e.into_inner()));
        let mut out = Vec::new();
        for payload in owed {
            header(&mut out, PONG, payload.len());
            out.extend_from_slice(&payload);
        }
        out
    }

    fn tell(&self) {
        self.attention.store(true, Ordering::Relaxed);
        self.wake.notify_one();
    }
}

/// The verdict of a client that sent a close frame: the writer replies to it.
pub(super) const CLIENT_CLOSED: &str = "the client closed";

/// FIN set, no mask (server to client), the shortest length encoding.
pub(super) fn header(out: &mut Vec<u8>, opcode: u8, len: usize) {
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

/// A close frame with this code and reason.
pub(super) fn close(code: u16, reason: &str) -> Vec<u8> {
    let mut out = Vec::new();
    header(&mut out, CLOSE, 2 + reason.len());
    out.extend_from_slice(&code.to_be_bytes());
    out.extend_from_slice(reason.as_bytes());
    out
}

/// Reads the client's frames until a close frame or the end of the connection, queueing a
/// pong for each ping; returns the verdict, which the writer is also told.
pub(super) async fn read_client(mut rd: impl AsyncRead + Unpin, ctl: &Control) -> &'static str {
    let why = read_until_close(&mut rd, |payload| {
        ctl.pongs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(payload);
        ctl.tell();
    })
    .await;
    let _ = ctl.verdict.set(why);
    ctl.tell();
    why
}

async fn read_until_close(
    rd: &mut (impl AsyncRead + Unpin),
    mut ping: impl FnMut(Vec<u8>),
) -> &'static str {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match parse_client_frame(&buf) {
            Ok(Some((opcode, used))) => {
                if opcode == CLOSE {
                    return CLIENT_CLOSED;
                }
                if opcode == PING {
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
        for (len, size) in [(5usize, 2usize), (200, 4), (70_000, 10)] {
            let mut out = Vec::new();
            header(&mut out, TEXT, len);
            assert_eq!(out.len(), size);
            assert_eq!(out[0], 0x81);
        }
        assert_eq!(close(1000, ""), [0x88, 0x02, 0x03, 0xE8]);
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
