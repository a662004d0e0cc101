//! cycle-notify: tail, filter and wait on the notification stream of a Cycle hub.
//! `run` is the whole program minus process setup, driven with its writers by main and tests.
//! ARCHITECTURE.md is the map of the layers below.

pub mod app;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod deliver;
pub mod filter;
pub mod hub;
pub mod leaf;
pub mod notification;
pub mod output;
pub mod sim;

pub use app::{run, Io, Timing};
