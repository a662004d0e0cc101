//! The Cycle REST API as this tool uses it: the token call, state reads, and API errors as
//! a typed error the caller can branch on (refused vs unreachable vs not found).

use std::fmt;
use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::backoff::{Jitter, RETRY_AFTER_CAP};
use crate::exit::Exit;
use crate::kinds::Kind;
use crate::proxy::Proxies;
use crate::settings::{is_loopback, Credentials, Secret};

/// The path of both the token call and the socket (cycle-api.md §1, §2).
pub const NOTIFICATIONS_PATH: &str = "/v1/hubs/current/notifications";
/// The capability the token call needs, under its current name and its older one.
pub const CAPABILITY: &str = "apionly-notifications-listen (older name: hubs-notifications-listen)";

#[derive(Debug)]
pub enum ApiError {
    /// 401/403: a bad key, the wrong hub or a missing capability. Final.
    Refused {
        what: String,
        status: u16,
        title: Option<String>,
        detail: Option<String>,
        capability: Option<String>,
    },
    /// 404 on a state read: the object does not exist (or no longer).
    NotFound { what: String },
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
    /// DNS, connect, TLS, timeout, an unreadable body: the cause chain in one line.
    Unreachable { what: String, cause: String },
}

impl ApiError {
    pub fn exit(&self) -> Exit {
        match self {
            ApiError::Refused { .. } => Exit::Refused,
            ApiError::NotFound { .. } => Exit::Failed,
            _ => Exit::Unreachable,
        }
    }

    /// Worth another attempt later (network trouble, 429, 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable { .. } | ApiError::RateLimited { .. } => true,
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
                write!(
                    f,
                    "; check the API key and hub id, and that the key has the capability {cap}"
                )
            }
            ApiError::NotFound { what } => write!(f, "{what}: not found (404)"),
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
            ApiError::Unreachable { what, cause } => write!(f, "{what} failed: {cause}"),
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

/// Transient failures of one request given up on after this many attempts.
const MAX_ATTEMPTS: u32 = 8;

/// A fresh, single-use socket credential and where to use it.
#[derive(Debug)]
pub struct Token {
    pub token: Secret,
    /// The socket URL without the token (safe to log).
    pub socket_url: Url,
}

impl Token {
    /// The URL to connect to, the token percent-encoded into its query.
    pub fn connect_url(&self) -> Url {
        let mut url = self.socket_url.clone();
        url.query_pairs_mut()
            .append_pair("token", self.token.expose());
        url
    }
}

/// An authenticated client of one hub.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    creds: Credentials,
    proxies: Proxies,
}

impl Api {
    /// A client that connects directly, whatever the environment says about proxies.
    pub fn new(creds: Credentials) -> anyhow::Result<Api> {
        Api::with_proxies(creds, Proxies::none())
    }

