//! Bytes to text. [`decode`]: a byte-order mark (UTF-8, UTF-16 LE/BE) wins, else strict UTF-8
//! with the offset of the first invalid byte in the error. [`decode_html`]: a byte-order mark,
//! else UTF-8 when the bytes are valid UTF-8, else the page's declared charset (`<meta charset>`
//! or `http-equiv`), else detection (windows-1256, ISO-8859-6 and the other legacy encodings);
//! never an error, invalid bytes become U+FFFD. [`decode_page`]: the chain for files of any
//! origin, with UTF-16 without a byte-order mark, detection for text too, mojibake repair and
//! binary data refused. Never panics.

use crate::error::{Error, ErrorKind, Result};
use std::borrow::Cow;

pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, 3);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes, "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes, "utf-16be");
    }
    utf8(bytes, 0)
}

fn utf8(bytes: &[u8], offset: usize) -> Result<Cow<'_, str>> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        Error::new(ErrorKind::Decode {
            encoding: "utf-8",
            offset: offset + e.valid_up_to(),
        })
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &'static str) -> Result<Cow<'static, str>> {
    if bytes.len() % 2 == 1 {
        return Err(Error::new(ErrorKind::Decode {
            encoding: name,
            offset: bytes.len() + 1,
        }));
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len());
    for (k, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(Error::new(ErrorKind::Decode {
                    encoding: name,
                    offset: 2 + 2 * k,
                }))
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// How a page was decoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// The encoding's WHATWG name (`UTF-8`, `windows-1256`, `ISO-8859-6`, ...).
    pub encoding: &'static str,
    /// Where it came from: `bom`, `utf-8` (valid as UTF-8), `declared`, `detected` or `mixed`
    /// (lines in UTF-8 and lines in a legacy encoding).
    pub source: &'static str,
    /// Invalid bytes were replaced with U+FFFD.
    pub replaced: bool,
    /// Characters restored by mojibake repair (see [`crate::mojibake`]); 0 when none.
    pub mojibake: usize,
}

/// Why bytes are not taken as text by [`decode_page`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotText {
    /// NUL bytes or many control characters: an image, an archive, a PDF...
    Binary,
}

/// Bytes of a file to text, never failing on invalid bytes (they become U+FFFD): `forced`
/// when given, else a byte-order mark, else UTF-16 recognized by its zero and Arabic high
/// bytes, else UTF-8 when valid, else (HTML) the declared charset, else detection (windows-1256,
/// ISO-8859-6 and other legacy encodings). Mojibake is then repaired. Binary data is refused.
pub fn decode_page<'a>(
    bytes: &'a [u8],
    html: bool,
    forced: Option<&'static encoding_rs::Encoding>,
) -> std::result::Result<(Cow<'a, str>, Decoded), NotText> {
    let (text, mut d) = if let Some(enc) = forced {
        let enc = if enc == encoding_rs::REPLACEMENT {
            encoding_rs::UTF_8
        } else {
            enc
        };
        with(enc, bytes, "forced")
    } else if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        with(enc, &bytes[bom..], "bom")
    } else if let Some(enc) = utf16_without_bom(bytes) {
        with(enc, bytes, "detected")
    } else if binary(bytes) {
        return Err(NotText::Binary);
    } else if html {
        decode_html(bytes)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (Cow::Borrowed(s), utf8_decoded())
    } else {
        not_utf8(bytes, None)
    };
    match crate::mojibake::repair(&text) {
        Some((fixed, n)) => {
            d.mojibake = n;
            Ok((Cow::Owned(fixed), d))
        }
        None => Ok((text, d)),
    }
}

fn utf8_decoded() -> Decoded {
    Decoded {
        encoding: "UTF-8",
        source: "utf-8",
        ..Decoded::default()
    }
}

/// UTF-16 without a byte-order mark: in one byte position of each pair, mostly the high bytes
/// of ASCII and Arabic (00-08), which UTF-8 and the legacy encodings never hold; rarely so in
/// the other position.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1 << 16) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for p in head.chunks_exact(2) {
        even += usize::from(p[0] <= 0x08);
        odd += usize::from(p[1] <= 0x08);
    }
    let strong = |a: usize, b: usize| a * 10 >= pairs * 3 && b * 20 < pairs;
    if strong(odd, even) {
        Some(encoding_rs::UTF_16LE)
    } else if strong(even, odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// NUL bytes, or more than 5% control characters other than white space, in the first 64 KiB.
fn binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1 << 16)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    controls * 20 > head.len()
}

fn detect(bytes: &[u8]) -> (Cow<'_, str>, Decoded) {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(&bytes[..bytes.len().min(1 << 16)], bytes.len() <= 1 << 16);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    with(enc, bytes, "detected")
}

