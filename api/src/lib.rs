#![doc = include_str!("../README.md")]

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod failpoint;
pub mod graphql;
pub mod metrics;
pub mod pool;
pub mod service;
pub mod startup;
pub mod webapp;
pub mod ws;
