//! Catalogue administration: new procedure versions (checked by the core) and their publication.

use async_graphql::{Context, ID, Json, Object, Result, SimpleObject};

use crate::db::entities::procedure_version;
use crate::error::ApiError;
use crate::graphql::guard::principal;
use crate::graphql::user_error::UserError;
use crate::graphql::{db, ids, lang};
use crate::service::catalog;

/// A stored version of a procedure's catalogue entry.
#[derive(SimpleObject, Debug, Clone)]
pub struct ProcedureVersion {
    /// Global ID.
    pub id: ID,
    /// The procedure's national code.
    pub procedure_code: String,
    /// The form's version name.
    pub version: String,
    /// Whether it is published.
    pub published: bool,
    /// `YYYY-MM-DD` it takes effect (empty until published).
    pub effective_from: Option<String>,
}

impl ProcedureVersion {
    /// The DTO of a row.
    #[must_use]
    pub fn from_row(v: procedure_version::Model) -> Self {
        Self {
            id: ids::encode("ProcedureVersion", &v.id.to_string()),
            procedure_code: v.procedure_code,
            version: v.version,
            published: v.published,
            effective_from: (!v.effective_from.is_empty()).then_some(v.effective_from),
        }
    }
}

/// The answer of a catalogue mutation.
#[derive(SimpleObject, Debug, Default)]
pub struct ProcedureVersionPayload {
    /// The version, on success.
    pub procedure_version: Option<ProcedureVersion>,
    /// Problems to fix (what the core refused, with its JSON Pointer).
    pub user_errors: Vec<UserError>,
}

/// Catalogue mutations.
#[derive(Default)]
pub struct CatalogMutation;

#[Object]
impl CatalogMutation {
    /// Stores a new, unpublished version of a procedure's entry (form, fee schedule, times,
    /// components, samples — catalog/README.md). The core checks it first; the samples must
    /// agree with the form. Province administrators, or administrators of an agency of the
    /// procedure's competent type.
    async fn create_procedure_version(
        &self,
        ctx: &Context<'_>,
        procedure_code: String,
        definition: Json<serde_json::Value>,
    ) -> Result<ProcedureVersionPayload> {
        let lang = lang(ctx);
        let p = principal(ctx)?;
        let out = catalog::create_version(db(ctx)?, p, &procedure_code, &definition.0)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(match out {
            Ok(v) => ProcedureVersionPayload {
                procedure_version: Some(ProcedureVersion::from_row(v)),
                user_errors: Vec::new(),
            },
            Err(problems) => ProcedureVersionPayload {
                procedure_version: None,
                user_errors: UserError::list(problems, lang),
            },
        })
    }

    /// Publishes a version from `effectiveFrom` (`YYYY-MM-DD`, today or later): from that day
    /// it is the procedure's current version.
    async fn publish_procedure_version(
        &self,
        ctx: &Context<'_>,
        id: ID,
        effective_from: String,
    ) -> Result<ProcedureVersionPayload> {
        let lang = lang(ctx);
        let p = principal(ctx)?;
        let key = ids::decode_i64(&id, "ProcedureVersion")
            .ok_or_else(|| ApiError::NotFound.into_graphql(lang))?;
        let today = crate::clock::today();
        let out = catalog::publish_version(db(ctx)?, p, key, &effective_from, &today)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(match out {
            Ok(v) => ProcedureVersionPayload {
                procedure_version: Some(ProcedureVersion::from_row(v)),
                user_errors: Vec::new(),
            },
            Err(problems) => ProcedureVersionPayload {
                procedure_version: None,
                user_errors: UserError::list(problems, lang),
            },
        })
    }
}
