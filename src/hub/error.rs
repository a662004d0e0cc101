//! What went wrong talking to a hub, classified (refused, not found, rate limited, other
//! status, unreachable) with the envelope's `code` read (docs/cycle-api.md §5, §9), and never
//! mapped to an exit status here: callers decide what it means.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::scrub::scrub;
use crate::catalog::api::{CAPABILITY, INTERNAL_SCOPE};

#[derive(Debug)]
pub enum ApiError {
    /// 401/403: a bad key, the wrong hub, a refused IP or a missing capability. Final.
    Refused {
        what: String,
        status: u16,
        /// The envelope's `code` (`403.permissions`, `403.wrong-hub`, `403.invalid-ip`, ...).
        code: Option<String>,
        title: Option<String>,
        detail: Option<String>,
        /// The capability the API named (`extra.capability`), or the one the call is known
        /// to need when it named none.
        capability: Option<String>,
    },
    /// 401/403 on the internal API's socket: the container's token is not accepted, or the
    /// container may not use the notification socket. Final.
    InternalRefused { status: u16, detail: Option<String> },
    /// 404: no such route, or no such object (`missing` says which).
    NotFound { what: String, missing: Missing },
    /// 429: back off (Retry-After when given).
    RateLimited {
        what: String,
        retry_after: Option<Duration>,
    },
    /// Any other HTTP status, 5xx included.
    Status {
        what: String,
        status: u16,
        message: String,
    },
    /// No connection to `addr` (host:port): refused, no such host, TLS failed, ... Said as a
    /// fact ("cannot connect to 127.0.0.1:1: connection refused"); which setting to check is
    /// the caller's to add.
    Connect {
        to: Endpoint,
        addr: String,
        host: String,
        failure: ConnectFailure,
    },
    /// Anything else on the way (a proxy's refusal, a broken answer, a dropped socket): the
    /// cause chain in one line.
    Unreachable { what: String, cause: String },
    /// The hub answered, but not with anything this tool can use (a 2xx that is not JSON, a
    /// token response without a token, an unusable socket address).
    Malformed { what: String, detail: String },
    /// The stream's policy allowed no more attempts (`limit`): `attempts` failed in a row,
    /// `down` without a socket; `last` is why the last one failed. Final.
    GaveUp {
        limit: GiveUp,
        attempts: u32,
        down: Duration,
        last: Box<ApiError>,
    },
    /// Nothing was sent: this machine cannot make the connection (no trust store, a proxy
    /// setting that cannot be used). Final.
    Setup { what: String, cause: String },
}

/// The limit of a stream's policy that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    /// This many failed attempts in a row.
    Attempts(u32),
    /// This long without a socket.
    Down(Duration),
}

/// Which connection failed: where its address came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// The base URL: the token call and state reads.
    Api,
    /// The notification socket (its URL, without the token), whose address the token
    /// response gives.
    Socket(String),
}

/// Why a connection could not be made or secured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectFailure {
    Refused,
    /// The name does not resolve (the resolver's words).
    NoSuchHost(String),
    TimedOut(Duration),
    /// No route to the host or its network.
    NoRoute,
    Reset,
    Tls(Tls),
    Other(String),
}

/// Why TLS with a host failed, in the terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    UnknownIssuer,
    Expired,
    NotValidYet,
    /// The certificate names other hosts.
    WrongName,
    Revoked,
    BadSignature,
    /// The server sent a CA's certificate as its own (CaUsedAsEndEntity).
    CaAsServer,
    /// The certificate may not be used for a TLS server (its extended key usage).
    NotForServers,
    /// Something else about the certificate (webpki's reason).
    Certificate(String),
    /// The server does not speak TLS on that port: it closed the handshake or answered in
    /// plain text (an http:// port given as https://).
    NotTls,
    /// The server ended the handshake with an alert (no common version or cipher, ...).
    Alert(String),
    Other(String),
}

impl Tls {
    /// The sentence with the host: "TLS with api.example.com failed: ...".
    pub fn with(&self, host: &str) -> String {
        match self {
            Tls::WrongName => {
                format!("TLS with {host} failed: its certificate is not valid for the name {host}")
            }
            other => format!("TLS with {host} failed: {other}"),
        }
    }
}

