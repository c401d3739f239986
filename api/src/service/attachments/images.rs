//! Uploaded photos and scans re-encoded on the server (SECURITY.md A3): decoded with the `image`
//! crate and encoded again, so only the pixels are stored — no EXIF (GPS positions, camera
//! serials), no text chunks, no bytes hidden after the end of the image. The size is checked
//! from the header before any pixel is decoded (a decompression bomb is refused, not inflated).

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use motcua_core::file::Kind;
use std::io::Cursor;

/// Most pixels of an accepted image (40 megapixels: a phone camera's full resolution, or an A4
/// page scanned at 600 dpi, fit).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Most bytes the decoder may hold (the pixels of [`MAX_PIXELS`] at 16 bits per RGBA channel).
const MAX_ALLOC: u64 = MAX_PIXELS * 8;
/// JPEG quality of the re-encoded photo: text stays sharp, and the file seldom grows (phones
/// write 90–95).
const JPEG_QUALITY: u8 = 85;

/// Why an image is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// Over [`MAX_PIXELS`].
    #[error("an image over the size limit")]
    TooLarge,
    /// Not decodable as the kind it claims to be.
    #[error("a damaged image")]
    Damaged,
}

impl motcua_core::Coded for ImageError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge => "IMAGE_TOO_LARGE",
            Self::Damaged => "FILE_DAMAGED",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::TooLarge => {
                "Ảnh vượt quá 40 megapixel; hãy chụp hoặc quét với độ phân giải thấp hơn."
            }
            Self::Damaged => "Tệp ảnh bị hỏng.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::TooLarge => {
                "The image exceeds 40 megapixels; take or scan it at a lower resolution."
            }
            Self::Damaged => "The image is damaged.",
        }
    }
}

fn classify(e: &image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        _ => ImageError::Damaged,
    }
}

/// The image decoded and encoded again as the same kind (JPEG or PNG), turned upright first as
/// its EXIF orientation said (the orientation is the one piece of metadata that changes what the
/// pixels mean).
///
/// # Errors
/// Too many pixels, or not decodable (a PDF is not an image).
pub fn reencode(bytes: &[u8], kind: Kind) -> Result<Vec<u8>, ImageError> {
    let format = match kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::Pdf => return Err(ImageError::Damaged),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| classify(&e))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge);
    }
    // A damaged EXIF block is no reason to refuse the photo: it is dropped with the rest.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(|e| classify(&e))?;
    pixels.apply_orientation(orientation);
    let mut out = Vec::new();
    match kind {
        Kind::Jpeg => {
            // JPEG has no alpha channel and 8 bits per channel.
            let rgb = DynamicImage::ImageRgb8(pixels.into_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        }
        _ => pixels.write_with_encoder(PngEncoder::new(&mut out)),
    }
    .map_err(|e| classify(&e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(width, height)
            .write_with_encoder(PngEncoder::new(&mut out))
            .unwrap();
        out
    }

    #[test]
    fn images_come_back_as_the_same_kind_without_what_followed_them() {
        let mut bytes = png(3, 2);
        bytes.extend_from_slice(b"<trailing GPS=21.85,106.76>");
        let out = reencode(&bytes, Kind::Png).unwrap();
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        let back = image::load_from_memory_with_format(&out, ImageFormat::Png).unwrap();
        assert_eq!((back.width(), back.height()), (3, 2));
        let mut jpeg = Vec::new();
        DynamicImage::new_rgb8(4, 4)
            .write_with_encoder(JpegEncoder::new(&mut jpeg))
            .unwrap();
        let out = reencode(&jpeg, Kind::Jpeg).unwrap();
        assert!(out.starts_with(&[0xFF, 0xD8, 0xFF]));
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        // A header claiming 100 000 × 100 000 pixels; the pixel data is never inflated.
        let mut bytes = png(1, 1);
        let ihdr = bytes.windows(4).position(|w| w == b"IHDR").unwrap();
        bytes.splice(
            ihdr + 4..ihdr + 12,
            [100_000u32.to_be_bytes(), 100_000u32.to_be_bytes()].concat(),
        );
        // The chunk's CRC no longer matches: the decoder must not be the one to say no first.
        let crc_at = ihdr + 4 + 13;
        let crc = crc32(bytes.get(ihdr..crc_at).unwrap());
        bytes.splice(crc_at..crc_at + 4, crc.to_be_bytes());
        assert_eq!(reencode(&bytes, Kind::Png), Err(ImageError::TooLarge));
        assert_eq!(
            reencode(b"\x89PNG\r\n\x1a\nxx", Kind::Png),
            Err(ImageError::Damaged)
        );
        assert_eq!(reencode(b"%PDF-1.7", Kind::Pdf), Err(ImageError::Damaged));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
