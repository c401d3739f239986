//! Every field counts (SECURITY.md G8): async-graphql's complexity and depth skip `__typename`
//! entirely, so 5,000 aliases of it cost nothing. This extension counts every field a document
//! selects — aliases and `__typename` included, fragments counted where they are spread — and
//! refuses the document above the budget, right after parsing: before validation and before any
//! resolver runs, over HTTP and over the WebSocket alike.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ErrorExtensions, ServerError, ServerResult, Variables};
use std::collections::HashMap;
use std::sync::Arc;

/// Most fields one document may select, each alias and `__typename` counted (the complexity
/// budget: every other field already costs at least 1 there).
pub const MAX_FIELDS: usize = super::MAX_COMPLEXITY;

/// Fragments spread within fragments deeper than this are refused (no real page nests them).
const MAX_FRAGMENT_NESTING: usize = 64;

/// The extension factory.
pub struct FieldBudget;

impl ExtensionFactory for FieldBudget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FieldBudgetExtension)
    }
}

struct FieldBudgetExtension;

/// Counts fields, each fragment once (its count is reused wherever it is spread, so nested
/// spreads cannot make the counting itself expensive). A cycle (refused later by validation)
/// counts nothing more; nesting beyond [`MAX_FRAGMENT_NESTING`] counts as over budget.
struct Counter<'a> {
    doc: &'a ExecutableDocument,
    fragments: HashMap<&'a str, usize>,
    visiting: Vec<&'a str>,
}

impl<'a> Counter<'a> {
    fn set(&mut self, set: &'a SelectionSet) -> usize {
        set.items.iter().fold(0usize, |n, item| {
            n.saturating_add(match &item.node {
                Selection::Field(f) => 1usize.saturating_add(self.set(&f.node.selection_set.node)),
                Selection::InlineFragment(i) => self.set(&i.node.selection_set.node),
                Selection::FragmentSpread(s) => self.fragment(s.node.fragment_name.node.as_str()),
            })
        })
    }

    fn fragment(&mut self, name: &'a str) -> usize {
        if let Some(n) = self.fragments.get(name) {
            return *n;
        }
        if self.visiting.contains(&name) {
            return 0;
        }
        if self.visiting.len() >= MAX_FRAGMENT_NESTING {
            return usize::MAX;
        }
        let Some(fragment) = self.doc.fragments.get(name) else {
            return 0;
        };
        self.visiting.push(name);
        let n = self.set(&fragment.node.selection_set.node);
        self.visiting.pop();
        self.fragments.insert(name, n);
        n
    }
}

/// How many fields `doc` selects over all its operations, each alias and `__typename` counted,
/// fragments counted at every spread (saturating).
#[must_use]
pub fn count_fields(doc: &ExecutableDocument) -> usize {
    let mut counter = Counter {
        doc,
        fragments: HashMap::new(),
        visiting: Vec::new(),
    };
    match &doc.operations {
        DocumentOperations::Single(op) => counter.set(&op.node.selection_set.node),
        DocumentOperations::Multiple(ops) => ops.values().fold(0usize, |n, op| {
            n.saturating_add(counter.set(&op.node.selection_set.node))
        }),
    }
}

#[async_trait::async_trait]
impl Extension for FieldBudgetExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let fields = count_fields(&doc);
        if fields > MAX_FIELDS {
            let lang = ctx
                .data_opt::<motcua_core::Lang>()
                .copied()
                .unwrap_or_default();
            let shown = if fields == usize::MAX {
                format!("> {MAX_FIELDS}")
            } else {
                fields.to_string()
            };
            let message = match lang {
                motcua_core::Lang::Vi => format!(
                    "Truy vấn quá phức tạp: chọn {shown} trường (kể cả bí danh và __typename), \
                     tối đa {MAX_FIELDS}."
                ),
                motcua_core::Lang::En => format!(
                    "Query is too complex: it selects {shown} fields (aliases and __typename \
                     included); at most {MAX_FIELDS}."
                ),
            };
            let error = async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", "QUERY_TOO_COMPLEX");
                e.set("limit", MAX_FIELDS);
            });
            let mut server_error = ServerError::new(error.message, None);
            server_error.extensions = error.extensions;
            return Err(server_error);
        }
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn count(q: &str) -> usize {
        count_fields(&parse_query(q).unwrap())
    }

    #[test]
    fn every_selection_counts_aliases_and_typename_included() {
        assert_eq!(count("{ __typename }"), 1);
        assert_eq!(count("{ a: __typename b: __typename c: __typename }"), 3);
        assert_eq!(count("{ me { id login } }"), 3);
        assert_eq!(
            count("query { ...F ...F } fragment F on Query { a: __typename b: __typename }"),
            4
        );
        assert_eq!(count("{ ... on Query { __typename me { id } } }"), 3);
        let aliases: String = (0..5000).map(|i| format!("a{i}: __typename ")).collect();
        assert_eq!(count(&format!("{{ {aliases} }}")), 5000);
    }

    #[test]
    fn nested_spreads_are_counted_without_blowing_up() {
        // Each level spreads the next twice: 2^40 fields, counted in linear time.
        let mut doc = "query { ...F0 }".to_owned();
        for i in 0..40 {
            doc.push_str(&format!(
                " fragment F{i} on Query {{ ...F{} ...F{} }}",
                i + 1,
                i + 1
            ));
        }
        doc.push_str(" fragment F40 on Query { __typename }");
        assert_eq!(count(&doc), 1 << 40);
        // A cycle (validation refuses it later) ends.
        assert_eq!(
            count("{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }"),
            1
        );
    }
}