impl fmt::Display for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tls::UnknownIssuer => write!(f, "its certificate is signed by an unknown authority"),
            Tls::Expired => write!(f, "its certificate has expired"),
            Tls::NotValidYet => write!(f, "its certificate is not valid yet"),
            Tls::WrongName => write!(f, "its certificate is not valid for that name"),
            Tls::Revoked => write!(f, "its certificate has been revoked"),
            Tls::BadSignature => write!(f, "its certificate has a bad signature"),
            Tls::CaAsServer => write!(
                f,
                "it presents a CA certificate as its own (a server sends a certificate issued by a CA, not the CA's)"
            ),
            Tls::NotForServers => write!(f, "its certificate is not one for a TLS server"),
            Tls::Certificate(why) => write!(f, "its certificate is not acceptable ({why})"),
            Tls::NotTls => write!(f, "the server does not speak TLS on that port"),
            Tls::Alert(alert) => write!(f, "the server ended the handshake ({alert})"),
            Tls::Other(why) => write!(f, "{why}"),
        }
    }
}

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectFailure::Refused => write!(f, "connection refused"),
            ConnectFailure::NoSuchHost(why) => write!(f, "the name does not resolve ({why})"),
            ConnectFailure::TimedOut(after) => {
                write!(f, "no answer within {}", crate::leaf::time::human(*after))
            }
            ConnectFailure::NoRoute => write!(f, "no route to the host"),
            ConnectFailure::Reset => write!(f, "connection reset"),
            ConnectFailure::Tls(tls) => tls.fmt(f),
            ConnectFailure::Other(why) => write!(f, "{why}"),
        }
    }
}

/// What a 404 says is missing (docs/cycle-api.md §9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// `404.uri`, or a 404 that is not Cycle's error envelope at all (something other than the
    /// API answered): the path is wrong for every id, so the base URL is.
    Route,
    /// A 404 about an object, with the code naming the resource when the API gave one
    /// (`404.container`, `404.pipeline.run`).
    Object(Option<String>),
}

/// The code of a route that does not exist.
pub const NO_SUCH_ROUTE: &str = "404.uri";

impl ApiError {
    /// This error with the credentials taken out of every text in it (hub/scrub.rs): what a
    /// server said goes no further before this.
    pub fn scrubbed(self, secrets: &[&str]) -> ApiError {
        let s = |t: String| scrub(&t, secrets);
        let o = |t: Option<String>| t.map(|t| scrub(&t, secrets));
        match self {
            ApiError::Refused {
                what,
                status,
                code,
                title,
                detail,
                capability,
            } => ApiError::Refused {
                what: s(what),
                status,
                code: o(code),
                title: o(title),
                detail: o(detail),
                capability: o(capability),
            },
            ApiError::InternalRefused { status, detail } => ApiError::InternalRefused {
                status,
                detail: o(detail),
            },
            ApiError::NotFound { what, missing } => ApiError::NotFound {
                what: s(what),
                missing: match missing {
                    Missing::Object(code) => Missing::Object(o(code)),
                    Missing::Route => Missing::Route,
                },
            },
            ApiError::RateLimited { what, retry_after } => ApiError::RateLimited {
                what: s(what),
                retry_after,
            },
            ApiError::Status {
                what,
                status,
                message,
            } => ApiError::Status {
                what: s(what),
                status,
                message: s(message),
            },
            ApiError::Connect {
                to,
                addr,
                host,
                failure,
            } => ApiError::Connect {
                to: match to {
                    Endpoint::Socket(url) => Endpoint::Socket(s(url)),
                    Endpoint::Api => Endpoint::Api,
                },
                addr,
                host,
                failure: match failure {
                    ConnectFailure::Other(why) => ConnectFailure::Other(s(why)),
                    other => other,
                },
            },
            ApiError::GaveUp {
                limit,
                attempts,
                down,
                last,
            } => ApiError::GaveUp {
                limit,
                attempts,
                down,
                last: Box::new(last.scrubbed(secrets)),
            },
            ApiError::Unreachable { what, cause } => ApiError::Unreachable {
                what: s(what),
                cause: s(cause),
            },
            ApiError::Malformed { what, detail } => ApiError::Malformed {
                what: s(what),
                detail: s(detail),
            },
            ApiError::Setup { what, cause } => ApiError::Setup {
                what: s(what),
                cause: s(cause),
            },
        }
    }

