//! What an uploaded file is, judged by its bytes — the same judgement on a phone before uploading
//! and on the server after (SECURITY.md A3, A4): only PDF, JPEG and PNG with
//! a matching extension; HTML/SVG polyglots, PDFs with scripts, launch actions or embedded files
//! refused; image metadata (EXIF with GPS, XMP, text chunks) removed before storing.
//!
//! These byte checks are a quick first look, the same everywhere; they cannot see a name written
//! with escapes or a script inside a compressed object stream. The server therefore parses every
//! PDF and re-encodes every image after them (`motcua-api`, `service::attachments`).

/// An accepted kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `%PDF-`.
    Pdf,
    /// `FF D8 FF`.
    Jpeg,
    /// `89 50 4E 47 0D 0A 1A 0A`.
    Png,
}

impl Kind {
    /// The MIME type stored and served.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Not a PDF, JPEG or PNG by its content.
    #[error("not a PDF, JPEG or PNG")]
    UnsupportedType,
    /// The extension does not match the content (a renamed file).
    #[error("the extension does not match the content")]
    ExtensionMismatch,
    /// Markup or script inside (an HTML/SVG polyglot).
    #[error("markup inside the file")]
    Polyglot,
    /// A PDF with JavaScript, a launch action or embedded files.
    #[error("active content in the PDF")]
    ActivePdf,
    /// A broken image structure.
    #[error("a damaged image")]
    Damaged,
    /// Empty.
    #[error("an empty file")]
    Empty,
    /// Larger than [`MAX_BYTES`] (SECURITY.md A2).
    #[error("larger than 10 MB")]
    TooLarge,
}

/// The largest file accepted (SECURITY.md A2): the phone refuses it before reading it, the server
/// before storing it.
pub const MAX_BYTES: usize = 10 << 20;

/// Whether a file of `len` bytes may be uploaded at all: known from its size alone, before the
/// phone reads its bytes.
///
/// # Errors
/// [`FileError::Empty`], [`FileError::TooLarge`].
pub fn check_size(len: usize) -> Result<(), FileError> {
    match len {
        0 => Err(FileError::Empty),
        n if n > MAX_BYTES => Err(FileError::TooLarge),
        _ => Ok(()),
    }
}

impl crate::Coded for FileError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedType => "UNSUPPORTED_FILE_TYPE",
            Self::ExtensionMismatch => "EXTENSION_MISMATCH",
            Self::Polyglot => "FILE_POLYGLOT",
            Self::ActivePdf => "PDF_ACTIVE_CONTENT",
            Self::Damaged => "FILE_DAMAGED",
            Self::Empty => "FILE_EMPTY",
            Self::TooLarge => "FILE_TOO_LARGE",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::UnsupportedType => "Chỉ nhận tệp PDF, JPEG hoặc PNG.",
            Self::ExtensionMismatch => "Phần mở rộng của tệp không khớp với nội dung tệp.",
            Self::Polyglot => "Tệp chứa mã HTML/SVG/script nên không được nhận.",
            Self::ActivePdf => {
                "Tệp PDF chứa mã lệnh, lệnh khởi chạy hoặc tệp đính kèm nên không được nhận."
            }
            Self::Damaged => "Tệp ảnh bị hỏng.",
            Self::Empty => "Tệp rỗng.",
            Self::TooLarge => "Tệp vượt quá 10 MB.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::UnsupportedType => "Only PDF, JPEG or PNG files are accepted.",
            Self::ExtensionMismatch => "The file's extension does not match its content.",
            Self::Polyglot => "The file carries HTML/SVG/script and is refused.",
            Self::ActivePdf => {
                "The PDF carries scripts, launch actions or embedded files and is refused."
            }
            Self::Damaged => "The image is damaged.",
            Self::Empty => "The file is empty.",
            Self::TooLarge => "The file exceeds 10 MB.",
        }
    }
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Whether any of `needles` (all starting with `lead`) occurs in `hay`, ignoring ASCII case when
/// `ci`. One pass that stops only at `lead` bytes: a 10 MB upload is judged in milliseconds even
/// unoptimised (one `windows` pass per needle took seconds).
fn contains_any(hay: &[u8], lead: u8, needles: &[&[u8]], ci: bool) -> bool {
    hay.iter().enumerate().any(|(i, &b)| {
        b == lead
            && needles.iter().any(|n| {
                hay.get(i..i + n.len()).is_some_and(|w| {
                    if ci {
                        w.eq_ignore_ascii_case(n)
                    } else {
                        w == *n
                    }
                })
            })
    })
}

