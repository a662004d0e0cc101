//! The one integration-test binary: the real `cycle-notify` executable against hubs on
//! 127.0.0.1 that the tests start themselves.

mod act;
mod config;
mod connection;
mod generate;
mod help;
mod hostile;
mod internal;
mod publish;
mod receiver;
mod simulate;
mod support;
mod tail;
mod topics;
mod wait_for;
