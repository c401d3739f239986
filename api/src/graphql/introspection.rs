//! Refuses introspection in production with an error (SECURITY.md G1). async-graphql's own switch
//! only answers `null`; a client probing the schema should get a clear refusal instead.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ErrorExtensions, ServerError, ServerResult, Variables};
use std::sync::Arc;

/// The extension factory.
pub struct NoIntrospection;

impl ExtensionFactory for NoIntrospection {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NoIntrospectionExtension)
    }
}

struct NoIntrospectionExtension;

fn introspects(set: &SelectionSet, doc: &ExecutableDocument, depth: usize) -> bool {
    depth < 64
        && set.items.iter().any(|item| match &item.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                name == "__schema"
                    || name == "__type"
                    || introspects(&f.node.selection_set.node, doc, depth + 1)
            }
            Selection::InlineFragment(i) => introspects(&i.node.selection_set.node, doc, depth + 1),
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.node.fragment_name.node)
                .is_some_and(|f| introspects(&f.node.selection_set.node, doc, depth + 1)),
        })
}

#[async_trait::async_trait]
impl Extension for NoIntrospectionExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let found = match &doc.operations {
            DocumentOperations::Single(op) => introspects(&op.node.selection_set.node, &doc, 0),
            DocumentOperations::Multiple(ops) => ops
                .values()
                .any(|op| introspects(&op.node.selection_set.node, &doc, 0)),
        };
        if found {
            let error = async_graphql::Error::new("Introspection is disabled.")
                .extend_with(|_, e| e.set("code", "INTROSPECTION_DISABLED"));
            let mut server_error = ServerError::new(error.message, None);
            server_error.extensions = error.extensions;
            return Err(server_error);
        }
        Ok(doc)
    }
}
