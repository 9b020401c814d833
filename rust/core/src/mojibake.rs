//! Repairs mojibake: Arabic UTF-8 that was once decoded as windows-1252 or Latin-1 and saved
//! again, so that every Arabic letter became two Latin characters (`ا` = D8 A7 -> `Ø§`).
//!
//! Each stretch of characters that windows-1252 or Latin-1 could have produced is turned back
//! into those bytes and read as UTF-8; the stretch is replaced when that yields Arabic letters.
//! Characters that never came from a byte (real Arabic, CJK, emoji) break stretches, so text
//! that is already right is left alone; invalid sequences inside a stretch keep their
//! characters. A byte windows-1252 leaves undefined (0x81, as in `ف` = D9 81) may have been
//! lost or replaced by U+FFFD on the way: after an Arabic lead byte it is restored as 0x81.
//! Mojibake applied twice is repaired twice.

use std::sync::OnceLock;

/// The text repaired and the number of characters that came out of repairs, or `None` when
/// nothing was repaired.
///
/// ```
/// let (fixed, n) = arclean_core::mojibake::repair("Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©").unwrap();
/// assert_eq!((fixed.as_str(), n), ("العربية", 7));
/// assert!(arclean_core::mojibake::repair("العربية café").is_none());
/// ```
pub fn repair(text: &str) -> Option<(String, usize)> {
    if !suspect(text) {
        return None;
    }
    if let Some((once, n)) = repair_once(text, true) {
        return Some(match repair_once(&once, true) {
            Some(twice) => twice,
            None => (once, n),
        });
    }
    // garbled twice: the first layer undone gives Latin mojibake, the second Arabic
    let (inner, _) = repair_once(text, false)?;
    repair_once(&inner, true)
}

/// Mojibake of Arabic always holds one of `Ø Ù Ú Û` (the lead bytes D8-DB read as Latin-1), or
/// `Ã` when it was garbled twice.
fn suspect(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(0xC3, b).any(|i| matches!(b.get(i + 1), Some(0x83 | 0x98..=0x9B)))
}

/// The byte a character stood for, if windows-1252 or Latin-1 could have produced it.
fn byte_of(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x100 {
        return Some(u as u8);
    }
    cp1252_high()
        .iter()
        .position(|&h| h == c)
        .map(|k| 0x80 + k as u8)
}

/// What windows-1252 makes of the bytes 0x80-0x9F (undefined bytes decode to C1 controls).
fn cp1252_high() -> &'static [char; 32] {
    static TABLE: OnceLock<[char; 32]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = ['\0'; 32];
        for (k, slot) in t.iter_mut().enumerate() {
            let byte = [0x80 + k as u8];
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            *slot = s.chars().next().unwrap_or('\u{FFFD}');
        }
        t
    })
}

/// Characters a stretch must give back, beyond restored bytes, to be repaired.
const MIN_REBUILT: usize = 2;

fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

fn repair_once(text: &str, arabic: bool) -> Option<(String, usize)> {
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0usize;
    let mut run: Vec<u8> = Vec::new();
    let mut run_start = 0usize; // byte offset of the run in `text`
    let mut prev_lead = false;
    for (i, c) in text.char_indices() {
        let b = match byte_of(c) {
            Some(b) => Some(b),
            // a lost undefined byte, replaced on the way, after an Arabic lead byte
            None if c == '\u{FFFD}' && prev_lead => Some(0x81),
            None => None,
        };
        match b {
            Some(b) => {
                if run.is_empty() {
                    run_start = i;
                }
                run.push(b);
                prev_lead = (0xD8..=0xDB).contains(&b);
            }
            None => {
                repaired += flush(&mut out, &run, &text[run_start..i], arabic);
                run.clear();
                out.push(c);
                prev_lead = false;
            }
        }
    }
    repaired += flush(&mut out, &run, &text[run_start..], arabic);
    (repaired > 0).then_some((out, repaired))
}

