//! Dossier statuses with their national codes, and the transition table (rulebook section 2).

mod actor;
mod status;
mod transition;

pub use actor::{Standing, acting_role};
pub use status::Status;
pub use transition::{Action, Role, TransitionError, TransitionInput, transition};
