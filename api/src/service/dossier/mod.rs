//! The dossier: drafts, filing (online, at a desk, by post) exactly once per idempotency key,
//! intake, processing across officials and agencies, the result, and what applicants and
//! officials may see. Every rule comes from the core (`motcua_core::dossier`, the form, the fee
//! quote, the due date); this module keeps the rows.
//!
//! One file per operation group — [`draft`], [`submit`] (with the group-commit [`writer`]),
//! [`intake`], [`process`], [`result`], [`read`], [`work`] (officials' queues), [`deadlines`] — over one repository, [`repo`],
//! that owns every SQL statement touching dossiers and their history. Actions after filing all go
//! through [`act`]; what they change is a [`change::Change`]. [`types`] and [`rules`] are leaves
//! every other file may import; no file imports the file that imports it.

mod act;
mod change;
pub mod deadlines;
mod draft;
mod intake;
pub mod paid;
mod process;
pub mod read;
pub mod repo;
mod result;
pub mod rules;
mod submit;
pub mod types;
pub mod work;
pub mod writer;

pub use act::act;
pub use draft::{create_draft, save_draft};
pub use read::{
    LOOKUPS_PER_IP_PER_MINUTE, access_to, audit_list, get, history_for, history_of, lookup, mine,
    queue, read, steps_for,
};
pub use rules::is_uuid;
pub use submit::submit;
pub use types::{
    Access, Act, HandOver, ListFilter, RESULT_COMPONENT, Receipt, ReturnMethod, SubmitInput,
};
pub use writer::Writer;
