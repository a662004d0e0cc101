//! One notification socket: the byte stream under it (TCP, through an HTTP or SOCKS5 proxy
//! when one applies, or the internal API's unix socket), TLS for wss, the websocket
//! handshake, and each message classified as a frame, a pong or a close.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message, Utf8Bytes};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use url::Url;

use super::api::{Api, Token};
use super::error::{chain, error_from, retry_after, ApiError, ConnectFailure, Endpoint};
use super::tls::{failure_of, tls_config};

pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
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
    pub(super) ws: WebSocketStream<MaybeTlsStream<Wire>>,
    pub url: Url,
    /// Set once the server closed the socket, with its reason when it gave one.
    pub closed: Option<String>,
    /// When anything (data, ping, pong, close) last arrived: the keepalive's evidence.
    pub last_rx: Instant,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url.as_str())
            .finish()
    }
}

pub(super) enum Got {
    Frame(Frame),
    Pong,
    Other,
    Closed(String),
    Failed(String),
}

/// The byte stream under a socket: one type for both transports, so everything above the
/// handshake (keepalive, reconnects, the per-frame path) is the same code for both.
pub(super) enum Wire {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(tokio::net::UnixStream),
}

impl AsyncRead for Wire {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            #[cfg(unix)]
            Wire::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Wire::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            #[cfg(unix)]
            Wire::Unix(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Wire::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            #[cfg(unix)]
            Wire::Unix(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Wire::Tcp(s) => s.is_write_vectored(),
            #[cfg(unix)]
            Wire::Unix(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Tcp(s) => Pin::new(s).poll_flush(cx),
            #[cfg(unix)]
            Wire::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            #[cfg(unix)]
            Wire::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

/// Opens the socket with a token: TCP (through the proxy when one applies), TLS for wss,
/// the websocket handshake. The API key is not sent here: the token in the query is the
/// socket's only credential.
pub async fn open(api: &Api, token: &Token) -> Result<Connection, ApiError> {
    open_as_sent(api, token)
        .await
        .map_err(|e| e.scrubbed(&[api.key().expose(), token.token.expose()]))
}

async fn open_as_sent(api: &Api, token: &Token) -> Result<Connection, ApiError> {
    let url = token.connect_url();
    let via = api.proxies().for_url(&url);
    let connecting = format!("connecting to {}", token.socket_url);
    // Past the tunnel, a failure says which proxy the connection went through.
    let what = match &via {
        Some(v) => format!("{connecting} through the proxy {v}"),
        None => connecting.clone(),
    };
    let fail = |cause: String| ApiError::Unreachable {
        what: what.clone(),
        cause,
    };
    let bracketed = url.host_str().ok_or_else(|| fail("no host".into()))?;
    let host = bracketed.trim_matches(['[', ']']).to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    // Through a proxy, the failure keeps naming the proxy; directly, it is a fact about
    // the socket's address.
    let connect_failed = |failure: ConnectFailure| match &via {
        Some(_) => fail(failure.to_string()),
        None => ApiError::Connect {
            to: Endpoint::Socket(token.socket_url.to_string()),
            addr: format!("{bracketed}:{port}"),
            host: host.clone(),
            failure,
        },
    };
    let tcp = async {
        match &via {
            // The proxy's failures name the proxy themselves.
            Some(v) => v
                .connect(&host, port)
                .await
                .map_err(|e| ApiError::Unreachable {
                    what: connecting.clone(),
                    cause: e.to_string(),
                }),
            None => TcpStream::connect((host.as_str(), port))
                .await
                .map_err(|e| connect_failed(failure_of(&e, false))),
        }
    };
    let tcp = tokio::time::timeout(CONNECT_TIMEOUT, tcp)
        .await
        .map_err(|_| connect_failed(ConnectFailure::TimedOut(CONNECT_TIMEOUT)))??;
    let _ = tcp.set_nodelay(true);
    let connector = match url.scheme() {
        "wss" => Connector::Rustls(tls_config()?),
        _ => Connector::Plain,
    };
    let request = tungstenite::client::IntoClientRequest::into_client_request(url.as_str())
        .map_err(|e| fail(chain(&e)))?;
    let ws = upgrade(
        request,
        Wire::Tcp(tcp),
        connector,
        "the socket upgrade with a fresh token",
        url.scheme() == "wss",
        &connect_failed,
    )
    .await?;
    Ok(Connection::new(ws, token.socket_url.clone()))
}

/// The websocket handshake on an open wire (TLS first when `tls`). A refusal is read like a
/// REST answer (the same envelope and statuses), as `refused_what`; anything else goes
/// through `fail`.
pub(super) async fn upgrade(
    request: Request,
    wire: Wire,
    connector: Connector,
    refused_what: &str,
    tls: bool,
    fail: &dyn Fn(ConnectFailure) -> ApiError,
) -> Result<WebSocketStream<MaybeTlsStream<Wire>>, ApiError> {
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let handshake = tokio_tungstenite::client_async_tls_with_config(
        request,
        wire,
        Some(config),
        Some(connector),
    );
    let (ws, resp) = tokio::time::timeout(CONNECT_TIMEOUT, handshake)
        .await
        .map_err(|_| fail(ConnectFailure::TimedOut(CONNECT_TIMEOUT)))?
        .map_err(|e| match e {
            tungstenite::Error::Http(resp) => {
                let body: Option<serde_json::Value> = resp
                    .body()
                    .as_ref()
                    .and_then(|b| serde_json::from_slice(b).ok());
                error_from(
                    refused_what,
                    resp.status().as_u16(),
                    body.as_ref(),
                    retry_after(resp.headers()),
                )
            }
            other => fail(failure_of(&other, tls)),
        })?;
    // This client offers no extension and no subprotocol: a hub that says it uses one would
    // send frames this client cannot read. RFC 6455 §4.1 says fail the connection.
    for header in ["sec-websocket-extensions", "sec-websocket-protocol"] {
        if let Some(value) = resp.headers().get(header) {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            return Err(fail(ConnectFailure::Other(format!(
                "the hub accepted with {header}: {value}, which this client did not offer"
            ))));
        }
    }
    Ok(ws)
}

impl Connection {
    pub(super) fn new(ws: WebSocketStream<MaybeTlsStream<Wire>>, url: Url) -> Connection {
        Connection {
            ws,
            url,
            closed: None,
            last_rx: Instant::now(),
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
                cause: drop_reason(&e),
            })
    }
}

/// One message off the socket, classified; a close is remembered in `closed`. No clock read:
/// callers stamp `last_rx` once per wake-up, not once per frame (see `Stream::next_ready`).
pub(super) fn classify(
    closed: &mut Option<String>,
    msg: Option<Result<Message, tungstenite::Error>>,
) -> Got {
    match msg {
        Some(Ok(Message::Text(text))) => Got::Frame(Frame::Text(text)),
        Some(Ok(Message::Binary(bytes))) => Got::Frame(Frame::Binary(bytes.len())),
        Some(Ok(Message::Pong(_))) => Got::Pong,
        Some(Ok(Message::Close(frame))) => {
            let reason = match frame {
                Some(f) if !f.reason.is_empty() => {
                    format!("{} {}", u16::from(f.code), f.reason)
                }
                Some(f) => u16::from(f.code).to_string(),
                None => "no reason given".into(),
            };
            *closed = Some(reason.clone());
            Got::Closed(reason)
        }
        Some(Ok(_)) => Got::Other,
        None
        | Some(Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed)) => {
            let reason = closed
                .get_or_insert_with(|| "connection closed".into())
                .clone();
            Got::Closed(reason)
        }
        Some(Err(e)) => Got::Failed(drop_reason(&e)),
    }
}

/// Why a socket broke, in the words a user knows.
fn drop_reason(e: &tungstenite::Error) -> String {
    use std::io::ErrorKind;
    match e {
        tungstenite::Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
            "connection reset".into()
        }
        tungstenite::Error::Io(io)
            if matches!(
                io.kind(),
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
            ) =>
        {
            "connection reset".into()
        }
        tungstenite::Error::Io(io) if io.kind() == ErrorKind::UnexpectedEof => {
            "connection closed without a close frame".into()
        }
        other => chain(other),
    }
}
