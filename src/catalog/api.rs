//! The fixed names of Cycle's public API that both the client and the simulated hub speak.

/// The path of both the token call and the socket (docs/cycle-api.md §1, §2).
pub const NOTIFICATIONS_PATH: &str = "/v1/hubs/current/notifications";

/// The capability the token call needs, under its current name and its older one.
pub const CAPABILITY: &str = "apionly-notifications-listen (older name: hubs-notifications-listen)";

/// Where the public API lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.cycle.io";

/// The internal API's unix socket inside a Cycle container, and the path and Host of its
/// notification socket, as Cycle's own client uses them (docs/cycle-api.md §7).
pub const INTERNAL_SOCKET: &str = "/var/run/cycle/api/api.sock";
pub const INTERNAL_NOTIFICATIONS_PATH: &str = "/v1/notifications";
pub const INTERNAL_HOST: &str = "unix";
/// The header that carries the container's token on the internal API.
pub const INTERNAL_TOKEN_HEADER: &str = "x-cycle-token";
/// The container setting that must allow the notification socket.
pub const INTERNAL_SCOPE: &str =
    "the `notifications` scope in its internal API setting (runtime.internal_api.scope)";
