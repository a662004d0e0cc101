//! Which HTTP proxy, if any, carries a connection (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY,
//! NO_PROXY), and the CONNECT tunnel the websocket goes through. The token call uses the
//! same decision (api.rs hands it to reqwest), so both halves of a session take one path.

use std::net::IpAddr;

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

use crate::leaf::env::{self, Env, Var};

/// The proxies configured in the environment. Lowercase names win over uppercase, as in
/// curl and wget.
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    http: Option<Url>,
    https: Option<Url>,
    no_proxy: Vec<NoProxy>,
}

#[derive(Debug, Clone, PartialEq)]
enum NoProxy {
    All,
    Ip(IpAddr),
    Net(IpAddr, u8),
    /// A domain and its subdomains (`example.com`, `.example.com` and `*.example.com` alike).
    Domain(String),
}

impl Proxies {
    /// No proxy at all (the `--demo` hub, tests).
    pub fn none() -> Proxies {
        Proxies::default()
    }

    /// Reads the proxy variables. A proxy URL this tool cannot use is an error naming the
    /// variable, rather than a silent direct connection the user's network may not allow.
    pub fn from_env(env: &dyn Env) -> Result<Proxies, String> {
        let pick = |var: &Var| -> Result<Option<Url>, String> {
            env.get_named(var)
                .map(|(name, value)| parse_proxy(&value).map_err(|e| format!("{name}: {e}")))
                .transpose()
        };
        let http = match pick(&env::HTTP_PROXY)? {
            Some(u) => Some(u),
            None => pick(&env::ALL_PROXY)?,
        };
        let https = match pick(&env::HTTPS_PROXY)? {
            Some(u) => Some(u),
            None => pick(&env::ALL_PROXY)?,
        };
        let no_proxy = env
            .get(&env::NO_PROXY)
            .map(|v| parse_no_proxy(&v))
            .unwrap_or_default();
        Ok(Proxies {
            http,
            https,
            no_proxy,
        })
    }

    /// The proxy for a URL: https/wss take the HTTPS proxy, http/ws the HTTP one. Loopback
    /// hosts never go through a proxy: 127.0.0.1 at the proxy is the proxy's own machine, and
    /// plain http (allowed only to loopback) must not carry the key to a third party.
    pub fn for_url(&self, url: &Url) -> Option<&Url> {
        let proxy = match url.scheme() {
            "https" | "wss" => self.https.as_ref(),
            _ => self.http.as_ref(),
        }?;
        let host = url.host_str()?.trim_matches(['[', ']']);
        (!self.bypass(host)).then_some(proxy)
    }

    fn bypass(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let ip = host.parse::<IpAddr>().ok();
        if host == "localhost"
            || host.ends_with(".localhost")
            || ip.is_some_and(|i| i.is_loopback())
        {
            return true;
        }
        self.no_proxy.iter().any(|rule| match rule {
            NoProxy::All => true,
            NoProxy::Ip(a) => ip == Some(*a),
            NoProxy::Net(net, bits) => ip.is_some_and(|i| in_net(i, *net, *bits)),
            NoProxy::Domain(d) => host == *d || host.ends_with(&format!(".{d}")),
        })
    }
}

fn parse_proxy(raw: &str) -> Result<Url, String> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|e| format!("invalid proxy URL '{}': {e}", redact(raw)))?;
    if url.scheme() != "http" {
        return Err(format!(
            "unsupported proxy scheme {}:// (only http:// proxies, which tunnel TLS with CONNECT, are supported)",
            url.scheme()
        ));
    }
    if url.host_str().is_none() {
        return Err(format!("invalid proxy URL '{}': no host", redact(raw)));
    }
    Ok(url)
}

