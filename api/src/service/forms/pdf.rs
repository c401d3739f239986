//! A small, deterministic PDF renderer for the dossier forms.
//!
//! Why our own: the forms are a handful of text blocks, rules, one table and a QR code, so a
//! layout engine would be overkill, while the hard part (Vietnamese text that prints *and*
//! copies/searches correctly) needs care: every glyph goes through an embedded, subsetted
//! TrueType font written as a Type0/CIDFontType2 font with Identity-H encoding, and a ToUnicode
//! CMap maps each glyph back to its precomposed character so that `pdftotext`, screen readers
//! and search find "hồ sơ" and not mojibake.
//!
//! The renderer keeps a cursor that flows down the page (`paragraph`, `table`) and also offers
//! absolute drawing (`draw_lines_at`, `hrule`, `qr_code`) for the two-column letterhead and the
//! signature blocks. Nothing in the output depends on the clock or on randomness: the same input
//! gives the same bytes, so a rendered form can be hashed, cached or compared in tests.
//!
//! Text is not shaped: one character is one glyph (no kerning, no ligatures). Vietnamese input
//! must be in NFC (precomposed) form, as it is when typed or stored by the service; DejaVu Serif
//! has every precomposed Vietnamese letter. A character the font lacks is drawn as `?`.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::{Color, EcLevel, QrCode};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

/// DejaVu Serif (Debian `fonts-dejavu-core`), embedded so that rendering needs no file system.
/// The path is anchored at the crate's manifest directory so that this file can live at any depth.
const FONT_REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSerif.ttf"
));
/// DejaVu Serif Bold.
const FONT_BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSerif-Bold.ttf"
));
/// DejaVu Serif Italic.
const FONT_ITALIC: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSerif-Italic.ttf"
));

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left margin: 30 mm, as Decree 30/2020/ND-CP prescribes for administrative documents.
pub const MARGIN_LEFT: f32 = 85.04;
/// Right margin: 15 mm.
pub const MARGIN_RIGHT: f32 = 42.52;
/// Top margin: 20 mm.
pub const MARGIN_TOP: f32 = 56.69;
/// Bottom margin: 20 mm (the page number sits inside it).
pub const MARGIN_BOTTOM: f32 = 56.69;
/// Width of the text column between the margins.
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Line height as a multiple of the font size: Vietnamese capitals carry stacked marks ("Ố"),
/// so lines need more room than Latin text.
pub const LEADING: f32 = 1.35;

/// Why a form could not be rendered. None of these depend on the input text except `Qr`
/// (a lookup URL too long for any QR version).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormError {
    /// An embedded font could not be parsed (a broken asset).
    #[error("embedded font {0} could not be parsed")]
    FontParse(&'static str),
    /// An embedded font could not be subset.
    #[error("embedded font {0} could not be subset: {1}")]
    Subset(&'static str, String),
    /// The QR code could not be built from the data.
    #[error("QR code could not be encoded: {0}")]
    Qr(String),
}

/// The three faces the forms use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    /// Body text.
    Regular,
    /// Titles, the national motto, headings, filled-in values.
    Bold,
    /// Place/date line, signature hints, captions.
    Italic,
}

/// Horizontal alignment of lines inside their box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// A run of text in one style; a paragraph is a slice of spans. `\n` forces a line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The face.
    pub style: Style,
    /// The text (NFC).
    pub text: String,
}

impl Span {
    /// Regular text.
    #[must_use]
    pub fn regular(text: impl Into<String>) -> Self {
        Self {
            style: Style::Regular,
            text: text.into(),
        }
    }
    /// Bold text.
    #[must_use]
    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            style: Style::Bold,
            text: text.into(),
        }
    }
    /// Italic text.
    #[must_use]
    pub fn italic(text: impl Into<String>) -> Self {
        Self {
            style: Style::Italic,
            text: text.into(),
        }
    }
}

/// A piece of a laid-out line in one style.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    style: Style,
    text: String,
    width: f32,
}

/// One laid-out line: styled segments and their total width at the size used for layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    segments: Vec<Segment>,
    width: f32,
}

