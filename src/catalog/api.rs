//! The fixed names of Cycle's public API that both the client and the simulated hub speak.

/// The path of both the token call and the socket (docs/cycle-api.md §1, §2).
pub const NOTIFICATIONS_PATH: &str = "/v1/hubs/current/notifications";

/// The capability the token call needs, under its current name and its older one.
pub const CAPABILITY: &str = "apionly-notifications-listen (older name: hubs-notifications-listen)";

/// Where the public API lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.cycle.io";
