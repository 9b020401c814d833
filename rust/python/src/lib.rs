//! The extension module `arclean._core`: conversions, the GIL and error mapping only.

mod columns;
mod document;
mod errors;
mod pool;
mod profile;
mod runner;
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

fn options_from(preset: &str, switches: Option<&Bound<'_, PyDict>>) -> PyResult<Options> {
    let mut o = Options::preset(preset).map_err(errors::to_py)?;
    if let Some(sw) = switches {
        for (k, v) in sw.iter() {
            let name: String = k.extract()?;
            let value: bool = v.extract().map_err(|_| {
                errors::ConfigError::new_err(format!(
                    "switch {name} must be True or False; got {v}"
                ))
            })?;
            o.set(&name, value).map_err(errors::to_py)?;
        }
    }
    Ok(o)
}

/// A compiled set of folds, reusable and safe to share between threads.
#[pyclass(name = "Normalizer", module = "arclean._core", frozen)]
pub(crate) struct PyNormalizer {
    pub(crate) inner: Arc<Normalizer>,
}

#[pymethods]
impl PyNormalizer {
    #[new]
    #[pyo3(signature = (preset = "safe", **switches))]
    fn new(preset: &str, switches: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Ok(PyNormalizer {
            inner: Arc::new(Normalizer::new(options_from(preset, switches)?)),
        })
    }

    /// The folded text: a `str` for a `str` (the same object when nothing changed, so no copy is
    /// made), UTF-8 `bytes` for `bytes` (no transcoding on either side).
    fn normalize<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        fold_object(&self.inner, py, text)
    }

    /// Folds many texts in one call, in parallel with the GIL released; order is kept.
    #[pyo3(signature = (texts, parallel = true))]
    fn normalize_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        parallel: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let items = extract_texts(texts)?;
        let stored = items
            .iter()
            .map(ucs::Stored::of)
            .collect::<PyResult<Vec<_>>>()?;
        let n = &*self.inner;
        // conversions and folding on the workers: None where the text is already folded
        let fold = |st: &ucs::Stored<'_>| {
            let s = st.utf8()?;
            let out = n.normalize(&s);
            Ok(if out == *s {
                None
            } else {
                let shape = ucs::Shape::of(&out);
                Some((out, shape))
            })
        };
        type Folded = Result<Option<(String, ucs::Shape)>, ucs::LoneSurrogate>;
        let folded: Vec<Folded> = py.detach(|| pool::map(&stored, parallel, fold));
        let mut outs = Vec::with_capacity(folded.len());
        for (i, f) in folded.into_iter().enumerate() {
            outs.push(f.map_err(|e| e.to_py(&format!("texts[{i}]")))?);
        }
        // new strings are allocated here, with the GIL, and filled on the workers
        let blanks = outs
            .iter()
            .map(|o| {
                o.as_ref()
                    .map(|(_, shape)| ucs::Blank::new(py, *shape))
                    .transpose()
            })
            .collect::<PyResult<Vec<_>>>()?;
        let pairs: Vec<(&ucs::Blank, &str)> = blanks
            .iter()
            .zip(&outs)
            .filter_map(|(b, o)| Some((b.as_ref()?, o.as_ref()?.0.as_str())))
            .collect();
        py.detach(|| pool::map(&pairs, parallel, |(b, s)| b.fill(s)));
        let list = PyList::empty(py);
        for (item, b) in items.into_iter().zip(blanks) {
            match b {
                Some(b) => list.append(b.into_str(py))?,
                None => list.append(item)?,
            }
        }
        Ok(list)
    }

    /// The folded text with the input span of every output character.
    fn normalize_aligned(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<PyAligned> {
        let s = borrow_str(text, "text")?;
        let input: String = s.into_owned();
        let inner = self.inner.clone();
        let (output, alignment) = py.detach(|| inner.normalize_aligned(&input));
        Ok(PyAligned {
            input,
            output,
            alignment,
        })
    }

    /// The switches and their values.
    #[getter]
    fn switches<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.inner.options().items() {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let module = py.import("arclean._core")?;
        let rebuild = module.getattr("_normalizer_from_switches")?;
        let args = PyTuple::new(py, [self.switches(py)?])?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!("Normalizer({})", preset_call(self.inner.options()))
    }
}

