//! The Cycle REST API as this tool uses it: the token call, state reads, and API errors as
//! a typed error the caller can branch on (refused vs unreachable vs not found).

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::credentials::{is_loopback, Credentials, Secret};
use super::error::{chain, error_from, retry_after, ApiError, ConnectFailure, Endpoint};
use super::tls::failure_of;
use crate::catalog::api::NOTIFICATIONS_PATH;
use crate::catalog::kinds::{Kind, INSTANCES_PATH};
use crate::hub::backoff::{Backoff, Jitter};
use crate::hub::proxy::{Proxies, Via};
use crate::leaf::time::human;

/// Transient failures of one request given up on after this many attempts.
const MAX_ATTEMPTS: u32 = 8;
/// How long connecting may take (reqwest's connect timeout), and so asking a proxy why it
/// refused.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const PROXY_PROBE: Duration = CONNECT_TIMEOUT;

/// The most of a response body that is read: the token call and state reads answer in a few
/// kB, and a hub sending gigabytes must not take the memory with it.
pub const MAX_BODY: usize = 1 << 20;
const MAX_BODY_TEXT: &str = "1 MiB";

/// A body read up to `MAX_BODY`.
enum Capped {
    Whole(Vec<u8>),
    /// Longer: its first `MAX_BODY` bytes, and its size when the response declared one.
    Over {
        head: Vec<u8>,
        size: Option<u64>,
    },
}

