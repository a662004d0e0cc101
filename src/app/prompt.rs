//! Asking for a secret on the terminal without showing it: `config set api_key` with no value.

use std::io::Read;

use anyhow::Result;

use crate::leaf::exit::{Exit, Fail};
use crate::output::report::Report;

/// Reads one line from `stdin`, a terminal, with echo off: the prompt on stderr, the typed
/// characters nowhere. Backspace and Ctrl-U edit; Ctrl-C and Ctrl-D on an empty line cancel.
/// The terminal is put back as it was in every case (the keys are read one by one, so a
/// Ctrl-C is a byte here, not a signal that would leave echo off).
#[cfg(unix)]
pub fn hidden(prompt: &str, stdin: &mut dyn Read, report: &mut Report<'_>) -> Result<String> {
    let quiet = Quiet::on(libc::STDIN_FILENO)
        .map_err(|e| Fail::usage(format!("cannot turn the terminal's echo off: {e}")))?;
    report.prompt(prompt);
    let typed = read_line(stdin);
    drop(quiet);
    // Enter was not echoed either.
    report.prompt("\n");
    typed
}

#[cfg(not(unix))]
pub fn hidden(_prompt: &str, _stdin: &mut dyn Read, _report: &mut Report<'_>) -> Result<String> {
    Err(Fail::usage(
        "cannot prompt without echo on this system: pipe the key in with --api-key-stdin",
    ))
}

/// The line as typed, with the editing keys applied.
fn read_line(stdin: &mut dyn Read) -> Result<String> {
    let mut line: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        let n = stdin
            .read(&mut byte)
            .map_err(|e| Fail::usage(format!("cannot read the terminal: {e}")))?;
        match (n, byte[0]) {
            (0, _) | (_, b'\r' | b'\n') => break,
            (_, 0x03) => return Err(Fail::new(Exit::Interrupted, "interrupted").into()),
            (_, 0x04) if line.is_empty() => return Err(Fail::usage("no key typed")),
            (_, 0x15) => line.clear(),
            (_, 0x7f | 0x08) => {
                // One character, however many bytes it took.
                while line.pop().is_some_and(|b| b & 0xc0 == 0x80) {}
            }
            (_, b) => line.push(b),
        }
    }
    String::from_utf8(line).map_err(|_| Fail::usage("the key typed is not text"))
}

/// The terminal with echo, line editing and signal keys off; as it was when dropped.
#[cfg(unix)]
struct Quiet {
    fd: libc::c_int,
    saved: libc::termios,
}

#[cfg(unix)]
impl Quiet {
    fn on(fd: libc::c_int) -> std::io::Result<Quiet> {
        // SAFETY: a termios is plain data; tcgetattr fills it or fails.
        let mut term: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut term) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let saved = term;
        term.c_lflag &= !(libc::ECHO | libc::ICANON | libc::ISIG | libc::IEXTEN);
        term.c_cc[libc::VMIN] = 1;
        term.c_cc[libc::VTIME] = 0;
        // SAFETY: `term` is a valid termios read from this descriptor.
        if unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &term) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Quiet { fd, saved })
    }
}

#[cfg(unix)]
impl Drop for Quiet {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `on`.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_keys() {
        let read = |s: &[u8]| read_line(&mut &s[..]).map_err(|e| e.to_string());
        assert_eq!(read(b"k3y\r").unwrap(), "k3y");
        assert_eq!(read(b"k3x\x7fy\n").unwrap(), "k3y");
        assert_eq!(read("é\x7fe\r".as_bytes()).unwrap(), "e");
        assert_eq!(read(b"wrong\x15right\r").unwrap(), "right");
        assert_eq!(read(b"no newline").unwrap(), "no newline");
        assert!(read(b"\x04").unwrap_err().contains("no key"));
        assert!(read(b"ab\x03").unwrap_err().contains("interrupted"));
    }
}