impl Line {
    /// Width in points.
    #[must_use]
    pub fn width(&self) -> f32 {
        self.width
    }

    /// The plain text of the line (for tests and diagnostics).
    #[must_use]
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }

    fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Appends text, merging with the last segment when the style is the same so that the
    /// content stream has one `Tj` per style change, not per word.
    fn push(&mut self, style: Style, text: &str, width: f32) {
        self.width += width;
        if let Some(last) = self.segments.last_mut()
            && last.style == style
        {
            last.text.push_str(text);
            last.width += width;
            return;
        }
        self.segments.push(Segment {
            style,
            text: text.to_owned(),
            width,
        });
    }
}

/// Paragraph settings for the flowing cursor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Para {
    /// Font size in points.
    pub size: f32,
    /// Alignment of each line.
    pub align: Align,
    /// Left indent from the text column, in points.
    pub indent: f32,
    /// Extra space after the paragraph, in points.
    pub space_after: f32,
}

impl Para {
    /// Body text: left aligned, no indent.
    #[must_use]
    pub const fn body(size: f32) -> Self {
        Self {
            size,
            align: Align::Left,
            indent: 0.0,
            space_after: 2.0,
        }
    }
    /// Centred text.
    #[must_use]
    pub const fn centered(size: f32) -> Self {
        Self {
            size,
            align: Align::Center,
            indent: 0.0,
            space_after: 2.0,
        }
    }
    /// The same settings with a left indent.
    #[must_use]
    pub const fn indented(self, indent: f32) -> Self {
        Self { indent, ..self }
    }
    /// The same settings with extra space after.
    #[must_use]
    pub const fn after(self, space_after: f32) -> Self {
        Self {
            space_after,
            ..self
        }
    }
}

/// A table column: its share of the table width and the alignment of its body cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Relative width; the shares of all columns are normalised to the table width.
    pub share: f32,
    /// Alignment of body cells (header cells are always centred).
    pub align: Align,
}

impl Column {
    /// A column with `share` of the table width.
    #[must_use]
    pub const fn new(share: f32, align: Align) -> Self {
        Self { share, align }
    }
}

/// A bordered table across the text column. The header row is repeated on every page the
/// table continues on, so a long control sheet stays readable when printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column layout.
    pub columns: Vec<Column>,
    /// Header cells (drawn bold-as-given, centred).
    pub header: Vec<Vec<Span>>,
    /// Body rows; a missing cell is drawn empty.
    pub rows: Vec<Vec<Vec<Span>>>,
    /// Font size of cell text.
    pub size: f32,
    /// Inner cell padding in points.
    pub padding: f32,
}

/// One embedded font and the glyphs used so far.
struct FontSlot {
    /// Label for errors and the PostScript base name.
    ps_name: &'static str,
    data: &'static [u8],
    face: Face<'static>,
    /// Old glyph id → new (subset) glyph id; the new id is also the CID written in the content.
    remapper: GlyphRemapper,
    /// New glyph id → the character it stands for, for the ToUnicode CMap.
    unicode: BTreeMap<u16, char>,
    /// New glyph id → advance width in font units, for the `/W` array.
    advances: BTreeMap<u16, u16>,
    units_per_em: f32,
    /// The glyph drawn for a character the font lacks.
    fallback: GlyphId,
}

impl FontSlot {
    fn load(ps_name: &'static str, data: &'static [u8]) -> Result<Self, FormError> {
        let face = Face::parse(data, 0).map_err(|_| FormError::FontParse(ps_name))?;
        let units_per_em = f32::from(face.units_per_em().max(1));
        let fallback = face.glyph_index('?').unwrap_or(GlyphId(0));
        let mut advances = BTreeMap::new();
        advances.insert(0, face.glyph_hor_advance(GlyphId(0)).unwrap_or(0));
        Ok(Self {
            ps_name,
            data,
            face,
            remapper: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
            advances,
            units_per_em,
            fallback,
        })
    }