    /// Worth another attempt later (network trouble, 429, 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable { .. }
            | ApiError::Connect { .. }
            | ApiError::RateLimited { .. } => true,
            ApiError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Refused {
                what,
                status,
                code,
                title,
                detail,
                capability,
            } => {
                write!(f, "{what} was refused ({status} {})", reason(*status))?;
                match (title, detail) {
                    (Some(t), Some(d)) if t != d => write!(f, ": {t}: {d}")?,
                    (Some(t), _) => write!(f, ": {t}")?,
                    (None, Some(d)) => write!(f, ": {d}")?,
                    (None, None) => {}
                }
                let cap = capability.as_deref().unwrap_or(CAPABILITY);
                match code.as_deref() {
                    Some("403.permissions") => {
                        write!(f, "; the API key lacks the capability {cap}")
                    }
                    Some("403.wrong-hub") => write!(
                        f,
                        "; the API key does not belong to this hub: check the hub id"
                    ),
                    Some("403.invalid-ip") => {
                        write!(f, "; the API key may not be used from this IP address")
                    }
                    _ => write!(
                        f,
                        "; check the API key and hub id, and that the key has the capability {cap}"
                    ),
                }
            }
            ApiError::InternalRefused { status, detail } => {
                write!(
                    f,
                    "the internal API refused the notification socket ({status} {})",
                    reason(*status)
                )?;
                if let Some(d) = detail {
                    write!(f, ": {d}")?;
                }
                write!(
                    f,
                    "; check that CYCLE_API_TOKEN is this container's token and that the container's config allows {INTERNAL_SCOPE}"
                )
            }
            ApiError::NotFound { what, missing } => match missing {
                Missing::Route => write!(f, "{what}: no such path (404 {NO_SUCH_ROUTE})"),
                Missing::Object(Some(code)) => write!(f, "{what}: not found (404 {code})"),
                Missing::Object(None) => write!(f, "{what}: not found (404)"),
            },
            ApiError::RateLimited { what, retry_after } => {
                write!(f, "{what}: rate limited (429)")?;
                if let Some(d) = retry_after {
                    write!(f, ", retry after {}s", d.as_secs())?;
                }
                Ok(())
            }
            ApiError::Status {
                what,
                status,
                message,
            } => write!(f, "{what} failed ({status} {}){message}", reason(*status)),
            ApiError::Connect {
                to,
                addr,
                host,
                failure,
            } => {
                if let Endpoint::Socket(url) = to {
                    write!(f, "connecting to {url}: ")?;
                }
                match failure {
                    ConnectFailure::Tls(tls) => write!(f, "{}", tls.with(host)),
                    other => write!(f, "cannot connect to {addr}: {other}"),
                }
            }
            ApiError::GaveUp {
                attempts,
                down,
                last,
                ..
            } => {
                let s = if *attempts == 1 { "" } else { "s" };
                write!(
                    f,
                    "gave up after {attempts} failed attempt{s} in a row, {} without a connection: {last}",
                    crate::leaf::time::human(*down)
                )
            }
            ApiError::Unreachable { what, cause } => write!(f, "{what} failed: {cause}"),
            ApiError::Malformed { what, detail } => write!(f, "{what}: {detail}"),
            ApiError::Setup { what, cause } => write!(f, "{what}: {cause}"),
        }
    }
}

impl std::error::Error for ApiError {}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// `Retry-After`, when a response carries one: delay-seconds or an HTTP-date (RFC 9110
/// §10.2.3), a date in the past being no wait at all.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?;
    parse_retry_after(value, std::time::SystemTime::now())
}

fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// Cycle's error envelope (docs/cycle-api.md §5), tolerant of every field missing and of a
/// plain string in `error`.
pub fn error_from(
    what: &str,
    status: u16,
    body: Option<&Value>,
    retry_after: Option<Duration>,
) -> ApiError {
    let err = body.map(|b| &b["error"]);
    let field = |name: &str| -> Option<String> {
        let e = err?;
        let v = if name == "title" && e.is_string() {
            e
        } else {
            &e[name]
        };
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let code = field("code");
    // OAuth-shaped auth errors (`{"error": "invalid_token", "error_description": "..."}`),
    // which the spec allows beside Cycle's envelope, carry their sentence beside `error`.
    let oauth_description = body
        .and_then(|b| b["error_description"].as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let what = what.to_string();
    match status {
        401 | 403 => ApiError::Refused {
            what,
            status,
            code,
            title: field("title"),
            detail: field("detail").or(oauth_description),
            capability: err
                .and_then(|e| e["extra"]["capability"].as_str())
                .map(String::from),
        },
        404 => {
            // Cycle answers every error with its envelope: a 404 without one came from
            // something else at the base URL (a proxy, another server).
            let enveloped = err.is_some_and(|e| e.is_object() || e.is_string());
            let missing = match code {
                Some(c) if c == NO_SUCH_ROUTE => Missing::Route,
                _ if !enveloped => Missing::Route,
                c => Missing::Object(c),
            };
            ApiError::NotFound { what, missing }
        }
        429 => ApiError::RateLimited { what, retry_after },
        _ => {
            let message = match (field("title"), field("detail")) {
                (Some(t), Some(d)) => format!(": {t}: {d}"),
                (Some(t), None) | (None, Some(t)) => format!(": {t}"),
                (None, None) => String::new(),
            };
            ApiError::Status {
                what,
                status,
                message,
            }
        }
    }
}

/// An error and its sources in one line ("error sending request: connection refused").
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn seconds_and_http_dates() {
        // 2015-10-21T07:28:00Z
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        let parse = |v| parse_retry_after(v, now);
        assert_eq!(parse(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse("0"), Some(Duration::ZERO));
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:30 GMT"),
            Some(Duration::from_secs(30))
        );
        // The obsolete forms RFC 9110 says to accept, too.
        assert_eq!(
            parse("Wednesday, 21-Oct-15 07:29:00 GMT"),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse("Wed Oct 21 07:28:10 2015"),
            Some(Duration::from_secs(10))
        );
        assert_eq!(parse("Wed, 21 Oct 2015 07:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse("soon"), None);
        assert_eq!(parse("-1"), None);
        assert!(retry_after(&reqwest::header::HeaderMap::new()).is_none());
    }
}
