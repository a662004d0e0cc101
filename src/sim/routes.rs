//! The simulated hub's answers, as api.cycle.io would give them: the websocket handshake and
//! its token, the token call with its faults, state reads and the instance list, CORS
//! preflights, and the spec's error codes and shapes (docs/cycle-api.md §5, §9).

use std::sync::atomic::Ordering;

use base64::Engine;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

use super::log::Request;
use super::state::Missing;
use super::Hub;
use crate::catalog::api::{INTERNAL_NOTIFICATIONS_PATH, INTERNAL_TOKEN_HEADER, NOTIFICATIONS_PATH};
use crate::catalog::kinds::{Kind, KINDS};

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

/// The capability a token call needs (docs/cycle-api.md §10).
const LISTEN: &str = "apionly-notifications-listen";

/// What a browser page may send and read (CORS): every request carries the key in a header,
/// never a cookie, so any origin may call.
pub(super) const CORS: &[(&str, &str)] = &[
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "Retry-After"),
];

impl Reply {
    fn json(status: u16, body: String) -> Reply {
        Reply::Body {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body,
        }
    }

    /// The spec's error envelope: `code` is `<status>.<name>`.
    fn error(status: u16, name: &str, title: &str, detail: &str) -> Reply {
        Reply::json(status, envelope(status, name, title, detail, None))
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
        Reply::error(
            422,
            "max-exceeded",
            "Request too large",
            "the request body is over the limit",
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
        match req.method.as_str() {
            "GET" | "HEAD" => {}
            "OPTIONS" => return preflight(req),
            // The API has no other method on these paths: no route.
            _ => return no_route(req),
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
        no_route(req)
    }

    /// The internal API's door: only the notification socket, its handshake checked first,
    /// then the container token (static: it is not spent).
    pub(super) fn route_internal(&self, req: &Request) -> Reply {
        if req.path != INTERNAL_NOTIFICATIONS_PATH {
            return no_route(req);
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
            return self.unauthorized(
                "Invalid token",
                "the x-cycle-token is not this container's token",
            );
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
            return self.unauthorized("Invalid token", "the token is unknown or was already used");
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

    /// `GET /v1/<kind path>`, and a container's instance list: what the simulation has
    /// announced so far, with the spec's 404 for the missing object or parent.
    fn state_read(&self, path: &str) -> Option<Reply> {
        let instances = path
            .strip_prefix("/v1/containers/")
            .and_then(|rest| rest.strip_suffix("/instances"))
            .filter(|id| !id.is_empty() && !id.contains('/'));
        let found = match instances {
            Some(container) => {
                let kind = Kind::find("instance")?;
                (kind, Some(container), None)
            }
            None => {
                let (kind, parent, id) = KINDS
                    .iter()
                    .find_map(|k| k.match_path(path).map(|(parent, id)| (k, parent, id)))?;
                // The hub itself (`hubs/current`) is the object of the hub's id.
                (kind, parent, Some(id.unwrap_or(&self.config.hub_id)))
            }
        };
        let (kind, parent, id) = found;
        let n = self.shared.read_calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.config.faults.reads_unavailable_first {
            return Some(unavailable());
        }
        if self.config.faults.reads_forbidden {
            return Some(missing_capability(kind.capability));
        }
        let hub_id = &self.config.hub_id;
        let states = &self.shared.states;
        let read = match (id, parent) {
            (Some(id), parent) => states.read(kind, id, parent, hub_id),
            (None, Some(parent)) => states.children(kind, parent, hub_id),
            (None, None) => return None,
        };
        Some(match read {
            Ok(data) => Reply::json(200, serde_json::json!({ "data": data }).to_string()),
            Err(Missing::Parent) => {
                let (code, name) = kind
                    .parent
                    .map_or((None, "parent"), |p| (p.not_found, p.kind));
                Reply::error(
                    404,
                    code.and_then(|c| c.strip_prefix("404.")).unwrap_or(name),
                    "Not found",
                    &format!("no {name} with id {}", parent.unwrap_or_default()),
                )
            }
            Err(Missing::Object) => Reply::error(
                404,
                not_found_code(kind),
                "Not found",
                &format!("no {} with id {}", kind.name, id.unwrap_or_default()),
            ),
        })
    }

    /// The token-call faults: missing capability, revoked key, rate limit, unavailable, in
    /// that order of checks.
    fn token_fault(&self) -> Option<Reply> {
        let f = &self.config.faults;
        let n = self.shared.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
        if f.missing_capability {
            return Some(missing_capability(LISTEN));
        }
        if f.refuse_from.is_some_and(|from| n >= from) {
            return Some(self.unauthorized("Invalid API key", "the API key has been revoked"));
        }
        if n <= f.rate_limit_first {
            return Some(Reply::Body {
                status: 429,
                content_type: "application/json",
                headers: f
                    .retry_after
                    .map(|s| vec![("Retry-After", s.to_string())])
                    .unwrap_or_default(),
                body: envelope(429, "rate-limiting", "Too many requests", "slow down", None),
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
            return Some(
                self.unauthorized("Invalid API key", "the API key is not valid for this hub"),
            );
        }
        if req.header("x-hub-id") != Some(self.config.hub_id.as_str()) {
            return Some(Reply::error(
                403,
                "wrong-hub",
                "Wrong hub",
                "the API key does not belong to the hub in X-Hub-Id",
            ));
        }
        None
    }

    /// The 401 of a key or token the hub does not accept: Cycle's envelope, or with the
    /// `oauth_401` fault the OAuth shape the spec allows for authentication errors
    /// (RFC 6750 §3).
    fn unauthorized(&self, title: &str, detail: &str) -> Reply {
        if !self.config.faults.oauth_401 {
            return Reply::error(401, "auth-invalid", title, detail);
        }
        Reply::Body {
            status: 401,
            content_type: "application/json",
            headers: vec![(
                "WWW-Authenticate",
                "Bearer error=\"invalid_token\"".to_string(),
            )],
            body: serde_json::json!({ "error": "invalid_token", "error_description": detail })
                .to_string(),
        }
    }
}

/// The spec's `404.<resource>` name of a kind's objects (`Kind::not_found`); for the two
/// kinds the spec names none for, the kind's own name, so it is never read as `404.uri`.
fn not_found_code(kind: &Kind) -> &'static str {
    kind.not_found
        .and_then(|c| c.strip_prefix("404."))
        .unwrap_or(kind.name)
}

fn no_route(req: &Request) -> Reply {
    Reply::error(
        404,
        "uri",
        "Not found",
        &format!("no route for {} {}", req.method, req.path),
    )
}

/// A CORS preflight: the methods and headers a page may use, for a day of caching.
fn preflight(req: &Request) -> Reply {
    let asked = req
        .header("access-control-request-headers")
        .unwrap_or("authorization, x-hub-id");
    Reply::Body {
        status: 204,
        content_type: "text/plain",
        headers: vec![
            ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS".into()),
            ("Access-Control-Allow-Headers", asked.to_string()),
            ("Access-Control-Max-Age", "86400".into()),
        ],
        body: String::new(),
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

/// The 503 of a hub that is briefly down, for token calls and state reads alike.
/// A 403 for a capability the key lacks: the one error that carries `extra.capability`.
fn missing_capability(capability: &str) -> Reply {
    Reply::json(
        403,
        envelope(
            403,
            "permissions",
            "Missing capability",
            "the API key lacks a capability this call needs",
            Some(capability),
        ),
    )
}

fn unavailable() -> Reply {
    Reply::error(503, "not-ready", "Service unavailable", "try again later")
}

/// Cycle's error envelope; `extra.capability` only on a 403 for a missing capability.
fn envelope(
    status: u16,
    name: &str,
    title: &str,
    detail: &str,
    capability: Option<&str>,
) -> String {
    let mut error = serde_json::json!({
        "status": status,
        "code": format!("{status}.{name}"),
        "title": title,
        "detail": detail,
    });
    if let Some(cap) = capability {
        error["extra"] = serde_json::json!({ "capability": cap });
    }
    serde_json::json!({ "error": error, "data": null }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_kind_answers_as_a_missing_route() {
        for kind in KINDS {
            assert_ne!(not_found_code(kind), "uri", "{}", kind.name);
        }
        assert_eq!(
            not_found_code(Kind::find("server").unwrap()),
            "infrastructure.server"
        );
    }
}
