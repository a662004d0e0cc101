//! The second transport: the internal API's notification socket, for code running in a Cycle
//! container (docs/cycle-api.md §7). A websocket over the unix socket Cycle mounts there, with
//! the container's token in `x-cycle-token`: no API key, no token call, no TLS. The token is
//! static, so every reconnect sends the same one.

use std::path::{Path, PathBuf};

use url::Url;

use super::backoff::Backoff;
use super::credentials::Secret;
use super::error::ApiError;
use super::socket::Connection;
use crate::catalog::api::INTERNAL_SOCKET;

/// Where the internal API is and the container's credential for it.
#[derive(Debug, Clone)]
pub struct Internal {
    pub socket: PathBuf,
    pub token: Secret,
    /// The retry schedule of the stream's reconnects.
    pub backoff: Backoff,
}

impl Internal {
    pub fn new(socket: PathBuf, token: Secret) -> Internal {
        Internal {
            socket,
            token,
            backoff: Backoff::default(),
        }
    }

    /// Where Cycle mounts the socket in every container.
    pub fn default_socket() -> PathBuf {
        PathBuf::from(INTERNAL_SOCKET)
    }

    /// The socket as a URL (`unix:///var/run/cycle/api/api.sock`), for `-v` lines and the
    /// `connected` status record; it carries no secret.
    pub fn url(&self) -> Url {
        let path = std::path::absolute(&self.socket).unwrap_or_else(|_| self.socket.clone());
        let mut url = Url::parse("unix://").expect("a valid URL");
        url.set_path(&path.to_string_lossy());
        url
    }

    fn connecting(&self) -> String {
        format!(
            "connecting to the internal API socket {}",
            self.socket.display()
        )
    }
}

/// Opens the notification socket: the unix socket, then the websocket upgrade on
/// `/v1/notifications` with the token in `x-cycle-token`. What the server said in an error
/// is scrubbed of the token.
pub async fn open(internal: &Internal) -> Result<Connection, ApiError> {
    open_as_sent(internal)
        .await
        .map_err(|e| e.scrubbed(&[internal.token.expose()]))
}

#[cfg(unix)]
async fn open_as_sent(internal: &Internal) -> Result<Connection, ApiError> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::HeaderValue;

    use super::socket::{upgrade, Wire, CONNECT_TIMEOUT};
    use crate::catalog::api::{INTERNAL_HOST, INTERNAL_NOTIFICATIONS_PATH, INTERNAL_TOKEN_HEADER};

    let what = internal.connecting();
    let fail = |cause: String| ApiError::Unreachable {
        what: what.clone(),
        cause,
    };
    let stream = tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::UnixStream::connect(&internal.socket),
    )
    .await
    .map_err(|_| fail(format!("no answer within {}s", CONNECT_TIMEOUT.as_secs())))?
    .map_err(|e| fail(unreachable_reason(&e, &internal.socket)))?;
    let url = format!("ws://{INTERNAL_HOST}{INTERNAL_NOTIFICATIONS_PATH}");
    let mut request = url.into_client_request().map_err(|e| fail(e.to_string()))?;
    let mut token =
        HeaderValue::from_str(internal.token.expose()).map_err(|_| ApiError::Setup {
            what: what.clone(),
            cause: "CYCLE_API_TOKEN holds characters a header cannot carry".into(),
        })?;
    token.set_sensitive(true);
    request.headers_mut().insert(INTERNAL_TOKEN_HEADER, token);
    let ws = upgrade(
        request,
        Wire::Unix(stream),
        tokio_tungstenite::Connector::Plain,
        "the internal API's notification socket",
        false,
        &|failure| fail(failure.to_string()),
    )
    .await
    .map_err(|e| match e {
        // The token is static: a refusal is about the token or the container's scope, never
        // about an API key.
        ApiError::Refused {
            status,
            title,
            detail,
            ..
        } => ApiError::InternalRefused {
            status,
            detail: detail.or(title),
        },
        other => other,
    })?;
    Ok(Connection::new(ws, internal.url()))
}

#[cfg(not(unix))]
async fn open_as_sent(internal: &Internal) -> Result<Connection, ApiError> {
    Err(ApiError::Setup {
        what: internal.connecting(),
        cause: "the internal API is a unix socket, and this system has none".into(),
    })
}

/// Why the socket could not be reached; a socket that is not there says where it would be.
fn unreachable_reason(e: &std::io::Error, socket: &Path) -> String {
    use std::io::ErrorKind;
    let elsewhere = "the internal API is there only inside a Cycle container (off Cycle, `cycle-notify simulate --internal-socket PATH` serves one)";
    match e.kind() {
        ErrorKind::NotFound => format!("{} does not exist: {elsewhere}", socket.display()),
        ErrorKind::ConnectionRefused => {
            format!("nothing is listening on {}: {elsewhere}", socket.display())
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_socket_and_no_secret() {
        let i = Internal::new(Internal::default_socket(), Secret::new("t0ken"));
        assert_eq!(i.url().as_str(), "unix:///var/run/cycle/api/api.sock");
        assert!(!format!("{i:?}").contains("t0ken"));
        let relative = Internal::new(PathBuf::from("run/a b.sock"), Secret::new("t"));
        let url = relative.url();
        assert!(url.path().starts_with('/'), "{url}");
        assert!(url.path().ends_with("/run/a%20b.sock"), "{url}");
    }
}