/// `text` folded by `n`: a `str` for a `str` (the same object when nothing changed), UTF-8
/// `bytes` for `bytes`.
fn fold_object<'py>(
    n: &Normalizer,
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let run = |s: &str| {
        if s.len() < 4096 {
            n.normalize(s)
        } else {
            py.detach(|| n.normalize(s))
        }
    };
    if let Ok(t) = text.cast::<PyString>() {
        let s = ucs::Stored::of(t)?.utf8().map_err(|e| e.to_py("text"))?;
        let out = run(&s);
        if out == *s {
            return Ok(text.clone());
        }
        return Ok(ucs::new_str(py, &out)?.into_any());
    }
    if let Ok(b) = text.cast::<pyo3::types::PyBytes>() {
        let s = arclean_core::decode::decode(b.as_bytes()).map_err(errors::to_py)?;
        let out = run(&s);
        return Ok(pyo3::types::PyBytes::new(py, out.as_bytes()).into_any());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "text must be str or bytes; got {}",
        type_name(text)
    )))
}

/// Normalizers the module function has built, by their options (a preset's own are built once;
/// other switch sets are kept up to a bound, then forgotten together).
fn shared_normalizer(options: Options) -> Arc<Normalizer> {
    const KEPT: usize = 64;
    static BUILT: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<Options, Arc<Normalizer>>>,
    > = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = built.get(&options) {
        return n.clone();
    }
    if built.len() >= KEPT {
        built.clear();
    }
    let n = Arc::new(Normalizer::new(options));
    built.insert(options, n.clone());
    n
}

/// Fold orthographic variants of Arabic text: `Normalizer(preset, **switches).normalize(text)`
/// without building the normalizer on every call.
///
/// Presets: `safe` (presentation forms, tatweel, invisible characters, Persian look-alike
/// letters, spaces and line ends) keeps every meaning-bearing letter; `search` adds the lossy
/// folds used for retrieval (diacritics, alef and hamza forms, alef maksura, teh marbuta, digits,
/// stretched letters); `none` starts from nothing. Every fold in `SWITCHES` can be turned on or
/// off by keyword. A `str` gives a `str` (the same object when nothing changed), UTF-8 `bytes`
/// give `bytes`.
///
/// >>> normalize("ﻻ إله إلا الله")
/// 'لا إله إلا الله'
/// >>> normalize("كتابة ٣ كتب", preset="search", fold_teh_marbuta=False)
/// 'كتابة 3 كتب'
///
/// Raises ConfigError (unknown preset or switch) and DecodeError (a lone surrogate, or bytes
/// that are not UTF-8).
#[pyfunction]
#[pyo3(signature = (text, preset = "safe", **switches))]
fn normalize<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    preset: &str,
    switches: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    static PRESET: std::sync::OnceLock<Vec<(&'static str, Normalizer)>> =
        std::sync::OnceLock::new();
    let presets = PRESET.get_or_init(|| {
        PRESETS
            .iter()
            .filter_map(|&p| Some((p, Normalizer::preset(p).ok()?)))
            .collect()
    });
    if switches.is_none_or(|s| s.is_empty()) {
        if let Some((_, n)) = presets.iter().find(|(p, _)| *p == preset) {
            return fold_object(n, py, text);
        }
    }
    let n = shared_normalizer(options_from(preset, switches)?);
    fold_object(&n, py, text)
}

#[pyfunction]
fn _normalizer_from_switches(switches: &Bound<'_, PyDict>) -> PyResult<PyNormalizer> {
    PyNormalizer::new("none", Some(switches))
}

