//! `--forward-to URL`: each notification POSTed as signed by Standard Webhooks 1.0
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`), so a
//! receiver verifies it with the official library of its language.

use std::fmt;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use tokio::time::Instant;
use url::Url;

use super::{Attempt, Job, Reason};
use crate::hub::credentials::{is_loopback, Secret};
use crate::hub::error::{chain, retry_after};
use crate::hub::tls::describe;
use crate::leaf::time::human;

const PREFIX: &str = "whsec_";

/// The signing secret: `whsec_` and the base64 of the key bytes, as the official libraries
/// take it.
#[derive(Clone)]
pub struct SigningKey {
    text: Secret,
    bytes: Vec<u8>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// Why a secret or a header cannot be used; the value itself is never repeated.
#[derive(Debug)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

impl SigningKey {
    pub fn parse(text: &str) -> Result<SigningKey, Invalid> {
        let text = text.trim();
        let encoded = text.strip_prefix(PREFIX).unwrap_or(text);
        let bytes = STANDARD.decode(encoded).map_err(|_| {
            Invalid(format!(
                "the forwarding secret must be {PREFIX} followed by base64 (as Standard Webhooks secrets are)"
            ))
        })?;
        if bytes.len() < 16 {
            return Err(Invalid(
                "the forwarding secret is too short: use at least 16 random bytes".into(),
            ));
        }
        Ok(SigningKey {
            text: Secret::new(format!("{PREFIX}{encoded}")),
            bytes,
        })
    }

    /// A fresh random secret for a run that was given none.
    pub fn generate() -> Result<SigningKey, Invalid> {
        use ring::rand::SecureRandom;
        let mut bytes = [0u8; 24];
        ring::rand::SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| Invalid("no randomness for a forwarding secret".into()))?;
        SigningKey::parse(&format!("{PREFIX}{}", STANDARD.encode(bytes)))
    }

    /// The `whsec_...` text, for the one line that shows a generated secret.
    pub fn expose(&self) -> &str {
        self.text.expose()
    }

    /// `v1,<base64 of HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &self.bytes);
        let mut ctx = ring::hmac::Context::with_key(&key);
        ctx.update(id.as_bytes());
        ctx.update(b".");
        ctx.update(timestamp.to_string().as_bytes());
        ctx.update(b".");
        ctx.update(body);
        format!("v1,{}", STANDARD.encode(ctx.sign().as_ref()))
    }
}

/// `Name: value` from `--forward-header`.
pub fn parse_header(raw: &str) -> Result<(HeaderName, HeaderValue), Invalid> {
    let (name, value) = raw
        .split_once(':')
        .ok_or_else(|| Invalid(format!("--forward-header '{raw}' is not 'Name: value'")))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
        Invalid(format!(
            "--forward-header: '{}' is not a header name",
            name.trim()
        ))
    })?;
    let reserved = [
        "content-type",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    ];
    if reserved.contains(&name.as_str()) {
        return Err(Invalid(format!(
            "--forward-header: {name} is set by cycle-notify itself"
        )));
    }
    let value = HeaderValue::from_str(value.trim()).map_err(|_| {
        Invalid(format!(
            "--forward-header: the value of {name} is not valid in a header"
        ))
    })?;
    Ok((name, value))
}

/// https anywhere, plain http to loopback only, as for the API.
pub fn check_url(raw: &str) -> Result<Url, Invalid> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Invalid(format!("--forward-to '{raw}' is not a URL: {e}")))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(Invalid(format!(
            "--forward-to: refusing plain http to {}: notifications would travel unencrypted; use https (http is allowed only for 127.0.0.1, ::1 and localhost)",
            url.host_str().unwrap_or("?")
        ))),
        other => Err(Invalid(format!(
            "--forward-to '{raw}': the scheme must be https (or http to loopback), not {other}"
        ))),
    }
}