/// The parts of a PDF outside its stream bodies. Stream data (compressed page content, images)
/// is noise to a byte scan: a 10 MB scan holds `/JS` by chance more often than not. What hides
/// in streams (object streams, escaped names) is the server's full parse to find.
fn outside_streams(pdf: &[u8]) -> impl Iterator<Item = &[u8]> {
    let find = |hay: &[u8], from: usize, needle: &[u8]| {
        hay.get(from..).and_then(|rest| {
            rest.windows(needle.len())
                .position(|w| w == needle)
                .map(|i| i + from)
        })
    };
    let mut at = Some(0);
    std::iter::from_fn(move || {
        let from = at?;
        // A `stream` keyword that is not the end of `endstream`.
        let mut search = from;
        let start = loop {
            match find(pdf, search, b"stream") {
                Some(i) if i >= 3 && pdf.get(i - 3..i) == Some(b"end".as_slice()) => {
                    search = i + 6;
                }
                other => break other,
            }
        };
        match start {
            Some(i) => {
                at = find(pdf, i + 6, b"endstream").map(|e| e + 9);
                pdf.get(from..i)
            }
            None => {
                at = None;
                pdf.get(from..)
            }
        }
    })
}

/// Judges a file by its bytes and name; returns its kind and the bytes to store (images without
/// metadata).
///
/// # Errors
/// Why it is refused.
pub fn accept(bytes: &[u8], filename: &str) -> Result<(Kind, Vec<u8>), FileError> {
    check_size(bytes.len())?;
    let kind = if bytes.starts_with(b"%PDF-") {
        Kind::Pdf
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if bytes.starts_with(PNG) {
        Kind::Png
    } else {
        return Err(FileError::UnsupportedType);
    };
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let matches = match kind {
        Kind::Pdf => ext == "pdf",
        Kind::Jpeg => ext == "jpg" || ext == "jpeg",
        Kind::Png => ext == "png",
    };
    if !matches {
        return Err(FileError::ExtensionMismatch);
    }
    let markers: [&[u8]; 6] = [
        b"<html",
        b"<svg",
        b"<script",
        b"<!doctype",
        b"<?xml-stylesheet",
        b"<iframe",
    ];
    if contains_any(bytes, b'<', &markers, true) {
        return Err(FileError::Polyglot);
    }
    let cleaned = match kind {
        Kind::Pdf => {
            let active: [&[u8]; 6] = [
                b"/JavaScript",
                b"/JS",
                b"/Launch",
                b"/EmbeddedFile",
                b"/RichMedia",
                b"/XFA",
            ];
            if outside_streams(bytes).any(|part| contains_any(part, b'/', &active, false)) {
                return Err(FileError::ActivePdf);
            }
            bytes.to_vec()
        }
        Kind::Jpeg => strip_jpeg(bytes)?,
        Kind::Png => strip_png(bytes)?,
    };
    Ok((kind, cleaned))
}

/// A JPEG without APP1 (EXIF, XMP), APP13 (IPTC) and comment segments.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, FileError> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        let (Some(&ff), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            return Err(FileError::Damaged);
        };
        if ff != 0xFF {
            return Err(FileError::Damaged);
        }
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        // Start of scan or end of image: the rest is image data, kept as is.
        if marker == 0xDA || marker == 0xD9 {
            out.extend_from_slice(bytes.get(i..).ok_or(FileError::Damaged)?);
            return Ok(out);
        }
        // Markers without a length.
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&[0xFF, marker]);
            i += 2;
            continue;
        }
        let len = match (bytes.get(i + 2), bytes.get(i + 3)) {
            (Some(&a), Some(&b)) => usize::from(a) << 8 | usize::from(b),
            _ => return Err(FileError::Damaged),
        };
        if len < 2 {
            return Err(FileError::Damaged);
        }
        let end = i + 2 + len;
        let segment = bytes.get(i..end).ok_or(FileError::Damaged)?;
        let drop = marker == 0xE1 || marker == 0xED || marker == 0xFE;
        if !drop {
            out.extend_from_slice(segment);
        }
        i = end;
    }
}