/// Appends a run: repaired when reading its bytes as UTF-8 gives Arabic (or, when `need_arabic`
/// is false, any non-ASCII character), else as it was. Returns the number of characters
/// produced by repairs.
fn flush(out: &mut String, run: &[u8], original: &str, need_arabic: bool) -> usize {
    if run.is_empty() {
        return 0;
    }
    if run.is_ascii() {
        out.push_str(original);
        return 0;
    }
    // the bytes, each with the original character it stands for (none for a restored byte)
    let chars: Vec<char> = original.chars().collect();
    let mut bytes = Vec::with_capacity(run.len() + 4);
    let mut origin = Vec::with_capacity(run.len() + 4);
    for (k, &b) in run.iter().enumerate() {
        bytes.push(b);
        origin.push(Some(k));
        if b == 0xD9 && !matches!(run.get(k + 1), Some(0x80..=0xBF)) {
            bytes.push(0x81);
            origin.push(None);
        }
    }
    let restored = origin.iter().filter(|o| o.is_none()).count();
    let mut fixed = String::with_capacity(bytes.len());
    let (mut arabic, mut produced, mut k, mut invalid) = (0usize, 0usize, 0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        for ch in valid.chars().filter(|c| !c.is_ascii()) {
            produced += 1;
            arabic += usize::from(is_arabic(ch));
        }
        fixed.push_str(valid);
        k += valid.len();
        for _ in 0..chunk.invalid().len() {
            if let Some(c) = origin[k] {
                fixed.push(chars[c]);
                invalid += 1;
            }
            k += 1;
        }
    }
    // strong evidence only: two characters or more rebuilt from bytes that were all there (a
    // lone `Ù` in French is a letter, not half of `ف`), and few bytes left over that no
    // character takes (real mojibake pairs up almost every byte)
    let rebuilt = if need_arabic { arabic } else { produced };
    let high = run.iter().filter(|b| !b.is_ascii()).count();
    if rebuilt < MIN_REBUILT + restored || invalid * 4 > high {
        out.push_str(original);
        return 0;
    }
    out.push_str(&fixed);
    produced
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a tool that read UTF-8 as windows-1252 (Latin-1 for its undefined bytes) wrote.
    fn garble(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                0x80..=0x9F => {
                    let byte = [b];
                    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                    s.chars().next().unwrap()
                }
                _ => b as char,
            })
            .collect()
    }

    #[test]
    fn repairs_arabic_and_keeps_the_rest() {
        let text = "قال الوزير في مؤتمر صحفي «إن الخطة جاهزة» — 2024, café.";
        let g = garble(text);
        assert_ne!(g, text);
        assert_eq!(repair(&g).unwrap().0, text);
        // a mixed page: mojibake next to right Arabic and emoji
        let mixed = format!("عنوان 🙂 {} نهاية", garble("فلسطين والعالم"));
        assert_eq!(repair(&mixed).unwrap().0, "عنوان 🙂 فلسطين والعالم نهاية");
        // twice garbled
        assert_eq!(repair(&garble(&garble("الأخبار"))).unwrap().0, "الأخبار");
        // nothing to do
        for ok in [
            "",
            "plain ascii",
            "Ø alone is a letter",
            "OÙ VA LA TUNISIE ?",
            "Où va la Tunisie, Ø© près",
            "PARIS : OÙ ET QUAND ? ÇA DÉPEND DE L'ÉTÉ",
            "café crème brûlée",
            "مرحبا بالعالم",
        ] {
            assert!(repair(ok).is_none(), "{ok}");
        }
    }

    #[test]
    fn lost_undefined_bytes() {
        // ف is D9 81; 0x81 is undefined in windows-1252: dropped or replaced on the way
        let g = garble("في فلسطين");
        let dropped: String = g.chars().filter(|&c| c != '\u{81}').collect();
        assert_eq!(repair(&dropped).unwrap().0, "في فلسطين");
        let replaced = g.replace('\u{81}', "\u{FFFD}");
        assert_eq!(repair(&replaced).unwrap().0, "في فلسطين");
        assert_eq!(repair(&g).unwrap().0, "في فلسطين");
    }
}
