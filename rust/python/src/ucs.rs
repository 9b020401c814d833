//! `str` in and out without CPython's UTF-8 codec: a `str` stores one, two or four bytes per
//! character (PEP 393; Arabic text is two), read here in place and converted to the core's
//! UTF-8 by `encoding_rs`'s vectorised converters; results are written straight into a new
//! string's storage. Both conversions need no interpreter, so batch calls run them on the worker
//! threads; only allocating the result objects happens with the GIL held.

use crate::errors;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::string::PyStringData;
use pyo3::types::PyString;
use std::borrow::Cow;

/// A `str`'s characters as stored (valid while the `str` lives; strings never change).
#[derive(Clone, Copy)]
pub(crate) struct Stored<'a>(PyStringData<'a>);

/// Where a string stops being valid Unicode: the index of a lone surrogate.
pub(crate) struct LoneSurrogate(usize);

impl LoneSurrogate {
    pub(crate) fn to_py(&self, what: &str) -> PyErr {
        errors::DecodeError::new_err(format!(
            "{what} is not valid unicode: a lone surrogate at character {}",
            self.0
        ))
    }
}

impl<'a> Stored<'a> {
    pub(crate) fn of(s: &'a Bound<'_, PyString>) -> PyResult<Stored<'a>> {
        // SAFETY: the data is borrowed for as long as `s`, and a `str` never changes
        Ok(Stored(unsafe { s.data()? }))
    }

    /// The text as UTF-8: borrowed when it is ASCII, else converted.
    pub(crate) fn utf8(&self) -> Result<Cow<'a, str>, LoneSurrogate> {
        match self.0 {
            PyStringData::Ucs1(b) if b.is_ascii() => Ok(Cow::Borrowed(
                std::str::from_utf8(b).expect("ASCII is UTF-8"),
            )),
            PyStringData::Ucs1(b) => {
                let mut out = vec![0u8; b.len() * 2];
                let n = encoding_rs::mem::convert_latin1_to_utf8(b, &mut out);
                out.truncate(n);
                // SAFETY: the converter writes UTF-8
                Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(out) }))
            }
            PyStringData::Ucs2(u) => {
                // every code unit of this storage is a character of its own: a surrogate, even
                // one followed by its pair, is a lone surrogate (as CPython's codec says)
                if let Some(at) = u.iter().position(|&c| (0xD800..0xE000).contains(&c)) {
                    return Err(LoneSurrogate(at));
                }
                let mut out = vec![0u8; u.len() * 3];
                let n = encoding_rs::mem::convert_utf16_to_utf8(u, &mut out);
                out.truncate(n);
                // SAFETY: the converter writes UTF-8
                Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(out) }))
            }
            PyStringData::Ucs4(u) => u
                .iter()
                .enumerate()
                .map(|(i, &c)| char::from_u32(c).ok_or(LoneSurrogate(i)))
                .collect::<Result<String, _>>()
                .map(Cow::Owned),
        }
    }
}

/// The storage a UTF-8 text needs as a `str`: its length in characters and the widest one.
#[derive(Clone, Copy)]
pub(crate) struct Shape {
    chars: usize,
    max: u32,
}

impl Shape {
    pub(crate) fn of(s: &str) -> Shape {
        // the largest byte tells the width class: up to 7F ASCII, C2..C3 Latin-1, up to EF the
        // BMP (continuation bytes, 80..BF, never decide it: a non-ASCII text has a lead byte
        // of C2 or more); both counts are plain reductions the compiler vectorises
        let b = s.as_bytes();
        let chars = b.iter().filter(|&&x| (x as i8) >= -0x40).count();
        let top = b.iter().copied().max().unwrap_or(0);
        let max = match top {
            0..=0x7F => 0x7F,
            0x80..=0xC3 => 0xFF,
            0xC4..=0xEF => 0xFFFF,
            _ => 0x10FFFF,
        };
        Shape { chars, max }
    }
}

/// A new, not yet filled `str` of `shape` (needs the GIL).
pub(crate) struct Blank {
    obj: Py<PyString>,
    data: usize,
    kind: u32,
    chars: usize,
}

impl Blank {
    pub(crate) fn new(py: Python<'_>, shape: Shape) -> PyResult<Blank> {
        let size = ffi::Py_ssize_t::try_from(shape.chars)
            .map_err(|_| pyo3::exceptions::PyMemoryError::new_err("text too long"))?;
        // SAFETY: a new string with room for `chars` characters up to `max`; filled by `fill`
        // before anyone else sees it
        unsafe {
            let raw = ffi::PyUnicode_New(size, shape.max);
            let obj: Py<PyString> = Bound::from_owned_ptr_or_err(py, raw)?
                .cast_into_unchecked()
                .unbind();
            let data = ffi::PyUnicode_DATA(raw) as usize;
            let kind = ffi::PyUnicode_KIND(raw);
            Ok(Blank {
                obj,
                data,
                kind,
                chars: shape.chars,
            })
        }
    }

    /// Writes `s` (whose shape this string was made for) into the string; no GIL needed.
    pub(crate) fn fill(&self, s: &str) {
        // SAFETY: the string was allocated for exactly `Shape::of(s)` and nobody reads it yet
        unsafe {
            match self.kind {
                ffi::PyUnicode_1BYTE_KIND => {
                    let dst = self.data as *mut u8;
                    if s.is_ascii() {
                        std::ptr::copy_nonoverlapping(s.as_ptr(), dst, s.len());
                    } else {
                        for (i, c) in s.chars().enumerate() {
                            *dst.add(i) = c as u8; // every character is Latin-1 in this kind
                        }
                    }
                }
                ffi::PyUnicode_2BYTE_KIND => {
                    let n = self.chars;
                    let dst = std::slice::from_raw_parts_mut(self.data as *mut u16, n);
                    let mut decoder = encoding_rs::UTF_8.new_decoder_without_bom_handling();
                    let (_, read, written) =
                        decoder.decode_to_utf16_without_replacement(s.as_bytes(), dst, true);
                    if (read, written) != (s.len(), n) {
                        // not expected (the storage fits the text exactly); never leave it short
                        for (d, u) in dst.iter_mut().zip(s.encode_utf16()) {
                            *d = u;
                        }
                    }
                }
                _ => {
                    let dst = self.data as *mut u32;
                    for (i, c) in s.chars().enumerate() {
                        *dst.add(i) = c as u32;
                    }
                }
            }
        }
    }

    pub(crate) fn into_str(self, py: Python<'_>) -> Bound<'_, PyString> {
        self.obj.into_bound(py)
    }
}

/// `s` as a new `str`.
pub(crate) fn new_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyString>> {
    let blank = Blank::new(py, Shape::of(s))?;
    blank.fill(s);
    Ok(blank.into_str(py))
}