    /// The glyph and the character it really shows (`?` for a missing one).
    fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.face.glyph_index(c) {
            Some(g) => (g, c),
            None => (self.fallback, '?'),
        }
    }

    /// Width of `text` at `size` points. Control characters (tabs, soft hyphens) still count
    /// as glyphs; callers pass plain text.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| u32::from(self.face.glyph_hor_advance(self.glyph(c).0).unwrap_or(0)))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Encodes `text` as two-byte CIDs (big endian), recording each glyph for the subset,
    /// the width table and the ToUnicode map.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (glyph, shown) = self.glyph(c);
            let cid = self.remapper.remap(glyph.0);
            self.unicode.entry(cid).or_insert(shown);
            self.advances
                .entry(cid)
                .or_insert_with(|| self.face.glyph_hor_advance(glyph).unwrap_or(0));
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// Whether any glyph besides `.notdef` was used (unused fonts are not embedded).
    fn used(&self) -> bool {
        self.remapper.num_gids() > 1
    }

    /// Six capital letters derived from the glyph set, as PDF requires for a subset font's
    /// name: deterministic (FNV-1a), so the same text gives the same file.
    fn subset_tag(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for old in self.remapper.remapped_gids() {
            for b in old.to_be_bytes() {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        (0..6)
            .map(|i| {
                let letter = ((hash >> (i * 8)) % 26) as u8;
                char::from(b'A' + letter)
            })
            .collect()
    }
}

/// A document being drawn: pages, the flowing cursor and the fonts.
pub struct Document {
    regular: FontSlot,
    bold: FontSlot,
    italic: FontSlot,
    /// Pages already full.
    done: Vec<Content>,
    /// The page being drawn on.
    page: Content,
    /// Cursor: the top of the next block, in PDF coordinates (from the bottom of the page).
    y: f32,
    /// Document title for the info dictionary (shown by viewers in the window title).
    title: String,
}

/// Resource name of each face on every page.
fn font_name(style: Style) -> Name<'static> {
    match style {
        Style::Regular => Name(b"F1"),
        Style::Bold => Name(b"F2"),
        Style::Italic => Name(b"F3"),
    }
}

/// Zlib-compresses a stream: fonts and content shrink to about a third.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// The CID system of Identity-H fonts.
fn system_info() -> SystemInfo<'static> {
    SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    }
}

/// Line height at `size`.
#[must_use]
pub fn line_height(size: f32) -> f32 {
    size * LEADING
}

impl Document {
    /// A document with one empty page and the cursor at the top margin.
    ///
    /// # Errors
    /// [`FormError::FontParse`] if an embedded font is broken.
    pub fn new(title: &str) -> Result<Self, FormError> {
        Ok(Self {
            regular: FontSlot::load("DejaVuSerif", FONT_REGULAR)?,
            bold: FontSlot::load("DejaVuSerif-Bold", FONT_BOLD)?,
            italic: FontSlot::load("DejaVuSerif-Italic", FONT_ITALIC)?,
            done: Vec::new(),
            page: Content::new(),
            y: PAGE_HEIGHT - MARGIN_TOP,
            title: title.to_owned(),
        })
    }

