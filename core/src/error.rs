//! Stable machine codes and bilingual messages shared by every error of the core.
//!
//! Each layer has its own typed errors (`thiserror`); what they share is this trait, so the API, the
//! wasm package and the mobile bindings can turn any core error into `{code, message}` the same way.

use serde::{Deserialize, Serialize};

/// The language a message is shown in. Vietnamese first: everything a citizen or an official reads
/// is Vietnamese unless they asked for English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Tiếng Việt (the default).
    #[default]
    Vi,
    /// English.
    En,
}

/// An error with a stable machine code and a message in each language.
///
/// Codes never change once published (clients branch on them); messages may be reworded. Messages
/// never carry personal data (no ID numbers, names or phone numbers), so they are safe to log.
pub trait Coded {
    /// The stable machine code, e.g. `CHECKSUM`.
    fn code(&self) -> &'static str;
    /// The Vietnamese message.
    fn message_vi(&self) -> &'static str;
    /// The English message.
    fn message_en(&self) -> &'static str;
    /// The message in the requested language.
    fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.message_vi(),
            Lang::En => self.message_en(),
        }
    }
}
