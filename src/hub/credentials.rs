//! What a client of one hub holds: the API key as a `Secret`, the hub id, the base URL, and
//! the rule that plain http goes to loopback only.

use std::fmt;
use std::net::IpAddr;

use url::Url;

/// A credential: Debug and Display never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// How a person tells keys apart without seeing one: its last 4 characters (`…1d77`), as
    /// aws does; nothing of a key under 16 characters, where 4 would be too much of it.
    pub fn tail(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 16 {
            return "…".into();
        }
        let last: String = chars[chars.len() - 4..].iter().collect();
        format!("…{last}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// The credentials of a network command, validated.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub api_key: Secret,
    pub hub_id: String,
    pub base_url: Url,
}

/// A base URL this tool will not send the key to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadUrl(String);

impl fmt::Display for BadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadUrl {}

/// https anywhere; plain http only to loopback, because the API key travels in a header.
pub fn check_base_url(raw: &str) -> Result<Url, BadUrl> {
    // Never echoed with credentials in it.
    let shown = super::scrub::scrub(raw, &[]);
    let url =
        Url::parse(raw.trim()).map_err(|e| BadUrl(format!("invalid base URL '{shown}': {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        // The client would send them as Basic auth in place of the key.
        return Err(BadUrl(format!(
            "the base URL '{shown}' carries user:password@; leave them out (the API key is the credential)"
        )));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(BadUrl(format!(
            "refusing plain http to {}: the API key would travel unencrypted; use https (http is allowed only for 127.0.0.1, ::1 and localhost)",
            url.host_str().unwrap_or("?")
        ))),
        other => Err(BadUrl(format!(
            "invalid base URL '{shown}': scheme must be https (or http to loopback), not {other}"
        ))),
    }
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_shows_its_last_four_characters_only_when_long() {
        assert_eq!(Secret::new("0123456789abcdef1d77").tail(), "…1d77");
        assert_eq!(Secret::new("short-key-1d77").tail(), "…");
        assert_eq!(Secret::new("ключ-ключ-ключ-ключ").tail(), "…ключ");
    }
}