/// A folded text and the map back to its input.
#[pyclass(name = "Aligned", module = "arclean._core", frozen)]
struct PyAligned {
    input: String,
    output: String,
    alignment: arclean_core::Alignment,
}

#[pymethods]
impl PyAligned {
    /// The folded text.
    #[getter]
    fn text(&self) -> &str {
        &self.output
    }

    /// The text that was folded.
    #[getter]
    fn source(&self) -> &str {
        &self.input
    }

    /// For every character of `text`, the `(start, end)` of the input it came from, in code points.
    fn spans(&self) -> Vec<(usize, usize)> {
        let spans = self.alignment.char_spans(&self.output);
        // starts and ends are each non-decreasing: one walk each
        let starts: Vec<usize> = spans.iter().map(|s| s.start).collect();
        let ends: Vec<usize> = spans.iter().map(|s| s.end).collect();
        let cs = byte_to_char_offsets(&self.input, &starts);
        let ce = byte_to_char_offsets(&self.input, &ends);
        cs.into_iter().zip(ce).collect()
    }

    /// The input span, in code points, that `text[start:end]` came from.
    fn to_input(&self, start: usize, end: usize) -> (usize, usize) {
        map_chars(&self.output, &self.input, start, end, |s| {
            self.alignment.to_input(s)
        })
    }

    /// The span of `text`, in code points, that the input `source[start:end]` ended up in.
    fn to_output(&self, start: usize, end: usize) -> (usize, usize) {
        map_chars(&self.input, &self.output, start, end, |s| {
            self.alignment.to_output(s)
        })
    }

    fn __len__(&self) -> usize {
        self.output.chars().count()
    }

    fn __repr__(&self) -> String {
        format!("Aligned(text={:?})", self.output)
    }
}

/// Maps `from[start:end]` (code points) through `map` (bytes) to code points of `to`.
fn map_chars(
    from: &str,
    to: &str,
    start: usize,
    end: usize,
    map: impl Fn(Span) -> Span,
) -> (usize, usize) {
    let s = char_to_byte_offset(from, start);
    let e = char_to_byte_offset(from, end.max(start));
    let span = map(Span::new(s, e));
    let c = byte_to_char_offsets(to, &[span.start, span.end]);
    (c[0], c[1])
}

/// A file given by path, read up to one byte over `max_bytes` (the size check then refuses it;
/// a device or a pipe reports no size), with the GIL released.
fn read_page(py: Python<'_>, path: &std::path::Path, max_bytes: usize) -> PyResult<Vec<u8>> {
    use std::io::Read;
    let limit = match max_bytes {
        0 => u64::MAX,
        n => (n as u64).saturating_add(1),
    };
    py.detach(|| {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    })
    .map_err(|e| errors::to_py(arclean_core::Error::from(e).with_path(path)))
}

