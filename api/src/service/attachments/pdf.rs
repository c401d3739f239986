//! The server's judgement of an uploaded PDF (SECURITY.md A4): parsed with `lopdf`, not matched
//! as bytes, so name escapes (`/J#61vaScript`) are decoded and compressed object streams are
//! inflated before anything is judged; encrypted and unreadable files are refused, and the work is
//! bounded so a small hostile file cannot take the server's memory or time.
//!
//! The file is read twice: once through its cross-reference data as written (what a conforming
//! viewer shows) and once with that data rebuilt by scanning for every object in the file (what a
//! repairing viewer shows), so an object that only one of them finds is judged too. The bytes are
//! stored as sent when nothing active is found: rewriting the file would break its digital
//! signatures (chữ ký số), which many documents filed here carry.

use lopdf::{DecompressError, Document, Error as PdfLibError, LoadOptions, Object, ObjectId};
use std::cell::Cell;
use std::collections::HashSet;

/// Most bytes any one stream may inflate to while the file is read (cross-reference and object
/// streams; a real one holds well under a megabyte).
pub const MAX_STREAM: usize = 4 << 20;
/// Most bytes all object streams of one reading may inflate to together.
pub const MAX_INFLATED: usize = 32 << 20;
/// Most objects in one reading.
pub const MAX_OBJECTS: usize = 200_000;
/// Most pages.
pub const MAX_PAGES: usize = 2_000;
/// Most cross-reference sections (`/Prev` links: one per incremental update, such as each
/// signature). Their entries are not objects, so the object bound does not cover them: each
/// section may list up to two million within [`MAX_STREAM`].
pub const MAX_SECTIONS: usize = 32;

/// Why a PDF is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// Not readable as a PDF.
    #[error("an unreadable PDF")]
    Unreadable,
    /// Encrypted (its content cannot be checked).
    #[error("an encrypted PDF")]
    Encrypted,
    /// Over the bounds of the work spent on one file.
    #[error("a PDF too complex to check")]
    TooComplex,
    /// JavaScript, an action that leaves the document, an embedded file or multimedia.
    #[error("active content in the PDF")]
    Active,
}

impl motcua_core::Coded for PdfError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unreadable => "PDF_UNREADABLE",
            Self::Encrypted => "PDF_ENCRYPTED",
            Self::TooComplex => "PDF_TOO_COMPLEX",
            Self::Active => "PDF_ACTIVE_CONTENT",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::Unreadable => "Không đọc được tệp PDF (tệp bị hỏng hoặc không đúng định dạng).",
            Self::Encrypted => "Tệp PDF có mật khẩu hoặc được mã hóa nên không được nhận.",
            Self::TooComplex => "Tệp PDF quá phức tạp (quá nhiều trang hoặc đối tượng).",
            Self::Active => {
                "Tệp PDF chứa mã lệnh, lệnh khởi chạy, liên kết ra ngoài hoặc tệp đính kèm nên không được nhận."
            }
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::Unreadable => "The PDF cannot be read (damaged or not a PDF).",
            Self::Encrypted => "The PDF is password-protected or encrypted and is refused.",
            Self::TooComplex => "The PDF is too complex (too many pages or objects).",
            Self::Active => {
                "The PDF carries scripts, launch actions, external links or embedded files and is refused."
            }
        }
    }
}

/// Dictionary keys that only active content uses: scripts, triggers, embedded files, XFA forms
/// (which carry scripts), multimedia.
const ACTIVE_KEYS: &[&[u8]] = &[
    b"JS",
    b"JavaScript",
    b"AA",
    b"EmbeddedFiles",
    b"EmbeddedFile",
    b"EF",
    b"XFA",
    b"RichMediaContent",
    b"RichMediaSettings",
];

/// Names that mark active content wherever they stand (the `/S` of an action, the `/Type` or
/// `/Subtype` of an object): scripts, actions that reach outside the document, file attachments,
/// multimedia.
const ACTIVE_NAMES: &[&[u8]] = &[
    b"JavaScript",
    b"Launch",
    b"URI",
    b"SubmitForm",
    b"ImportData",
    b"GoToR",
    b"GoToE",
    b"EmbeddedFile",
    b"FileAttachment",
    b"RichMedia",
    b"RichMediaExecute",
    b"Rendition",
    b"Movie",
    b"Sound",
];

/// What one reading spent, kept per thread because `lopdf` takes a plain function as its object
/// filter. `lopdf` is built without its `rayon` feature, so a document's objects are read on the
/// calling thread.
#[derive(Debug, Clone, Copy, Default)]
struct Budget {
    objects: usize,
    inflated: usize,
    exceeded: bool,
    damaged: bool,
}

thread_local! {
    static BUDGET: Cell<Budget> = const { Cell::new(Budget { objects: 0, inflated: 0, exceeded: false, damaged: false }) };
}