fn parse_no_proxy(raw: &str) -> Vec<NoProxy> {
    raw.split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            if e == "*" {
                return Some(NoProxy::All);
            }
            if let Some((net, bits)) = e.split_once('/') {
                let net = net.trim_matches(['[', ']']).parse().ok()?;
                return Some(NoProxy::Net(net, bits.parse().ok()?));
            }
            if let Ok(ip) = e.trim_matches(['[', ']']).parse() {
                return Some(NoProxy::Ip(ip));
            }
            // `host:port` entries: the port is not part of the decision here.
            let host = match e.rsplit_once(':') {
                Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
                _ => e,
            };
            if let Ok(ip) = host.trim_matches(['[', ']']).parse() {
                return Some(NoProxy::Ip(ip));
            }
            let d = host
                .trim_start_matches('*')
                .trim_start_matches('.')
                .trim_end_matches('.')
                .to_ascii_lowercase();
            (!d.is_empty()).then_some(NoProxy::Domain(d))
        })
        .collect()
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The userinfo of a URL is percent-encoded; the Basic credentials are the decoded text.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A proxy URL fit for a log line: credentials in it are replaced.
pub fn redact(raw: &str) -> String {
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

/// Asks the proxy on `tcp` for a tunnel to `host:port` (HTTP CONNECT). On success the stream
/// is a raw pipe to the target, ready for TLS or the websocket handshake.
pub async fn tunnel(tcp: &mut TcpStream, proxy: &Url, host: &str, port: u16) -> Result<(), String> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut head = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: cycle-notify/{}\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if !proxy.username().is_empty() {
        let creds = format!(
            "{}:{}",
            percent_decode(proxy.username()),
            percent_decode(proxy.password().unwrap_or(""))
        );
        head.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64::engine::general_purpose::STANDARD.encode(creds)
        ));
    }
    head.push_str("\r\n");
    tcp.write_all(head.as_bytes())
        .await
        .map_err(|e| format!("sending CONNECT to the proxy: {e}"))?;
    // Byte by byte up to the blank line, so nothing that belongs to the tunnel is consumed.
    let mut buf = Vec::with_capacity(256);
    while !buf.ends_with(b"\r\n\r\n") {
        if buf.len() >= 16 * 1024 {
            return Err("the proxy's answer to CONNECT is too long".into());
        }
        let b = tcp
            .read_u8()
            .await
            .map_err(|e| format!("reading the proxy's answer to CONNECT: {e}"))?;
        buf.push(b);
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut resp = httparse::Response::new(&mut headers);
    resp.parse(&buf)
        .map_err(|e| format!("the proxy's answer to CONNECT is not HTTP: {e}"))?;
    match resp.code {
        Some(200..=299) => Ok(()),
        Some(407) => Err(
            "the proxy requires authentication (407); put user:password in the proxy URL".into(),
        ),
        Some(code) => Err(format!(
            "the proxy refused CONNECT {authority} ({code} {})",
            resp.reason.unwrap_or("")
        )),
        None => Err("the proxy's answer to CONNECT has no status".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn proxies(pairs: &[(&str, &str)]) -> Result<Proxies, String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Proxies::from_env(&move |k: &str| map.get(k).cloned())
    }

    fn via(p: &Proxies, url: &str) -> Option<String> {
        p.for_url(&Url::parse(url).unwrap()).map(|u| u.to_string())
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
            Some("http://secure:3128/")
        );
        assert_eq!(
            via(&p, "wss://api.cycle.io/x").as_deref(),
            Some("http://secure:3128/")
        );
        assert_eq!(
            via(&p, "ws://10.1.2.3:80/").as_deref(),
            Some("http://plain:8080/")
        );
        let p = proxies(&[("ALL_PROXY", "http://all:1")]).unwrap();
        assert_eq!(
            via(&p, "wss://api.cycle.io").as_deref(),
            Some("http://all:1/")
        );
        let p = proxies(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:1"),
        ])
        .unwrap();
        assert_eq!(via(&p, "https://h").as_deref(), Some("http://lower:1/"));
        assert!(via(&proxies(&[]).unwrap(), "https://h").is_none());
    }

    #[test]
    fn no_proxy_and_loopback() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://p:1"),
            (
                "NO_PROXY",
                "internal.example, .corp.example,*.dev.example,10.0.0.0/8,192.168.1.5,[fd00::1],host.example:8443",
            ),
        ])
        .unwrap();
        for direct in [
            "https://internal.example",
            "https://api.internal.example",
            "https://x.corp.example",
            "https://corp.example",
            "https://a.dev.example",
            "https://10.20.30.40",
            "https://192.168.1.5:444",
            "https://[fd00::1]",
            "https://host.example",
            "https://127.0.0.1:9",
            "https://127.8.0.1",
            "https://localhost:1",
            "https://[::1]:1",
        ] {
            assert!(via(&p, direct).is_none(), "{direct} should be direct");
        }
        for proxied in [
            "https://api.cycle.io",
            "https://notinternal.example",
            "https://11.0.0.1",
            "https://192.168.1.6",
        ] {
            assert!(via(&p, proxied).is_some(), "{proxied} should be proxied");
        }
        let p = proxies(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "*")]).unwrap();
        assert!(via(&p, "https://api.cycle.io").is_none());
    }

    #[test]
    fn unusable_proxies_are_errors_naming_the_variable() {
        let e = proxies(&[("HTTPS_PROXY", "socks5://p:1080")]).unwrap_err();
        assert!(e.starts_with("HTTPS_PROXY:") && e.contains("socks5"), "{e}");
        let e = proxies(&[("http_proxy", "http://user:hunter2@[bad")]).unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn userinfo_is_decoded() {
        assert_eq!(percent_decode("a%40b%3Ac+d%"), "a@b:c+d%");
    }

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(redact("http://u:secret@p:1/"), "http://redacted@p:1/");
        assert_eq!(redact("http://p:1/"), "http://p:1/");
    }
}