    /// A client whose token call and socket both go through `proxies` where they apply.
    pub fn with_proxies(creds: Credentials, proxies: Proxies) -> anyhow::Result<Api> {
        let setup = |cause: String| ApiError::Unreachable {
            what: "setting up HTTPS".into(),
            cause,
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("cycle-notify/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            // The key is in a header: never let a redirect carry it somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            // One proxy decision (proxy.rs) for the token call and the socket alike.
            .no_proxy();
        let proxy = proxies.for_url(&creds.base_url);
        if let Some(p) = proxy {
            let p = reqwest::Proxy::all(p.clone()).map_err(|e| setup(chain(&e)))?;
            builder = builder.proxy(p);
        }
        if creds.base_url.scheme() == "https" {
            // The same trust store as the socket (SSL_CERT_FILE and all).
            let tls = crate::stream::tls_config().map_err(setup)?;
            builder = builder.use_preconfigured_tls(tls.as_ref().clone());
        } else if proxy.is_none() {
            // Plain http (loopback only) straight to the host never does TLS: skip loading
            // the system trust store, a few milliseconds of every start against a local hub.
            builder = builder.tls_built_in_root_certs(false);
        }
        let http = builder.build().map_err(|e| setup(chain(&e)))?;
        Ok(Api {
            http,
            creds,
            proxies,
        })
    }

    pub fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    /// Where the token call goes (no secret in it), for `-v` lines.
    pub fn token_url(&self) -> Url {
        self.url(NOTIFICATIONS_PATH)
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.creds.base_url.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url
    }

    /// GET a path under the base URL with the key and hub headers; the JSON body on 2xx.
    pub async fn get(&self, path: &str, what: &str) -> Result<Value, ApiError> {
        let url = self.url(path);
        let host = url.host_str().unwrap_or("?").to_string();
        let resp = self
            .http
            .get(url)
            .bearer_auth(self.creds.api_key.expose())
            .header("X-Hub-Id", &self.creds.hub_id)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| ApiError::Unreachable {
                what: what.to_string(),
                cause: describe(&e, &host),
            })?;
        let status = resp.status().as_u16();
        let retry_after = retry_after(resp.headers());
        let body = resp.bytes().await.map_err(|e| ApiError::Unreachable {
            what: what.to_string(),
            cause: chain(&e),
        })?;
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        if (200..300).contains(&status) {
            return json.ok_or_else(|| ApiError::Status {
                what: what.to_string(),
                status,
                message: ": the response is not JSON".into(),
            });
        }
        Err(error_from(what, status, json.as_ref(), retry_after))
    }

    /// `get`, retried on 429, 5xx and network failures with backoff (Retry-After honoured,
    /// capped at 60 s) for as long as `deadline` allows; the last error once it does not.
    pub async fn get_retrying(
        &self,
        path: &str,
        what: &str,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Value, ApiError> {
        let mut attempt = 0u32;
        let mut jitter = Jitter::default();
        loop {
            let err = match self.get(path, what).await {
                Ok(v) => return Ok(v),
                Err(e) if !e.is_transient() => return Err(e),
                Err(e) => e,
            };
            let wait = match &err {
                ApiError::RateLimited {
                    retry_after: Some(d),
                    ..
                } => (*d).min(RETRY_AFTER_CAP),
                _ => jitter.delay(attempt),
            };
            attempt += 1;
            let now = tokio::time::Instant::now();
            if deadline.is_some_and(|d| now + wait >= d) || attempt > MAX_ATTEMPTS {
                return Err(err);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// The current state of one object (`data.state.current`), or `None` when the API says
    /// it does not exist.
    pub async fn state(
        &self,
        kind: &Kind,
        id: &str,
        parent: Option<&str>,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Option<String>, ApiError> {
        let what = format!("reading the state of {} {id}", kind.name);
        match self
            .get_retrying(&kind.api_path(id, parent), &what, deadline)
            .await
        {
            Ok(body) => Ok(Some(
                body["data"]["state"]["current"]
                    .as_str()
                    .unwrap_or("unknown")
                    .to_string(),
            )),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The token call: a fresh token per connect, and the socket URL to use it on.
    pub async fn token(&self) -> Result<Token, ApiError> {
        let what = "the token request";
        let body = self.get(NOTIFICATIONS_PATH, what).await?;
        let data = &body["data"];
        let token = data["token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Status {
                what: what.into(),
                status: 200,
                message: ": the response has no data.token".into(),
            })?;
        let socket_url =
            socket_url(&self.creds.base_url, data["address"].as_str()).map_err(|cause| {
                ApiError::Unreachable {
                    what: what.into(),
                    cause,
                }
            })?;
        Ok(Token {
            token: Secret::new(token),
            socket_url,
        })
    }
}

/// The socket URL: from `address` when the token response has one (a URL or a host), else
/// the base URL with https→wss, http→ws, on the notifications path.
pub fn socket_url(base: &Url, address: Option<&str>) -> Result<Url, String> {
    let ws_scheme = if base.scheme() == "https" {
        "wss"
    } else {
        "ws"
    };
    let address = address.map(str::trim).filter(|a| !a.is_empty());
    let mut url = match address {
        None => {
            let mut url = base.clone();
            let path = format!("{}{}", url.path().trim_end_matches('/'), NOTIFICATIONS_PATH);
            url.set_path(&path);
            url.set_scheme(ws_scheme)
                .map_err(|_| format!("cannot derive a socket URL from {base}"))?;
            url
        }
        Some(a) if a.contains("://") => {
            let mut url =
                Url::parse(a).map_err(|e| format!("invalid socket address '{a}': {e}"))?;
            let scheme = match url.scheme() {
                "https" | "wss" => "wss",
                "http" | "ws" => "ws",
                other => return Err(format!("invalid socket address '{a}': scheme {other}")),
            };
            url.set_scheme(scheme)
                .map_err(|_| format!("invalid socket address '{a}'"))?;
            if url.path().is_empty() || url.path() == "/" {
                url.set_path(NOTIFICATIONS_PATH);
            }
            url
        }
        Some(a) => Url::parse(&format!("{ws_scheme}://{a}{NOTIFICATIONS_PATH}"))
            .map_err(|e| format!("invalid socket address '{a}': {e}"))?,
    };
    if url.scheme() == "ws" && !is_loopback(&url) {
        return Err(format!(
            "refusing an unencrypted socket to {}",
            url.host_str().unwrap_or("?")
        ));
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// `Retry-After` in seconds, when a response carries one.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// Cycle's error envelope (cycle-api.md §5), tolerant of every field missing and of a
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
    let what = what.to_string();
    match status {
        401 | 403 => ApiError::Refused {
            what,
            status,
            title: field("title"),
            detail: field("detail"),
            capability: err
                .and_then(|e| e["extra"]["capability"].as_str())
                .map(String::from),
        },
        404 => ApiError::NotFound { what },
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

/// An error in one line, with a plain reason when TLS is what failed: which host, and
/// whether the certificate expired, names another host or comes from an unknown authority.
pub fn describe(e: &(dyn std::error::Error + 'static), host: &str) -> String {
    match find_tls_error(e) {
        Some(tls) => format!("TLS with {host} failed: {}", tls_reason(tls, host)),
        None => chain(e),
    }
}

/// The rustls error somewhere in a chain. io::Error hides its payload from `source()`, so
/// each io::Error is looked into as well.
fn find_tls_error<'e>(e: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if let Some(tls) = c.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = c
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(tls) = find_tls_error(inner) {
                return Some(tls);
            }
        }
        cur = c.source();
    }
    None
}

fn tls_reason(e: &rustls::Error, host: &str) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => "its certificate is signed by an unknown authority (for a private CA, add it to the system trust store or point SSL_CERT_FILE at it)".into(),
            C::Expired | C::ExpiredContext { .. } => "its certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "its certificate is not valid yet (check this machine's clock)".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                format!("its certificate is not valid for the name {host}")
            }
            C::Revoked => "its certificate has been revoked".into(),
            C::BadSignature => "its certificate has a bad signature".into(),
            other => format!("invalid certificate ({other:?})"),
        },
        other => other.to_string(),
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
    use serde_json::json;

    #[test]
    fn socket_url_from_base() {
        let u = socket_url(&Url::parse("https://api.cycle.io").unwrap(), None).unwrap();
        assert_eq!(
            u.as_str(),
            "wss://api.cycle.io/v1/hubs/current/notifications"
        );
        let u = socket_url(&Url::parse("http://127.0.0.1:9/").unwrap(), None).unwrap();
        assert_eq!(u.as_str(), "ws://127.0.0.1:9/v1/hubs/current/notifications");
    }

    #[test]
    fn socket_url_from_address() {
        let base = Url::parse("https://api.cycle.io").unwrap();
        let u = socket_url(&base, Some("events.cycle.io")).unwrap();
        assert_eq!(
            u.as_str(),
            "wss://events.cycle.io/v1/hubs/current/notifications"
        );
        let u = socket_url(
            &base,
            Some("wss://x.example/v1/hubs/current/notifications?old=1"),
        )
        .unwrap();
        assert_eq!(u.as_str(), "wss://x.example/v1/hubs/current/notifications");
        assert!(socket_url(&base, Some("ws://x.example")).is_err());
    }

    #[test]
    fn token_is_percent_encoded() {
        let t = Token {
            token: Secret::new("a+b/c=&d"),
            socket_url: Url::parse("wss://h/v1/hubs/current/notifications").unwrap(),
        };
        assert_eq!(t.connect_url().query(), Some("token=a%2Bb%2Fc%3D%26d"));
        assert!(!format!("{t:?}").contains("a+b"));
    }

    #[test]
    fn error_envelope_variants() {
        let body = json!({"error": {"status": 401, "title": "Invalid key", "detail": "expired", "extra": {"capability": "x-cap"}}});
        let e = error_from("t", 401, Some(&body), None);
        let text = e.to_string();
        assert!(
            text.contains("Invalid key: expired") && text.contains("x-cap"),
            "{text}"
        );
        assert_eq!(e.exit(), Exit::Refused);
        let e = error_from("t", 403, Some(&json!({"error": "nope"})), None);
        assert!(
            e.to_string().contains("nope")
                && e.to_string().contains("apionly-notifications-listen")
        );
        let e = error_from("t", 503, None, None);
        assert_eq!(e.exit(), Exit::Unreachable);
        assert!(e.is_transient());
    }
}