/// Counts every object read and inflates object streams within what is left of
/// [`MAX_INFLATED`]; past a bound, objects are dropped (and the file refused) instead of read.
fn budgeted(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let mut budget = BUDGET.get();
    if budget.exceeded {
        return None;
    }
    budget.objects += 1;
    if budget.objects > MAX_OBJECTS {
        budget.exceeded = true;
        BUDGET.set(budget);
        return None;
    }
    if let Object::Stream(stream) = object
        && stream.dict.has_type(b"ObjStm")
    {
        let room = MAX_INFLATED.saturating_sub(budget.inflated).min(MAX_STREAM);
        match stream.get_plain_content_with_limit(room) {
            Ok(plain) => {
                budget.inflated += plain.len();
                // `lopdf` then reads the members from these bytes without inflating them again.
                stream.set_plain_content(plain);
            }
            Err(PdfLibError::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                budget.exceeded = true;
                BUDGET.set(budget);
                return None;
            }
            Err(_) => budget.damaged = true,
        }
    }
    BUDGET.set(budget);
    Some((id, object.clone()))
}

/// Judges a PDF (after the core's sniffing): `Ok` when it parses, is not encrypted, stays within
/// the bounds and carries no active content.
///
/// # Errors
/// Why it is refused.
pub fn inspect(bytes: &[u8]) -> Result<(), PdfError> {
    // An encrypted file would be decrypted with the empty password and read without the object
    // filter (unbounded): refuse it before `lopdf` reads it. Its `/Encrypt` entry sits in a
    // trailer or cross-reference stream dictionary, which is never compressed.
    let mut sections = 0;
    for name in names(bytes) {
        match name.as_slice() {
            b"Encrypt" => return Err(PdfError::Encrypted),
            b"Prev" => sections += 1,
            _ => {}
        }
    }
    if sections > MAX_SECTIONS {
        return Err(PdfError::TooComplex);
    }
    for rebuilt in [false, true] {
        let doc = read(bytes, rebuilt)?;
        if !rebuilt {
            count_pages(&doc)?;
        }
        if doc.objects.values().any(active) {
            return Err(PdfError::Active);
        }
    }
    Ok(())
}

/// One bounded reading; `rebuilt` scans the file for its objects instead of trusting its
/// cross-reference data.
fn read(bytes: &[u8], rebuilt: bool) -> Result<Document, PdfError> {
    BUDGET.set(Budget::default());
    let options = LoadOptions {
        password: None,
        filter: Some(budgeted),
        strict: false,
        max_decompressed_size: Some(MAX_STREAM),
        force_reconstruct: rebuilt,
    };
    let loaded = Document::load_mem_with_options(bytes, options);
    let budget = BUDGET.replace(Budget::default());
    let doc = loaded.map_err(|e| match e {
        PdfLibError::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            PdfError::TooComplex
        }
        PdfLibError::InvalidPassword
        | PdfLibError::Decryption(_)
        | PdfLibError::AlreadyEncrypted => PdfError::Encrypted,
        _ => PdfError::Unreadable,
    })?;
    if budget.exceeded {
        return Err(PdfError::TooComplex);
    }
    if budget.damaged || doc.objects.is_empty() {
        return Err(PdfError::Unreadable);
    }
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(PdfError::Encrypted);
    }
    Ok(doc)
}

/// The pages, walked once each: a page tree that reaches a node twice (a cycle, or a node shared
/// to multiply the pages) is refused rather than followed.
fn count_pages(doc: &Document) -> Result<usize, PdfError> {
    let Ok(root) = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
    else {
        // A catalogue without pages (a bare test document) has nothing more to walk.
        return Ok(0);
    };
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    let mut pages = 0;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            return Err(PdfError::TooComplex);
        }
        let Ok(node) = doc.get_dictionary(id) else {
            continue;
        };
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            stack.extend(kids.iter().filter_map(|k| k.as_reference().ok()));
        } else {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(PdfError::TooComplex);
            }
        }
    }
    Ok(pages)
}

/// Whether an object (with everything nested in it) carries an active key or name.
fn active(object: &Object) -> bool {
    let mut stack = vec![object];
    while let Some(o) = stack.pop() {
        match o {
            Object::Name(name) if ACTIVE_NAMES.contains(&name.as_slice()) => return true,
            Object::Array(items) => stack.extend(items),
            Object::Dictionary(dict) => {
                for (key, value) in dict {
                    if ACTIVE_KEYS.contains(&key.as_slice()) {
                        return true;
                    }
                    stack.push(value);
                }
            }
            Object::Stream(stream) => {
                for (key, value) in &stream.dict {
                    if ACTIVE_KEYS.contains(&key.as_slice()) {
                        return true;
                    }
                    stack.push(value);
                }
            }
            _ => {}
        }
    }
    false
}

/// Every `/Name` token of the raw bytes with its `#xx` escapes decoded, the way the PDF grammar
/// reads names (used only to find `/Encrypt` and count `/Prev` before parsing).
fn names(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let regular = |c: u8| !b" \t\n\r\0\x0C()<>[]{}/%".contains(&c);
    let hex = |c: u8| char::from(c).to_digit(16);
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == b'/')
        .map(move |(start, _)| {
            let mut name = Vec::new();
            let mut rest = bytes.get(start + 1..).unwrap_or_default();
            // Names of interest are short: stop decoding long runs early.
            while name.len() < 16 {
                match rest {
                    [b'#', a, b, tail @ ..] => match (hex(*a), hex(*b)) {
                        (Some(a), Some(b)) => {
                            name.push(u8::try_from(a * 16 + b).unwrap_or_default());
                            rest = tail;
                        }
                        _ => break,
                    },
                    [c, tail @ ..] if *c != b'#' && regular(*c) => {
                        name.push(*c);
                        rest = tail;
                    }
                    _ => break,
                }
            }
            name
        })
}

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
