//! The dossier's rules (rulebook section 2): statuses with their national codes, the transition
//! table, who the caller is to a dossier and in which role they act, how it is filed, its code,
//! where it is routed, its channel and re-dating. The server keeps the rows; every decision is here.

mod actor;
mod channel;
mod code;
mod party;
mod redate;
mod routing;
mod status;
mod transition;

pub use actor::{Standing, acting_role};
pub use channel::Channel;
pub use code::{day_stamp, dossier_code, entry_day};
pub use party::{Access, Caller, Filing, Parties, access, filing, standing};
pub use redate::{RedateError, new_due_date, parse_due};
pub use routing::{AgencyRef, RoutingError, competent_agency, receiving_unit};
pub use status::Status;
pub use transition::{Action, Role, TransitionError, TransitionInput, transition};