/// A PNG without eXIf, tEXt, zTXt and iTXt chunks.
fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, FileError> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG);
    let mut i = PNG.len();
    while i < bytes.len() {
        let header = bytes.get(i..i + 8).ok_or(FileError::Damaged)?;
        let len = u32::from_be_bytes([
            *header.first().ok_or(FileError::Damaged)?,
            *header.get(1).ok_or(FileError::Damaged)?,
            *header.get(2).ok_or(FileError::Damaged)?,
            *header.get(3).ok_or(FileError::Damaged)?,
        ]);
        let len = usize::try_from(len).map_err(|_| FileError::Damaged)?;
        let kind = header.get(4..8).ok_or(FileError::Damaged)?;
        let end = i
            .checked_add(12)
            .and_then(|x| x.checked_add(len))
            .ok_or(FileError::Damaged)?;
        let chunk = bytes.get(i..end).ok_or(FileError::Damaged)?;
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt") {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_is_judged_before_the_bytes() {
        assert_eq!(check_size(0), Err(FileError::Empty));
        assert_eq!(check_size(1), Ok(()));
        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(check_size(MAX_BYTES + 1), Err(FileError::TooLarge));
        let big = vec![b'%'; MAX_BYTES + 1];
        assert_eq!(accept(&big, "a.pdf").map(|_| ()), Err(FileError::TooLarge));
    }

    fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46]); // APP0
        v.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x08]);
        v.extend_from_slice(b"GPS!!!"); // APP1 (EXIF)
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
        v
    }

    fn png_with_text() -> Vec<u8> {
        let mut v = PNG.to_vec();
        for (kind, data) in [
            (&b"IHDR"[..], &b"0123456789abc"[..]),
            (b"tEXt", b"GPS=1,2"),
            (b"IEND", b""),
        ] {
            v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            v.extend_from_slice(kind);
            v.extend_from_slice(data);
            v.extend_from_slice(&[0, 0, 0, 0]);
        }
        v
    }

    #[test]
    fn accepts_the_three_kinds_with_matching_names_and_strips_metadata() {
        let (k, out) = accept(b"%PDF-1.7\n%%EOF", "don.PDF").unwrap();
        assert_eq!(k, Kind::Pdf);
        assert_eq!(out, b"%PDF-1.7\n%%EOF");
        let (k, out) = accept(&jpeg_with_exif(), "anh.jpeg").unwrap();
        assert_eq!(k, Kind::Jpeg);
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        assert!(out.ends_with(&[0xFF, 0xD9]));
        let (k, out) = accept(&png_with_text(), "anh.png").unwrap();
        assert_eq!(k, Kind::Png);
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        assert!(out.windows(4).any(|w| w == b"IEND"));
    }

    #[test]
    fn stream_data_is_not_judged_by_bytes_but_everything_around_it_is() {
        let clean =
            b"%PDF-1.7\n1 0 obj << /Length 9 >>\nstream\nx/JS\x00/JSy\nendstream\nendobj\n%%EOF";
        assert!(accept(clean, "a.pdf").is_ok());
        let active = b"%PDF-1.7\n1 0 obj << /Length 3 >>\nstream\nabc\nendstream\nendobj\n2 0 obj << /S /JavaScript >> endobj";
        assert_eq!(accept(active, "a.pdf").err(), Some(FileError::ActivePdf));
        let unterminated = b"%PDF-1.7\n/OpenAction << /JS (x) >> stream\n/JS";
        assert_eq!(
            accept(unterminated, "a.pdf").err(),
            Some(FileError::ActivePdf)
        );
    }

    #[test]
    fn refuses_renamed_active_and_polyglot_files() {
        assert_eq!(
            accept(b"%PDF-1.7", "x.png"),
            Err(FileError::ExtensionMismatch)
        );
        assert_eq!(
            accept(b"%PDF-1.7", "pdf"),
            Err(FileError::ExtensionMismatch)
        );
        assert_eq!(
            accept(b"<svg onload=alert(1)>", "x.png"),
            Err(FileError::UnsupportedType)
        );
        assert_eq!(accept(b"<html>", "x.pdf"), Err(FileError::UnsupportedType));
        assert_eq!(
            accept(
                b"%PDF-1.4 /OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
                "x.pdf"
            ),
            Err(FileError::ActivePdf)
        );
        assert_eq!(
            accept(b"%PDF-1.4 /Launch", "x.pdf"),
            Err(FileError::ActivePdf)
        );
        assert_eq!(
            accept(b"%PDF-1.4 /EmbeddedFiles", "x.pdf"),
            Err(FileError::ActivePdf)
        );
        assert_eq!(
            accept(b"%PDF-1.4 <html><script>", "x.pdf"),
            Err(FileError::Polyglot)
        );
        assert_eq!(accept(b"", "x.pdf"), Err(FileError::Empty));
        assert_eq!(
            accept(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF], "x.jpg"),
            Err(FileError::Damaged)
        );
        let mut png = PNG.to_vec();
        png.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, b'I', b'D', b'A', b'T']);
        assert_eq!(accept(&png, "x.png"), Err(FileError::Damaged));
    }
}
