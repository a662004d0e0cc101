//! Which proxy, if any, carries a connection (the `*_proxy` variables, lowercase first, and
//! NO_PROXY), and the way through it. hyper-util's matcher decides and its `Tunnel` (HTTP
//! CONNECT) and `SocksV5` connectors open the way; this module holds the rules they lack
//! (lowercase first, loopback never proxied, `*.example.com` and `host:port` in NO_PROXY, an
//! unusable value is an error) and words their failures. The token call (reqwest, built on
//! the same hyper-util pieces, see `Via::reqwest`) and the socket take the same decision.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use http::{HeaderMap, HeaderValue, Uri};
use hyper_util::client::legacy::connect::proxy::{SocksV5, Tunnel};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tower_service::Service;
use url::Url;

use super::credentials::is_loopback;
use crate::leaf::env::{self, Env, Var};

/// The proxies configured in the environment.
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    /// None: every connection is direct. hyper-util's Debug hides proxy credentials.
    matcher: Option<Arc<Matcher>>,
}

/// The proxy one connection goes through. Display shows it with any credentials replaced.
#[derive(Debug, Clone)]
pub struct Via {
    intercept: Intercept,
}

/// Why a proxy could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum ProxyError {
    /// A proxy variable holds a value this tool cannot use: a usage error, never a silent
    /// direct connection the user's network may not allow.
    Unusable { var: &'static str, reason: String },
    /// No connection to the proxy itself.
    Unreachable { proxy: String, cause: String },
    /// The proxy answered, but with no tunnel: its HTTP status or SOCKS reply.
    Refused { proxy: String, answer: String },
    /// The proxy broke off the handshake or answered something that is not its protocol.
    Broken { proxy: String, cause: String },
    /// `socks5://` resolves the hub's name on this machine, and that failed.
    Resolve { host: String, cause: String },
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::Unusable { var, reason } => write!(f, "{var}: {reason}"),
            ProxyError::Unreachable { proxy, cause } => {
                write!(f, "cannot reach {proxy}: {cause}")
            }
            ProxyError::Refused { proxy, answer } => {
                write!(f, "{proxy} refused the tunnel: {answer}")
            }
            ProxyError::Broken { proxy, cause } => write!(f, "{proxy} broke off the tunnel: {cause}"),
            ProxyError::Resolve { host, cause } => write!(
                f,
                "cannot resolve {host}: {cause} (a socks5:// proxy gets the address from this machine; socks5h:// lets the proxy resolve the name)"
            ),
        }
    }
}

impl std::error::Error for ProxyError {}

impl Proxies {
    /// No proxy at all (the `--demo` hub, tests).
    pub fn none() -> Proxies {
        Proxies::default()
    }

    /// Reads the proxy variables through `env` (within each row the lowercase name wins, as
    /// in curl and wget). Each value is checked and normalised before hyper-util sees it,
    /// because its builder drops a value it cannot read without a word.
    pub fn from_env(vars: &dyn Env) -> Result<Proxies, ProxyError> {
        let value = |var: &Var| match vars.get_named(var) {
            Some((name, raw)) => normalise_proxy(name, &raw),
            None => Ok(String::new()),
        };
        let https = value(&env::HTTPS_PROXY)?;
        let http = value(&env::HTTP_PROXY)?;
        let all = value(&env::ALL_PROXY)?;
        let no = vars.get(&env::NO_PROXY).unwrap_or_default();
        let Some(no) = normalise_no_proxy(&no) else {
            return Ok(Proxies::none());
        };
        if https.is_empty() && http.is_empty() && all.is_empty() {
            return Ok(Proxies::none());
        }
        let matcher = Matcher::builder()
            .https(https)
            .http(http)
            .all(all)
            .no(no)
            .build();
        Ok(Proxies {
            matcher: Some(Arc::new(matcher)),
        })
    }