/// Reads a body chunk by chunk, and stops (dropping the connection) past `MAX_BODY`: a
/// declared length over it is not read at all.
async fn read_capped(mut resp: reqwest::Response) -> Result<Capped, reqwest::Error> {
    if let Some(size) = resp.content_length().filter(|n| *n > MAX_BODY as u64) {
        return Ok(Capped::Over {
            head: Vec::new(),
            size: Some(size),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            let room = MAX_BODY - body.len();
            body.extend_from_slice(&chunk[..room]);
            return Ok(Capped::Over {
                head: body,
                size: None,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Capped::Whole(body))
}

/// The parts of an object (`data` of a GET) that a wait decides on; every field may be
/// missing in an answer, and then is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectState {
    pub id: Option<String>,
    /// `state.current`.
    pub current: Option<String>,
    /// `state.error.message` when the error is set (`State.yml`: `{message, time}`; a plain
    /// string is taken too).
    pub error: Option<String>,
    /// The kind's parent-id field (`container_id` of an instance, `pipeline_id` of a run).
    pub parent: Option<String>,
    /// `state.health.healthy` of an instance: `None` until its health check reports.
    pub healthy: Option<bool>,
    /// Whether a container has a health check (`config.deploy.health_check` null or not),
    /// when the answer says.
    pub health_check: Option<bool>,
}

impl ObjectState {
    fn of(data: &Value, kind: &Kind) -> ObjectState {
        let text = |v: &Value| {
            v.as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let state = &data["state"];
        let error = &state["error"];
        let deploy = &data["config"]["deploy"];
        ObjectState {
            id: text(&data["id"]),
            current: text(&state["current"]),
            error: text(&error["message"]).or_else(|| text(error)),
            parent: kind.parent.and_then(|p| text(&data[p.field])),
            healthy: state["health"]["healthy"].as_bool(),
            health_check: deploy
                .get("health_check")
                .map(|h| !h.is_null())
                .filter(|_| deploy.is_object()),
        }
    }
}

/// A refusal names the capability the call needs when the API did not say.
fn needing(e: ApiError, capability: &str) -> ApiError {
    match e {
        ApiError::Refused {
            what,
            status,
            code,
            title,
            detail,
            capability: None,
        } => ApiError::Refused {
            what,
            status,
            code,
            title,
            detail,
            capability: Some(capability.to_string()),
        },
        other => other,
    }
}

/// Reads and drops a body nobody needs (it keeps a connection reusable), up to `MAX_BODY`:
/// past that, or on a declared length over it, the connection goes with the response.
pub async fn discard_body(resp: reqwest::Response) {
    let _ = read_capped(resp).await;
}

/// A fresh, single-use socket credential and where to use it.
#[derive(Debug)]
pub struct Token {
    pub token: Secret,
    /// The socket URL without the token (safe to log).
    pub socket_url: Url,
}

impl Token {
    /// The URL to connect to, the token percent-encoded into its query.
    pub fn connect_url(&self) -> Url {
        let mut url = self.socket_url.clone();
        url.query_pairs_mut()
            .append_pair("token", self.token.expose());
        url
    }
}

/// An authenticated client of one hub.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    creds: Credentials,
    proxies: Proxies,
    /// The retry schedule of every retry this client or its `Stream` makes.
    backoff: Backoff,
    /// The proxy of the REST calls (the base URL's), when one applies.
    via: Option<Via>,
}

impl Api {
    /// A client that connects directly, whatever the environment says about proxies.
    pub fn new(creds: Credentials) -> Result<Api, ApiError> {
        Api::with_proxies(creds, Proxies::none())
    }

    /// A client whose token call and socket both go through `proxies` where they apply.
    pub fn with_proxies(creds: Credentials, proxies: Proxies) -> Result<Api, ApiError> {
        let setup = |cause: String| ApiError::Setup {
            what: "setting up HTTPS".into(),
            cause,
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("cycle-notify/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(Duration::from_secs(30))
            // The key is in a header: never let a redirect carry it somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            // One proxy decision (proxy.rs) for the token call and the socket alike.
            .no_proxy();
        let via = proxies.for_url(&creds.base_url);
        if let Some(v) = &via {
            builder = builder.proxy(v.reqwest().map_err(|e| setup(chain(&e)))?);
        }
        if creds.base_url.scheme() == "https" {
            // The same trust store as the socket (SSL_CERT_FILE and all).
            let tls = super::tls::tls_config()?;
            builder = builder.use_preconfigured_tls(tls.as_ref().clone());
        } else if via.is_none() {
            // Plain http (loopback only) straight to the host never does TLS: skip loading
            // the system trust store, a few milliseconds of every start against a local hub.
            builder = builder.tls_built_in_root_certs(false);
        }
        let http = builder.build().map_err(|e| setup(chain(&e)))?;
        Ok(Api {
            http,
            creds,
            proxies,
            backoff: Backoff::default(),
            via,
        })
    }

    /// This client with another retry schedule (tests use one of milliseconds).
    pub fn with_backoff(self, backoff: Backoff) -> Api {
        Api { backoff, ..self }
    }

    pub fn backoff(&self) -> Backoff {
        self.backoff
    }

    pub fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    /// Where the token call goes (no secret in it, credentials in the base URL included),
    /// for `-v` lines.
    pub fn token_url(&self) -> Url {
        without_userinfo(self.url(NOTIFICATIONS_PATH))
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.creds.base_url.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url
    }

    /// GET a path under the base URL with the key and hub headers; the JSON body on 2xx.
    /// What the server said in an error is scrubbed of the key.
    pub async fn get(&self, path: &str, what: &str) -> Result<Value, ApiError> {
        self.get_as_sent(path, what)
            .await
            .map_err(|e| e.scrubbed(&[self.creds.api_key.expose()]))
    }

    /// The key, for the scrubbing of what servers say about a request that carried it.
    pub(crate) fn key(&self) -> &Secret {
        &self.creds.api_key
    }

    async fn get_as_sent(&self, path: &str, what: &str) -> Result<Value, ApiError> {
        let url = self.url(path);
        let host = url.host_str().unwrap_or("?").to_string();
        let port = url.port_or_known_default().unwrap_or(443);
        let sent = self
            .http
            .get(url)
            .bearer_auth(self.creds.api_key.expose())
            .header("X-Hub-Id", &self.creds.hub_id)
            .header("Accept", "application/json")
            .send()
            .await;
        let resp = match sent {
            Ok(resp) => resp,
            Err(e) => return Err(self.send_failure(&e, what, &host, port).await),
        };
        let status = resp.status().as_u16();
        let retry_after = retry_after(resp.headers());
        let ok = (200..300).contains(&status);
        let body = match read_capped(resp).await {
            Ok(body) => body,
            Err(e) => {
                return Err(ApiError::Unreachable {
                    what: what.to_string(),
                    cause: chain(&e),
                })
            }
        };
        let body = match body {
            Capped::Whole(body) => body,
            // An error answer is told by its status: what fits of its envelope is enough.
            Capped::Over { head, .. } if !ok => head,
            Capped::Over { size, .. } => {
                return Err(ApiError::Malformed {
                    what: what.to_string(),
                    detail: format!(
                    "the response ({status}) is {}over the {MAX_BODY_TEXT} limit; not read further",
                    size.map_or(String::new(), |n| format!("{n} bytes, "))
                ),
                })
            }
        };
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        if (200..300).contains(&status) {
            return json.ok_or_else(|| ApiError::Malformed {
                what: what.to_string(),
                detail: format!("the {status} response is not JSON"),
            });
        }
        Err(error_from(what, status, json.as_ref(), retry_after))
    }

    /// `get`, retried on 429, 5xx and network failures on the client's schedule (Retry-After
    /// honoured up to its cap) for as long as `deadline` allows; the last error once it does
    /// not. No attempt outlives the deadline: one that gets no answer by then fails.
    /// Why a request did not get through, in one line. reqwest tunnels with hyper-util's
    /// connectors, whose errors do not say what the proxy answered ("tunnel error:
    /// unsuccessful"): when connecting through a proxy failed, the proxy is asked once more
    /// by `Via::connect`, which records the answer, and that is the reason given.
    async fn send_failure(
        &self,
        e: &reqwest::Error,
        what: &str,
        host: &str,
        port: u16,
    ) -> ApiError {
        let unreachable = |cause: String| ApiError::Unreachable {
            what: what.to_string(),
            cause,
        };
        if !e.is_connect() {
            return unreachable(chain(e));
        }
        if let (Some(via), false) = (&self.via, e.is_timeout()) {
            let host = host.trim_matches(['[', ']']);
            if let Ok(Err(refused)) =
                tokio::time::timeout(PROXY_PROBE, via.connect(host, port)).await
            {
                return unreachable(refused.to_string());
            }
        }
        let failure = if e.is_timeout() {
            ConnectFailure::TimedOut(CONNECT_TIMEOUT)
        } else {
            failure_of(e, self.creds.base_url.scheme() == "https")
        };
        ApiError::Connect {
            to: Endpoint::Api,
            addr: format!("{host}:{port}"),
            host: host.trim_matches(['[', ']']).to_string(),
            failure,
        }
    }

    /// `get`, retried on 429, 5xx and network failures with backoff (Retry-After honoured,
    /// capped at 60 s) for as long as `deadline` allows; the last error once it does not.
    pub async fn get_retrying(
        &self,
        path: &str,
        what: &str,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Value, ApiError> {
        let mut attempt = 0u32;
        let mut jitter = Jitter::new(self.backoff);
        loop {
            let answer = match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(tokio::time::Instant::now());
                    tokio::time::timeout_at(d, self.get(path, what))
                        .await
                        .unwrap_or_else(|_| {
                            Err(ApiError::Unreachable {
                                what: what.to_string(),
                                cause: format!("no answer within {}", human(left)),
                            })
                        })
                }
                None => self.get(path, what).await,
            };
            let err = match answer {
                Ok(v) => return Ok(v),
                Err(e) if !e.is_transient() => return Err(e),
                Err(e) => e,
            };
            let backoff = jitter.delay(attempt);
            let wait = match &err {
                ApiError::RateLimited {
                    retry_after: Some(d),
                    ..
                } => self.backoff.retry_after(*d, backoff),
                _ => backoff,
            };
            attempt += 1;
            let now = tokio::time::Instant::now();
            if deadline.is_some_and(|d| now + wait >= d) || attempt > MAX_ATTEMPTS {
                return Err(err);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// What the API says about one object now (docs/cycle-api.md §6). A 404 is
    /// `ApiError::NotFound` with its code read: what it means (gone, not visible yet, a
    /// wrong path) is the caller's to decide. A refusal names the kind's capability when
    /// the API names none.
    pub async fn state(
        &self,
        kind: &Kind,
        id: &str,
        parent: Option<&str>,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<ObjectState, ApiError> {
        let what = format!("reading the state of {} {id}", kind.name);
        let body = self
            .get_retrying(&kind.api_path(id, parent), &what, deadline)
            .await
            .map_err(|e| needing(e, kind.capability))?;
        Ok(ObjectState::of(&body["data"], kind))
    }

    /// The instances of a container (`GET /v1/containers/{id}/instances`), each as
    /// [`ObjectState`] with its id.
    pub async fn instances(
        &self,
        container: &str,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Vec<ObjectState>, ApiError> {
        let instance = Kind::find("instance").expect("the instance kind is in the table");
        let what = format!("listing the instances of container {container}");
        let path = format!("/v1/{}", INSTANCES_PATH.replace("{id}", container));
        let body = self
            .get_retrying(&path, &what, deadline)
            .await
            .map_err(|e| needing(e, instance.capability))?;
        let list = body["data"].as_array().ok_or_else(|| ApiError::Malformed {
            what,
            detail: "the response has no data list".into(),
        })?;
        Ok(list.iter().map(|o| ObjectState::of(o, instance)).collect())
    }

    /// The token call: a fresh token per connect, and the socket URL to use it on.
    pub async fn token(&self) -> Result<Token, ApiError> {
        self.token_as_sent()
            .await
            .map_err(|e| e.scrubbed(&[self.creds.api_key.expose()]))
    }

    async fn token_as_sent(&self) -> Result<Token, ApiError> {
        let what = "the token request";
        let body = self.get(NOTIFICATIONS_PATH, what).await?;
        let data = &body["data"];
        let token = data["token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Malformed {
                what: what.into(),
                detail: "the response has no data.token".into(),
            })?;
        let socket_url =
            socket_url(&self.creds.base_url, data["address"].as_str()).map_err(|detail| {
                ApiError::Malformed {
                    what: what.into(),
                    detail,
                }
            })?;
        Ok(Token {
            token: Secret::new(token),
            socket_url,
        })
    }
}

/// The socket URL: from `address` when the token response has one (a URL or a host), else
/// the base URL with https→wss, http→ws, on the notifications path. The error says what is
/// wrong with the address.
fn socket_url(base: &Url, address: Option<&str>) -> Result<Url, String> {
    let ws_scheme = if base.scheme() == "https" {
        "wss"
    } else {
        "ws"
    };
    let address = address.map(str::trim).filter(|a| !a.is_empty());
    let mut url = match address {
        None => {
            let mut url = base.clone();
            let path = format!("{}{}", url.path().trim_end_matches('/'), NOTIFICATIONS_PATH);
            url.set_path(&path);
            url.set_scheme(ws_scheme)
                .map_err(|_| format!("cannot derive a socket URL from {base}"))?;
            url
        }
        Some(a) if a.contains("://") => {
            let mut url =
                Url::parse(a).map_err(|e| format!("invalid socket address '{a}': {e}"))?;
            let scheme = match url.scheme() {
                "https" | "wss" => "wss",
                "http" | "ws" => "ws",
                other => return Err(format!("invalid socket address '{a}': scheme {other}")),
            };
            url.set_scheme(scheme)
                .map_err(|_| format!("invalid socket address '{a}'"))?;
            if url.path().is_empty() || url.path() == "/" {
                url.set_path(NOTIFICATIONS_PATH);
            }
            url
        }
        Some(a) => Url::parse(&format!("{ws_scheme}://{a}{NOTIFICATIONS_PATH}"))
            .map_err(|e| format!("invalid socket address '{a}': {e}"))?,
    };
    if url.scheme() == "ws" && !is_loopback(&url) {
        return Err(format!(
            "refusing an unencrypted socket to {}",
            url.host_str().unwrap_or("?")
        ));
    }
    url.set_query(None);
    url.set_fragment(None);
    // The token is the socket's credential: `user:password@` in an address is not used,
    // and must not reach a log line.
    Ok(without_userinfo(url))
}

fn without_userinfo(mut url: Url) -> Url {
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn socket_url_from_base() {
        let u = socket_url(&Url::parse("https://api.cycle.io").unwrap(), None).unwrap();
        assert_eq!(
            u.as_str(),
            "wss://api.cycle.io/v1/hubs/current/notifications"
        );
        let u = socket_url(&Url::parse("http://127.0.0.1:9/").unwrap(), None).unwrap();
        assert_eq!(u.as_str(), "ws://127.0.0.1:9/v1/hubs/current/notifications");
    }

    #[test]
    fn socket_url_from_address() {
        let base = Url::parse("https://api.cycle.io").unwrap();
        let u = socket_url(&base, Some("events.cycle.io")).unwrap();
        assert_eq!(
            u.as_str(),
            "wss://events.cycle.io/v1/hubs/current/notifications"
        );
        let u = socket_url(
            &base,
            Some("wss://x.example/v1/hubs/current/notifications?old=1"),
        )
        .unwrap();
        assert_eq!(u.as_str(), "wss://x.example/v1/hubs/current/notifications");
        assert!(socket_url(&base, Some("ws://x.example")).is_err());
    }

    #[test]
    fn token_is_percent_encoded() {
        let t = Token {
            token: Secret::new("a+b/c=&d"),
            socket_url: Url::parse("wss://h/v1/hubs/current/notifications").unwrap(),
        };
        assert_eq!(t.connect_url().query(), Some("token=a%2Bb%2Fc%3D%26d"));
        assert!(!format!("{t:?}").contains("a+b"));
    }

    #[test]
    fn error_envelope_variants() {
        let oauth =
            json!({"error": "invalid_token", "error_description": "The access token expired"});
        let text = error_from("t", 401, Some(&oauth), None).to_string();
        assert!(
            text.contains("invalid_token") && text.contains("The access token expired"),
            "{text}"
        );
        let body = json!({"error": {"status": 401, "title": "Invalid key", "detail": "expired", "extra": {"capability": "x-cap"}}});
        let e = error_from("t", 401, Some(&body), None);
        let text = e.to_string();
        assert!(
            text.contains("Invalid key: expired") && text.contains("x-cap"),
            "{text}"
        );
        assert!(matches!(e, ApiError::Refused { .. }));
        let e = error_from("t", 403, Some(&json!({"error": "nope"})), None);
        assert!(
            e.to_string().contains("nope")
                && e.to_string().contains("apionly-notifications-listen")
        );
        let e = error_from("t", 503, None, None);
        assert!(e.is_transient());
    }

    #[test]
    fn not_found_codes_tell_a_route_from_an_object() {
        use crate::hub::error::Missing;
        let missing =
            |body: Option<serde_json::Value>| match error_from("t", 404, body.as_ref(), None) {
                ApiError::NotFound { missing, .. } => missing,
                other => panic!("{other:?}"),
            };
        let env = |code: &str| {
            Some(json!({"error": {"status": 404, "code": code, "title": "Not found"}}))
        };
        assert_eq!(missing(env("404.uri")), Missing::Route);
        assert_eq!(
            missing(env("404.container")),
            Missing::Object(Some("404.container".into()))
        );
        assert_eq!(
            missing(Some(json!({"error": {"title": "gone"}}))),
            Missing::Object(None)
        );
        // Not Cycle's envelope: something else answered at the base URL.
        assert_eq!(missing(None), Missing::Route);
        assert_eq!(
            missing(Some(json!({"message": "Not Found"}))),
            Missing::Route
        );
    }

    #[test]
    fn refusals_name_the_capability_the_api_gave_or_the_call_needs() {
        let with = json!({"error": {"status": 403, "code": "403.permissions", "title": "Forbidden", "extra": {"capability": "containers-view"}}});
        let e = needing(error_from("t", 403, Some(&with), None), "apionly-jobs-view");
        assert!(
            e.to_string()
                .contains("lacks the capability containers-view"),
            "{e}"
        );
        let without =
            json!({"error": {"status": 403, "code": "403.permissions", "title": "Forbidden"}});
        let e = needing(
            error_from("t", 403, Some(&without), None),
            "apionly-jobs-view",
        );
        assert!(
            e.to_string()
                .contains("lacks the capability apionly-jobs-view"),
            "{e}"
        );
        let hub = json!({"error": {"status": 403, "code": "403.wrong-hub", "title": "Wrong hub"}});
        let e = needing(error_from("t", 403, Some(&hub), None), "x");
        assert!(e.to_string().contains("does not belong to this hub"), "{e}");
        let ip = json!({"error": {"status": 403, "code": "403.invalid-ip"}});
        assert!(error_from("t", 403, Some(&ip), None)
            .to_string()
            .contains("IP address"));
    }

    #[test]
    fn object_states_read_what_the_decision_needs() {
        let run = Kind::find("pipeline-run").unwrap();
        let o = ObjectState::of(
            &json!({"id": "r1", "pipeline_id": "p1", "state": {"current": "running", "changed": "2026-01-01T00:00:00Z", "error": {"message": "step 2 failed", "time": "2026-01-01T00:00:00Z"}}}),
            run,
        );
        assert_eq!(o.current.as_deref(), Some("running"));
        assert_eq!(o.error.as_deref(), Some("step 2 failed"));
        assert_eq!(o.parent.as_deref(), Some("p1"));
        let o = ObjectState::of(&json!({"state": {"current": "live", "error": null}}), run);
        assert_eq!((o.error, o.parent), (None, None));
        let instance = Kind::find("instance").unwrap();
        let o = ObjectState::of(
            &json!({"id": "i1", "container_id": "c1", "state": {"current": "running", "health": {"healthy": false, "updated": "x"}}}),
            instance,
        );
        assert_eq!((o.healthy, o.parent.as_deref()), (Some(false), Some("c1")));
        let container = Kind::find("container").unwrap();
        let o = ObjectState::of(
            &json!({"config": {"deploy": {"health_check": null}}, "state": {"current": "running"}}),
            container,
        );
        assert_eq!(o.health_check, Some(false));
        let o = ObjectState::of(&json!({"state": {}}), container);
        assert_eq!((o.health_check, o.current), (None, None));
    }
}
