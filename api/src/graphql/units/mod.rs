//! Administrative units in GraphQL (provinces and communes, Decision 19/2025 codes).

use crate::graphql::{db, lang};
use crate::service::units;
use async_graphql::{Context, Object, Result, SimpleObject};
use motcua_core::Lang;

/// A province or a commune.
#[derive(SimpleObject, Debug)]
pub struct AdministrativeUnit {
    /// Global ID.
    pub id: async_graphql::ID,
    /// 2 digits (province) or 5 digits (commune).
    pub code: String,
    /// Name in the request's language (English names carry no diacritics).
    pub name: String,
    /// `CITY`, `PROVINCE`, `WARD`, `COMMUNE` or `SPECIAL_ZONE`.
    pub kind: String,
    /// The province of a commune.
    pub parent_code: Option<String>,
}

/// Administrative-unit queries.
#[derive(Default)]
pub struct UnitsQuery;

#[Object]
impl UnitsQuery {
    /// The 34 provinces, or with `parent` the communes of a province (a bounded list: at most a
    /// few hundred); `search` ignores case and diacritics.
    async fn administrative_units(
        &self,
        ctx: &Context<'_>,
        parent: Option<String>,
        search: Option<String>,
    ) -> Result<Vec<AdministrativeUnit>> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let rows = units::list(db, parent.as_deref(), search.as_deref())
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(rows
            .into_iter()
            .map(|u| AdministrativeUnit {
                id: crate::graphql::ids::encode("AdministrativeUnit", &u.code),
                code: u.code,
                name: if lang == Lang::En { u.name_en } else { u.name },
                kind: u.kind,
                parent_code: u.parent_code,
            })
            .collect())
    }
}
