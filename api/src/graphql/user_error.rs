//! `userErrors` of mutation payloads: problems the user can fix.

use async_graphql::SimpleObject;
use motcua_core::Lang;

use crate::service::problem::Problem;

/// A problem with the input that the user can fix.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserError {
    /// Where in the input (argument and field names; for forms, the JSON Pointer's segments).
    pub path: Vec<String>,
    /// Stable machine code.
    pub code: String,
    /// What to fix, in the request's language.
    pub message: String,
}

impl UserError {
    /// From service problems.
    #[must_use]
    pub fn list(problems: Vec<Problem>, lang: Lang) -> Vec<Self> {
        problems
            .into_iter()
            .map(|p| Self {
                message: p.message(lang).to_owned(),
                path: p.path,
                code: p.code,
            })
            .collect()
    }
}
