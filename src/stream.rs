//! The websocket side: token, connect (TLS with the OS trust store), and frames out.
//! It never prints; callers decide what a frame or a failure means to the user.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message, Utf8Bytes};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::api::{chain, Api, ApiError};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Frames up to this size are read (bigger ones are then skipped by size); past it the
/// protocol layer gives up on the connection.
const MAX_MESSAGE: usize = 16 << 20;

/// What the socket delivered.
#[derive(Debug)]
pub enum Frame {
    Text(Utf8Bytes),
    /// A binary frame is never a notification; only its size is kept for the warning.
    Binary(usize),
}

/// One open notification socket.
pub struct Connection {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub url: Url,
    /// Set once the server closed the socket, with its reason when it gave one.
    pub closed: Option<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url.as_str())
            .finish()
    }
}

/// Fetches a fresh token and opens the socket with it. The API key is not sent here: the
/// token in the query is the socket's only credential.
pub async fn connect(api: &Api) -> Result<Connection, ApiError> {
    let token = api.token().await?;
    let what = format!("connecting to {}", token.socket_url);
    let url = token.connect_url();
    let fail = |cause: String| ApiError::Unreachable {
        what: what.clone(),
        cause,
    };
    let host = url
        .host_str()
        .ok_or_else(|| fail("no host".into()))?
        .to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((host.trim_matches(['[', ']']), port)),
    )
    .await
    .map_err(|_| fail(format!("no answer within {}s", CONNECT_TIMEOUT.as_secs())))?
    .map_err(|e| fail(e.to_string()))?;
    let _ = tcp.set_nodelay(true);
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let connector = match url.scheme() {
        "wss" => tokio_tungstenite::Connector::Rustls(tls_config().map_err(&fail)?),
        _ => tokio_tungstenite::Connector::Plain,
    };
    let handshake = tokio_tungstenite::client_async_tls_with_config(
        url.as_str(),
        tcp,
        Some(config),
        Some(connector),
    );
    let (ws, _resp) = tokio::time::timeout(CONNECT_TIMEOUT, handshake)
        .await
        .map_err(|_| {
            fail(format!(
                "no handshake within {}s",
                CONNECT_TIMEOUT.as_secs()
            ))
        })?
        .map_err(|e| match e {
            tungstenite::Error::Http(resp) if matches!(resp.status().as_u16(), 401 | 403) => {
                ApiError::Refused {
                    what: "the socket upgrade".into(),
                    status: resp.status().as_u16(),
                    title: None,
                    detail: resp
                        .body()
                        .as_ref()
                        .map(|b| String::from_utf8_lossy(b).trim().to_string())
                        .filter(|b| !b.is_empty()),
                    capability: None,
                }
            }
            tungstenite::Error::Http(resp) => {
                fail(format!("the server answered {}", resp.status()))
            }
            other => fail(chain(&other)),
        })?;
    Ok(Connection {
        ws,
        url: token.socket_url,
        closed: None,
    })
}

impl Connection {
    /// The next data frame; `Ok(None)` when the server closed the socket.
    pub async fn next(&mut self) -> Result<Option<Frame>, ApiError> {
        loop {
            let msg = self.ws.next().await;
            if let Some(frame) = self.accept(msg)? {
                return Ok(Some(frame));
            }
            if self.closed.is_some() {
                return Ok(None);
            }
        }
    }

    /// A frame only if one is already waiting, without blocking: lets callers write a burst
    /// in one go and flush when the socket goes quiet.
    pub fn next_ready(&mut self) -> Result<Option<Frame>, ApiError> {
        loop {
            let Some(msg) = self.ws.next().now_or_never() else {
                return Ok(None);
            };
            if let Some(frame) = self.accept(msg)? {
                return Ok(Some(frame));
            }
            if self.closed.is_some() {
                return Ok(None);
            }
        }
    }

    fn accept(
        &mut self,
        msg: Option<Result<Message, tungstenite::Error>>,
    ) -> Result<Option<Frame>, ApiError> {
        match msg {
            Some(Ok(Message::Text(text))) => Ok(Some(Frame::Text(text))),
            Some(Ok(Message::Binary(bytes))) => Ok(Some(Frame::Binary(bytes.len()))),
            Some(Ok(Message::Close(frame))) => {
                self.closed = Some(match frame {
                    Some(f) if !f.reason.is_empty() => {
                        format!("{} {}", u16::from(f.code), f.reason)
                    }
                    Some(f) => u16::from(f.code).to_string(),
                    None => "no reason given".into(),
                });
                Ok(None)
            }
            Some(Ok(_)) => Ok(None),
            None
            | Some(Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed)) =>
            {
                self.closed
                    .get_or_insert_with(|| "connection closed".into());
                Ok(None)
            }
            Some(Err(e)) => Err(ApiError::Unreachable {
                what: "reading the notification socket".into(),
                cause: chain(&e),
            }),
        }
    }

    /// Sends a close frame (best effort, briefly) so the server sees a clean goodbye.
    pub async fn close(&mut self) {
        let frame = CloseFrame {
            code: tungstenite::protocol::frame::coding::CloseCode::Normal,
            reason: "bye".into(),
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            let _ = self.ws.close(Some(frame)).await;
            // Read until the server acknowledges, so the close is not lost to a reset.
            while let Some(Ok(_)) = self.ws.next().await {}
        })
        .await;
    }

    pub async fn ping(&mut self) -> Result<(), ApiError> {
        self.ws
            .send(Message::Ping(Default::default()))
            .await
            .map_err(|e| ApiError::Unreachable {
                what: "sending a ping".into(),
                cause: chain(&e),
            })
    }
}

/// rustls with the operating system's trust store (SSL_CERT_FILE and SSL_CERT_DIR honoured),
/// built once per process.
pub fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                return Err(format!(
                    "no trusted root certificates found on this system{}",
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
                .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
        })
        .clone()
}