/// Bytes of an HTML page to text; see the module's documentation for the order of evidence.
pub fn decode_html(bytes: &[u8]) -> (Cow<'_, str>, Decoded) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return with(enc, &bytes[bom..], "bom");
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), utf8_decoded());
    }
    // declared UTF-8 on bytes that are not: the declaration is wrong, the bytes decide
    let declared = declared_charset(bytes).filter(|&e| e != encoding_rs::UTF_8);
    not_utf8(bytes, declared)
}

/// Bytes that are not valid UTF-8. When no line of them is UTF-8 with non-ASCII characters, the
/// whole is read in `legacy` (a declared charset) or the detected encoding. Otherwise the file
/// mixes encodings (pages pasted together, a UTF-8 template around a legacy article): each line
/// is read on its own, as UTF-8 when it is (a stray bad byte replaced) and else in the legacy
/// encoding, detected on the lines that are not UTF-8.
fn not_utf8<'a>(
    bytes: &'a [u8],
    legacy: Option<&'static encoding_rs::Encoding>,
) -> (Cow<'a, str>, Decoded) {
    let utf8_lines = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_ascii() && utf8_line(l))
        .count();
    if utf8_lines == 0 {
        return match legacy {
            Some(enc) => with(enc, bytes, "declared"),
            None => detect(bytes),
        };
    }
    let enc = legacy.unwrap_or_else(|| {
        let mut sample = Vec::new();
        for l in bytes.split(|&b| b == b'\n').filter(|l| !utf8_line(l)) {
            sample.extend_from_slice(l);
            sample.push(b'\n');
            if sample.len() >= 1 << 16 {
                break;
            }
        }
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(&sample, true);
        det.guess(None, chardetng::Utf8Detection::Deny)
    });
    let mut out = String::with_capacity(bytes.len() * 2);
    let (mut replaced, mut legacy_lines) = (false, 0usize);
    for (k, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        if utf8_line(line) {
            let (t, r) = encoding_rs::UTF_8.decode_without_bom_handling(line);
            replaced |= r;
            out.push_str(&t);
        } else {
            let (t, r) = enc.decode_without_bom_handling(line);
            replaced |= r;
            legacy_lines += 1;
            out.push_str(&t);
        }
    }
    let d = Decoded {
        encoding: if legacy_lines > utf8_lines {
            enc.name()
        } else {
            "UTF-8"
        },
        source: "mixed",
        replaced,
        mojibake: 0,
    };
    (Cow::Owned(out), d)
}

/// A line read as UTF-8: valid, or with at most one bad byte in eight of its non-ASCII bytes (a
/// stray byte, not another encoding).
fn utf8_line(line: &[u8]) -> bool {
    if std::str::from_utf8(line).is_ok() {
        return true;
    }
    let high = line.iter().filter(|b| !b.is_ascii()).count();
    let bad: usize = line.utf8_chunks().map(|c| c.invalid().len()).sum();
    bad * 8 <= high && high - bad >= 2
}

fn with<'a>(
    enc: &'static encoding_rs::Encoding,
    bytes: &'a [u8],
    source: &'static str,
) -> (Cow<'a, str>, Decoded) {
    let (text, replaced) = enc.decode_without_bom_handling(bytes);
    let d = Decoded {
        encoding: enc.name(),
        source,
        replaced,
        mojibake: 0,
    };
    (text, d)
}

