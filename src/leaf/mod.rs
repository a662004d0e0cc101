//! The bottom layer, importing nothing of the crate: the exit table, environment access,
//! durations and times, and the one PRNG.

pub mod env;
pub mod exit;
pub mod rng;
pub mod time;