/// A list of names from Python (`disable`, `abbreviations`): a lone `str` is refused with the
/// call to write instead, since it would otherwise be read as a list of its letters.
fn names(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
    let Some(v) = value else {
        return Ok(Vec::new());
    };
    if let Ok(s) = v.cast::<PyString>() {
        return Err(errors::ConfigError::new_err(format!(
            "{what} must be a list of names, not a str: {what}=[{}]",
            s.repr()?
        )));
    }
    let mut out = Vec::new();
    for item in v.try_iter().map_err(|_| {
        errors::ConfigError::new_err(format!("{what} must be a list of names (str)"))
    })? {
        let item = item?;
        out.push(item.extract::<String>().map_err(|_| {
            errors::ConfigError::new_err(format!(
                "{what} must be a list of names (str); got {}",
                item.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })?);
    }
    Ok(out)
}

/// A list of names as Python writes it: `['a', 'b']`.
fn py_list(names: &[String]) -> String {
    let items: Vec<String> = names
        .iter()
        .map(|n| format!("{n:?}").replace('"', "'"))
        .collect();
    format!("[{}]", items.join(", "))
}

/// `'safe'` or `'search', fold_hamza=True`: the preset closest to `o` and the switches that
/// differ from it, as a call would write them.
fn preset_call(o: &Options) -> String {
    let items = o.items();
    let (name, diff) = PRESETS
        .iter()
        .filter_map(|p| Options::preset(p).ok().map(|po| (*p, po.items())))
        .map(|(p, pi)| {
            let diff: Vec<String> = items
                .iter()
                .zip(pi)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, _)| format!("{}={}", a.0, if a.1 { "True" } else { "False" }))
                .collect();
            (p, diff)
        })
        .min_by_key(|(_, d)| d.len())
        .unwrap_or(("none", Vec::new()));
    std::iter::once(format!("'{name}'"))
        .chain(diff)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A page given as `str`, `bytes` (also `bytearray`, `memoryview`: decoded by byte-order mark,
/// else strict UTF-8 for text) or a path (`os.PathLike`: the file is read and decoded as the
/// command line does, with detection of legacy encodings and mojibake repair).
pub(crate) enum Input {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
    File(Vec<u8>),
}

impl Input {
    pub(crate) fn extract(obj: &Bound<'_, PyAny>, what: &str, max_bytes: usize) -> PyResult<Input> {
        if let Ok(s) = obj.cast::<PyString>() {
            return PyBackedStr::try_from(s.clone())
                .map(Input::Str)
                .map_err(|e| errors::not_unicode(e, what));
        }
        if let Ok(b) = obj.extract::<PyBackedBytes>() {
            return Ok(Input::Bytes(b)); // bytes are borrowed; a bytearray is copied
        }
        let py = obj.py();
        if obj.is_instance_of::<pyo3::types::PyMemoryView>() {
            let b = py.get_type::<pyo3::types::PyBytes>().call1((obj,))?;
            return Ok(Input::Bytes(b.extract()?));
        }
        if obj.hasattr("__fspath__")? {
            // os.fspath, names that are not UTF-8 included (surrogate escapes on POSIX)
            let path: std::path::PathBuf = obj.extract()?;
            return read_page(py, &path, max_bytes).map(Input::File);
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{what} must be str, bytes or a path; got {}",
            type_name(obj)
        )))
    }

    /// Whether the page is HTML, and its text.
    pub(crate) fn decoded(
        &self,
        format: Format,
    ) -> arclean_core::Result<(bool, std::borrow::Cow<'_, str>)> {
        let bytes: &[u8] = match self {
            Input::Str(s) => s.as_bytes(),
            Input::Bytes(b) => b,
            Input::File(b) => b,
        };
        let html = match format {
            Format::Html => true,
            Format::Text => false,
            Format::Auto => arclean_core::html::sniff(bytes),
        };
        let text: std::borrow::Cow<'_, str> = match self {
            Input::Str(s) => std::borrow::Cow::Borrowed(&**s),
            Input::Bytes(b) if html => arclean_core::decode::decode_html(b).0,
            Input::Bytes(b) => arclean_core::decode::decode(b)?,
            Input::File(b) => arclean_core::decode::decode_page(b, html, None)
                .map(|(t, _)| t)
                .map_err(|_| arclean_core::Error::new(arclean_core::ErrorKind::NotText))?,
        };
        Ok((html, text))
    }

    fn clean(&self, cleaner: &Cleaner, format: Format) -> arclean_core::Result<Cleaned> {
        self.clean_of(cleaner, format, SiteOf::default())
    }

    fn clean_of(
        &self,
        cleaner: &Cleaner,
        format: Format,
        site: SiteOf<'_>,
    ) -> arclean_core::Result<Cleaned> {
        let (html, text) = self.decoded(format)?;
        let doc = cleaner.clean_page_of(&text, html, site)?;
        Ok(Cleaned::new(doc, &text))
    }
}

