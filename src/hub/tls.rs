//! TLS for every connection: rustls with the operating system's trust store, and TLS
//! failures described in plain words.

use std::sync::{Arc, OnceLock};

use super::error::{chain, ApiError, ConnectFailure, Tls};
use crate::leaf::env::{self, Env, ProcessEnv};

/// Why a connection attempt failed, read from its error chain (reqwest's, tungstenite's or
/// a bare io::Error). `tls`: whether the attempt speaks TLS, so a server that closes the
/// handshake is one that does not.
pub fn failure_of(e: &(dyn std::error::Error + 'static), tls: bool) -> ConnectFailure {
    use std::io::ErrorKind as K;
    let mut cur = Some(e);
    while let Some(c) = cur {
        if let Some(rustls) = c.downcast_ref::<rustls::Error>() {
            return ConnectFailure::Tls(tls_failure(rustls));
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            // io::Error hides its payload from `source()`: look into it as well.
            if let Some(inner) = io.get_ref() {
                let inner = failure_of(inner, tls);
                if !matches!(inner, ConnectFailure::Other(_)) {
                    return inner;
                }
            }
            let text = io.to_string();
            match io.kind() {
                K::ConnectionRefused => return ConnectFailure::Refused,
                K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
                    return ConnectFailure::Reset
                }
                K::HostUnreachable | K::NetworkUnreachable => return ConnectFailure::NoRoute,
                K::UnexpectedEof if tls => return ConnectFailure::Tls(Tls::NotTls),
                _ if text.starts_with(LOOKUP_FAILED) => {
                    let why = text[LOOKUP_FAILED.len()..].trim_start_matches(':').trim();
                    return ConnectFailure::NoSuchHost(why.to_string());
                }
                _ => {}
            }
        }
        // hyper-util's connector says "dns error" over the resolver's io::Error.
        if c.to_string() == "dns error" {
            let why = c.source().map(|s| s.to_string()).unwrap_or_default();
            let why = why
                .trim_start_matches(LOOKUP_FAILED)
                .trim_start_matches(':');
            return ConnectFailure::NoSuchHost(why.trim().to_string());
        }
        cur = c.source();
    }
    ConnectFailure::Other(chain(e))
}

/// An error in one line, in plain words when TLS is what failed (for connections other than
/// the hub's: webhooks, NATS).
pub fn describe(e: &(dyn std::error::Error + 'static), host: &str) -> String {
    match failure_of(e, false) {
        ConnectFailure::Tls(tls) => tls.with(host),
        _ => chain(e),
    }
}

/// How the system resolver's errors start (getaddrinfo through std).
const LOOKUP_FAILED: &str = "failed to lookup address information";

fn tls_failure(e: &rustls::Error) -> Tls {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => Tls::UnknownIssuer,
            C::Expired | C::ExpiredContext { .. } => Tls::Expired,
            C::NotValidYet | C::NotValidYetContext { .. } => Tls::NotValidYet,
            C::NotValidForName | C::NotValidForNameContext { .. } => Tls::WrongName,
            C::Revoked => Tls::Revoked,
            C::BadSignature => Tls::BadSignature,
            C::InvalidPurpose | C::InvalidPurposeContext { .. } => Tls::NotForServers,
            C::BadEncoding => Tls::Certificate("it cannot be parsed".into()),
            C::UnhandledCriticalExtension => {
                Tls::Certificate("it has a critical extension this client does not know".into())
            }
            C::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
                Some(webpki::Error::CaUsedAsEndEntity) => Tls::CaAsServer,
                Some(webpki::Error::EndEntityUsedAsCa) => Tls::Certificate(
                    "a certificate that is not a CA's signed another in its chain".into(),
                ),
                Some(webpki::Error::NameConstraintViolation) => {
                    Tls::Certificate("its CA may not certify that name (a name constraint)".into())
                }
                Some(webpki::Error::PathLenConstraintViolated) => {
                    Tls::Certificate("its chain is longer than its CA allows".into())
                }
                Some(webpki) => Tls::Certificate(format!("{webpki:?}")),
                None => Tls::Certificate(other.to_string()),
            },
            other => Tls::Certificate(format!("{other:?}")),
        },
        // The server answered the client's hello with something that is not TLS: a plain
        // http server's "HTTP/1.1 400".
        rustls::Error::InvalidMessage(_) => Tls::NotTls,
        rustls::Error::AlertReceived(alert) => Tls::Alert(match alert {
            rustls::AlertDescription::HandshakeFailure => {
                "no TLS version or cipher in common".into()
            }
            rustls::AlertDescription::ProtocolVersion => "no TLS version in common".into(),
            rustls::AlertDescription::UnrecognisedName => "it does not serve that name".into(),
            other => format!("alert {other:?}"),
        }),
        rustls::Error::NoCertificatesPresented => {
            Tls::Certificate("the server presented none".into())
        }
        other => Tls::Other(other.to_string()),
    }
}