#[derive(Debug)]
pub struct Webhook {
    url: Url,
    client: reqwest::Client,
    key: SigningKey,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Per attempt (`--forward-timeout`), named when one runs out.
    timeout: Duration,
    /// Distinguishes this run's message ids from another run's.
    run_id: String,
}

impl Webhook {
    pub fn new(
        url: Url,
        key: SigningKey,
        headers: Vec<(HeaderName, HeaderValue)>,
        timeout: Duration,
        run_id: String,
    ) -> Result<Webhook, Invalid> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("cycle-notify/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            // A redirect would re-send a signed body somewhere the user did not name.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if url.scheme() == "https" {
            let tls = crate::hub::tls::tls_config().map_err(|e| Invalid(e.to_string()))?;
            builder = builder.use_preconfigured_tls(tls.as_ref().clone());
        } else {
            builder = builder.tls_built_in_root_certs(false);
        }
        let client = builder.build().map_err(|e| {
            Invalid(format!(
                "cannot set up the forwarding client: {}",
                chain(&e)
            ))
        })?;
        Ok(Webhook {
            url,
            client,
            key,
            headers,
            timeout,
            run_id,
        })
    }

    /// Why a POST got no answer, in plain words: `cannot connect to 127.0.0.1:8080:
    /// connection refused`, a TLS failure with its reason, else the error chain.
    fn send_failure(&self, e: &reqwest::Error) -> String {
        let host = format!(
            "{}:{}",
            self.url.host_str().unwrap_or("?"),
            self.url.port_or_known_default().unwrap_or(0)
        );
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                if e.is_connect() && io.get_ref().is_none() {
                    return format!("cannot connect to {host}: {}", io.kind());
                }
            }
            source = s.source();
        }
        describe(e, &host)
    }

    /// The id a job keeps on every retry, so a receiver can drop duplicates.
    fn message_id(&self, job: &Job) -> String {
        format!("msg_{}_{}", self.run_id, job.seq)
    }

    pub(super) async fn attempt(&self, job: &Job) -> Attempt {
        let started = Instant::now();
        let body = crate::output::json_line(&job.frame).into_owned();
        let id = self.message_id(job);
        let timestamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let signature = self.key.sign(&id, timestamp, &body);
        let mut request = self
            .client
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = match request.body(body).send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Again {
                    reason: Reason::new(format!("no answer within {}", human(self.timeout))),
                    after: None,
                }
            }
            Err(e) => {
                return Attempt::Again {
                    reason: Reason::new(self.send_failure(&e)),
                    after: None,
                }
            }
        };
        let status = response.status();
        let after = retry_after(response.headers());
        // The body is not needed, but reading it keeps the connection reusable; a receiver
        // sending gigabytes is cut off at the cap.
        crate::hub::api::discard_body(response).await;
        let shown = format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        let shown = shown.trim_end().to_string();
        match status.as_u16() {
            200..=299 => Attempt::Done(format!(
                "{} in {}",
                status.as_u16(),
                human(started.elapsed())
            )),
            408 | 429 | 500..=599 => Attempt::Again {
                reason: Reason::new(shown),
                after,
            },
            _ => Attempt::Never(Reason::new(shown)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_test_vector() {
        // From the Standard Webhooks specification's reference libraries.
        let key = SigningKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = key.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_and_headers() {
        assert!(SigningKey::parse("whsec_!!").is_err());
        assert!(SigningKey::parse("whsec_c2hvcnQ=").is_err());
        let generated = SigningKey::generate().unwrap();
        assert!(generated.expose().starts_with("whsec_"));
        assert!(!format!("{generated:?}").contains("whsec"));
        let (n, v) = parse_header("X-Team:  ops ").unwrap();
        assert_eq!((n.as_str(), v.to_str().unwrap()), ("x-team", "ops"));
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("webhook-id: x").is_err());
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check_url("http://127.0.0.1:8080/hook").is_ok());
        assert!(check_url("https://hooks.example.com/x").is_ok());
        assert!(check_url("http://hooks.example.com/x").is_err());
        assert!(check_url("ftp://127.0.0.1/").is_err());
    }
}
