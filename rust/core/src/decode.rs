//! Bytes to text: a byte-order mark (UTF-8, UTF-16 LE/BE) wins, else strict UTF-8 with the
//! offset of the first invalid byte in the error. Never panics.
//! Legacy Arabic encodings (windows-1256, ISO-8859-6) are not detected here yet.

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
}
