//! The client side of Cycle's protocol: credentials, TLS, proxies, REST calls, the socket (two
//! transports: the public API's and the internal API's) and the reconnecting stream. It never
//! prints and knows nothing of clap: it reports what happened as typed errors and events, and
//! the app layer decides what they mean.

pub mod api;
pub mod backoff;
pub mod credentials;
pub mod error;
pub mod internal;
pub mod proxy;
pub mod scrub;
pub mod socket;
pub mod stream;
pub mod tls;
