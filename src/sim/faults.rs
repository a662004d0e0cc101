//! The simulator's faults: the settings (`Faults`) and the one registry of what each does and
//! whether the `--rate max` fast path honours it (`FAULTS`). A socket of a hub with a fault
//! the fast path cannot honour is played by the normal path, so no fault is ever ignored.

use std::time::Duration;

/// Ways the hub can misbehave, as plain data: tests set them, and `simulate` exposes some as
/// flags. Each field is a row of `FAULTS`, which says what it does. Frame counts are of the
/// script's own frames; injected bad frames do not count.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub drop_after_frames: Option<u64>,
    pub drop_every: Option<Duration>,
    pub stall_after_frames: Option<u64>,
    pub faulty_sockets: Option<usize>,
    pub rate_limit_first: u32,
    pub retry_after: Option<u64>,
    pub unavailable_first: u32,
    pub reads_unavailable_first: u32,
    pub reads_forbidden: bool,
    /// 1-based.
    pub refuse_from: Option<u32>,
    pub garbage_every: Option<u64>,
    pub oversized_every: Option<u64>,
    pub oauth_401: bool,
    pub missing_capability: bool,
}

/// One row of the registry.
#[derive(Debug)]
pub struct Fault {
    /// The field of `Faults` that sets it.
    pub name: &'static str,
    pub does: &'static str,
    /// Whether a socket played by the `--rate max` fast path (pre-encoded frames written
    /// straight to the connection) still shows it. Faults of the REST calls never touch
    /// sockets; socket faults need the per-frame player.
    pub fast_path: bool,
    /// Whether it is set in these faults.
    pub set: fn(&Faults) -> bool,
}

pub const FAULTS: &[Fault] = &[
    Fault {
        name: "drop_after_frames",
        does: "drop the TCP connection (no close frame) once a socket has sent N frames",
        fast_path: false,
        set: |f| f.drop_after_frames.is_some(),
    },
    Fault {
        name: "drop_every",
        does: "drop each socket (no close frame) after it has been open this long",
        fast_path: false,
        set: |f| f.drop_every.is_some(),
    },
    Fault {
        name: "stall_after_frames",
        does: "after N frames go silent: send nothing, read nothing (pings unanswered), keep the TCP connection open (a half-open link)",
        fast_path: false,
        set: |f| f.stall_after_frames.is_some(),
    },
    Fault {
        name: "faulty_sockets",
        does: "drops and stalls hit only the first N sockets (unset: every socket)",
        // It only narrows the drops and stalls, which decide the path themselves.
        fast_path: true,
        set: |f| f.faulty_sockets.is_some(),
    },
    Fault {
        name: "rate_limit_first",
        does: "the first N token calls answer 429",
        fast_path: true,
        set: |f| f.rate_limit_first > 0,
    },
    Fault {
        name: "retry_after",
        does: "the 429s of rate_limit_first carry `Retry-After: N` (seconds)",
        fast_path: true,
        set: |f| f.retry_after.is_some(),
    },
    Fault {
        name: "unavailable_first",
        does: "the next N token calls (after the rate-limited ones) answer 503",
        fast_path: true,
        set: |f| f.unavailable_first > 0,
    },
    Fault {
        name: "reads_unavailable_first",
        does: "the first N state reads answer 503 (clients retry them within their timeout)",
        fast_path: true,
        set: |f| f.reads_unavailable_first > 0,
    },
    Fault {
        name: "reads_forbidden",
        does: "state reads answer 403.permissions naming the capability the kind's GET needs",
        fast_path: true,
        set: |f| f.reads_forbidden,
    },
    Fault {
        name: "refuse_from",
        does: "token calls from the Nth on (1-based) answer 401, as if the key had been revoked",
        fast_path: true,
        set: |f| f.refuse_from.is_some(),
    },
    Fault {
        name: "garbage_every",
        does: "after every N frames a bad frame: by turns not JSON, binary, JSON without a topic",
        fast_path: false,
        set: |f| f.garbage_every.is_some(),
    },
    Fault {
        name: "oversized_every",
        does: "after every N frames a text frame just over 1 MiB",
        fast_path: false,
        set: |f| f.oversized_every.is_some(),
    },
    Fault {
        name: "oauth_401",
        does: "401s (refused keys and tokens) in the OAuth shape the spec allows for authentication errors: {\"error\": \"invalid_token\", \"error_description\": ...} and WWW-Authenticate",
        fast_path: true,
        set: |f| f.oauth_401,
    },
    Fault {
        name: "missing_capability",
        does: "token calls answer 403.permissions, naming the capability in extra.capability",
        fast_path: true,
        set: |f| f.missing_capability,
    },
];

impl Faults {
    /// The faults set here that the fast path cannot honour: any of them sends sockets
    /// down the normal path.
    pub fn beyond_fast_path(&self) -> impl Iterator<Item = &'static Fault> + '_ {
        FAULTS.iter().filter(|f| !f.fast_path && (f.set)(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field set: written without `..`, so a new field fails to compile here until
    /// it is added, and the count below fails until it has a row.
    fn all_set() -> Faults {
        Faults {
            drop_after_frames: Some(1),
            drop_every: Some(Duration::from_secs(1)),
            stall_after_frames: Some(1),
            faulty_sockets: Some(1),
            rate_limit_first: 1,
            retry_after: Some(1),
            unavailable_first: 1,
            reads_unavailable_first: 1,
            reads_forbidden: true,
            refuse_from: Some(1),
            garbage_every: Some(1),
            oversized_every: Some(1),
            oauth_401: true,
            missing_capability: true,
        }
    }
    const FIELDS: usize = 14;

    #[test]
    fn one_row_per_field_and_each_row_sees_only_its_field() {
        assert_eq!(FAULTS.len(), FIELDS);
        let all = all_set();
        let none = Faults::default();
        for fault in FAULTS {
            assert!((fault.set)(&all), "{}", fault.name);
            assert!(!(fault.set)(&none), "{}", fault.name);
            assert!(
                format!("{all:?}").contains(&format!("{}: ", fault.name)),
                "{} is not a field",
                fault.name
            );
        }
        let mut names: Vec<_> = FAULTS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FIELDS, "a name appears twice");
    }

    #[test]
    fn only_faults_the_fast_path_cannot_honour_leave_it() {
        assert_eq!(Faults::default().beyond_fast_path().count(), 0);
        let rest = Faults {
            rate_limit_first: 2,
            retry_after: Some(1),
            refuse_from: Some(3),
            faulty_sockets: Some(1),
            ..Faults::default()
        };
        assert_eq!(rest.beyond_fast_path().count(), 0);
        let names: Vec<_> = all_set().beyond_fast_path().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "drop_after_frames",
                "drop_every",
                "stall_after_frames",
                "garbage_every",
                "oversized_every"
            ]
        );
    }
}