    fn font(&self, style: Style) -> &FontSlot {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
            Style::Italic => &self.italic,
        }
    }

    fn font_mut(&mut self, style: Style) -> &mut FontSlot {
        match style {
            Style::Regular => &mut self.regular,
            Style::Bold => &mut self.bold,
            Style::Italic => &mut self.italic,
        }
    }

    /// The cursor: top of the next block, in points from the bottom of the page.
    #[must_use]
    pub fn cursor(&self) -> f32 {
        self.y
    }

    /// Moves the cursor to `y` (e.g. below the taller of two absolute columns).
    pub fn set_cursor(&mut self, y: f32) {
        self.y = y;
    }

    /// Moves the cursor down by `dy` points (never below the bottom margin: the next block
    /// then starts a new page).
    pub fn skip(&mut self, dy: f32) {
        self.y = (self.y - dy).max(MARGIN_BOTTOM);
    }

    /// Number of pages so far (including the current one).
    #[must_use]
    pub fn page_count(&self) -> usize {
        self.done.len() + 1
    }

    /// Room left on the current page below the cursor.
    #[must_use]
    pub fn remaining(&self) -> f32 {
        self.y - MARGIN_BOTTOM
    }

    /// Starts a new page and puts the cursor at its top.
    pub fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Content::new());
        self.done.push(full);
        self.y = PAGE_HEIGHT - MARGIN_TOP;
    }

    /// Starts a new page unless `height` points still fit; returns whether it broke the page.
    /// Used to keep blocks (signatures, the QR box) in one piece.
    pub fn ensure_space(&mut self, height: f32) -> bool {
        if height > self.remaining() {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Width of `text` in `style` at `size`.
    #[must_use]
    pub fn text_width(&self, style: Style, size: f32, text: &str) -> f32 {
        self.font(style).width(text, size)
    }

    /// The largest size from `size` down to `min` (in half points) at which `text` fits in
    /// `max_width` on one line: the letterhead must keep "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    /// on one line even though DejaVu Serif is wider than the Times of the official samples.
    #[must_use]
    pub fn fit_size(&self, style: Style, text: &str, max_width: f32, size: f32, min: f32) -> f32 {
        let mut s = size;
        while s > min && self.text_width(style, s, text) > max_width {
            s -= 0.5;
        }
        s.max(min)
    }

    /// Breaks spans into lines no wider than `max_width` at `size`: greedy, at spaces and at
    /// `\n`; a word wider than the whole line (a long URL) is broken between characters.
    #[must_use]
    pub fn layout(&self, spans: &[Span], size: f32, max_width: f32) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut line = Line::default();
        // A space seen since the last word: written only if another word follows on the line.
        let mut pending: Option<Style> = None;
        for span in spans {
            let font = self.font(span.style);
            let space = font.width(" ", size);
            for (i, part) in span.text.split('\n').enumerate() {
                if i > 0 {
                    lines.push(std::mem::take(&mut line));
                    pending = None;
                }
                for (j, word) in part.split(' ').enumerate() {
                    if j > 0 {
                        pending = Some(span.style);
                    }
                    if word.is_empty() {
                        continue;
                    }
                    let w = font.width(word, size);
                    let gap = match pending {
                        Some(style) if !line.is_empty() => self.font(style).width(" ", size),
                        _ => 0.0,
                    };
                    if line.width + gap + w <= max_width || (line.is_empty() && w <= max_width) {
                        if gap > 0.0
                            && let Some(style) = pending
                        {
                            line.push(style, " ", gap);
                        }
                        line.push(span.style, word, w);
                    } else if w <= max_width {
                        lines.push(std::mem::take(&mut line));
                        line.push(span.style, word, w);
                    } else {
                        // Too long for any line (a URL): fill the current line, then break
                        // inside the word, preferably after a separator such as `/` or `-`.
                        if gap > 0.0
                            && let Some(style) = pending
                            && line.width + gap + space < max_width
                        {
                            line.push(style, " ", gap);
                        }
                        let mut rest: &str = word;
                        while !rest.is_empty() {
                            let (mut head, mut tail) =
                                split_to_fit(font, rest, size, max_width - line.width);
                            if head.is_empty() {
                                if !line.is_empty() {
                                    lines.push(std::mem::take(&mut line));
                                    continue;
                                }
                                // Not even one character fits an empty line: place it anyway.
                                let first = rest.chars().next().map_or(rest.len(), char::len_utf8);
                                (head, tail) = rest.split_at_checked(first).unwrap_or((rest, ""));
                            }
                            line.push(span.style, head, font.width(head, size));
                            rest = tail;
                            if !rest.is_empty() {
                                lines.push(std::mem::take(&mut line));
                            }
                        }
                    }
                    pending = None;
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws one line with its baseline at `baseline`, aligned inside `[x, x + width]`.
    fn draw_line(
        &mut self,
        line: &Line,
        x: f32,
        width: f32,
        baseline: f32,
        size: f32,
        align: Align,
    ) {
        let mut pos = match align {
            Align::Left => x,
            Align::Center => x + (width - line.width) / 2.0,
            Align::Right => x + width - line.width,
        };
        if line.is_empty() {
            return;
        }
        let mut encoded = Vec::with_capacity(line.segments.len());
        for seg in &line.segments {
            let bytes = self.font_mut(seg.style).encode(&seg.text);
            encoded.push((seg.style, bytes, seg.width));
        }
        self.page.begin_text();
        for (style, bytes, w) in &encoded {
            self.page.set_font(font_name(*style), size);
            self.page
                .set_text_matrix([1.0, 0.0, 0.0, 1.0, pos, baseline]);
            self.page.show(Str(bytes));
            pos += w;
        }
        self.page.end_text();
    }

    /// Draws laid-out lines in the box `[x, x + width]` whose top is `top`, on the current page,
    /// without touching the cursor; returns the height used. For side-by-side blocks (the
    /// letterhead columns, signatures), which the caller keeps on one page.
    pub fn draw_lines_at(
        &mut self,
        lines: &[Line],
        x: f32,
        width: f32,
        top: f32,
        size: f32,
        align: Align,
    ) -> f32 {
        let lh = line_height(size);
        let mut top_of_line = top;
        for line in lines {
            self.draw_line(line, x, width, top_of_line - size, size, align);
            top_of_line -= lh;
        }
        top - top_of_line
    }

    /// Lays out and draws spans in an absolute box (see [`Document::draw_lines_at`]).
    pub fn block_at(
        &mut self,
        spans: &[Span],
        x: f32,
        width: f32,
        top: f32,
        size: f32,
        align: Align,
    ) -> f32 {
        let lines = self.layout(spans, size, width);
        self.draw_lines_at(&lines, x, width, top, size, align)
    }

    /// A flowing paragraph at the cursor; lines that do not fit continue on a new page.
    pub fn paragraph(&mut self, spans: &[Span], para: Para) {
        let width = CONTENT_WIDTH - para.indent;
        let x = MARGIN_LEFT + para.indent;
        let lh = line_height(para.size);
        let lines = self.layout(spans, para.size, width);
        for line in &lines {
            self.ensure_space(lh);
            self.draw_line(line, x, width, self.y - para.size, para.size, para.align);
            self.y -= lh;
        }
        self.skip(para.space_after);
    }

    /// A horizontal rule from `x1` to `x2` at height `y`.
    pub fn hrule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        self.page.set_line_width(thickness);
        self.page.move_to(x1, y);
        self.page.line_to(x2, y);
        self.page.stroke();
    }

    /// Outlines a rectangle (table cells).
    fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.page.set_line_width(0.6);
        self.page.rect(x, y, w, h);
        self.page.stroke();
    }

    /// Draws a QR code of `data` (error correction M) as filled squares: `side` points wide,
    /// with its top-left corner at (`x`, `top`). Vector squares stay sharp at any print
    /// resolution and need no image codec. Leave about two modules of white around it.
    ///
    /// # Errors
    /// [`FormError::Qr`] if `data` is too long for a QR code.
    pub fn qr_code(&mut self, data: &str, x: f32, top: f32, side: f32) -> Result<(), FormError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
            .map_err(|e| FormError::Qr(e.to_string()))?;
        let n = code.width();
        if n == 0 {
            return Err(FormError::Qr("empty symbol".to_owned()));
        }
        let module = side / n as f32;
        let colors = code.to_colors();
        self.page.set_fill_gray(0.0);
        for (row, cells) in colors.chunks(n).enumerate() {
            // One rectangle per horizontal run of dark modules keeps the stream small.
            let mut col = 0;
            while col < n {
                if cells.get(col) == Some(&Color::Dark) {
                    let start = col;
                    while cells.get(col) == Some(&Color::Dark) {
                        col += 1;
                    }
                    let y = top - (row as f32 + 1.0) * module;
                    self.page.rect(
                        x + start as f32 * module,
                        y,
                        (col - start) as f32 * module,
                        module,
                    );
                } else {
                    col += 1;
                }
            }
        }
        self.page.fill_nonzero();
        Ok(())
    }

    /// A bordered table at the cursor across the text column. A row that does not fit moves to
    /// a new page (with the header repeated); a row taller than a whole page is split between
    /// lines across pages.
    pub fn table(&mut self, table: &Table) {
        let total: f32 = table.columns.iter().map(|c| c.share.max(0.0)).sum();
        if total <= 0.0 {
            return;
        }
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| c.share.max(0.0) / total * CONTENT_WIDTH)
            .collect();
        let pad = table.padding;
        let lh = line_height(table.size);

        let header: Vec<Vec<Line>> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let spans = table.header.get(i).map(Vec::as_slice).unwrap_or_default();
                self.layout(spans, table.size, w - 2.0 * pad)
            })
            .collect();
        let header_aligns = vec![Align::Center; widths.len()];
        let header_height = rows_height(&header, lh, pad);

        // The header must sit on the same page as the first row.
        let first_row_min = lh + 2.0 * pad;
        self.ensure_space(header_height + first_row_min);
        self.draw_row_segment(
            &header,
            &widths,
            &header_aligns,
            0,
            usize::MAX,
            table.size,
            pad,
        );

        let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();
        let page_body = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - header_height;
        for row in &table.rows {
            let cells: Vec<Vec<Line>> = widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let spans = row.get(i).map(Vec::as_slice).unwrap_or_default();
                    self.layout(spans, table.size, w - 2.0 * pad)
                })
                .collect();
            let total_lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let mut offset = 0;
            while offset < total_lines {
                let left = total_lines - offset;
                let needed = left as f32 * lh + 2.0 * pad;
                if needed <= self.remaining() {
                    self.draw_row_segment(&cells, &widths, &aligns, offset, left, table.size, pad);
                    break;
                }
                let fits_fresh = offset == 0 && needed <= page_body;
                let room = ((self.remaining() - 2.0 * pad) / lh).floor();
                if fits_fresh || room < 1.0 {
                    self.continue_table(&header, &widths, &header_aligns, table.size, pad);
                    if self.remaining() < lh + 2.0 * pad {
                        // Cannot happen with sane sizes; never loop forever.
                        self.draw_row_segment(
                            &cells, &widths, &aligns, offset, left, table.size, pad,
                        );
                        break;
                    }
                    continue;
                }
                let take = (room as usize).clamp(1, left);
                self.draw_row_segment(&cells, &widths, &aligns, offset, take, table.size, pad);
                offset += take;
                if offset < total_lines {
                    self.continue_table(&header, &widths, &header_aligns, table.size, pad);
                }
            }
        }
    }

    /// New page with the table header repeated.
    fn continue_table(
        &mut self,
        header: &[Vec<Line>],
        widths: &[f32],
        aligns: &[Align],
        size: f32,
        pad: f32,
    ) {
        self.new_page();
        self.draw_row_segment(header, widths, aligns, 0, usize::MAX, size, pad);
    }

    /// Draws lines `offset..offset + count` of every cell as one bordered band at the cursor,
    /// and moves the cursor below it.
    #[allow(clippy::too_many_arguments)]
    fn draw_row_segment(
        &mut self,
        cells: &[Vec<Line>],
        widths: &[f32],
        aligns: &[Align],
        offset: usize,
        count: usize,
        size: f32,
        pad: f32,
    ) {
        let lh = line_height(size);
        let shown = cells
            .iter()
            .map(|c| c.len().saturating_sub(offset).min(count))
            .max()
            .unwrap_or(0)
            .max(1);
        let height = shown as f32 * lh + 2.0 * pad;
        let top = self.y;
        let mut x = MARGIN_LEFT;
        for (i, w) in widths.iter().enumerate() {
            self.stroke_rect(x, top - height, *w, height);
            if let Some(lines) = cells.get(i) {
                let end = offset.saturating_add(count).min(lines.len());
                let part = lines.get(offset.min(end)..end).unwrap_or_default();
                let align = aligns.get(i).copied().unwrap_or(Align::Left);
                self.draw_lines_at(part, x + pad, w - 2.0 * pad, top - pad, size, align);
            }
            x += w;
        }
        self.y = top - height;
    }

    /// Writes the PDF: page numbers ("Trang 1/3") when there is more than one page, the fonts
    /// subset to the glyphs used, compressed streams, no dates and no random file id.
    ///
    /// # Errors
    /// [`FormError::Subset`] if a font cannot be subset.
    pub fn finish(mut self) -> Result<Vec<u8>, FormError> {
        let current = std::mem::replace(&mut self.page, Content::new());
        self.done.push(current);
        let pages = std::mem::take(&mut self.done);
        let total = pages.len();
        let mut contents = Vec::with_capacity(total);
        for (i, mut content) in pages.into_iter().enumerate() {
            if total > 1 {
                let label = format!("Trang {}/{}", i + 1, total);
                let lines = self.layout(&[Span::italic(label)], 9.0, CONTENT_WIDTH);
                std::mem::swap(&mut self.page, &mut content);
                self.draw_lines_at(
                    &lines,
                    MARGIN_LEFT,
                    CONTENT_WIDTH,
                    MARGIN_BOTTOM * 0.6,
                    9.0,
                    Align::Center,
                );
                std::mem::swap(&mut self.page, &mut content);
            }
            contents.push(content.finish());
        }

        let mut pdf = Pdf::new();
        let mut alloc = Ref::new(1);
        let catalog_id = alloc.bump();
        let tree_id = alloc.bump();
        let info_id = alloc.bump();

        let mut fonts: Vec<(Style, Ref)> = Vec::new();
        for style in [Style::Regular, Style::Bold, Style::Italic] {
            if let Some(id) = write_font(&mut pdf, &mut alloc, self.font(style))? {
                fonts.push((style, id));
            }
        }

        let page_ids: Vec<(Ref, Ref)> = (0..total).map(|_| (alloc.bump(), alloc.bump())).collect();
        pdf.catalog(catalog_id).pages(tree_id);
        pdf.pages(tree_id)
            .kids(page_ids.iter().map(|(page, _)| *page))
            .count(i32::try_from(total).unwrap_or(i32::MAX));
        pdf.document_info(info_id)
            .title(TextStr(&self.title))
            .producer(TextStr("motcua"));
        for ((page_id, content_id), content) in page_ids.iter().zip(contents) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
            page.parent(tree_id);
            page.contents(*content_id);
            {
                let mut resources = page.resources();
                let mut dict = resources.fonts();
                for (style, id) in &fonts {
                    dict.pair(font_name(*style), *id);
                }
            }
            page.finish();
            let packed = deflate(&content);
            pdf.stream(*content_id, &packed).filter(Filter::FlateDecode);
        }
        Ok(pdf.finish())
    }
}

