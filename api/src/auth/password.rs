//! Password hashing with Argon2id (SECURITY.md V4), off the request threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, SaltString};
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

/// The hashing pool: one thread per core, each reusing its Argon2 memory (see `BLOCKS`).
fn pool() -> &'static crate::pool::Pool {
    static POOL: OnceLock<crate::pool::Pool> = OnceLock::new();
    POOL.get_or_init(|| crate::pool::Pool::start("argon2"))
}

/// Hashes a password into a PHC string on the hashing pool (at most one per core at once).
///
/// # Errors
/// No randomness for the salt, or the pool lost the job.
pub async fn hash(password: String) -> anyhow::Result<String> {
    pool().run(move || hash_now(&password)).await?
}

/// Hashes synchronously (seeding, the command line).
///
/// # Errors
/// No randomness for the salt.
pub fn hash_now(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let argon = hasher();
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let mut out = [0u8; argon2::Params::DEFAULT_OUTPUT_LEN];
    with_blocks(argon.params().block_count(), |blocks| {
        argon.hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut out, blocks)
    })
    .map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let phc = PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: argon2::password_hash::ParamsString::try_from(argon.params())
            .map_err(|e| anyhow::anyhow!("parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(
            argon2::password_hash::Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?,
        ),
    };
    Ok(phc.to_string())
}

/// The most memory a stored hash may ask for: four times the default (stored hashes are ours,
/// but a corrupted row must not make one verification allocate gigabytes).
const MAX_BLOCKS: usize = 4 * argon2::Params::DEFAULT_M_COST as usize;

thread_local! {
    /// The Argon2 working memory of this thread, allocated once and reused: allocating and
    /// freeing 19 MiB per hash left the allocator holding hundreds of MiB under load (A9).
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's working memory, grown to `count` blocks if needed.
fn with_blocks<T>(count: usize, f: impl FnOnce(&mut [argon2::Block]) -> T) -> T {
    BLOCKS.with(|cell| {
        let mut blocks = cell.borrow_mut();
        if blocks.len() < count {
            blocks.resize(count, argon2::Block::default());
        }
        f(blocks.as_mut_slice())
    })
}

/// Whether `password` hashes to the stored PHC string, computed in this thread's reused memory.
fn matches(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        argon2::Algorithm::try_from(parsed.algorithm),
        argon2::Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| argon2::Version::try_from(v).ok())
        .unwrap_or_default();
    if params.block_count() > MAX_BLOCKS {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let ok = with_blocks(params.block_count(), |blocks| {
        argon.hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut out, blocks)
    });
    // `Output` compares in constant time.
    ok.is_ok()
        && argon2::password_hash::Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// A hash to verify against when the account does not exist, so that unknown and known logins
/// take the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("motcua-no-such-account").unwrap_or_default())
}

/// Verifies a password against a stored hash (or the dummy hash when `stored` is `None`), on a
/// the hashing pool (at most one per core at once). Always `false` for a missing account.
///
/// # Errors
/// The pool lost the job.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    pool()
        .run(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let ok = matches(&password, &phc);
            ok && known
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher;

    #[test]
    fn hashes_in_reused_memory_read_like_the_crates_own() {
        let ours = hash_now("một mật khẩu dài").unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        assert!(matches("một mật khẩu dài", &ours));
        assert!(!matches("một mật khẩu khác", &ours));
        // Hashes stored before (made by the crate's own hasher) still verify, and ours verify
        // with the crate's verifier.
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = hasher()
            .hash_password(b"MotCua@2026!", &salt)
            .unwrap()
            .to_string();
        assert!(matches("MotCua@2026!", &theirs));
        assert!(!matches("MotCua@2027!", &theirs));
        use argon2::password_hash::PasswordVerifier;
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            hasher()
                .verify_password("một mật khẩu dài".as_bytes(), &parsed)
                .is_ok()
        );
        // Garbage and a hash asking for a gigabyte are refused without hashing.
        assert!(!matches("x", "not a hash"));
        let greedy = ours.replace("m=19456", "m=1048576");
        assert!(!matches("một mật khẩu dài", &greedy));
    }
}
