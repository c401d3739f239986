//! Password hashing with Argon2id (SECURITY.md V4), off the request threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

/// Shortest accepted password (ASVS 2.1.1).
pub const MIN_LEN: usize = 12;
/// Longest accepted password (ASVS 2.1.2 allows 64+; more only costs hashing time).
pub const MAX_LEN: usize = 128;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Fewer than [`MIN_LEN`] characters.
    TooShort,
    /// More than [`MAX_LEN`] characters.
    TooLong,
    /// The same as the login identifier.
    SameAsLogin,
}

/// Checks a new password (length only, as ASVS asks: no composition rules).
///
/// # Errors
/// The weakness found.
pub fn check(password: &str, login: &str) -> Result<(), Weakness> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(Weakness::TooShort);
    }
    if chars > MAX_LEN {
        return Err(Weakness::TooLong);
    }
    if password.trim().eq_ignore_ascii_case(login.trim()) {
        return Err(Weakness::SameAsLogin);
    }
    Ok(())
}

/// Argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: the OWASP recommendation).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

/// How many Argon2id computations may run at once in this process: one per core. Each takes
/// 19 MiB and a core for tens of milliseconds, so more at once only adds memory, not speed;
/// further requests wait their turn (A9: a few parallel requests cannot exhaust memory).
fn permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))
    })
}

/// Runs one hashing job on a blocking thread once a permit is free.
async fn bounded<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = permits()
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("hashing permits closed: {e}"))?;
    Ok(tokio::task::spawn_blocking(job).await?)
}

/// Hashes a password into a PHC string, on a blocking thread (at most one per core at once).
///
/// # Errors
/// No randomness for the salt, or a failed blocking task.
pub async fn hash(password: String) -> anyhow::Result<String> {
    bounded(move || hash_now(&password)).await?
}

/// Hashes synchronously (seeding, the command line).
///
/// # Errors
/// No randomness for the salt.
pub fn hash_now(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))?
        .to_string())
}

/// A hash to verify against when the account does not exist, so that unknown and known logins
/// take the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("motcua-no-such-account").unwrap_or_default())
}

/// Verifies a password against a stored hash (or the dummy hash when `stored` is `None`), on a
/// blocking thread (at most one per core at once). Always `false` for a missing account.
///
/// # Errors
/// A failed blocking task.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    bounded(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&phc).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        ok && known
    })
    .await
}