/// Splits `s` into the longest head that fits in `avail` points and the rest. The cut goes
/// after the last URL separator in the head when that keeps at least half of it, so a long
/// lookup URL wraps at `/`, `?`, `=` rather than in the middle of a code.
fn split_to_fit<'s>(font: &FontSlot, s: &'s str, size: f32, avail: f32) -> (&'s str, &'s str) {
    let mut width = 0.0;
    let mut fit_end = 0;
    let mut last_sep = 0;
    for (i, c) in s.char_indices() {
        let mut buf = [0u8; 4];
        width += font.width(c.encode_utf8(&mut buf), size);
        if width > avail {
            let cut = if last_sep * 2 >= fit_end && last_sep > 0 {
                last_sep
            } else {
                fit_end
            };
            return s.split_at_checked(cut).unwrap_or((s, ""));
        }
        fit_end = i + c.len_utf8();
        // Not after `-`: text extractors take a line-final hyphen for hyphenation and drop it.
        if matches!(c, '/' | '?' | '&' | '=' | '.' | '_' | ',' | ';') {
            last_sep = fit_end;
        }
    }
    (s, "")
}

/// Height of a band showing every line of every cell.
fn rows_height(cells: &[Vec<Line>], lh: f32, pad: f32) -> f32 {
    let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    n as f32 * lh + 2.0 * pad
}