/// rustls with the operating system's trust store (SSL_CERT_FILE and SSL_CERT_DIR honoured),
/// built once per process. The token call (reqwest) uses the same configuration.
pub fn tls_config() -> Result<Arc<rustls::ClientConfig>, ApiError> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    let setup = |cause: &String| ApiError::Setup {
        what: "setting up TLS".into(),
        cause: cause.clone(),
    };
    CONFIG
        .get_or_init(|| client_config(None).map(Arc::new))
        .as_ref()
        .map(Arc::clone)
        .map_err(setup)
}

/// The same configuration trusting the certificates of a PEM file as well (`--nats-ca`): a
/// private CA besides the system store, not instead of it.
pub fn tls_config_with_ca(ca: &std::path::Path) -> Result<rustls::ClientConfig, String> {
    client_config(Some(ca))
}

fn client_config(extra: Option<&std::path::Path>) -> Result<rustls::ClientConfig, String> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    // The loader notes what it could not read and goes on; a file or directory the user
    // named is a mistake to report, not to skip (the rest of the store would hide it).
    if let Some(named) = unreadable_named(&found.errors) {
        return Err(named);
    }
    for cert in found.certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = extra {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("cannot read certificates from {}: {e}", path.display()))?;
        if certs.is_empty() {
            return Err(format!("{} holds no PEM certificate", path.display()));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| format!("a certificate in {} is not usable: {e}", path.display()))?;
        }
    }
    if roots.is_empty() {
        return Err(format!(
            "no trusted root certificates found on this system (set SSL_CERT_FILE to a PEM bundle){}",
            found
                .errors
                .first()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
}

/// The first of the loader's errors that is about SSL_CERT_FILE's file or a directory of
/// SSL_CERT_DIR, as a sentence naming it.
fn unreadable_named(errors: &[rustls_native_certs::Error]) -> Option<String> {
    // The loader reads these from the process environment itself; so does this check.
    let file = ProcessEnv.get(&env::SSL_CERT_FILE);
    let dirs = ProcessEnv.get(&env::SSL_CERT_DIR).unwrap_or_default();
    errors.iter().find_map(|e| {
        let rustls_native_certs::ErrorKind::Io { inner, path } = &e.kind else {
            return None;
        };
        if file.as_deref().is_some_and(|f| path.as_os_str() == f) {
            return Some(format!(
                "SSL_CERT_FILE names {}, which cannot be read: {}",
                path.display(),
                io_reason(inner)
            ));
        }
        let named_dir = std::env::split_paths(&dirs).any(|d| d == *path);
        named_dir.then(|| {
            format!(
                "SSL_CERT_DIR names {}, which cannot be read: {}",
                path.display(),
                io_reason(inner)
            )
        })
    })
}

/// An io::Error's words without std's "(os error 2)".
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn io_failures_in_plain_words() {
        let of = |e: Error, tls: bool| failure_of(&e, tls);
        assert_eq!(
            of(Error::from(ErrorKind::ConnectionRefused), false),
            ConnectFailure::Refused
        );
        assert_eq!(
            of(
                Error::new(ErrorKind::UnexpectedEof, "tls handshake eof"),
                true
            ),
            ConnectFailure::Tls(Tls::NotTls)
        );
        assert!(matches!(
            of(Error::new(ErrorKind::UnexpectedEof, "eof"), false),
            ConnectFailure::Other(_)
        ));
        assert_eq!(
            of(
                Error::other("failed to lookup address information: Name or service not known"),
                false
            ),
            ConnectFailure::NoSuchHost("Name or service not known".into())
        );
        // A payload inside an io::Error is looked into.
        let wrapped = Error::other(rustls::Error::InvalidCertificate(
            rustls::CertificateError::Expired,
        ));
        assert_eq!(of(wrapped, true), ConnectFailure::Tls(Tls::Expired));
    }
}
