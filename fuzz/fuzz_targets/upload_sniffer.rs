//! The upload sniffer (SECURITY.md F1): any bytes under any name never panic, and an accepted
//! file keeps its magic bytes and never grows when metadata is stripped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::file::{Kind, accept};

fuzz_target!(|input: (&str, &[u8])| {
    let (name, bytes) = input;
    if let Ok((kind, cleaned)) = accept(bytes, name) {
        assert!(cleaned.len() <= bytes.len());
        let magic: &[u8] = match kind {
            Kind::Pdf => b"%PDF-",
            Kind::Jpeg => &[0xFF, 0xD8],
            Kind::Png => &[0x89, b'P', b'N', b'G'],
        };
        assert!(cleaned.starts_with(magic));
    }
});