    /// The proxy for a URL: https/wss take the HTTPS proxy, http/ws the HTTP one, ALL_PROXY
    /// for either when unset. Loopback hosts never go through a proxy: 127.0.0.1 at the proxy
    /// is the proxy's own machine, and plain http (allowed only to loopback) must not carry
    /// the key to a third party.
    pub fn for_url(&self, url: &Url) -> Option<Via> {
        let matcher = self.matcher.as_ref()?;
        if never_proxied(url) {
            return None;
        }
        // The matcher answers for http and https only.
        let scheme = match url.scheme() {
            "https" | "wss" => "https",
            "http" | "ws" => "http",
            _ => return None,
        };
        let host = match url.host()? {
            url::Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
            url::Host::Ipv4(a) => a.to_string(),
            url::Host::Ipv6(a) => format!("[{a}]"),
        };
        let uri: Uri = format!("{scheme}://{host}/").parse().ok()?;
        matcher.intercept(&uri).map(|intercept| Via { intercept })
    }
}

fn never_proxied(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        _ => is_loopback(url),
    }
}

/// A proxy value as hyper-util reads it: a scheme (http:// when none is given), the
/// credentials as given (percent-encoded), the host and always a port (80 for http, 1080
/// for SOCKS, as in curl), so the token call and the socket dial the same address.
fn normalise_proxy(var: &'static str, raw: &str) -> Result<String, ProxyError> {
    let unusable = |reason: String| ProxyError::Unusable { var, reason };
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|e| unusable(format!("invalid proxy URL '{}': {e}", redact(&with_scheme))))?;
    let default_port = match url.scheme() {
        "http" => 80,
        "socks5" | "socks5h" => 1080,
        other => {
            return Err(unusable(format!(
                "unsupported proxy scheme {other}:// (http://, socks5:// and socks5h:// proxies are supported)"
            )))
        }
    };
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| {
        unusable(format!(
            "invalid proxy URL '{}': no host",
            redact(&with_scheme)
        ))
    })?;
    let userinfo = match (url.username(), url.password()) {
        ("", None) => String::new(),
        (user, None) => format!("{user}@"),
        (user, Some(password)) => format!("{user}:{password}@"),
    };
    let value = format!(
        "{}://{userinfo}{host}:{}",
        url.scheme(),
        url.port().unwrap_or(default_port)
    );
    let probe = Matcher::builder().all(value.as_str()).build();
    if probe
        .intercept(&Uri::from_static("http://probe.invalid/"))
        .is_none()
    {
        return Err(unusable(format!(
            "invalid proxy URL '{}'",
            redact(&with_scheme)
        )));
    }
    Ok(value)
}

/// NO_PROXY as hyper-util's matcher reads it (comma-separated domains, IPs and CIDR
/// ranges), keeping the forms this tool documents that it lacks: space as a separator,
/// `*.example.com` (the same as `example.com`: the domain and its subdomains), `[v6]`
/// brackets, and a `:port` suffix (ignored). `None` for `*`, which makes every connection
/// direct (the matcher's `*` would still proxy IP addresses).
fn normalise_no_proxy(raw: &str) -> Option<String> {
    let mut out = Vec::new();
    for entry in raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        if entry == "*" {
            return None;
        }
        let entry = entry.to_ascii_lowercase();
        let unbracket = |s: &str| s.trim_start_matches('[').trim_end_matches(']').to_string();
        if let Some((net, bits)) = entry.split_once('/') {
            out.push(format!("{}/{bits}", unbracket(net)));
            continue;
        }
        if unbracket(&entry).parse::<IpAddr>().is_ok() {
            out.push(unbracket(&entry));
            continue;
        }
        let host = match entry.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => unbracket(h),
            _ => entry.clone(),
        };
        let domain = host
            .trim_start_matches('*')
            .trim_start_matches('.')
            .trim_end_matches('.');
        if !domain.is_empty() {
            out.push(domain.to_string());
        }
    }
    Some(out.join(","))
}

/// A proxy URL fit for a message: credentials in it are replaced.
fn redact(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("redacted");
            let _ = url.set_password(None);
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) if raw.contains('@') => "(a proxy URL with credentials)".into(),
        Err(_) => raw.to_string(),
    }
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let creds = if self.has_credentials() {
            "redacted@"
        } else {
            ""
        };
        write!(f, "{}://{creds}{}", self.scheme(), self.addr())
    }
}

impl Via {
    fn scheme(&self) -> &str {
        self.intercept.uri().scheme_str().unwrap_or("http")
    }

    fn socks(&self) -> bool {
        self.scheme().starts_with("socks5")
    }

    fn has_credentials(&self) -> bool {
        self.intercept.basic_auth().is_some() || self.intercept.raw_auth().is_some()
    }

