//! The simulated hub's answers, as api.cycle.io would give them: the websocket handshake and
//! its token, the token call with its faults, state reads, and the error bodies.

use std::sync::atomic::Ordering;

use base64::Engine;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

use super::log::Request;
use super::Hub;
use crate::catalog::api::{INTERNAL_NOTIFICATIONS_PATH, INTERNAL_TOKEN_HEADER, NOTIFICATIONS_PATH};
use crate::catalog::kinds::KINDS;

/// What the hub answers to one request.
#[derive(Debug)]
pub(super) enum Reply {
    Body {
        status: u16,
        content_type: &'static str,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// 101 Switching Protocols, with this `Sec-WebSocket-Accept`.
    Upgrade { accept: String },
}

impl Reply {
    fn json(status: u16, body: String) -> Reply {
        Reply::Body {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body,
        }
    }

    /// A refusal of the websocket layer: plain text, as servers answer a bad handshake
    /// before any API code sees the request.
    fn handshake(status: u16, headers: Vec<(&'static str, String)>, why: &str) -> Reply {
        Reply::Body {
            status,
            content_type: "text/plain; charset=utf-8",
            headers,
            body: format!("{why}\n"),
        }
    }

    pub fn too_large() -> Reply {
        Reply::json(
            413,
            error_body(
                413,
                "too-large",
                "Payload too large",
                "the request body is over the limit",
                None,
            ),
        )
    }

    pub fn status(&self) -> u16 {
        match self {
            Reply::Body { status, .. } => *status,
            Reply::Upgrade { .. } => 101,
        }
    }
}

impl Hub {
    /// Decides the answer to one request. HEAD is answered as GET (hyper sends no body).
    pub(super) fn route(&self, req: &Request) -> Reply {
        if req.method != "GET" && req.method != "HEAD" {
            return Reply::json(
                405,
                error_body(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    &req.method,
                    None,
                ),
            );
        }
        if req.path == NOTIFICATIONS_PATH && req.is_upgrade() {
            return self.upgrade(req);
        }
        if let Some(refusal) = self.check_auth(req) {
            return refusal;
        }
        if req.path == NOTIFICATIONS_PATH {
            return self.token_call();
        }
        if let Some(found) = self.state_read(&req.path) {
            return found;
        }
        Reply::json(
            404,
            error_body(404, "not-found", "Not found", &req.path, None),
        )
    }

    /// The internal API's door: only the notification socket, its handshake checked first,
    /// then the container token (static: it is not spent).
    pub(super) fn route_internal(&self, req: &Request) -> Reply {
        if req.path != INTERNAL_NOTIFICATIONS_PATH {
            return Reply::json(
                404,
                error_body(404, "not-found", "Not found", &req.path, None),
            );
        }
        if req.method != "GET" || !req.is_upgrade() {
            return Reply::handshake(
                400,
                Vec::new(),
                "this path is the notification socket: a websocket handshake only",
            );
        }
        let accept = match handshake(req) {
            Ok(accept) => accept,
            Err(refusal) => return refusal,
        };
        let expected = self.config.internal.as_ref().map(|i| i.token.as_str());
        let sent = req.header(INTERNAL_TOKEN_HEADER);
        if sent.is_none() || sent != expected {
            return invalid_token("the x-cycle-token is not this container's token");
        }
        Reply::Upgrade { accept }
    }

    /// The socket: a handshake real servers accept (checked first, so a refused handshake
    /// leaves the token unspent), then the single-use token.
    fn upgrade(&self, req: &Request) -> Reply {
        let accept = match handshake(req) {
            Ok(accept) => accept,
            Err(refusal) => return refusal,
        };
        let token = req.query_param("token").unwrap_or_default();
        let fresh = self
            .shared
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&token);
        if !fresh {
            return invalid_token("the token is unknown or was already used");
        }
        Reply::Upgrade { accept }
    }

    fn token_call(&self) -> Reply {
        if let Some(fault) = self.token_fault() {
            return fault;
        }
        let token = self
            .shared
            .rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .hex(32);
        self.shared
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token.clone());
        let mut data = serde_json::json!({ "token": token });
        if let Some(address) = &self.config.address {
            data["address"] = address.clone().into();
        }
        Reply::json(200, serde_json::json!({ "data": data }).to_string())
    }

