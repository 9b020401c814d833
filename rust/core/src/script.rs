//! Unicode character classes with a fast path for the text this crate mostly reads: ASCII and
//! the Arabic block (U+0600–U+06FF) are answered from a table, every other character by the
//! standard library. The answers are the standard library's own (the table is filled from it),
//! so callers may use these in place of `char::is_alphabetic` and friends without a change in
//! behaviour; the standard library's lookup for a non-ASCII character is a binary search, which
//! dominated the cost of measuring Arabic pages.

use std::sync::OnceLock;

const ALPHA: u8 = 1;
const NUMERIC: u8 = 2;
const WHITE: u8 = 4;

/// Classes of U+0600..=U+06FF, one byte per character.
fn arabic_block() -> &'static [u8; 256] {
    static TABLE: OnceLock<[u8; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u8; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).expect("a scalar value");
            for (has, bit) in [
                (c.is_alphabetic(), ALPHA),
                (c.is_numeric(), NUMERIC),
                (c.is_whitespace(), WHITE),
            ] {
                if has {
                    *slot |= bit;
                }
            }
        }
        t
    })
}

#[inline(always)]
fn class(c: char) -> Option<u8> {
    ((c as u32).wrapping_sub(0x0600) < 256).then(|| arabic_block()[c as usize - 0x0600])
}

/// ASCII by `ascii`, the Arabic block by the table's `bits`, the rest by `other`.
#[inline(always)]
fn answer(c: char, ascii: impl Fn(char) -> bool, bits: u8, other: impl Fn(char) -> bool) -> bool {
    if c.is_ascii() {
        return ascii(c);
    }
    match class(c) {
        Some(k) => k & bits != 0,
        None => other(c),
    }
}

/// `char::is_alphabetic`, fast for ASCII and Arabic.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    answer(c, |c| c.is_ascii_alphabetic(), ALPHA, char::is_alphabetic)
}

/// `char::is_numeric`, fast for ASCII and Arabic.
#[inline]
pub fn is_numeric(c: char) -> bool {
    answer(c, |c| c.is_ascii_digit(), NUMERIC, char::is_numeric)
}

/// `char::is_alphanumeric`, fast for ASCII and Arabic.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    answer(
        c,
        |c| c.is_ascii_alphanumeric(),
        ALPHA | NUMERIC,
        char::is_alphanumeric,
    )
}

/// `char::is_whitespace`, fast for ASCII and Arabic.
#[inline]
pub fn is_whitespace(c: char) -> bool {
    answer(
        c,
        |c| matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r'),
        WHITE,
        char::is_whitespace,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_answers_as_the_standard_library_for_every_character_of_the_first_planes() {
        for u in 0..0x3_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "alphabetic {u:#x}");
            assert_eq!(is_numeric(c), c.is_numeric(), "numeric {u:#x}");
            assert_eq!(
                is_alphanumeric(c),
                c.is_alphanumeric(),
                "alphanumeric {u:#x}"
            );
            assert_eq!(is_whitespace(c), c.is_whitespace(), "whitespace {u:#x}");
        }
    }
}
