//! TLS for every connection: rustls with the operating system's trust store, and TLS
//! failures described in plain words.

use std::sync::{Arc, OnceLock};

use super::error::{chain, ApiError};

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