    /// host:port of the proxy (normalisation put the port in).
    fn addr(&self) -> String {
        self.intercept
            .uri()
            .authority()
            .map(|a| a.to_string())
            .unwrap_or_default()
    }

    /// The proxy as error messages name it: "the proxy 10.0.0.1:3128".
    fn name(&self) -> String {
        let kind = if self.socks() {
            "SOCKS5 proxy"
        } else {
            "proxy"
        };
        format!("the {kind} {}", self.addr())
    }

    /// The same proxy for reqwest (the token call and state reads).
    pub fn reqwest(&self) -> reqwest::Result<reqwest::Proxy> {
        let proxy = reqwest::Proxy::all(self.intercept.uri().to_string())?;
        Ok(
            match (self.intercept.basic_auth(), self.intercept.raw_auth()) {
                (Some(header), _) => proxy.custom_http_auth(header.clone()),
                (None, Some((user, password))) => proxy.basic_auth(user, password),
                (None, None) => proxy,
            },
        )
    }

    /// A TCP stream to `host:port` through this proxy (HTTP CONNECT or SOCKS5), ready for
    /// TLS or the websocket handshake. Not timed: callers bound it.
    pub async fn connect(&self, host: &str, port: u16) -> Result<TcpStream, ProxyError> {
        let proxy = self.intercept.uri();
        let proxy_host = proxy.host().unwrap_or_default();
        let proxy_host = proxy_host.trim_start_matches('[').trim_end_matches(']');
        let tcp = TcpStream::connect((proxy_host, proxy.port_u16().unwrap_or(80)))
            .await
            .map_err(|e| ProxyError::Unreachable {
                proxy: self.name(),
                cause: e.to_string(),
            })?;
        let _ = tcp.set_nodelay(true);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let dialled = Dialled(Some(TokioIo::new(Recording {
            tcp,
            seen: seen.clone(),
        })));
        let target = if self.scheme() == "socks5" {
            resolve(host, port).await?
        } else if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        // Only host and port of the destination are used; the scheme is a formality.
        let dst: Uri =
            format!("http://{target}:{port}")
                .parse()
                .map_err(|e| ProxyError::Broken {
                    proxy: self.name(),
                    cause: format!("no tunnel to {target}:{port}: {e}"),
                })?;
        let io = if self.socks() {
            let mut svc = SocksV5::new(proxy.clone(), dialled);
            if let Some((user, password)) = self.intercept.raw_auth() {
                svc = svc.with_auth(user.to_string(), password.to_string());
            }
            let got = match poll_fn(|cx| svc.poll_ready(cx)).await {
                Ok(()) => svc.call(dst).await,
                Err(e) => Err(e),
            };
            got.map_err(|e| self.socks_failure(&e))?
        } else {
            let mut headers = HeaderMap::new();
            headers.insert(
                http::header::USER_AGENT,
                HeaderValue::from_static(concat!("cycle-notify/", env!("CARGO_PKG_VERSION"))),
            );
            let mut svc = Tunnel::new(proxy.clone(), dialled).with_headers(headers);
            if let Some(auth) = self.intercept.basic_auth() {
                svc = svc.with_auth(auth.clone());
            }
            let got = match poll_fn(|cx| svc.poll_ready(cx)).await {
                Ok(()) => svc.call(dst).await,
                Err(e) => Err(e),
            };
            got.map_err(|e| self.tunnel_failure(&e, &seen))?
        };
        Ok(io.into_inner().tcp)
    }

    /// hyper-util's tunnel error says only "unsuccessful" or "proxy authorization required";
    /// what the proxy answered is in the bytes it sent, recorded on the way in.
    fn tunnel_failure(&self, e: &dyn std::error::Error, seen: &Mutex<Vec<u8>>) -> ProxyError {
        let seen = seen.lock().unwrap_or_else(|p| p.into_inner());
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut resp = httparse::Response::new(&mut headers);
        let status = resp.parse(&seen).ok().and(resp.code);
        match status {
            Some(code) => {
                let reason: String = resp
                    .reason
                    .unwrap_or("")
                    .chars()
                    .filter(|c| c.is_ascii_graphic() || *c == ' ')
                    .take(100)
                    .collect();
                let mut answer = format!("{code} {}", reason.trim()).trim().to_string();
                if code == 407 {
                    answer.push_str(if self.has_credentials() {
                        " (it did not accept the user:password in the proxy URL)"
                    } else {
                        " (put user:password in the proxy URL)"
                    });
                }
                ProxyError::Refused {
                    proxy: self.name(),
                    answer,
                }
            }
            None if seen.is_empty() => ProxyError::Broken {
                proxy: self.name(),
                cause: format!("no answer to CONNECT ({})", super::error::chain(e)),
            },
            None => ProxyError::Broken {
                proxy: self.name(),
                cause: "its answer to CONNECT is not HTTP".into(),
            },
        }
    }