/// What a page is: plain text, HTML, or decided by looking at it.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    Auto,
    Text,
    Html,
}

impl Format {
    pub(crate) fn parse(s: &str) -> PyResult<Format> {
        match s {
            "auto" => Ok(Format::Auto),
            "text" => Ok(Format::Text),
            "html" => Ok(Format::Html),
            _ => Err(errors::ConfigError::new_err(format!(
                "unknown format '{s}'; expected one of 'auto', 'text', 'html'"
            ))),
        }
    }
}

/// Removes boilerplate from scraped pages; reusable and safe to share between threads.
#[pyclass(name = "Cleaner", module = "arclean._core", frozen)]
pub(crate) struct PyCleaner {
    pub(crate) inner: Arc<Cleaner>,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (preset = "safe", *, extra_phrases = None, disable = None, max_bytes = None, split_semicolon = false, abbreviations = None, model = None, profile = None, **switches))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        preset: &str,
        extra_phrases: Option<&Bound<'_, PyDict>>,
        disable: Option<&Bound<'_, PyAny>>,
        max_bytes: Option<&Bound<'_, PyAny>>,
        split_semicolon: bool,
        abbreviations: Option<&Bound<'_, PyAny>>,
        model: Option<String>,
        profile: Option<&Bound<'_, PyAny>>,
        switches: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut extra = Vec::new();
        if let Some(d) = extra_phrases {
            for (k, v) in d.iter() {
                let family: String = k.extract()?;
                let phrases: Vec<String> = v.extract().map_err(|_| {
                    errors::ConfigError::new_err(format!(
                        "extra_phrases['{family}'] must be a list of str"
                    ))
                })?;
                extra.extend(phrases.into_iter().map(|phrase| ExtraPhrase {
                    family: family.clone(),
                    phrase,
                }));
            }
        }
        let config = Config {
            normalize: options_from(preset, switches)?,
            extra_phrases: extra,
            disabled: names(disable, "disable")?,
            max_bytes: match max_bytes {
                Some(v) => {
                    usize::try_from(errors::byte_limit(v, "max_bytes")?).unwrap_or(usize::MAX)
                }
                None => DEFAULT_MAX_BYTES,
            },
            segment: SegmentOptions {
                semicolon: split_semicolon,
                abbreviations: names(abbreviations, "abbreviations")?,
            },
            model,
            profile: profile::shared(profile)?,
        };
        Ok(PyCleaner {
            inner: Arc::new(Cleaner::new(config).map_err(errors::to_py)?),
        })
    }

    /// Cleans one page: `str`, or `bytes` (text: byte-order mark, else UTF-8; HTML: byte-order
    /// mark, UTF-8, the declared charset, else detection). `format` is "auto" (HTML when the
    /// page looks like it), "text" or "html". With a profile, `site` names the page's site
    /// (else an HTML page's own address does, or the profile's only site).
    #[pyo3(signature = (page, format = "auto", *, site = None))]
    fn clean(
        &self,
        py: Python<'_>,
        page: &Bound<'_, PyAny>,
        format: &str,
        site: Option<String>,
    ) -> PyResult<PyDocument> {
        let format = Format::parse(format)?;
        let input = Input::extract(page, "page", self.inner.config().max_bytes)?;
        let inner = self.inner.clone();
        let site = SiteOf {
            name: site.as_deref(),
            fallback: None,
        };
        let cleaned = py
            .detach(|| input.clean_of(&inner, format, site))
            .map_err(errors::to_py)?;
        Ok(PyDocument::new(cleaned))
    }

    /// Cleans a column in one call (see `arclean.arrow`): `column` is a list of
    /// `(schema capsule, array capsule)` pairs of Arrow string arrays, or a list of `str`/`None`.
    #[pyo3(signature = (column, format = "auto"))]
    fn _clean_column<'py>(
        &self,
        py: Python<'py>,
        column: &Bound<'py, PyAny>,
        format: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        columns::clean_column(py, &self.inner, column, Format::parse(format)?)
    }

    /// Cleans many pages in parallel with the GIL released (`parallel=False`: on the calling
    /// thread only); order is kept. A page that fails (not a page, not UTF-8, too large) raises,
    /// naming its index; with `return_exceptions=True` its exception is returned in its place
    /// and the others are kept.
    #[pyo3(signature = (pages, format = "auto", *, return_exceptions = false, parallel = true))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        pages: &Bound<'_, PyAny>,
        format: &str,
        return_exceptions: bool,
        parallel: bool,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let format = Format::parse(format)?;
        let max_bytes = self.inner.config().max_bytes;
        let mut inputs = Vec::new();
        for (i, item) in pages.try_iter()?.enumerate() {
            inputs.push(Input::extract(&item?, &format!("pages[{i}]"), max_bytes));
        }
        let inner = self.inner.clone();
        let one = |inp: &PyResult<Input>| {
            let inp = inp.as_ref().ok()?;
            Some(
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    inp.clean(&inner, format)
                }))
                .unwrap_or_else(|_| {
                    Err(arclean_core::Error::config(
                        "internal error while cleaning this page",
                    ))
                }),
            )
        };
        let results: Vec<Option<arclean_core::Result<Cleaned>>> =
            py.detach(|| pool::map(&inputs, parallel, one));
        let mut out = Vec::with_capacity(results.len());
        for (i, (r, inp)) in results.into_iter().zip(inputs).enumerate() {
            let err = match (r, inp) {
                (Some(Ok(cleaned)), _) => {
                    out.push(Py::new(py, PyDocument::new(cleaned))?.into_any());
                    continue;
                }
                (Some(Err(e)), _) => {
                    let err = errors::to_py(e);
                    let msg = format!("pages[{i}]: {}", err.value(py));
                    PyErr::from_type(err.get_type(py), msg)
                }
                (None, Err(e)) => e, // names the page already
                (None, Ok(_)) => unreachable!("a page that was read is cleaned"),
            };
            if !return_exceptions {
                return Err(err);
            }
            out.push(err.into_value(py).into_any());
        }
        Ok(out)
    }

    /// Every block of a page with its evidence and decision: a list of dicts with `text`,
    /// `path` (the HTML elements around the block, `div.content > p`; empty for text pages),
    /// `evidence` (one number per name of `EVIDENCE_NAMES`), `context` (per `CONTEXT_NAMES`),
    /// `first` and `body` (body log-odds of the first stage and the final one), `title`
    /// (log-odds), `region`, `label`, `reason` and `why` (each measurement's contribution to the
    /// body score, largest first). For explaining results and fitting the model.
    #[pyo3(signature = (page, format = "auto", *, site = None))]
    fn evidence<'py>(
        &self,
        py: Python<'py>,
        page: &Bound<'py, PyAny>,
        format: &str,
        site: Option<String>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let format = Format::parse(format)?;
        let input = Input::extract(page, "page", self.inner.config().max_bytes)?;
        let (html, text) = input.decoded(format).map_err(errors::to_py)?;
        let site = SiteOf {
            name: site.as_deref(),
            fallback: None,
        };
        let (texts, paths, j) = self
            .inner
            .evidence_of(&text, html, site)
            .map_err(errors::to_py)?;
        let mut out = Vec::with_capacity(texts.len());
        for (i, (t, path)) in texts.into_iter().zip(paths).enumerate() {
            let d = PyDict::new(py);
            d.set_item("text", t)?;
            d.set_item("path", path)?;
            d.set_item("evidence", j.rows[i].to_vec())?;
            d.set_item("context", j.context[i].to_vec())?;
            d.set_item("first", j.first[i])?;
            d.set_item("body", j.body[i])?;
            d.set_item("title", j.title_scores[i])?;
            d.set_item("region", format!("{:?}", j.regions[i]).to_lowercase())?;
            d.set_item("label", j.labels[i].label.as_str())?;
            d.set_item("reason", j.labels[i].reason.as_str())?;
            let why = self
                .inner
                .model()
                .format(html)
                .explain(&j.rows[i], &j.context[i]);
            d.set_item("why", why)?;
            out.push(d);
        }
        Ok(out)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let c = self.inner.config();
        let switches = PyDict::new(py);
        for (k, v) in c.normalize.items() {
            switches.set_item(k, v)?;
        }
        let extra = PyDict::new(py);
        for e in &c.extra_phrases {
            let list = match extra.get_item(&e.family)? {
                Some(l) => l.cast_into::<PyList>()?,
                None => {
                    let l = PyList::empty(py);
                    extra.set_item(&e.family, &l)?;
                    l
                }
            };
            list.append(&e.phrase)?;
        }
        let rebuild = py
            .import("arclean._core")?
            .getattr("_cleaner_from_config")?;
        let args = (
            switches,
            extra,
            c.disabled.clone(),
            c.max_bytes,
            c.segment.semicolon,
            c.segment.abbreviations.clone(),
            c.model.clone(),
            c.profile.as_ref().map(|p| PyBytes::new(py, &p.to_bytes())),
        )
            .into_pyobject(py)?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }

    fn __repr__(&self) -> String {
        let c = self.inner.config();
        let mut parts = vec![preset_call(&c.normalize)];
        if !c.extra_phrases.is_empty() {
            parts.push(format!("extra_phrases=<{} phrases>", c.extra_phrases.len()));
        }
        if !c.disabled.is_empty() {
            parts.push(format!("disable={}", py_list(&c.disabled)));
        }
        if c.max_bytes != DEFAULT_MAX_BYTES {
            parts.push(format!("max_bytes={}", c.max_bytes));
        }
        if c.segment.semicolon {
            parts.push("split_semicolon=True".into());
        }
        if !c.segment.abbreviations.is_empty() {
            parts.push(format!(
                "abbreviations={}",
                py_list(&c.segment.abbreviations)
            ));
        }
        if let Some(m) = &c.model {
            parts.push(format!("model=<{} bytes>", m.len()));
        }
        if let Some(p) = &c.profile {
            parts.push(format!("profile=<{} sites>", p.sites.len()));
        }
        format!("Cleaner({})", parts.join(", "))
    }
}

