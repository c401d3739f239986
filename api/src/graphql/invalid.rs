//! A stable code on every error of a document that fails validation: an unknown enum value, a
//! missing argument, a field that does not exist. async-graphql reports these without one; clients
//! branch on `extensions.code`, so they read `INVALID_INPUT` (and `QUERY_TOO_COMPLEX` for the
//! depth and complexity limits, like the field budget).

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult, Value};
use std::sync::Arc;

/// Installs [`InvalidInputExtension`].
pub struct InvalidInput;

impl ExtensionFactory for InvalidInput {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(InvalidInputExtension)
    }
}

/// Adds the code to validation errors that have none.
pub struct InvalidInputExtension;

#[async_trait::async_trait]
impl Extension for InvalidInputExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx)
            .await
            .map_err(|errors| errors.into_iter().map(coded).collect())
    }
}

fn coded(mut e: ServerError) -> ServerError {
    let has_code = e
        .extensions
        .as_ref()
        .is_some_and(|x| x.get("code").is_some());
    if !has_code {
        let code = if e.message.contains("too complex") || e.message.contains("nested too deep") {
            "QUERY_TOO_COMPLEX"
        } else {
            "INVALID_INPUT"
        };
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from(code));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_gets_invalid_input_and_keeps_a_code_it_has() {
        let plain = coded(ServerError::new(
            "Invalid value for argument \"status\"",
            None,
        ));
        assert_eq!(
            plain.extensions.unwrap().get("code"),
            Some(&Value::from("INVALID_INPUT"))
        );
        let deep = coded(ServerError::new("Query is nested too deep.", None));
        assert_eq!(
            deep.extensions.unwrap().get("code"),
            Some(&Value::from("QUERY_TOO_COMPLEX"))
        );
        let mut kept = ServerError::new("x", None);
        kept.extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from("NOT_FOUND"));
        assert_eq!(
            coded(kept).extensions.unwrap().get("code"),
            Some(&Value::from("NOT_FOUND"))
        );
    }
}
