//! Dossier queries: the applicant's list, the intake queue (Relay connections), one dossier, the
//! caller's earlier documents and the public lookup.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, Object, Result};
use motcua_core::dossier::Status;

use super::super::guard::{client, principal};
use super::super::{db, lang, paging};
use super::*;
use crate::db::entities::dossier;
use crate::service::attachments::{self};
use crate::service::dossier::{self as dossiers, ListFilter, work};

async fn page(
    ctx: &Context<'_>,
    (after, first): (Option<String>, Option<i32>),
    statuses: Vec<String>,
    receiving: Option<i64>,
    queue: bool,
) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
    let l = lang(ctx);
    let p = principal(ctx)?;
    let db = db(ctx)?;
    let fetch = |after, limit| async move {
        let filter = ListFilter {
            statuses,
            receiving_agency_id: receiving,
            after,
            limit,
        };
        if queue {
            dossiers::queue(db, p, &filter).await
        } else {
            dossiers::mine(db, p, &filter).await
        }
    };
    let key = |d: &dossier::Model| {
        let at = if queue {
            d.submitted_at.unwrap_or(0)
        } else {
            d.created_at
        };
        (at, d.id.clone())
    };
    paging::connection((after, first), l, fetch, key, listed).await
}

/// A dossier as lists show it: the ID number masked; the dossier page shows it whole to those who
/// may see the dossier (G5).
fn listed(d: dossier::Model) -> Dossier {
    let mut dto = Dossier::from(d);
    dto.applicant_id_number = motcua_core::identifier::masked(&dto.applicant_id_number);
    dto
}

/// Dossier queries.
#[derive(Default)]
pub struct DossiersQuery;

#[Object]
impl DossiersQuery {
    /// The caller's dossiers (as applicant), newest first; filter by status names.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn my_dossiers(
        &self,
        ctx: &Context<'_>,
        status: Option<Vec<DossierStatus>>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
        page(ctx, (after, first), names(status), None, false).await
    }

    /// The intake queue of the caller's receiving units (clerks), oldest first; by default what
    /// waits for intake (`SUBMITTED`).
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn intake_queue(
        &self,
        ctx: &Context<'_>,
        agency_id: Option<ID>,
        status: Option<Vec<DossierStatus>>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
        let receiving = agency_key(agency_id.as_ref(), lang(ctx))?;
        page(ctx, (after, first), names(status), receiving, true).await
    }

    /// The work inbox of a specialist or leader: the received dossiers their agencies hold now
    /// (after hand-overs), oldest receipt first; `deadlineState` keeps only those on track, due
    /// soon or overdue. Audited.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn work_inbox(
        &self,
        ctx: &Context<'_>,
        deadline_state: Option<DeadlineState>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        let state = deadline_state.map(Into::into);
        paging::connection(
            (after, first),
            l,
            |cursor, limit| work::inbox(db, p, state, cursor, limit),
            |d| (d.received_at.unwrap_or(0), d.id.clone()),
            listed,
        )
        .await
    }

    /// Officials: the dossiers within their agencies whose code, or whose applicant's personal ID
    /// or tax code, is `text`, or whose applicant's name holds every word of `text` (ignoring
    /// case and diacritics) — newest filing first, ID numbers masked. Audited.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn search_dossiers(
        &self,
        ctx: &Context<'_>,
        text: String,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        let text = &text;
        paging::connection(
            (after, first),
            l,
            |cursor, limit| work::search(db, p, text, cursor, limit),
            |d| (d.submitted_at.unwrap_or(0), d.id.clone()),
            listed,
        )
        .await
    }

    /// How many dossiers wait in each of the caller's queues (for the desk's badges).
    async fn queue_counts(&self, ctx: &Context<'_>) -> Result<QueueCounts> {
        let l = lang(ctx);
        let c = work::counts(db(ctx)?, principal(ctx)?)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(QueueCounts {
            intake: c.intake,
            on_track: c.on_track,
            due_soon: c.due_soon,
            overdue: c.overdue,
        })
    }

    /// One dossier the caller may see (`NOT_FOUND` otherwise, exactly as for a missing one).
    async fn dossier(&self, ctx: &Context<'_>, id: ID) -> Result<Dossier> {
        let l = lang(ctx);
        let key = dossier_key(&id, l)?;
        let (d, _) = dossiers::read(db(ctx)?, principal(ctx)?, &key, "VIEW")
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(d.into())
    }

    /// The caller's documents from earlier dossiers, to attach again without uploading.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn my_documents(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Attachment, EmptyFields, EmptyFields>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        paging::connection(
            (after, first),
            l,
            |cursor, limit| attachments::mine(db, p, cursor, limit),
            |a| (a.created_at, a.id.clone()),
            Attachment::from,
        )
        .await
    }

    /// Public lookup (no sign-in): the status and due date of the dossier with this code, if
    /// `idNumber` is its applicant's personal ID or tax code; `NOT_FOUND` otherwise. Rate limited.
    async fn dossier_status(
        &self,
        ctx: &Context<'_>,
        code: String,
        id_number: String,
    ) -> Result<PublicDossierStatus> {
        let l = lang(ctx);
        let d = dossiers::lookup(db(ctx)?, &client(ctx).ip, &code, &id_number)
            .await
            .map_err(|e| e.into_graphql(l))?;
        let status = DossierStatus::stored(&d.status);
        Ok(PublicDossierStatus {
            code: d.code.unwrap_or_default(),
            status_name: status.name(l).to_owned(),
            status,
            due_at: d.due_at,
        })
    }
}

/// The stored names of the statuses asked for.
fn names(statuses: Option<Vec<DossierStatus>>) -> Vec<String> {
    statuses
        .unwrap_or_default()
        .into_iter()
        .map(|s| Status::from(s).as_str().to_owned())
        .collect()
}