#[pyfunction]
#[pyo3(signature = (switches, extra_phrases, disable, max_bytes, split_semicolon, abbreviations, model, profile = None))]
#[allow(clippy::too_many_arguments)] // the pickled configuration, field by field
fn _cleaner_from_config(
    switches: &Bound<'_, PyDict>,
    extra_phrases: &Bound<'_, PyDict>,
    disable: Vec<String>,
    max_bytes: usize,
    split_semicolon: bool,
    abbreviations: Vec<String>,
    model: Option<String>,
    profile: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyCleaner> {
    let py = switches.py();
    let max_bytes = max_bytes.into_pyobject(py)?.into_any();
    let disable = PyList::new(py, disable)?.into_any();
    let abbreviations = PyList::new(py, abbreviations)?.into_any();
    PyCleaner::new(
        "none",
        Some(extra_phrases),
        Some(&disable),
        Some(&max_bytes),
        split_semicolon,
        Some(&abbreviations),
        model,
        profile,
        Some(switches),
    )
}

/// Splits text that needs no cleaning into paragraphs and sentences; spans in code points.
#[pyclass(name = "Segmenter", module = "arclean._core", frozen)]
pub(crate) struct PySegmenter {
    pub(crate) inner: Segmenter,
}

#[pymethods]
impl PySegmenter {
    #[new]
    #[pyo3(signature = (*, split_semicolon = false, abbreviations = None))]
    fn new(split_semicolon: bool, abbreviations: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Ok(PySegmenter {
            inner: Segmenter::new(SegmentOptions {
                semicolon: split_semicolon,
                abbreviations: names(abbreviations, "abbreviations")?,
            }),
        })
    }

    /// The sentences of `text`, trimmed, with their spans in `text`.
    fn sentences(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
    ) -> PyResult<Vec<Py<PySentence>>> {
        let t = borrow_str(text, "text")?;
        let spans = py.detach(|| self.inner.sentences(&t));
        let map = CharOffsets::new(&t, spans.iter().flat_map(|s| [s.start, s.end]).collect());
        spans
            .iter()
            .map(|&s| {
                let c = map.span(s);
                Py::new(
                    py,
                    PySentence {
                        text: t[s.start..s.end].to_string(),
                        span: c,
                        text_span: c,
                    },
                )
            })
            .collect()
    }

    /// The paragraphs of `text` (separated by blank lines) with their sentences.
    fn paragraphs(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
    ) -> PyResult<Vec<Py<PyParagraph>>> {
        let t = borrow_str(text, "text")?;
        let paras = py.detach(|| {
            segment::paragraphs(&t)
                .into_iter()
                .map(|p| (p, self.inner.sentences(&t[p.start..p.end])))
                .collect::<Vec<_>>()
        });
        let mut all = Vec::new();
        for (p, ss) in &paras {
            all.push(*p);
            all.extend(
                ss.iter()
                    .map(|s| Span::new(p.start + s.start, p.start + s.end)),
            );
        }
        let map = CharOffsets::new(&t, all.iter().flat_map(|s| [s.start, s.end]).collect());
        paras
            .iter()
            .map(|(p, ss)| {
                let sentences = ss
                    .iter()
                    .map(|s| {
                        let c = map.span(Span::new(p.start + s.start, p.start + s.end));
                        let text = t[p.start + s.start..p.start + s.end].to_string();
                        Py::new(
                            py,
                            PySentence {
                                text,
                                span: c,
                                text_span: c,
                            },
                        )
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                let c = map.span(*p);
                Py::new(
                    py,
                    PyParagraph {
                        text: t[p.start..p.end].to_string(),
                        span: c,
                        text_span: c,
                        sentences,
                    },
                )
            })
            .collect()
    }

    /// Whether `؛` and `;` end sentences.
    #[getter]
    fn split_semicolon(&self) -> bool {
        self.inner.options().semicolon
    }

    /// The words added to the built-in abbreviations.
    #[getter]
    fn abbreviations(&self) -> Vec<String> {
        self.inner.options().abbreviations.clone()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let o = self.inner.options();
        let rebuild = py
            .import("arclean._core")?
            .getattr("_segmenter_from_options")?;
        let args = (o.semicolon, o.abbreviations.clone()).into_pyobject(py)?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }

    fn __repr__(&self) -> String {
        let o = self.inner.options();
        let mut parts = Vec::new();
        if o.semicolon {
            parts.push("split_semicolon=True".to_string());
        }
        if !o.abbreviations.is_empty() {
            parts.push(format!("abbreviations={}", py_list(&o.abbreviations)));
        }
        format!("Segmenter({})", parts.join(", "))
    }
}

#[pyfunction]
fn _segmenter_from_options(
    split_semicolon: bool,
    abbreviations: &Bound<'_, PyAny>,
) -> PyResult<PySegmenter> {
    PySegmenter::new(split_semicolon, Some(abbreviations))
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
    m.add_function(wrap_pyfunction!(_segmenter_from_options, m)?)?;
    m.add_class::<PyRemoved>()?;
    m.add_class::<PyBlock>()?;
    m.add_class::<profile::PyProfile>()?;
    m.add_function(wrap_pyfunction!(_cleaner_from_config, m)?)?;
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
    m.add_function(wrap_pyfunction!(_normalizer_from_switches, m)?)?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add("SWITCHES", PyTuple::new(m.py(), SWITCHES)?)?;
    m.add("PRESETS", PyTuple::new(m.py(), PRESETS)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
