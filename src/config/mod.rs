//! The config file and the resolution of flags, environment and file into one `Settings`.

pub mod file;
pub mod settings;
