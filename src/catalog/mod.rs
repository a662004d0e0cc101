//! What Cycle is, as data: the kinds of objects, the topic catalogue, the API's paths and
//! names (docs/cycle-api.md). No I/O.

pub mod api;
pub mod kinds;
pub mod topics;
