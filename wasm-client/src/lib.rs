//! WebAssembly exports of the motcua core, typed for TypeScript.
//!
//! Each operation's export (`operations.rs`) is one line: it hands its input to the core's
//! dispatcher (`motcua_core::ops`) and returns the answer, or throws a JS `Error` whose `code` is
//! the core's stable code. `Form` (`form.rs`) keeps a loaded form definition while a citizen
//! types. No rule lives here; the TypeScript types (`types.rs`) mirror the operations' JSON
//! contract (`tests/vectors/README.md` and `../shared/vectors/README.md`).
//!
//! Two packages are built from this crate. The full one (`motcua`, feature `operations`) has
//! every operation. The form package (`motcua/form`, built without default features) has only
//! [`form::Form`]: a page that opens a form needs nothing else before the citizen can type.
//! Without the operations' dispatcher and its `serde_json::Value` plumbing the module is half the
//! size (371,495 bytes against 725,627; 164,189 against 294,542 gzipped), and V8 reads every
//! byte of a module when it creates it: a cold start to a form's first check took about 1.6 ms
//! less (ADR 0002). The form code is the same code in both, and a test checks that the two
//! answer alike.

mod form;
#[cfg(feature = "operations")]
mod operations;
mod types;

use motcua_core::ops;
use wasm_bindgen::prelude::*;

/// A TLSF allocator (rlsf) instead of the standard library's dlmalloc. A form's cold start
/// calls `malloc` thousands of times while it loads the definition; dlmalloc's 4.7 KB `malloc`
/// then used up V8's budget for Liftoff code and was recompiled with TurboFan in the middle of
/// the load, which on a 2-core machine slowed the load itself (median cold start 19.1 → 17.3 ms
/// and 18.1 → 15.8 ms in two runs of 25 alternating fresh processes). TLSF's allocation is
/// constant-time and its code a fifth of the size: 7 KB less module, 3 KB less gzipped, 6 KB less
/// for Liftoff to compile while a definition loads. Safe to construct (`const fn new`), and
/// single-threaded on wasm32 without atomics, as this build is.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();

pub(crate) fn op_error(e: &ops::OpError) -> JsValue {
    let err = error(e.code(), e.detail(), e.message());
    if let Some(path) = e.path() {
        let _ = js_sys::Reflect::set(&err, &"path".into(), &path.into());
    }
    err
}

/// A JS `Error` carrying the core's stable `code` (and `detail` when there is one).
pub(crate) fn error(code: &str, detail: Option<&str>, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    if let Some(detail) = detail {
        let _ = js_sys::Reflect::set(&err, &"detail".into(), &detail.into());
    }
    err.into()
}