    /// `GET /v1/<kind path>`: the state the simulation has announced so far, 404 otherwise.
    fn state_read(&self, path: &str) -> Option<Reply> {
        let (kind, id) = KINDS
            .iter()
            .find_map(|k| k.match_path(path).map(|(_, id)| (k, id)))?;
        let n = self.shared.read_calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.config.faults.reads_unavailable_first {
            return Some(unavailable());
        }
        Some(
            match self.shared.states.read(kind, id, &self.config.hub_id) {
                Some(data) => Reply::json(200, serde_json::json!({ "data": data }).to_string()),
                None => Reply::json(
                    404,
                    error_body(
                        404,
                        "not-found",
                        "Not found",
                        &format!("no {} with id {id}", kind.name),
                        None,
                    ),
                ),
            },
        )
    }

    /// The token-call faults: revoked key, rate limit, unavailable, in that order of checks.
    fn token_fault(&self) -> Option<Reply> {
        let f = &self.config.faults;
        let n = self.shared.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
        if f.refuse_from.is_some_and(|from| n >= from) {
            return Some(invalid_key("the API key has been revoked"));
        }
        if n <= f.rate_limit_first {
            return Some(Reply::Body {
                status: 429,
                content_type: "application/json",
                headers: f
                    .retry_after
                    .map(|s| vec![("Retry-After", s.to_string())])
                    .unwrap_or_default(),
                body: error_body(429, "rate-limiting", "Too many requests", "slow down", None),
            });
        }
        if n <= f.rate_limit_first + f.unavailable_first {
            return Some(unavailable());
        }
        None
    }

    /// The key and hub checks of every REST call: 401 for a bad key, 403 for another hub.
    fn check_auth(&self, req: &Request) -> Option<Reply> {
        let bearer = req
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "));
        if bearer != Some(self.config.api_key.as_str()) {
            return Some(invalid_key("the API key is not valid for this hub"));
        }
        if req.header("x-hub-id") != Some(self.config.hub_id.as_str()) {
            return Some(Reply::json(
                403,
                error_body(
                    403,
                    "hub-forbidden",
                    "Wrong hub",
                    "the API key does not belong to the hub in X-Hub-Id",
                    Some("apionly-notifications-listen"),
                ),
            ));
        }
        None
    }
}

/// RFC 6455 §4.2.1: `Connection: Upgrade`, version 13 and a key that is the base64 of 16
/// bytes, or the refusal a real server gives (400, or 426 naming the version it speaks).
/// `Upgrade: websocket` is what made this a handshake in the first place.
fn handshake(req: &Request) -> Result<String, Reply> {
    if !req.header_lists("connection", "upgrade") {
        return Err(Reply::handshake(
            400,
            Vec::new(),
            "not a websocket handshake: no `upgrade` in the Connection header",
        ));
    }
    if req.header("sec-websocket-version").map(str::trim) != Some("13") {
        return Err(Reply::handshake(
            426,
            vec![("Sec-WebSocket-Version", "13".into())],
            "unsupported websocket version: this server speaks version 13",
        ));
    }
    let key = req.header("sec-websocket-key").unwrap_or_default().trim();
    let decoded = base64::engine::general_purpose::STANDARD.decode(key);
    if !decoded.is_ok_and(|k| k.len() == 16) {
        return Err(Reply::handshake(
            400,
            Vec::new(),
            "not a websocket handshake: Sec-WebSocket-Key must be the base64 of 16 bytes",
        ));
    }
    Ok(derive_accept_key(key.as_bytes()))
}

/// The 401 of a socket token the hub does not accept.
fn invalid_token(detail: &str) -> Reply {
    Reply::json(
        401,
        error_body(401, "auth-invalid", "Invalid token", detail, None),
    )
}

/// The 401 of a key the hub does not accept.
fn invalid_key(detail: &str) -> Reply {
    Reply::json(
        401,
        error_body(401, "auth-invalid", "Invalid API key", detail, None),
    )
}

/// The 503 of a hub that is briefly down, for token calls and state reads alike.
fn unavailable() -> Reply {
    Reply::json(
        503,
        error_body(
            503,
            "unavailable",
            "Service unavailable",
            "try again later",
            None,
        ),
    )
}

/// Cycle's error envelope (docs/cycle-api.md §5).
pub(super) fn error_body(
    status: u16,
    code: &str,
    title: &str,
    detail: &str,
    capability: Option<&str>,
) -> String {
    let mut error = serde_json::json!({
        "status": status,
        "code": format!("{status}.{code}"),
        "title": title,
        "detail": detail,
    });
    if let Some(cap) = capability {
        error["extra"] = serde_json::json!({ "capability": cap });
    }
    serde_json::json!({ "error": error, "data": null }).to_string()
}