/// Writes one font (Type0 → CIDFontType2 → descriptor → subset file, plus ToUnicode) and
/// returns the Type0 font's id, or `None` if no glyph of it was used.
fn write_font(pdf: &mut Pdf, alloc: &mut Ref, font: &FontSlot) -> Result<Option<Ref>, FormError> {
    if !font.used() {
        return Ok(None);
    }
    let type0_id = alloc.bump();
    let cid_id = alloc.bump();
    let descriptor_id = alloc.bump();
    let file_id = alloc.bump();
    let cmap_id = alloc.bump();

    let subset = subsetter::subset(font.data, 0, &font.remapper)
        .map_err(|e| FormError::Subset(font.ps_name, e.to_string()))?;
    let base = format!("{}+{}", font.subset_tag(), font.ps_name);
    let base_name = Name(base.as_bytes());
    let scale = 1000.0 / font.units_per_em;

    pdf.type0_font(type0_id)
        .base_font(base_name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let last = font.advances.keys().next_back().copied().unwrap_or(0);
    let widths: Vec<f32> = (0..=last)
        .map(|gid| f32::from(font.advances.get(&gid).copied().unwrap_or(0)) * scale)
        .collect();
    {
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(base_name)
            .system_info(system_info())
            .font_descriptor(descriptor_id)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, widths);
    }

    let face = &font.face;
    let bbox = face.global_bounding_box();
    let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
    if face.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    let weight = f32::from(face.weight().to_number());
    pdf.font_descriptor(descriptor_id)
        .name(base_name)
        .flags(flags)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(face.italic_angle())
        .ascent(f32::from(face.ascender()) * scale)
        .descent(f32::from(face.descender()) * scale)
        .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * scale)
        // The usual estimate from the weight class; viewers only use it for substitution.
        .stem_v(10.0 + 0.244 * (weight - 50.0))
        .font_file2(file_id);

    let packed = deflate(&subset);
    pdf.stream(file_id, &packed)
        .filter(Filter::FlateDecode)
        .pair(
            Name(b"Length1"),
            i32::try_from(subset.len()).unwrap_or(i32::MAX),
        );

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info());
    for (cid, c) in &font.unicode {
        cmap.pair(*cid, *c);
    }
    let cmap_data = deflate(cmap.finish().as_slice());
    pdf.stream(cmap_id, &cmap_data).filter(Filter::FlateDecode);
    Ok(Some(type0_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_has_a_glyph_in_each_face() {
        let doc = Document::new("t").unwrap();
        let letters = "aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ";
        for style in [Style::Regular, Style::Bold, Style::Italic] {
            let font = doc.font(style);
            for c in letters.chars().chain(letters.to_uppercase().chars()) {
                assert!(
                    font.face.glyph_index(c).is_some(),
                    "{c} missing in {style:?}"
                );
            }
        }
    }

    #[test]
    fn layout_respects_width_and_hard_breaks() {
        let doc = Document::new("t").unwrap();
        let text = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả ".repeat(8);
        let lines = doc.layout(
            &[Span::regular(text.clone()), Span::bold("\nMã hồ sơ")],
            12.0,
            200.0,
        );
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(l.width() <= 200.0 + 0.01, "{} too wide", l.text());
        }
        assert_eq!(lines.last().unwrap().text(), "Mã hồ sơ");
        let joined: Vec<String> = lines.iter().map(Line::text).collect();
        assert_eq!(joined[..joined.len() - 1].join(" "), text.trim_end());
    }

    #[test]
    fn long_words_break_between_characters() {
        let doc = Document::new("t").unwrap();
        let url = format!("https://dichvucong.example.vn/{}", "x".repeat(200));
        let lines = doc.layout(&[Span::regular(url.clone())], 10.0, 150.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.width() <= 150.0 + 0.01));
        assert_eq!(lines.iter().map(Line::text).collect::<String>(), url);
    }

    #[test]
    fn fit_size_shrinks_until_it_fits() {
        let doc = Document::new("t").unwrap();
        let s = doc.fit_size(
            Style::Bold,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            200.0,
            13.0,
            6.0,
        );
        assert!(s < 13.0);
        assert!(doc.text_width(Style::Bold, s, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") <= 200.0);
    }

    #[test]
    fn unknown_characters_fall_back_to_question_mark() {
        let mut doc = Document::new("t").unwrap();
        doc.paragraph(&[Span::regular("a\u{10FFFD}b")], Para::body(12.0));
        let cid = doc.regular.remapper.get(doc.regular.fallback.0).unwrap();
        assert_eq!(doc.regular.unicode.get(&cid), Some(&'?'));
        assert!(doc.finish().is_ok());
    }
}
