//! SECURITY.md A2, A3, A4 for uploaded files: active PDF content, re-encoded images, per-dossier limits under parallel uploads.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use lopdf::{Document, Object, dictionary};
use motcua_api::config::Mode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

use crate::helpers::{CITIZEN, TestApp, databases};

const COMPONENT: &str = "to-khai-ct01";

/// Uploads one file over multipart GraphQL; returns the `uploadAttachment` payload.
async fn upload(app: &TestApp, token: &str, dossier: &str, name: &str, bytes: Vec<u8>) -> Value {
    let operations = json!({
        "query": "mutation($d: ID!, $c: String!, $f: Upload!) { uploadAttachment(dossierId: $d, componentId: $c, file: $f) { attachment { id size sha256 contentType } userErrors { code message } } }",
        "variables": { "d": dossier, "c": COMPONENT, "f": null }
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.f"] }).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    // A connection of its own: a pooled one the server is closing after its keep-alive (busy
    // machine, seconds between uploads) breaks a 9 MB body half-way ("broken pipe").
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .header("x-motcua-upload", "1")
        .multipart(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let status = response.status();
    let r: Value = response.json().await.unwrap_or(Value::Null);
    let payload = r["data"]["uploadAttachment"].clone();
    assert!(payload.is_object(), "{status}: {r}");
    payload
}

/// The citizen's token and a fresh draft of 1.004194.
async fn draft(app: &TestApp) -> (String, String) {
    let (token, _) = app.login(CITIZEN).await;
    let (_, r) = app
        .call(
            Some(&token),
            "mutation { createDraft(procedureCode: \"1.004194\") { dossier { uuid } } }",
            json!({}),
        )
        .await;
    let uuid = r["data"]["createDraft"]["dossier"]["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    (token, uuid)
}

/// The stored bytes of the dossier's attachment `id`, downloaded as the applicant.
async fn download(app: &TestApp, token: &str, dossier: &str, id: &str) -> Vec<u8> {
    let (_, r) = app
        .call(
            Some(token),
            "query($id: ID!) { dossier(id: $id) { attachments { id downloadPath } } }",
            json!({ "id": dossier }),
        )
        .await;
    let path = r["data"]["dossier"]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("{r}"))["downloadPath"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A PDF of these objects (numbered from 1; the first is the catalogue) with a correct
/// cross-reference table.
fn pdf(objects: &[&[u8]]) -> Vec<u8> {
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

/// A one-page PDF whose catalogue has `catalog_extra` and whose page has `page_extra`, with
/// `more` objects numbered from 4.
fn page_pdf(catalog_extra: &str, page_extra: &str, more: &[&str]) -> Vec<u8> {
    let more: Vec<&[u8]> = more.iter().map(|o| o.as_bytes()).collect();
    page_pdf_of(catalog_extra, page_extra, &more)
}

/// The same with objects of any bytes.
fn page_pdf_of(catalog_extra: &str, page_extra: &str, more: &[&[u8]]) -> Vec<u8> {
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>");
    let page = format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page_extra} >>");
    let mut objects: Vec<&[u8]> = vec![
        catalog.as_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page.as_bytes(),
    ];
    objects.extend_from_slice(more);
    pdf(&objects)
}

/// A PDF written with object streams and a cross-reference stream (as modern producers do),
/// whose catalogue opens a JavaScript action: the script exists only deflated.
fn javascript_in_an_object_stream() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let action = doc.add_object(dictionary! {
        "Type" => "Action", "S" => "JavaScript", "JS" => Object::string_literal("app.alert('xin chao')"),
    });
    let catalog = doc
        .add_object(dictionary! { "Type" => "Catalog", "Pages" => pages, "OpenAction" => action });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_modern(&mut out).unwrap();
    assert!(contains(&out, b"/ObjStm"));
    assert!(!contains(&out, b"JavaScript") && !contains(&out, b"/JS"));
    out
}

/// A PDF with an object stream that inflates to 64 MiB (from about 64 KiB).
fn object_stream_bomb() -> Vec<u8> {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 64 << 20], 9);
    let mut stream = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    stream.extend_from_slice(&packed);
    stream.extend_from_slice(b"\nendstream");
    page_pdf_of("", "", &[&stream])
}

#[actix_web::test]
async fn a4_pdfs_with_active_content_are_refused_wherever_it_hides() {
    let corpus: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "JavaScript spelled with name escapes (/J#61vaScript, /J#53)",
            page_pdf(
                "/OpenAction 4 0 R",
                "",
                &["<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>"],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "JavaScript inside a compressed object stream",
            javascript_in_an_object_stream(),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "an open action running JavaScript, written inline",
            page_pdf(
                "/OpenAction << /S /J#61vaScript /J#53 4 0 R >>",
                "",
                &["<< /Length 12 >>\nstream\napp.alert(1)\nendstream"],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "a launch action",
            page_pdf(
                "/OpenAction << /S /L#61unch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>",
                "",
                &[],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "a link annotation opening a URI",
            page_pdf(
                "",
                "/Annots [4 0 R]",
                &[
                    "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /URI /URI (https://dichvucong-gia.example/dang-nhap) >> >>",
                ],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "a form that submits itself",
            page_pdf(
                "/AcroForm << /Fields [] >> /OpenAction << /S /SubmitForm /F << /FS /URL /F (https://thu-thap.example/) >> >>",
                "",
                &[],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "an embedded file",
            page_pdf(
                "/Names << /Embedded#46iles << /Names [(hoadon.exe) 4 0 R] >> >>",
                "",
                &[
                    "<< /Type /Filespec /F (hoadon.exe) /E#46 << /F 5 0 R >> >>",
                    "<< /Type /Embedded#46ile /Length 2 >>\nstream\nMZ\nendstream",
                ],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "an additional action on the page (/AA)",
            page_pdf("", "/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>", &[]),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "a link to another file (/GoToR)",
            page_pdf(
                "/OpenAction << /S /GoToR /F (\\\\\\\\may-chu\\\\chia-se\\\\a.pdf) /D [0 /Fit] >>",
                "",
                &[],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "form data imported from a file (/ImportData)",
            page_pdf("/OpenAction << /S /ImportData /F (du-lieu.fdf) >>", "", &[]),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "rich media (/RichMedia)",
            page_pdf(
                "",
                "/Annots [<< /Type /Annot /Subtype /Rich#4dedia /Rect [0 0 10 10] >>]",
                &[],
            ),
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "an encrypted file",
            {
                let mut bytes = page_pdf(
                    "",
                    "",
                    &["<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>"],
                );
                let at = bytes.windows(6).rposition(|w| w == b"/Root ").unwrap();
                bytes.splice(at..at, b"/Encrypt 4 0 R ".iter().copied());
                bytes
            },
            "PDF_ENCRYPTED",
        ),
        (
            "an object stream that inflates to 64 MiB",
            object_stream_bomb(),
            "PDF_TOO_COMPLEX",
        ),
        (
            "a header and nothing readable",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec(),
            "PDF_UNREADABLE",
        ),
    ];
    // A clean one-page document with an internal destination, a Vietnamese title and a content
    // stream: accepted, and served back byte for byte (its signature would stay valid).
    let clean = page_pdf(
        "/OpenAction [3 0 R /Fit] /Lang (vi-VN)",
        "/Contents 4 0 R",
        &["<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 770 Td (Don de nghi) Tj ET\n\nendstream"],
    );
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (token, dossier) = draft(&app).await;
        for (what, bytes, expected) in &corpus {
            let r = upload(&app, &token, &dossier, "don.pdf", bytes.clone()).await;
            assert_eq!(r["userErrors"][0]["code"], *expected, "{db}: {what}: {r}");
            assert_eq!(r["attachment"], Value::Null, "{db}: {what}");
            assert!(
                !r["userErrors"][0]["message"].as_str().unwrap().is_empty(),
                "{db}: {what}"
            );
        }
        assert_eq!(
            app.deps.storage.count().await.unwrap(),
            0,
            "{db}: nothing stored"
        );
        let r = upload(&app, &token, &dossier, "don.pdf", clean.clone()).await;
        assert_eq!(r["userErrors"], json!([]), "{db}: {r}");
        let id = r["attachment"]["id"].as_str().unwrap();
        assert_eq!(download(&app, &token, &dossier, id).await, clean, "{db}");
    }
}

/// `data` as a PNG chunk of `kind`, with its CRC.
fn png_chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in kind.iter().chain(data) {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&(!crc).to_be_bytes());
    out
}

/// A 64 × 48 picture (a gradient, so the encoders have something to encode).
fn picture() -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(64, 48, |x, y| {
        Rgb([
            u8::try_from(x * 4).unwrap(),
            u8::try_from(y * 5).unwrap(),
            128,
        ])
    }))
}

/// An EXIF block (big-endian TIFF) saying "rotate 90° clockwise to view" and carrying a GPS
/// position in its description, as phone cameras write them.
fn exif() -> Vec<u8> {
    let description = b"GPS 21.8537N 106.7615E Lang Son\0";
    let mut tiff = b"MM\0\x2A\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&2u16.to_be_bytes());
    // ImageDescription (ASCII), stored after the IFD.
    let data_at = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&[0x01, 0x0E, 0x00, 0x02]);
    tiff.extend_from_slice(&u32::try_from(description.len()).unwrap().to_be_bytes());
    tiff.extend_from_slice(&u32::try_from(data_at).unwrap().to_be_bytes());
    // Orientation = 6.
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(description);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    app1
}

#[actix_web::test]
async fn a3_images_are_re_encoded_without_exif_or_trailing_data() {
    let trailing = b"TRAILING-CANARY PK\x03\x04 hidden.zip";
    // A JPEG with an EXIF APP1 segment after SOI, and bytes after its end (FF D9).
    let mut jpeg = Vec::new();
    picture()
        .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, 95))
        .unwrap();
    let exif = exif();
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    segment.extend_from_slice(&exif);
    jpeg.splice(2..2, segment);
    jpeg.extend_from_slice(trailing);
    // A PNG with a tEXt chunk before IEND, and bytes after IEND.
    let mut png = Vec::new();
    picture()
        .write_with_encoder(PngEncoder::new(&mut png))
        .unwrap();
    let iend = png.len() - 12;
    png.splice(
        iend..iend,
        png_chunk(b"tEXt", b"Comment\0GPS 21.8537N 106.7615E Lang Son"),
    );
    png.extend_from_slice(trailing);
    // A PNG header claiming 100 000 × 100 000 pixels (a decompression bomb), refused before any
    // pixel is inflated.
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    bomb.extend_from_slice(&png_chunk(b"IHDR", &ihdr));
    bomb.extend_from_slice(&png_chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&[0; 4096], 9),
    ));
    bomb.extend_from_slice(&png_chunk(b"IEND", b""));
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (token, dossier) = draft(&app).await;
        for (name, bytes, format, mime, size) in [
            ("anh.jpg", &jpeg, ImageFormat::Jpeg, "image/jpeg", (48, 64)),
            ("anh.png", &png, ImageFormat::Png, "image/png", (64, 48)),
        ] {
            assert!(contains(bytes, b"GPS") && contains(bytes, b"TRAILING-CANARY"));
            let r = upload(&app, &token, &dossier, name, bytes.clone()).await;
            assert_eq!(r["userErrors"], json!([]), "{db}: {name}: {r}");
            let a = &r["attachment"];
            assert_eq!(a["contentType"], mime);
            let stored = download(&app, &token, &dossier, a["id"].as_str().unwrap()).await;
            assert!(
                !contains(&stored, b"GPS"),
                "{db}: {name}: the position is gone"
            );
            assert!(!contains(&stored, b"Exif"), "{db}: {name}: no EXIF at all");
            assert!(!contains(&stored, b"TRAILING-CANARY"), "{db}: {name}");
            assert!(!contains(&stored, b"PK\x03\x04"), "{db}: {name}");
            // What is recorded describes what is stored.
            assert_eq!(a["size"], stored.len(), "{db}: {name}");
            let sha: String = Sha256::digest(&stored)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(a["sha256"], sha, "{db}: {name}");
            // Still a picture of the same kind, turned upright as its EXIF said.
            let back = image::load_from_memory_with_format(&stored, format).unwrap();
            assert_eq!((back.width(), back.height()), size, "{db}: {name}");
        }
        let r = upload(&app, &token, &dossier, "bom.png", bomb.clone()).await;
        assert_eq!(r["userErrors"][0]["code"], "IMAGE_TOO_LARGE", "{db}: {r}");
        assert_eq!(app.deps.storage.count().await.unwrap(), 2, "{db}");
    }
}

