//! Global object IDs (Relay): `base64url("Type:key")`, opaque to clients, stable across versions.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The global ID of object `key` of GraphQL type `ty`.
#[must_use]
pub fn encode(ty: &str, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{ty}:{key}")))
}

/// The type and key of a global ID, if it is one.
#[must_use]
pub fn decode(id: &str) -> Option<(String, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (ty, key) = text.split_once(':')?;
    (!ty.is_empty() && !key.is_empty()).then(|| (ty.to_owned(), key.to_owned()))
}

/// The numeric key of a global ID of type `ty`.
#[must_use]
pub fn decode_i64(id: &str, ty: &str) -> Option<i64> {
    decode(id)
        .filter(|(t, _)| t == ty)
        .and_then(|(_, k)| k.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let id = encode("Agency", "12");
        assert_eq!(decode(&id), Some(("Agency".into(), "12".into())));
        assert_eq!(decode_i64(&id, "Agency"), Some(12));
        assert_eq!(decode_i64(&id, "User"), None);
        assert_eq!(decode("not base64!"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("nocolon")), None);
    }
}
