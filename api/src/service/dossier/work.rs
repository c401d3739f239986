//! The officials' queues: a specialist's or leader's work inbox — the received dossiers their
//! agencies hold now (after hand-overs, liên thông), oldest receipt first, optionally only those
//! due soon or overdue — the counts a desk shows beside each queue, and the search of the
//! dossiers within their agencies by code or ID number. Lists are audited like every official's
//! read of personal data (V5).

use motcua_core::deadline::DeadlineState;
use motcua_core::dossier::{Role, Status};
use sea_orm::ConnectionTrait;

use super::read::audit_list;
use super::repo;
use super::rules::grants;
use crate::auth::Principal;
use crate::db::entities::dossier;
use crate::error::ApiError;

/// Statuses of a dossier an agency is working on (its clock started, it is not closed).
pub const OPEN: [Status; 4] = [
    Status::Received,
    Status::Processing,
    Status::SupplementRequested,
    Status::AwaitingPayment,
];

/// How many dossiers wait in each of the caller's queues.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Filed and not yet received, at the caller's desks (clerks).
    pub intake: u64,
    /// Open in the caller's agencies (specialists and leaders), on track.
    pub on_track: u64,
    /// Of those, due within one working day.
    pub due_soon: u64,
    /// Of those, overdue.
    pub overdue: u64,
}

/// The agencies the caller holds `roles` in.
fn agencies_of(p: &Principal, roles: &[Role]) -> Vec<i64> {
    let mut agencies: Vec<i64> = grants(p)
        .into_iter()
        .filter(|(r, _)| roles.contains(r))
        .map(|(_, a)| a)
        .collect();
    agencies.sort_unstable();
    agencies.dedup();
    agencies
}

/// A page of the caller's work inbox (`limit + 1` rows), oldest receipt first; `deadline_state`
/// keeps only `ON_TRACK`, `DUE_SOON` or `OVERDUE` ones.
///
/// # Errors
/// `FORBIDDEN` for a caller who is no specialist or leader, a database failure.
pub async fn inbox(
    db: &impl ConnectionTrait,
    p: &Principal,
    deadline_state: Option<DeadlineState>,
    after: Option<(i64, String)>,
    limit: u64,
) -> Result<Vec<dossier::Model>, ApiError> {
    let agencies = agencies_of(p, &[Role::Specialist, Role::Leader]);
    if agencies.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let rows = repo::held_by(
        db,
        agencies,
        &OPEN,
        deadline_state.map(DeadlineState::as_str),
        after.as_ref(),
        limit,
    )
    .await?;
    let shown = usize::try_from(limit).unwrap_or(usize::MAX).min(rows.len());
    audit_list(db, p, "WorkInbox", rows.get(..shown).unwrap_or_default()).await?;
    Ok(rows)
}

/// How many dossiers wait in each of the caller's queues (zero where they hold no such role).
///
/// # Errors
/// A database failure.
pub async fn counts(db: &impl ConnectionTrait, p: &Principal) -> Result<Counts, ApiError> {
    let desks = agencies_of(p, &[Role::Clerk]);
    let intake = if desks.is_empty() {
        0
    } else {
        repo::count_received_at(db, desks, Status::Submitted).await?
    };
    let mut counts = Counts {
        intake,
        ..Counts::default()
    };
    let held = agencies_of(p, &[Role::Specialist, Role::Leader]);
    if !held.is_empty() {
        for (state, n) in repo::count_held_by_deadline(db, held, &OPEN).await? {
            match DeadlineState::parse(&state) {
                DeadlineState::DueSoon => counts.due_soon = n,
                DeadlineState::Overdue => counts.overdue = n,
                DeadlineState::OnTrack => counts.on_track += n,
            }
        }
    }
    Ok(counts)
}

/// The dossiers within the caller's agencies (received at their desks, or competent or held in
/// their agencies) whose code is `text` or whose applicant's ID number is `text`, newest filing
/// first (`limit + 1` rows). Drafts are never found (Z2).
///
/// # Errors
/// `FORBIDDEN` for a caller who holds no dossier role, `INVALID_INPUT` for a blank or overlong
/// text, a database failure.
pub async fn search(
    db: &impl ConnectionTrait,
    p: &Principal,
    text: &str,
    after: Option<(i64, String)>,
    limit: u64,
) -> Result<Vec<dossier::Model>, ApiError> {
    let desks = agencies_of(p, &[Role::Clerk]);
    let offices = agencies_of(p, &[Role::Clerk, Role::Specialist, Role::Leader]);
    if offices.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 64 {
        return Err(ApiError::InvalidInput("text"));
    }
    let id_number = super::super::accounts::normalize_login(text);
    let rows = repo::search_within(
        db,
        (desks, offices),
        (text, &id_number),
        after.as_ref(),
        limit,
    )
    .await?;
    let shown = usize::try_from(limit).unwrap_or(usize::MAX).min(rows.len());
    audit_list(
        db,
        p,
        "DossierSearch",
        rows.get(..shown).unwrap_or_default(),
    )
    .await?;
    Ok(rows)
}
