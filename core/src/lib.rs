#![doc = include_str!("../README.md")]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("motcua_core");

pub mod calendar;
pub mod catalog;
pub mod deadline;
pub mod dossier;
pub mod error;
pub mod fee;
pub mod feedback;
pub mod file;
pub mod form;
pub mod identifier;
pub mod json;
pub mod kpi;
pub mod load;
pub mod logic;
pub mod ops;
pub mod payment;
mod sort;
pub mod text;

pub use error::{Coded, Lang};
