//! The extension module `arclean._core`: conversions, the GIL and error mapping only.

mod cleaner;
mod columns;
mod document;
mod errors;
mod normalizer;
mod pool;
mod profile;
mod runner;
mod segmenter;
mod ucs;

use arclean_core::align::{byte_to_char_offsets, char_to_byte_offset, CharOffsets};
use arclean_core::clean::{Config, SiteOf, DEFAULT_MAX_BYTES};
use arclean_core::lexicon::ExtraPhrase;
use arclean_core::normalize::{Options, PRESETS, SWITCHES};
use arclean_core::segment::{self, SegmentOptions, Segmenter};
use arclean_core::{Cleaner, Normalizer, Span};
use document::{Cleaned, PyArticle, PyBlock, PyDocument, PyParagraph, PyRemoved, PySentence};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use std::sync::Arc;

use cleaner::*;
use normalizer::*;
use segmenter::*;

/// The name of an object's type, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn borrow_str<'a>(s: &'a Bound<'_, PyString>, what: &str) -> PyResult<std::borrow::Cow<'a, str>> {
    s.to_cow().map_err(|e| errors::not_unicode(e, what))
}

/// The items of `texts`, each checked to be a `str`.
fn extract_texts<'py>(texts: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyString>>> {
    let mut out = Vec::new();
    for (i, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        let s = item.cast_into::<PyString>().map_err(|e| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "texts[{i}] must be str; got {}",
                type_name(e.into_inner().as_any())
            ))
        })?;
        out.push(s);
    }
    Ok(out)
}

/// Whether bytes look like an HTML page.
#[pyfunction]
fn sniff_html(data: &[u8]) -> bool {
    arclean_core::html::sniff(data)
}

/// Bytes of an HTML page to text, and the encoding used: (text, encoding, how it was chosen).
#[pyfunction]
fn decode_html(data: &[u8]) -> (String, &'static str, &'static str) {
    let (t, d) = arclean_core::decode::decode_html(data);
    (t.into_owned(), d.encoding, d.source)
}

/// Bytes to text: a byte-order mark (UTF-8, UTF-16) wins, else strict UTF-8.
#[pyfunction]
fn decode(data: &[u8]) -> PyResult<String> {
    arclean_core::decode::decode(data)
        .map(|t| t.into_owned())
        .map_err(errors::to_py)
}

/// The publication date a text gives, as ISO 8601 (`YYYY-MM-DD`); `None` without a full date.
#[pyfunction]
fn iso_date(text: &str) -> Option<String> {
    arclean_core::dates::iso(text)
}

/// Quality bounds from a preset (`arclean.QUALITY_PRESETS`) with `bounds` on top
/// (`min_NAME` / `max_NAME` for a measure of `QUALITY_NAMES`).
pub(crate) fn thresholds(
    preset: Option<&str>,
    bounds: Option<&Bound<'_, PyDict>>,
) -> PyResult<arclean_core::quality::Thresholds> {
    use arclean_core::quality::{Thresholds, PRESETS};
    let mut t = match preset {
        None => Thresholds::default(),
        Some(p) => Thresholds::preset(p).ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
            errors::ConfigError::new_err(format!(
                "quality preset must be one of {}; got '{p}'",
                names.join(", ")
            ))
        })?,
    };
    if let Some(b) = bounds {
        for (k, v) in b.iter() {
            let k: String = k.extract()?;
            let v: f32 = v.extract().map_err(|_| {
                errors::ConfigError::new_err(format!("quality bound '{k}' must be a number"))
            })?;
            t.set(&k, v).map_err(errors::ConfigError::new_err)?;
        }
    }
    Ok(t)
}

/// The first quality bound a document breaks (`"min_words"`, `"max_latin_share"`...), or
/// `None` when it passes: the bounds of `preset` with `bounds` on top, checked against
/// `doc.quality` (a `Document`, or its `quality` dict).
#[pyfunction]
#[pyo3(signature = (doc, preset = None, **bounds))]
fn quality_check(
    doc: &Bound<'_, PyAny>,
    preset: Option<&str>,
    bounds: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<String>> {
    let t = thresholds(preset, bounds)?;
    let q = match doc.cast::<document::PyDocument>() {
        Ok(d) => d.borrow().quality_of(),
        Err(_) => {
            let d = doc.cast::<PyDict>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(
                    "quality_check takes a Document or its quality dict",
                )
            })?;
            let mut q = arclean_core::quality::Quality::default();
            for (k, v) in d.iter() {
                let k: String = k.extract()?;
                q.set(&k, v.extract()?);
            }
            q
        }
    };
    Ok(t.check(&q))
}

/// The reason codes and what each means.
#[pyfunction]
fn reasons() -> Vec<(&'static str, &'static str)> {
    arclean_core::label::Reason::ALL
        .iter()
        .map(|r| (r.as_str(), r.describe()))
        .collect()
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNormalizer>()?;
    m.add_class::<PyCleaner>()?;
    m.add_class::<PyDocument>()?;
    m.add_class::<PyParagraph>()?;
    m.add_class::<PySentence>()?;
    m.add_class::<PyArticle>()?;
    m.add_class::<PySegmenter>()?;
    m.add_function(wrap_pyfunction!(segmenter::_segmenter_from_options, m)?)?;
    m.add_class::<PyRemoved>()?;
    m.add_class::<PyBlock>()?;
    m.add_class::<profile::PyProfile>()?;
    m.add_function(wrap_pyfunction!(cleaner::_cleaner_from_config, m)?)?;
    m.add_function(wrap_pyfunction!(reasons, m)?)?;
    m.add_function(wrap_pyfunction!(quality_check, m)?)?;
    m.add(
        "QUALITY_NAMES",
        PyTuple::new(m.py(), arclean_core::quality::Quality::NAMES)?,
    )?;
    let presets = PyDict::new(m.py());
    for (name, bounds) in arclean_core::quality::PRESETS {
        let d = PyDict::new(m.py());
        for (k, v) in *bounds {
            d.set_item(*k, *v)?;
        }
        presets.set_item(*name, d)?;
    }
    m.add("QUALITY_PRESETS", presets)?;
    m.add_function(wrap_pyfunction!(iso_date, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(decode_html, m)?)?;
    m.add_function(wrap_pyfunction!(sniff_html, m)?)?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    m.add(
        "EVIDENCE_NAMES",
        PyTuple::new(m.py(), arclean_core::evidence::NAMES)?,
    )?;
    m.add(
        "CONTEXT_NAMES",
        PyTuple::new(m.py(), arclean_core::evidence::CONTEXT_NAMES)?,
    )?;
    m.add_class::<PyAligned>()?;
    m.add_class::<runner::PyRunner>()?;
    m.add_class::<runner::PyJsonl>()?;
    m.add_function(wrap_pyfunction!(runner::write_atomic, m)?)?;
    m.add_function(wrap_pyfunction!(runner::is_temporary, m)?)?;
    m.add_function(wrap_pyfunction!(runner::decode_page, m)?)?;
    m.add_function(wrap_pyfunction!(normalizer::_normalizer_from_switches, m)?)?;
    m.add_function(wrap_pyfunction!(normalizer::normalize, m)?)?;
    m.add("SWITCHES", PyTuple::new(m.py(), SWITCHES)?)?;
    m.add("PRESETS", PyTuple::new(m.py(), PRESETS)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
