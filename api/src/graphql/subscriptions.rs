//! Subscriptions (graphql-ws over `/graphql/ws`): a dossier's changes pushed to its owner and to
//! the officials handling it, whichever API instance made the change (see `service::events`).

use async_graphql::{Context, ID, Result, SimpleObject, Subscription};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::{self, error::RecvError};

use super::guard::principal;
use super::{db, ids, lang};
use crate::auth::{OfficialRole, Principal};
use crate::error::ApiError;
use crate::service::dossier as dossiers;
use crate::service::events::{Change, EventBus};

/// One change of a dossier.
#[derive(SimpleObject, Debug, Clone)]
pub struct DossierChange {
    /// The dossier's global ID (fetch it with `dossier(id:)` for the details).
    pub dossier_id: ID,
    /// What happened: `RECEIVED`, `SUPPLEMENT_REQUESTED`, `HANDED_OVER`, `RESOLVED`, `DUE_SOON`, …
    pub kind: String,
    /// The status after the change.
    pub status: String,
    /// The version after the change (send it with the next action).
    pub version: i64,
    /// When (RFC 3339).
    pub at: String,
}

impl From<Change> for DossierChange {
    fn from(c: Change) -> Self {
        Self {
            dossier_id: ids::encode("Dossier", &c.dossier_id),
            kind: c.kind,
            status: c.status,
            version: c.version,
            at: crate::clock::rfc3339(c.at),
        }
    }
}

/// The changes that pass `keep`, as a stream; a subscriber too slow to keep up skips what it
/// missed rather than ending (it can re-read the dossier).
fn changes(
    rx: broadcast::Receiver<Change>,
    keep: impl Fn(&Change) -> bool + Send + Sync + 'static,
) -> impl Stream<Item = DossierChange> {
    stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(c) => return Some((c, rx)),
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
        }
    })
    .filter(move |c| std::future::ready(keep(c)))
    .map(DossierChange::from)
}

/// Whether an official of `p`'s agencies handles or received the dossier of change `c`.
fn handles(p: &Principal, c: &Change) -> bool {
    p.grants.iter().any(|g| {
        (g.agency_id == c.handling_agency_id
            && matches!(
                g.role,
                OfficialRole::Specialist | OfficialRole::Leader | OfficialRole::Clerk
            ))
            || (g.agency_id == c.receiving_agency_id && g.role == OfficialRole::Clerk)
    })
}

fn bus<'a>(ctx: &Context<'a>) -> Result<&'a EventBus> {
    ctx.data::<EventBus>()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no event bus")).into_graphql(lang(ctx)))
}

/// The subscription root.
#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// Changes of one dossier the caller may see (`NOT_FOUND` otherwise, as for a missing one).
    async fn dossier_changed(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<impl Stream<Item = DossierChange> + use<>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let key = super::dossiers::dossier_key(&id, l)?;
        // Subscribe first, then check: nothing committed after the check can be missed.
        let rx = bus(ctx)?.subscribe();
        dossiers::read(db(ctx)?, p, &key, "SUBSCRIBE")
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(changes(rx, move |c| c.dossier_id == key))
    }

    /// Every change of the caller's dossiers: as applicant, their own; as an official, those an
    /// agency of theirs holds or received.
    async fn my_dossier_changes(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = DossierChange> + use<>> {
        let p = principal(ctx)?.clone();
        let rx = bus(ctx)?.subscribe();
        Ok(changes(rx, move |c| {
            c.applicant_user_id == Some(p.user_id) || handles(&p, c)
        }))
    }
}
