//! A problem with user input that the user can fix: becomes a `userErrors` entry of a mutation
//! payload (path, stable code, message in the request's language).

use motcua_core::Lang;

/// One fixable problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The input field, as GraphQL path segments (`["input", "password"]`).
    pub path: Vec<String>,
    /// Stable machine code.
    pub code: String,
    /// Vietnamese message.
    pub vi: String,
    /// English message.
    pub en: String,
}

impl Problem {
    /// A problem at `path`.
    #[must_use]
    pub fn new(path: &[&str], code: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            code: code.to_owned(),
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// A core error (identifier, form, fee) at `path`.
    #[must_use]
    pub fn from_core<E: motcua_core::Coded>(path: &[&str], e: &E) -> Self {
        Self::new(path, e.code(), e.message_vi(), e.message_en())
    }

    /// The message in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// The outcome of a mutation: done, or the problems the user must fix (never both).
pub type Outcome<T> = Result<T, Vec<Problem>>;