#[actix_web::test]
async fn a2_parallel_uploads_never_exceed_the_per_dossier_limits() {
    let small = page_pdf("", "", &[]);
    // A 9 MB document: five fit in the 50 MB a dossier may hold, the sixth does not.
    let large = {
        let filler = "0".repeat(9_000_000);
        page_pdf(
            "",
            "/Contents 4 0 R",
            &[&format!(
                "<< /Length {} >>\nstream\n{filler}\nendstream",
                filler.len() + 1
            )],
        )
    };
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (token, dossier) = draft(&app).await;
        let names: Vec<String> = (0..30).map(|i| format!("{i}.pdf")).collect();
        let answers = futures_util::future::join_all(
            names
                .iter()
                .map(|name| upload(&app, &token, &dossier, name, small.clone())),
        )
        .await;
        let stored = answers
            .iter()
            .filter(|r| r["attachment"].is_object())
            .count();
        assert_eq!(stored, 20, "{db}: {answers:?}");
        for r in answers.iter().filter(|r| r["attachment"].is_null()) {
            assert_eq!(r["userErrors"][0]["code"], "TOO_MANY_FILES", "{db}: {r}");
        }
        let (_, r) = app
            .call(
                Some(&token),
                "query($id: ID!) { dossier(id: $id) { attachments { id } } }",
                json!({ "id": dossier }),
            )
            .await;
        assert_eq!(
            r["data"]["dossier"]["attachments"]
                .as_array()
                .unwrap()
                .len(),
            20,
            "{db}: {r}"
        );
        // Refused files leave nothing behind in storage.
        assert_eq!(app.deps.storage.count().await.unwrap(), 20, "{db}");

        let (_, second) = draft(&app).await;
        // Three one after the other (27 MB), then three at once: two fit, the third would take
        // the dossier to 54 MB. (Three at once, not six: unoptimised, each takes a second or
        // two, and the race needs only two to meet.)
        for name in ["lon-1.pdf", "lon-2.pdf", "lon-3.pdf"] {
            let r = upload(&app, &token, &second, name, large.clone()).await;
            assert_eq!(r["userErrors"], json!([]), "{db}: {r}");
        }
        let answers = futures_util::future::join_all(
            ["lon-4.pdf", "lon-5.pdf", "lon-6.pdf"]
                .map(|name| upload(&app, &token, &second, name, large.clone())),
        )
        .await;
        let stored: Vec<&Value> = answers
            .iter()
            .filter(|r| r["attachment"].is_object())
            .collect();
        assert_eq!(stored.len(), 2, "{db}: {answers:?}");
        let (_, r) = app
            .call(
                Some(&token),
                "query($id: ID!) { dossier(id: $id) { attachments { size } } }",
                json!({ "id": second }),
            )
            .await;
        let sizes = r["data"]["dossier"]["attachments"].as_array().unwrap();
        assert_eq!(sizes.len(), 5, "{db}: {r}");
        let total: u64 = sizes.iter().map(|a| a["size"].as_u64().unwrap()).sum();
        assert!(total <= 50 << 20, "{db}: {total}");
        let refused = answers.iter().find(|r| r["attachment"].is_null()).unwrap();
        assert_eq!(
            refused["userErrors"][0]["code"], "DOSSIER_TOO_LARGE",
            "{db}: {refused}"
        );
        assert_eq!(app.deps.storage.count().await.unwrap(), 25, "{db}");
    }
}

