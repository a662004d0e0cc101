//! The exit-status table and the one place that maps errors to exit statuses.

use std::fmt;

/// Every way the program can end. The numbers are the contract with scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success,
    Failed,
    Usage,
    Refused,
    Unreachable,
    Undelivered,
    Timeout,
    HungUp,
    Interrupted,
    Terminated,
}

/// The table the man page and `--help` print; `code()` reads from it.
pub const TABLE: &[(Exit, u8, &str)] = &[
    (
        Exit::Success,
        0,
        "done: count reached, stream ended by the user's limit, wait-for condition met",
    ),
    (
        Exit::Failed,
        1,
        "wait-for: an object reached a failure state, was deleted or not found, or got an error notification",
    ),
    (
        Exit::Usage,
        2,
        "usage or configuration: bad flag, missing key or hub, unreadable config, plain http to a non-loopback host",
    ),
    (
        Exit::Refused,
        3,
        "refused: 401/403 on the token call or a state read (bad key, wrong hub, missing capability), or on the internal API's socket (container token, notifications scope)",
    ),
    (
        Exit::Unreachable,
        4,
        "unreachable or broken: network, TLS, 5xx after retries, protocol error, a dropped stream with --no-reconnect, --max-reconnects or --give-up-after reached, a tail whose --timeout or --idle-timeout ended it while it had never connected or was disconnected",
    ),
    (
        Exit::Undelivered,
        5,
        "acting on events: some notifications could not be delivered (exec, forward), or were still queued when the run ended",
    ),
    (
        Exit::Timeout,
        124,
        "--timeout passed before the condition was met, or --idle-timeout with no notification (as timeout(1))",
    ),
    (
        Exit::HungUp,
        129,
        "ended by SIGHUP, e.g. its terminal closed (close frame sent, output flushed first)",
    ),
    (
        Exit::Interrupted,
        130,
        "interrupted by SIGINT (close frame sent, output flushed first)",
    ),
    (
        Exit::Terminated,
        143,
        "terminated by SIGTERM (close frame sent, output flushed first)",
    ),
];

/// The signals a run ends on, each with its status (128 + its number): the streaming
/// commands and the binary's watchdog for a blocked stdout read this one table.
#[cfg(unix)]
pub const SIGNALS: &[(i32, Exit)] = &[
    (libc::SIGHUP, Exit::HungUp),
    (libc::SIGINT, Exit::Interrupted),
    (libc::SIGTERM, Exit::Terminated),
];

impl Exit {
    pub fn code(self) -> u8 {
        TABLE
            .iter()
            .find(|(e, _, _)| *e == self)
            .map(|(_, c, _)| *c)
            .expect("every Exit variant has a row in TABLE")
    }
}

/// An error that carries its own exit status: the app layer wraps what the layers below
/// report (a refusal, a wrong base URL, a failed wait) into one of these at each call site.
/// Anything else that reaches `status_of` is an I/O or protocol failure (4).
#[derive(Debug)]
pub struct Fail {
    pub exit: Exit,
    pub message: String,
}

impl Fail {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Fail {
            exit,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> anyhow::Error {
        Fail::new(Exit::Usage, message).into()
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

/// The single mapping from an error to the status the process exits with.
pub fn status_of(err: &anyhow::Error) -> Exit {
    for cause in err.chain() {
        if let Some(fail) = cause.downcast_ref::<Fail>() {
            return fail.exit;
        }
    }
    Exit::Unreachable
}

/// A closed stdout (`| head`) is a normal way for a reader to say "enough".
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The message for stderr: the outermost context first, then each cause, joined like
/// anyhow's `{:#}` but without repeating a cause that is already in its parent's text.
/// (The stderr writer makes it one safe line.)
pub fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_distinct_code() {
        let mut codes: Vec<u8> = TABLE.iter().map(|(_, c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TABLE.len());
        assert_eq!(Exit::Timeout.code(), 124);
        assert_eq!(Exit::Terminated.code(), 143);
    }

    #[test]
    fn typed_errors_map_through_context() {
        let err = anyhow::Error::from(Fail::new(Exit::Refused, "no")).context("outer");
        assert_eq!(status_of(&err), Exit::Refused);
        assert_eq!(status_of(&anyhow::anyhow!("plain")), Exit::Unreachable);
    }
}
