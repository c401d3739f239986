#![doc = include_str!("../README.md")]

/// The migrations, in order. Empty until the storage layer lands; see the crate README.
pub const MIGRATIONS: &[&str] = &[];
