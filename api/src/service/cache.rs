//! What every filing needs and rarely changes, held in memory: the procedures' current versions
//! (reloaded every few seconds; a published version is picked up by every instance within the
//! TTL), the loaded catalogue entries (a stored version never changes, so by version id forever),
//! and the working calendar with the province's adjustments (reloaded every few seconds).

use motcua_core::calendar::WorkingCalendar;
use motcua_core::catalog::Procedure;
use motcua_core::dossier::AgencyRef;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::db::entities::{agency, procedure_version};
use crate::error::ApiError;

/// How long the current versions and the calendar are used before reloading.
pub const TTL: Duration = Duration::from_secs(5);

type Current = (Instant, String, Arc<HashMap<String, i64>>);

/// The agencies, and the same as routing sees them (made once per reload, not per filing).
type Agencies = (Arc<Vec<agency::Model>>, Arc<Vec<AgencyRef>>);

/// The caches of one schema (one per server: tests run several servers on different databases).
#[derive(Default)]
pub struct FilingCache {
    current: RwLock<Option<Current>>,
    loaded: RwLock<HashMap<i64, Arc<Procedure>>>,
    calendar: RwLock<Option<(Instant, Arc<WorkingCalendar>)>>,
    agencies: RwLock<Option<(Instant, Agencies)>>,
}

impl std::fmt::Debug for FilingCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilingCache").finish_non_exhaustive()
    }
}

impl FilingCache {
    /// The version in force on `today` of procedure `code`, loaded by the core.
    ///
    /// # Errors
    /// `NOT_FOUND` (no such procedure or no version in force), a database failure, or a stored
    /// entry the core no longer accepts (internal).
    pub async fn procedure(
        &self,
        db: &impl ConnectionTrait,
        code: &str,
        today: &str,
    ) -> Result<(i64, Arc<Procedure>), ApiError> {
        let current = self.current_versions(db, today).await?;
        let version_id = *current.get(code).ok_or(ApiError::NotFound)?;
        Ok((version_id, self.version(db, version_id).await?))
    }

    /// A stored version by id, loaded by the core (cached forever: versions are immutable).
    ///
    /// # Errors
    /// `NOT_FOUND`, a database failure, an entry the core refuses (internal).
    pub async fn version(
        &self,
        db: &impl ConnectionTrait,
        version_id: i64,
    ) -> Result<Arc<Procedure>, ApiError> {
        if let Some(p) = self
            .loaded
            .read()
            .ok()
            .and_then(|m| m.get(&version_id).cloned())
        {
            return Ok(p);
        }
        let row = procedure_version::Entity::find_by_id(version_id)
            .one(db)
            .await?
            .ok_or(ApiError::NotFound)?;
        let value: serde_json::Value = serde_json::from_str(&row.definition)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored definition: {e}")))?;
        let loaded = Arc::new(
            Procedure::load(&value)
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored definition: {e}")))?,
        );
        if let Ok(mut m) = self.loaded.write() {
            m.insert(version_id, loaded.clone());
        }
        Ok(loaded)
    }

    async fn current_versions(
        &self,
        db: &impl ConnectionTrait,
        today: &str,
    ) -> Result<Arc<HashMap<String, i64>>, ApiError> {
        if let Ok(guard) = self.current.read()
            && let Some((at, day, map)) = guard.as_ref()
            && at.elapsed() < TTL
            && day == today
        {
            return Ok(map.clone());
        }
        let rows = procedure_version::Entity::find()
            .filter(procedure_version::Column::Published.eq(true))
            .filter(procedure_version::Column::EffectiveFrom.lte(today))
            .order_by_asc(procedure_version::Column::EffectiveFrom)
            .order_by_asc(procedure_version::Column::Id)
            .all(db)
            .await?;
        // Later rows win: the latest effective date, then the latest created.
        let map: HashMap<String, i64> =
            rows.into_iter().map(|r| (r.procedure_code, r.id)).collect();
        let map = Arc::new(map);
        if let Ok(mut guard) = self.current.write() {
            *guard = Some((Instant::now(), today.to_owned(), map.clone()));
        }
        Ok(map)
    }

    /// The working calendar with the province's adjustments.
    ///
    /// # Errors
    /// A database failure.
    pub async fn calendar(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Arc<WorkingCalendar>, ApiError> {
        if let Ok(guard) = self.calendar.read()
            && let Some((at, cal)) = guard.as_ref()
            && at.elapsed() < TTL
        {
            return Ok(cal.clone());
        }
        let spec = super::calendar::spec::spec(db, false).await?;
        let cal = Arc::new(
            WorkingCalendar::new(&spec)
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("calendar: {e}")))?,
        );
        if let Ok(mut guard) = self.calendar.write() {
            *guard = Some((Instant::now(), cal.clone()));
        }
        Ok(cal)
    }

    /// The province's agencies (a short list that changes with seeding only).
    ///
    /// # Errors
    /// A database failure.
    pub async fn agencies(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Arc<Vec<agency::Model>>, ApiError> {
        Ok(self.both(db).await?.0)
    }

    /// The agencies as the core's routing sees them, in the same order.
    ///
    /// # Errors
    /// A database failure.
    pub async fn routing(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Arc<Vec<AgencyRef>>, ApiError> {
        Ok(self.both(db).await?.1)
    }

    async fn both(&self, db: &impl ConnectionTrait) -> Result<Agencies, ApiError> {
        if let Ok(guard) = self.agencies.read()
            && let Some((at, both)) = guard.as_ref()
            && at.elapsed() < TTL
        {
            return Ok(both.clone());
        }
        let list = agency::Entity::find()
            .order_by_asc(agency::Column::Code)
            .all(db)
            .await?;
        let refs = list
            .iter()
            .map(|a| AgencyRef {
                id: a.id,
                agency_type: a.agency_type.clone(),
                unit_code: a.unit_code.clone(),
            })
            .collect();
        let both = (Arc::new(list), Arc::new(refs));
        if let Ok(mut guard) = self.agencies.write() {
            *guard = Some((Instant::now(), both.clone()));
        }
        Ok(both)
    }

    /// Forgets the calendar (after this instance changed it).
    pub fn forget_calendar(&self) {
        if let Ok(mut guard) = self.calendar.write() {
            *guard = None;
        }
    }
}
