//! Fuzzes the identifier parsers (SECURITY.md F1) with arbitrary UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::identifier::{self, CccdContext, IdKind};

fuzz_target!(|s: &str| {
    for kind in [IdKind::Cccd, IdKind::Cmnd, IdKind::Mst, IdKind::Phone, IdKind::Email] {
        if let Ok(normalized) = identifier::validate(kind, s, &CccdContext::default()) {
            // Normalization is idempotent.
            assert_eq!(identifier::validate(kind, &normalized, &CccdContext::default()), Ok(normalized));
        }
    }
});