    /// hyper-util's SOCKS error names are private; a reply of the proxy is its `V5(..)` case,
    /// anything else (a closed connection, garbage) means the handshake broke.
    fn socks_failure<E: fmt::Debug + fmt::Display>(&self, e: &E) -> ProxyError {
        let text = e.to_string();
        let said = text
            .strip_prefix("SOCKS error: ")
            .unwrap_or(&text)
            .to_string();
        if !format!("{e:?}").starts_with("V5(") {
            return ProxyError::Broken {
                proxy: self.name(),
                cause: said,
            };
        }
        // Offered no credentials and the proxy accepts no method without them.
        let answer = if said.contains("does not support user/pass") && !self.has_credentials() {
            "it wants credentials (put user:password in the proxy URL)".into()
        } else {
            said
        };
        ProxyError::Refused {
            proxy: self.name(),
            answer,
        }
    }
}

/// `socks5://` sends the proxy an address looked up here (socks5h:// sends the name).
async fn resolve(host: &str, port: u16) -> Result<String, ProxyError> {
    let fail = |cause: String| ProxyError::Resolve {
        host: host.to_string(),
        cause,
    };
    let addr = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| fail(e.to_string()))?
        .next()
        .ok_or_else(|| fail("no address".into()))?;
    Ok(match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    })
}

/// The inner "connector" hyper-util's tunnel connectors dial through: it hands over a stream
/// already connected to the proxy, so failing to reach the proxy is an error this module words.
struct Dialled<T>(Option<T>);

impl<T: Send + 'static> Service<Uri> for Dialled<T> {
    type Response = T;
    type Error = io::Error;
    type Future = std::future::Ready<Result<T, io::Error>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), io::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Uri) -> Self::Future {
        std::future::ready(
            self.0
                .take()
                .ok_or_else(|| io::Error::other("the proxy connection was used twice")),
        )
    }
}

/// The stream to the proxy, keeping a copy of the first bytes it sends (its answer to the
/// handshake) for the error message when there is no tunnel.
struct Recording {
    tcp: TcpStream,
    seen: Arc<Mutex<Vec<u8>>>,
}

const RECORDED: usize = 4096;

