#![doc = include_str!("../README.md")]

pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod service;
pub mod startup;
