//! The simulated hub's server: the accept loop, TLS, HTTP/1.1 through hyper (keep-alive,
//! request bodies, HEAD, reason phrases), and the hand-over of upgraded connections to the
//! websocket player or the fast path.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE, SEC_WEBSOCKET_ACCEPT, UPGRADE};
use hyper::{Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

use super::log::{Logged, Request};
use super::routes::Reply;
use super::state::States;
use super::{Hub, HubConfig, Rng, Shared};
use crate::catalog::api::NOTIFICATIONS_PATH;

/// The most of a request body the hub reads; a bigger one is answered 413.
const MAX_BODY: usize = 64 * 1024;
/// How long a client may take to send a request head (as servers guard against slowloris).
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// The websocket connection after its upgrade.
pub(super) type Upgraded = TokioIo<hyper::upgrade::Upgraded>;

/// Which API a connection came in through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Door {
    /// The public API on the TCP port: token calls, state reads, the token's socket.
    Public,
    /// The internal API's unix socket: only the notification socket, with the container token.
    Internal,
}

impl Hub {
    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(config: HubConfig, bind: SocketAddr) -> io::Result<Hub> {
        let listener = TcpListener::bind(bind).await?;
        let hub = Hub {
            addr: listener.local_addr()?,
            shared: Arc::new(Shared {
                rng: std::sync::Mutex::new(Rng::from_time()),
                states: States::new(&config.objects, &config.patches),
                ..Shared::default()
            }),
            config: Arc::new(config),
        };
        if let Some(internal) = &hub.config.internal {
            hub.serve_internal(&internal.path)?;
        }
        tokio::spawn(hub.clone().accept(listener));
        hub.start_timeline();
        Ok(hub)
    }

