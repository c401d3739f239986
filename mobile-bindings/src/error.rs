//! The one error type that crosses the boundary, converted from the core's errors in one place.

use motcua_core::ops::vectors::FileError;
use motcua_core::ops::{OpError, UnknownOperation};

/// A core error: its stable code, the specific `detail` behind an `INVALID_INPUT`, and the
/// Vietnamese message. Kotlin and Swift see an exception with these fields.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum MotcuaError {
    /// The operation refused its input.
    #[error("{code}: {message}")]
    Failed {
        /// e.g. `INVALID_INPUT`, `INVALID_DATE`, `ROLE_NOT_ALLOWED`.
        code: String,
        /// e.g. `OUT_OF_RANGE`.
        detail: Option<String>,
        /// Vietnamese.
        message: String,
    },
}

impl From<OpError> for MotcuaError {
    fn from(e: OpError) -> Self {
        Self::Failed {
            code: e.code().to_owned(),
            detail: e.detail().map(str::to_owned),
            message: e.message().to_owned(),
        }
    }
}

impl From<FileError> for MotcuaError {
    fn from(e: FileError) -> Self {
        Self::Failed {
            code: "VECTOR_FILE".to_owned(),
            detail: None,
            message: e.to_string(),
        }
    }
}

impl MotcuaError {
    pub(crate) fn invalid_input() -> Self {
        OpError::invalid_input().into()
    }

    pub(crate) fn unknown_operation(e: &UnknownOperation) -> Self {
        Self::Failed {
            code: "UNKNOWN_OPERATION".to_owned(),
            detail: None,
            message: e.to_string(),
        }
    }
}