impl AsyncRead for Recording {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.tcp).poll_read(cx, buf))?;
        let mut seen = this.seen.lock().unwrap_or_else(|p| p.into_inner());
        let got = &buf.filled()[before..];
        let room = RECORDED.saturating_sub(seen.len()).min(got.len());
        seen.extend_from_slice(&got[..room]);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Recording {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn proxies(pairs: &[(&str, &str)]) -> Result<Proxies, ProxyError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Proxies::from_env(&move |k: &str| map.get(k).cloned())
    }

    fn via(p: &Proxies, url: &str) -> Option<String> {
        p.for_url(&Url::parse(url).unwrap()).map(|v| v.to_string())
    }

    #[test]
    fn scheme_picks_the_variable() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://secure:3128"),
            ("http_proxy", "plain:8080"),
        ])
        .unwrap();
        assert_eq!(
            via(&p, "https://api.cycle.io").as_deref(),
            Some("http://secure:3128")
        );
        assert_eq!(
            via(&p, "wss://api.cycle.io/x").as_deref(),
            Some("http://secure:3128")
        );
        assert_eq!(
            via(&p, "ws://10.1.2.3:80/").as_deref(),
            Some("http://plain:8080")
        );
        let p = proxies(&[("ALL_PROXY", "socks5h://all")]).unwrap();
        assert_eq!(
            via(&p, "wss://api.cycle.io").as_deref(),
            Some("socks5h://all:1080"),
            "ALL_PROXY serves both, SOCKS on 1080 by default"
        );
        assert_eq!(
            via(&p, "http://api.cycle.io").as_deref(),
            Some("socks5h://all:1080")
        );
        let p = proxies(&[("ALL_PROXY", "http://all:1"), ("https_proxy", "http://s:2")]).unwrap();
        assert_eq!(via(&p, "https://h").as_deref(), Some("http://s:2"));
        assert_eq!(via(&p, "http://h").as_deref(), Some("http://all:1"));
        assert!(via(&proxies(&[]).unwrap(), "https://h").is_none());
        assert!(via(&Proxies::none(), "https://h").is_none());
    }

    #[test]
    fn lowercase_wins_over_uppercase() {
        // The uppercase value is not even read: an unusable one does not matter.
        for (var, url) in [
            (env::HTTPS_PROXY, "https://h"),
            (env::HTTP_PROXY, "http://h"),
            (env::ALL_PROXY, "wss://h"),
        ] {
            let [lower, upper] = var.names() else {
                panic!("{var:?}")
            };
            let p = proxies(&[(lower, "http://lower:1"), (upper, "ftp://upper:1")]).unwrap();
            assert_eq!(via(&p, url).as_deref(), Some("http://lower:1"), "{lower}");
        }
        let p = proxies(&[
            ("https_proxy", "http://p:1"),
            ("no_proxy", "a.example"),
            ("NO_PROXY", "b.example"),
        ])
        .unwrap();
        assert!(via(&p, "https://a.example").is_none());
        assert!(via(&p, "https://b.example").is_some());
        // An empty lowercase value does not hide the uppercase one.
        let p = proxies(&[("https_proxy", ""), ("HTTPS_PROXY", "http://up:1")]).unwrap();
        assert_eq!(via(&p, "https://h").as_deref(), Some("http://up:1"));
    }

    #[test]
    fn no_proxy_forms_and_loopback() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://p:1"),
            (
                "NO_PROXY",
                "internal.example, .corp.example,*.dev.example 10.0.0.0/8,192.168.1.5,[fd00::1],host.example:8443,UPPER.Example,[fd01::]/16,fd02::2",
            ),
        ])
        .unwrap();
        for direct in [
            "https://internal.example",
            "https://api.internal.example",
            "https://x.corp.example",
            "https://corp.example",
            "https://a.dev.example",
            "https://dev.example",
            "https://10.20.30.40",
            "https://192.168.1.5:444",
            "https://[fd00::1]",
            "https://[fd01:1::5]",
            "https://[fd02::2]",
            "https://host.example",
            "https://upper.example",
            "https://internal.example./",
            "https://127.0.0.1:9",
            "https://127.8.0.1",
            "https://localhost:1",
            "https://app.localhost:1",
            "https://LOCALHOST./",
            "https://[::1]:1",
        ] {
            assert!(via(&p, direct).is_none(), "{direct} should be direct");
        }
        for proxied in [
            "https://api.cycle.io",
            "https://notinternal.example",
            "https://11.0.0.1",
            "https://192.168.1.6",
            "https://[fd00::2]",
            "https://example",
        ] {
            assert!(via(&p, proxied).is_some(), "{proxied} should be proxied");
        }
        let p = proxies(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "*")]).unwrap();
        assert!(via(&p, "https://api.cycle.io").is_none());
        assert!(
            via(&p, "https://8.8.8.8").is_none(),
            "* covers IP hosts too"
        );
        // Loopback is direct even with no NO_PROXY at all.
        let p = proxies(&[("ALL_PROXY", "socks5://p")]).unwrap();
        assert!(via(&p, "ws://127.0.0.1:9/x").is_none());
    }

    #[test]
    fn unusable_proxies_are_errors_naming_the_variable() {
        for (var, value, says) in [
            ("HTTPS_PROXY", "socks4://p:1080", "socks4"),
            ("https_proxy", "https://p:443", "https"),
            ("ALL_PROXY", "ftp://p", "ftp"),
            ("http_proxy", "http://", "invalid proxy URL"),
            ("HTTP_PROXY", "http://p:99999", "invalid proxy URL"),
        ] {
            let e = proxies(&[(var, value)]).unwrap_err();
            let text = e.to_string();
            assert!(
                text.starts_with(&format!("{var}: ")) && text.contains(says),
                "{text}"
            );
            assert!(matches!(e, ProxyError::Unusable { .. }));
        }
        for value in ["http://user:hunter2@[bad", "user:hunter2@[bad:1"] {
            let e = proxies(&[("http_proxy", value)]).unwrap_err().to_string();
            assert!(!e.contains("hunter2"), "{e}");
        }
    }

    #[test]
    fn credentials_reach_the_connectors_but_never_the_display() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://us%40er:p%3Ass@p:3128"),
            ("HTTP_PROXY", "socks5h://u:hunter2@s"),
        ])
        .unwrap();
        let https = p.for_url(&Url::parse("https://h").unwrap()).unwrap();
        assert_eq!(https.to_string(), "http://redacted@p:3128");
        // "us@er:p:ss", percent-decoded, base64.
        assert_eq!(
            https.intercept.basic_auth().unwrap(),
            "Basic dXNAZXI6cDpzcw=="
        );
        let http = p.for_url(&Url::parse("http://h").unwrap()).unwrap();
        assert_eq!(http.to_string(), "socks5h://redacted@s:1080");
        assert_eq!(http.intercept.raw_auth(), Some(("u", "hunter2")));
        for shown in [
            format!("{p:?}"),
            format!("{http:?}"),
            format!("{https:?}"),
            http.name(),
        ] {
            assert!(
                !shown.contains("hunter2") && !shown.contains("p%3Ass"),
                "{shown}"
            );
        }
        assert_eq!(redact("http://u:secret@p:1/"), "http://redacted@p:1/");
        assert_eq!(redact("http://p:1/"), "http://p:1/");
    }

    /// The answers of a proxy as this module words them, against hyper-util's real
    /// connectors (their error types are private: this is where a change would show).
    #[tokio::test]
    async fn refusals_name_the_proxy_and_what_it_answered() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        /// What connecting through `scheme://127.0.0.1:PORT` gives when a proxy there reads
        /// once and answers `reply`; the port, to name in the expected text.
        async fn refused(scheme: &str, reply: &'static [u8]) -> (u16, ProxyError) {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = l.local_addr().unwrap().port();
            tokio::spawn(async move {
                let (mut s, _) = l.accept().await.unwrap();
                let mut b = [0u8; 512];
                let _ = s.read(&mut b).await;
                let _ = s.write_all(reply).await;
            });
            let value = format!("{scheme}127.0.0.1:{port}");
            let via = proxies(&[("HTTPS_PROXY", value.as_str())])
                .unwrap()
                .for_url(&Url::parse("https://hub.example").unwrap())
                .unwrap();
            (port, via.connect("hub.example", 443).await.unwrap_err())
        }
        let cases: [(&str, &[u8], Option<&str>); 6] = [
            (
                "http://",
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n",
                Some("the proxy {} refused the tunnel: 407 Proxy Authentication Required (put user:password in the proxy URL)"),
            ),
            (
                "",
                b"HTTP/1.1 403 Forbidden by policy\r\n\r\n",
                Some("the proxy {} refused the tunnel: 403 Forbidden by policy"),
            ),
            ("http://", b"SSH-2.0-OpenSSH\r\n\r\n", None),
            // No acceptable method: it wants credentials.
            (
                "socks5h://",
                &[5, 0xff],
                Some("the SOCKS5 proxy {} refused the tunnel: it wants credentials (put user:password in the proxy URL)"),
            ),
            (
                "socks5h://",
                &[5, 0, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0],
                Some("the SOCKS5 proxy {} refused the tunnel: connection refused"),
            ),
            ("socks5h://", b"", None),
        ];
        for (scheme, reply, expected) in cases {
            let (port, e) = refused(scheme, reply).await;
            match expected {
                Some(text) => {
                    assert_eq!(
                        e.to_string(),
                        text.replace("{}", &format!("127.0.0.1:{port}"))
                    )
                }
                None => assert!(matches!(e, ProxyError::Broken { .. }), "{e}"),
            }
        }
        // Nothing listening.
        let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = dead.local_addr().unwrap().port();
        drop(dead);
        let via = proxies(&[("HTTPS_PROXY", &format!("http://u:hunter2@127.0.0.1:{port}"))])
            .unwrap()
            .for_url(&Url::parse("https://hub.example").unwrap())
            .unwrap();
        let text = via
            .connect("hub.example", 443)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with(&format!("cannot reach the proxy 127.0.0.1:{port}: ")),
            "{text}"
        );
        assert!(!text.contains("hunter2"));
    }
}