    /// Listens on the internal API's unix socket. A socket file left by a simulator that is
    /// gone (nothing answers on it) is replaced; one that answers is an error.
    #[cfg(unix)]
    fn serve_internal(&self, path: &Path) -> io::Result<()> {
        let listener = match tokio::net::UnixListener::bind(path) {
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                if std::os::unix::net::UnixStream::connect(path).is_ok() {
                    return Err(io::Error::new(
                        io::ErrorKind::AddrInUse,
                        format!("{} is served by another process", path.display()),
                    ));
                }
                std::fs::remove_file(path)?;
                tokio::net::UnixListener::bind(path)?
            }
            other => other?,
        };
        let hub = self.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let hub = hub.clone();
                tokio::spawn(hub.connection(
                    stream,
                    "a container (internal socket)".into(),
                    Door::Internal,
                ));
            }
        });
        Ok(())
    }

    #[cfg(not(unix))]
    fn serve_internal(&self, _: &Path) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "the internal API socket is a unix socket, and this system has none",
        ))
    }

    async fn accept(self, listener: TcpListener) {
        let tls = self.config.tls.clone().map(tokio_rustls::TlsAcceptor::from);
        loop {
            let Ok((stream, peer)) = listener.accept().await else {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let hub = self.clone();
            let tls = tls.clone();
            let peer: Arc<str> = peer.to_string().into();
            tokio::spawn(async move {
                match tls {
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            hub.connection(stream, peer, Door::Public).await;
                        }
                    }
                    None => hub.connection(stream, peer, Door::Public).await,
                }
            });
        }
    }

    /// Serves one connection's requests until the client leaves or it is upgraded.
    async fn connection<S>(self, io: S, peer: Arc<str>, door: Door)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let service =
            hyper::service::service_fn(move |req| self.clone().answer(req, peer.clone(), door));
        let _ = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEAD_TIMEOUT)
            .serve_connection(TokioIo::new(io), service)
            .with_upgrades()
            .await;
    }

    async fn answer(
        self,
        mut req: hyper::Request<Incoming>,
        peer: Arc<str>,
        door: Door,
    ) -> Result<Response<Full<Bytes>>, Infallible> {
        let on_upgrade = hyper::upgrade::on(&mut req);
        let (parts, body) = req.into_parts();
        // A body over the limit is not read to its end: the connection closes after the 413.
        let (body, too_large) = match Limited::new(body, MAX_BODY).collect().await {
            Ok(collected) => (collected.to_bytes().to_vec(), false),
            Err(_) => (Vec::new(), true),
        };
        let request = Request::new(&parts, body);
        let reply = match door {
            _ if too_large => Reply::too_large(),
            Door::Internal => self.route_internal(&request),
            Door::Public => {
                self.hold_reads(&request).await;
                self.route(&request)
            }
        };
        let status = reply.status();
        let state_read = door == Door::Public
            && matches!(status, 200 | 404)
            && request.path != NOTIFICATIONS_PATH;
        match status {
            101 => {}
            200 if request.path == NOTIFICATIONS_PATH => {
                self.event(format!("token issued to {peer}"))
            }
            200 => self.event(format!("{} {} from {peer}", request.method, request.path)),
            _ => self.event(format!(
                "{status} for {} {} from {peer}",
                request.method, request.path
            )),
        }
        self.record(|log| {
            log.requests.push(Logged {
                request,
                status,
                at: Instant::now(),
                internal: door == Door::Internal,
            });
            log.state_reads += usize::from(state_read);
        });
        if state_read {
            self.shared.reads.notify_waiters();
        }
        Ok(match reply {
            Reply::Body {
                status,
                content_type,
                headers,
                body,
            } => respond(status, content_type, &headers, body),
            Reply::Upgrade { accept } => {
                tokio::spawn(async move {
                    if let Ok(upgraded) = on_upgrade.await {
                        self.socket(TokioIo::new(upgraded), &peer).await;
                    }
                });
                let mut resp = Response::new(Full::default());
                *resp.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
                let h = resp.headers_mut();
                h.insert(UPGRADE, HeaderValue::from_static("websocket"));
                h.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
                if let Ok(accept) = HeaderValue::from_str(&accept) {
                    h.insert(SEC_WEBSOCKET_ACCEPT, accept);
                }
                resp
            }
        })
    }

    /// With `hold_reads_until_frames`, REST calls other than the token call wait until
    /// that many frames are on the wire.
    async fn hold_reads(&self, req: &Request) {
        let hold = self.config.hold_reads_until_frames;
        if hold == 0 || req.path == NOTIFICATIONS_PATH {
            return;
        }
        loop {
            let sent = self.shared.sent.notified();
            if self
                .shared
                .frames_sent
                .load(std::sync::atomic::Ordering::SeqCst)
                >= hold
            {
                return;
            }
            sent.await;
        }
    }

    /// An upgraded socket: counted, then played by the fast path when it can honour
    /// everything asked of this hub, by the websocket player otherwise.
    async fn socket(&self, io: Upgraded, peer: &str) {
        let mut index = 0;
        self.record(|log| {
            index = log.sockets;
            log.sockets += 1;
        });
        let faulty = self.config.faults.faulty_sockets.is_none_or(|n| index < n);
        self.event(format!("socket opened from {peer}"));
        if let Some(pool) = self.fast_pool() {
            self.record(|log| log.fast_sockets += 1);
            let head = matches!(self.config.timeline, super::Timeline::Shared { .. })
                .then_some(&self.shared.head);
            let (sent, why) = super::fast::blast(io, &pool, self.config.limit, head).await;
            self.event(format!(
                "socket from {peer} ended after {sent} notifications: {why}"
            ));
            return;
        }
        self.play(io, peer, faulty).await;
    }
}

impl Request {
    fn new(parts: &hyper::http::request::Parts, body: Vec<u8>) -> Request {
        Request {
            method: parts.method.as_str().to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(String::from),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
        }
    }
}

fn respond(
    status: u16,
    content_type: &'static str,
    headers: &[(&'static str, String)],
    body: String,
) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    for (name, value) in super::routes::CORS {
        h.insert(*name, HeaderValue::from_static(value));
    }
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            h.insert(*name, value);
        }
    }
    resp
}