/// Browsers send mixed-case multipart boundaries (`----WebKitFormBoundary…`); the boundary is
/// case-sensitive, so an upload from a real browser must be read with it as sent.
#[actix_web::test]
async fn a_browsers_mixed_case_boundary_is_read_as_sent() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (token, dossier) = draft(&app).await;
        let boundary = "----WebKitFormBoundaryAbCdEfGh12XyZ9";
        let operations = json!({
            "query": "mutation($d: ID!, $c: String!, $f: Upload!) { uploadAttachment(dossierId: $d, componentId: $c, file: $f) { attachment { id contentType } userErrors { code } } }",
            "variables": { "d": dossier, "c": COMPONENT, "f": null }
        });
        let mut body = Vec::new();
        for (name, value) in [
            ("operations", operations.to_string()),
            ("map", json!({ "0": ["variables.f"] }).to_string()),
        ] {
            write!(
                body_text(&mut body),
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .unwrap();
        }
        write!(
            body_text(&mut body),
            "--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"to-khai.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .unwrap();
        body.extend(png_bytes());
        write!(body_text(&mut body), "\r\n--{boundary}--\r\n").unwrap();
        let response = reqwest::Client::new()
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .header("x-motcua-upload", "1")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, 200, "{db}: {text}");
        let r: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            r["data"]["uploadAttachment"]["attachment"]["contentType"], "image/png",
            "{db}: {r}"
        );
    }
}

/// A `fmt::Write` view of a byte buffer.
fn body_text(bytes: &mut Vec<u8>) -> impl std::fmt::Write + '_ {
    struct Text<'a>(&'a mut Vec<u8>);
    impl std::fmt::Write for Text<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.extend_from_slice(s.as_bytes());
            Ok(())
        }
    }
    Text(bytes)
}

/// A small PNG.
fn png_bytes() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(RgbImage::from_pixel(8, 8, Rgb([200, 30, 30])))
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}
