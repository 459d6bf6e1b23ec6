//! Draws the certificate of registration as unemployed as a PDF (seed 002 «Справка
//! формируется в формате PDF»). `krilla` embeds a subset of DejaVu Sans (committed in
//! `api/assets/fonts` with its licence), so Cyrillic text is real text: it can be
//! searched, copied and read by screen readers.

use domain::certificate::Certificate;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;

static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// A4 in points.
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 64.0;
const BODY_SIZE: f32 = 12.0;
const LINE: f32 = 20.0;
/// Characters per body line: DejaVu Sans at 12 pt averages about 6.5 pt a character
/// over the 467 pt between the margins.
const WRAP: usize = 70;

/// The certificate as PDF bytes.
pub fn certificate(c: &Certificate) -> Result<Vec<u8>, String> {
    let font = Font::new(FONT.into(), 0).ok_or("the embedded font does not load")?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("bad page size")?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut y = MARGIN + 40.0;
    let text = |surface: &mut krilla::surface::Surface, x: f32, y: f32, size: f32, s: &str| {
        surface.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            s,
            false,
            TextDirection::Auto,
        );
    };
    text(&mut surface, MARGIN, y, 10.0, &c.centre_name);
    y += 40.0;
    text(
        &mut surface,
        WIDTH / 2.0 - 40.0,
        y,
        18.0,
        Certificate::TITLE,
    );
    y += 24.0;
    text(&mut surface, MARGIN + 60.0, y, 13.0, Certificate::SUBTITLE);
    y += 40.0;
    for line in c.lines() {
        for piece in wrap(&line, WRAP) {
            text(&mut surface, MARGIN, y, BODY_SIZE, &piece);
            y += LINE;
        }
        y += 4.0;
    }
    y += 40.0;
    text(
        &mut surface,
        MARGIN,
        y,
        10.0,
        "Справка сформирована в личном кабинете «Интерактивный портал» службы занятости.",
    );
    surface.finish();
    page.finish();
    document.finish().map_err(|e| format!("{e:?}"))
}

/// Splits `line` at spaces into pieces of at most `width` characters (a longer word
/// stands alone).
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("аб вг де", 5), vec!["аб вг", "де"]);
        assert_eq!(wrap("длинноеслово x", 3), vec!["длинноеслово", "x"]);
        assert_eq!(wrap("", 3), Vec::<String>::new());
    }

    #[test]
    fn draws_a_pdf() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let c = Certificate {
            full_name: "Иванов Иван Иванович".into(),
            birth_date: None,
            centre_name: "ГКУ ЦЗН «Центральный»".into(),
            centre_address: "г. Москва".into(),
            case_number: "228-2026-0193A4F2".into(),
            registered_on: d,
            valid_from: d,
            valid_to: d,
            issued_on: d,
        };
        let bytes = certificate(&c).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 200_000, "the font is subset: {}", bytes.len());
    }
}
