//! Unit tests of the PDF judgement; the whole path over HTTP is in `tests/api/files.rs`.

use super::*;
use std::fmt::Write as _;

/// A PDF with these objects (numbered from 1, the first the catalogue) and a correct
/// cross-reference table.
fn pdf(objects: &[&str]) -> Vec<u8> {
    let bodies: Vec<&[u8]> = objects.iter().map(|o| o.as_bytes()).collect();
    pdf_of(&bodies)
}

/// The same with bodies of any bytes.
fn pdf_of(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        writeln!(table, "{o:010} 00000 n ").unwrap();
    }
    write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out.extend_from_slice(table.as_bytes());
    out
}

const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";
const PAGES: &str = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const PAGE: &str = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>";

#[test]
fn a_clean_pdf_and_the_bare_test_documents_are_accepted() {
    assert_eq!(inspect(&pdf(&[CATALOG, PAGES, PAGE])), Ok(()));
    // The smallest well-formed document, as the other tests upload.
    assert_eq!(
        inspect(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer << /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n"
        ),
        Ok(())
    );
    // A link inside the document (a destination) is not active.
    let catalog = "<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>";
    assert_eq!(inspect(&pdf(&[catalog, PAGES, PAGE])), Ok(()));
}

#[test]
fn names_are_read_with_their_escapes() {
    let found: Vec<Vec<u8>> = names(b"<< /S /J#61vaScript /Encr#79pt 4 0 R /A#zz>>").collect();
    assert_eq!(
        found,
        vec![
            b"S".to_vec(),
            b"JavaScript".to_vec(),
            b"Encrypt".to_vec(),
            b"A".to_vec()
        ]
    );
}

#[test]
fn active_content_is_found_through_escapes() {
    for action in [
        "<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>",
        "<< /S /L#61unch /F (cmd.exe) >>",
        "<< /S /URI /URI (https://example.invalid) >>",
        "<< /S /SubmitForm /F (https://example.invalid) >>",
        "<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
        "<< /S /ImportData /F (data.fdf) >>",
    ] {
        let catalog = "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>";
        assert_eq!(
            inspect(&pdf(&[catalog, PAGES, PAGE, action])),
            Err(PdfError::Active),
            "{action}"
        );
    }
    let page = "<< /Type /Page /Parent 2 0 R /A#41 << /O 4 0 R >> >>";
    assert_eq!(
        inspect(&pdf(&[CATALOG, PAGES, page, "<< >>"])),
        Err(PdfError::Active)
    );
}

#[test]
fn an_object_missing_from_the_cross_reference_table_is_still_judged() {
    let mut bytes = pdf(&[CATALOG, PAGES, PAGE]);
    let hidden = b"9 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n";
    let at = bytes.windows(4).position(|w| w == b"xref").unwrap();
    // Inserted before the table, the offsets of the listed objects stay right.
    bytes.splice(at..at, hidden.iter().copied());
    let startxref = bytes.windows(9).rposition(|w| w == b"startxref").unwrap();
    bytes.truncate(startxref);
    bytes.extend_from_slice(format!("startxref\n{}\n%%EOF\n", at + hidden.len()).as_bytes());
    assert_eq!(inspect(&bytes), Err(PdfError::Active));
}

#[test]
fn encrypted_and_unreadable_pdfs_are_refused() {
    let mut bytes = pdf(&[CATALOG, PAGES, PAGE]);
    let at = bytes.windows(6).rposition(|w| w == b"/Root ").unwrap();
    bytes.splice(at..at, b"/Encr#79pt 3 0 R ".iter().copied());
    assert_eq!(inspect(&bytes), Err(PdfError::Encrypted));
    assert_eq!(
        inspect(b"%PDF-1.7\nnothing here"),
        Err(PdfError::Unreadable)
    );
}

#[test]
fn a_page_tree_that_multiplies_its_pages_is_refused() {
    // Each level lists the next one twice: 2^40 pages for a walker that follows them.
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R 3 0 R] >>".to_owned(),
    ];
    for level in 3..43 {
        objects.push(format!(
            "<< /Type /Pages /Kids [{n} 0 R {n} 0 R] >>",
            n = level + 1
        ));
    }
    objects.push(PAGE.to_owned());
    let refs: Vec<&str> = objects.iter().map(String::as_str).collect();
    assert_eq!(inspect(&pdf(&refs)), Err(PdfError::TooComplex));
}

#[test]
fn an_object_stream_bomb_is_refused_without_inflating_it() {
    // 64 MiB of spaces deflate to about 64 KiB; the bound stops the inflation at 4 MiB.
    let plain = vec![b' '; 64 << 20];
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&plain, 9);
    let mut stream = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    stream.extend_from_slice(&packed);
    stream.extend_from_slice(b"\nendstream");
    let bytes = pdf_of(&[
        CATALOG.as_bytes(),
        PAGES.as_bytes(),
        PAGE.as_bytes(),
        &stream,
    ]);
    let started = std::time::Instant::now();
    assert_eq!(inspect(&bytes), Err(PdfError::TooComplex));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn object_streams_are_bounded_together_not_only_one_by_one() {
    // Nine object streams of 3.9 MiB each: every one is under the bound of one stream, together
    // they are over the bound of a reading.
    let plain = vec![b' '; (39 << 20) / 10];
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&plain, 9);
    let mut stream = format!(
        "<< /Type /ObjStm /N 0 /First 0 /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    stream.extend_from_slice(&packed);
    stream.extend_from_slice(b"\nendstream");
    let mut objects = vec![CATALOG.as_bytes(), PAGES.as_bytes(), PAGE.as_bytes()];
    objects.push(&stream);
    assert_eq!(inspect(&pdf_of(&objects)), Ok(()), "one is fine");
    objects.extend(std::iter::repeat_n(stream.as_slice(), 8));
    assert_eq!(inspect(&pdf_of(&objects)), Err(PdfError::TooComplex));
}

#[test]
fn a_chain_of_cross_reference_sections_is_bounded() {
    let mut bytes = pdf(&[CATALOG, PAGES, PAGE]);
    let many = "/Prev 0 ".repeat(MAX_SECTIONS + 1);
    let at = bytes.windows(6).rposition(|w| w == b"/Root ").unwrap();
    bytes.splice(at..at, many.bytes());
    assert_eq!(inspect(&bytes), Err(PdfError::TooComplex));
}