/// The charset a page declares in its first 1024 bytes: `<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`. A declared UTF-16 means UTF-8,
/// as in browsers (the bytes are ASCII-compatible if the declaration could be read).
pub fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&lower[from..], b"<meta") {
        let at = from + k;
        let end = memchr::memchr(b'>', &lower[at..]).map_or(lower.len(), |e| at + e);
        let tag = &lower[at..end];
        if let Some(p) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[p + 7..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(enc) = encoding_rs::Encoding::for_label(&rest[..len]) {
                    let utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
                    return Some(if utf16 { encoding_rs::UTF_8 } else { enc });
                }
            }
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_errors() {
        assert_eq!(decode("سلام".as_bytes()).unwrap(), "سلام");
        assert_eq!(decode(b"\xEF\xBB\xBFab").unwrap(), "ab");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("سلام".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&le).unwrap(), "سلام");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("س".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&be).unwrap(), "س");
        let e = decode(b"ab\xffcd").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot decode as utf-8: invalid byte at offset 2"
        );
        assert!(decode(b"\xFF\xFE\x00").is_err());
        assert!(decode(b"\xFF\xFE\x00\xD8").is_err()); // a lone surrogate
        assert_eq!(decode(b"").unwrap(), "");
    }

    fn legacy(text: &str, enc: &'static encoding_rs::Encoding) -> Vec<u8> {
        enc.encode(text).0.into_owned()
    }

    #[test]
    fn mixed_and_misdeclared_files() {
        let a = "أعلنت الوزارة اليوم عن خطة جديدة لتطوير النقل العام في المدن الكبرى";
        let b = "وقال المتحدث باسم الحكومة إن المشروع سيبدأ في الربيع المقبل بتمويل محلي";
        // a UTF-8 half and a windows-1256 half
        let mut bytes = format!("{a}\n{a}\n").into_bytes();
        bytes.extend(legacy(&format!("{b}\n{b}\n"), encoding_rs::WINDOWS_1256));
        let (t, d) = decode_page(&bytes, false, None).unwrap();
        assert_eq!(t, format!("{a}\n{a}\n{b}\n{b}\n"));
        assert_eq!(d.source, "mixed");
        // a stray bad byte in UTF-8 is one replacement, not another encoding
        let mut stray = format!("{a}\n").into_bytes();
        stray.extend(b"\xff");
        stray.extend(format!("{b}\n").into_bytes());
        let (t, _) = decode_page(&stray, false, None).unwrap();
        assert_eq!(t, format!("{a}\n\u{FFFD}{b}\n"));
        // declared UTF-8 on windows-1256 bytes: the bytes decide
        let page =
            format!("<html><head><meta charset=\"utf-8\"></head><body><p>{b}</p></body></html>");
        let misdeclared = legacy(&page, encoding_rs::WINDOWS_1256);
        let (t, _) = decode_page(&misdeclared, true, None).unwrap();
        assert_eq!(t, page);
    }

    #[test]
    fn html_charsets() {
        let page = "<html><head><meta charset=\"windows-1256\"></head><body><p>أعلنت الوزارة عن خطة جديدة</p></body></html>";
        let bytes = legacy(page, encoding_rs::WINDOWS_1256);
        let (t, d) = decode_html(&bytes);
        assert_eq!(t, page);
        assert_eq!(
            (d.encoding, d.source, d.replaced),
            ("windows-1256", "declared", false)
        );
        let page = "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-6'><p>قال الوزير إن الخطة جاهزة</p>";
        let bytes = legacy(page, encoding_rs::ISO_8859_6);
        let (t, d) = decode_html(&bytes);
        assert_eq!((t.as_ref(), d.encoding), (page, "ISO-8859-6"));
        // valid UTF-8 wins over a wrong declaration
        let page = "<meta charset=windows-1252><p>نص عربي</p>";
        assert_eq!(decode_html(page.as_bytes()).1.source, "utf-8");
    }

    #[test]
    fn undeclared_arabic_is_detected() {
        let text = "<p>أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير ويخدم سكان المدينة والقرى المجاورة لها.</p>".repeat(3);
        let bytes = legacy(&text, encoding_rs::WINDOWS_1256);
        let (t, d) = decode_html(&bytes);
        assert_eq!(
            (t.as_ref(), d.source, d.encoding),
            (text.as_str(), "detected", "windows-1256")
        );
        let (_, d) = decode_html(b"\xff\xfe<\x00p\x00>\x00");
        assert_eq!((d.encoding, d.source), ("UTF-16LE", "bom"));
        let (t, _) = decode_html(b"");
        assert_eq!(t, "");
    }

    #[test]
    fn pages_of_any_origin() {
        let text =
            "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة، يضم مئتي سرير.\n".repeat(4);
        let utf16le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), "UTF-8"),
            (utf16le, "UTF-16LE"),
            (utf16be, "UTF-16BE"),
            (legacy(&text, encoding_rs::WINDOWS_1256), "windows-1256"),
        ] {
            let (t, d) = decode_page(&bytes, false, None).unwrap();
            assert_eq!((t.as_ref(), d.encoding), (text.as_str(), enc));
        }
        let iso = legacy(&text, encoding_rs::ISO_8859_6);
        let (t, d) = decode_page(&iso, false, None).unwrap();
        assert!(
            d.encoding == "ISO-8859-6" || d.encoding == "windows-1256",
            "{}",
            d.encoding
        );
        assert!(t.contains("مستشفى") || d.encoding == "windows-1256");
        let forced = Some(encoding_rs::ISO_8859_6);
        let (t, d) = decode_page(&iso, false, forced).unwrap();
        assert_eq!((t.as_ref(), d.source), (text.as_str(), "forced"));
        // mojibake: the UTF-8 bytes read as windows-1252, saved as UTF-8
        let garbled: String = encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(text.as_bytes())
            .0
            .into_owned();
        let (t, d) = decode_page(garbled.as_bytes(), false, None).unwrap();
        assert_eq!(t, text);
        assert!(d.mojibake > 100, "{}", d.mojibake);
        // binary
        assert_eq!(
            decode_page(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", false, None),
            Err(NotText::Binary)
        );
        assert!(decode_page(b"", false, None).is_ok());
        assert!(decode_page(b"ab\xffcd", false, None).unwrap().1.source == "detected");
    }
}
