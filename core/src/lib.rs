#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod deadline;
pub mod dossier;
pub mod error;
pub mod identifier;
pub mod ops;

pub use error::{Coded, Lang};
