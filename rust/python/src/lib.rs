//! The extension module `arclean._core`: conversions, the GIL and error mapping only.

mod columns;
mod errors;
mod pool;
mod runner;

use arclean_core::align::{byte_to_char_offsets, char_to_byte_offset, CharOffsets};
use arclean_core::clean::{Config, DEFAULT_MAX_BYTES};
use arclean_core::lexicon::ExtraPhrase;
use arclean_core::normalize::{Options, PRESETS, SWITCHES};
use arclean_core::segment::{self, SegmentOptions, Segmenter};
use arclean_core::{Cleaner, Document, Normalizer, Paragraph, Span};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::sync::Arc;

fn borrow_str<'a>(s: &'a Bound<'_, PyString>, what: &str) -> PyResult<std::borrow::Cow<'a, str>> {
    s.to_cow().map_err(|e| errors::not_unicode(e, what))
}

fn extract_texts(texts: &Bound<'_, PyAny>) -> PyResult<Vec<PyBackedStr>> {
    let mut out = Vec::new();
    for (i, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        let s = item.cast::<PyString>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "texts[{i}] must be str; got {}",
                item.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        out.push(
            PyBackedStr::try_from(s.clone())
                .map_err(|e| errors::not_unicode(e, &format!("texts[{i}]")))?,
        );
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

    /// The folded text.
    fn normalize(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<String> {
        let s = borrow_str(text, "text")?;
        let s: &str = &s;
        if s.len() < 4096 {
            return Ok(self.inner.normalize(s));
        }
        Ok(py.detach(|| self.inner.normalize(s)))
    }

    /// Folds many texts in one call, in parallel with the GIL released; order is kept.
    #[pyo3(signature = (texts, parallel = true))]
    fn normalize_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        parallel: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let docs = extract_texts(texts)?;
        let out: Vec<String> = py.detach(|| {
            if parallel {
                pool::SHARED
                    .get()
                    .install(|| self.inner.normalize_batch(&docs))
            } else {
                docs.iter().map(|d| self.inner.normalize(d)).collect()
            }
        });
        PyList::new(py, out)
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
        let on: Vec<&str> = self
            .inner
            .options()
            .items()
            .into_iter()
            .filter(|(_, v)| *v)
            .map(|(k, _)| k)
            .collect();
        format!("Normalizer({})", on.join(", "))
    }
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

/// Text of a document given as `str` or `bytes` (decoded: BOM, else strict UTF-8).
enum Input {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl Input {
    fn extract(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
        if let Ok(s) = obj.cast::<PyString>() {
            return PyBackedStr::try_from(s.clone())
                .map(Input::Str)
                .map_err(|e| errors::not_unicode(e, what));
        }
        if let Ok(b) = obj.extract::<PyBackedBytes>() {
            return Ok(Input::Bytes(b)); // bytes are borrowed; a bytearray is copied
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{what} must be str or bytes; got {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        )))
    }

    /// Whether the page is HTML, and its text.
    fn decoded(&self, format: Format) -> arclean_core::Result<(bool, std::borrow::Cow<'_, str>)> {
        let bytes: &[u8] = match self {
            Input::Str(s) => s.as_bytes(),
            Input::Bytes(b) => b,
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
        };
        Ok((html, text))
    }

    fn clean(&self, cleaner: &Cleaner, format: Format) -> arclean_core::Result<Cleaned> {
        let (html, text) = self.decoded(format)?;
        let doc = cleaner.clean_page(&text, html)?;
        let mut offsets = Vec::with_capacity(doc.blocks.len() * 2);
        for b in &doc.blocks {
            offsets.extend([b.span.start, b.span.end]);
        }
        let paras = doc
            .paragraphs
            .iter()
            .chain(doc.articles.iter().flat_map(|a| &a.paragraphs));
        for s in paras.flat_map(|p| &p.sentences) {
            offsets.extend([s.input.start, s.input.end]);
        }
        let map = CharOffsets::new(&text, offsets);
        Ok(Cleaned { doc, map })
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

/// A cleaned document with the code points of the input offsets it refers to.
struct Cleaned {
    doc: Document,
    map: CharOffsets,
}

/// Python paragraphs of a body: spans in the input through `map`, spans in the body text (the
/// paragraphs joined by a blank line) counted here.
fn py_paragraphs(
    py: Python<'_>,
    paras: &[Paragraph],
    map: &CharOffsets,
) -> PyResult<Vec<Py<PyParagraph>>> {
    let mut offset = 0usize;
    let mut out = Vec::with_capacity(paras.len());
    for p in paras {
        let mut offs = Vec::with_capacity(p.sentences.len() * 2);
        for s in &p.sentences {
            offs.extend([s.span.start, s.span.end]);
        }
        let c = byte_to_char_offsets(&p.text, &offs);
        let len = p.text.chars().count();
        let sentences = p
            .sentences
            .iter()
            .enumerate()
            .map(|(k, s)| {
                Py::new(
                    py,
                    PySentence {
                        text: p.text[s.span.start..s.span.end].to_string(),
                        span: map.span(s.input),
                        text_span: (offset + c[2 * k], offset + c[2 * k + 1]),
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.push(Py::new(
            py,
            PyParagraph {
                text: p.text.clone(),
                span: map.span(p.span),
                text_span: (offset, offset + len),
                sentences,
            },
        )?);
        offset += len + 2;
    }
    Ok(out)
}

/// Removes boilerplate from scraped pages; reusable and safe to share between threads.
#[pyclass(name = "Cleaner", module = "arclean._core", frozen)]
pub(crate) struct PyCleaner {
    pub(crate) inner: Arc<Cleaner>,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (preset = "safe", *, extra_phrases = None, disable = None, max_bytes = None, split_semicolon = false, abbreviations = None, model = None, **switches))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        preset: &str,
        extra_phrases: Option<&Bound<'_, PyDict>>,
        disable: Option<Vec<String>>,
        max_bytes: Option<&Bound<'_, PyAny>>,
        split_semicolon: bool,
        abbreviations: Option<Vec<String>>,
        model: Option<String>,
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
            disabled: disable.unwrap_or_default(),
            max_bytes: match max_bytes {
                Some(v) => {
                    usize::try_from(errors::byte_limit(v, "max_bytes")?).unwrap_or(usize::MAX)
                }
                None => DEFAULT_MAX_BYTES,
            },
            segment: SegmentOptions {
                semicolon: split_semicolon,
                abbreviations: abbreviations.unwrap_or_default(),
            },
            model,
        };
        Ok(PyCleaner {
            inner: Arc::new(Cleaner::new(config).map_err(errors::to_py)?),
        })
    }

    /// Cleans one page: `str`, or `bytes` (text: byte-order mark, else UTF-8; HTML: byte-order
    /// mark, UTF-8, the declared charset, else detection). `format` is "auto" (HTML when the
    /// page looks like it), "text" or "html".
    #[pyo3(signature = (page, format = "auto"))]
    fn clean(&self, py: Python<'_>, page: &Bound<'_, PyAny>, format: &str) -> PyResult<PyDocument> {
        let format = Format::parse(format)?;
        let input = Input::extract(page, "page")?;
        let inner = self.inner.clone();
        let cleaned = py
            .detach(|| input.clean(&inner, format))
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

    /// Cleans many pages in parallel with the GIL released; order is kept.
    #[pyo3(signature = (pages, format = "auto"))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        pages: &Bound<'_, PyAny>,
        format: &str,
    ) -> PyResult<Vec<PyDocument>> {
        let format = Format::parse(format)?;
        let mut inputs = Vec::new();
        for (i, item) in pages.try_iter()?.enumerate() {
            inputs.push(Input::extract(&item?, &format!("pages[{i}]"))?);
        }
        let inner = self.inner.clone();
        let results: Vec<arclean_core::Result<Cleaned>> = py.detach(|| {
            use rayon::prelude::*;
            pool::SHARED.get().install(|| {
                inputs
                    .par_iter()
                    .map(|inp| {
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            inp.clean(&inner, format)
                        }))
                        .unwrap_or_else(|_| {
                            Err(arclean_core::Error::config(
                                "internal error while cleaning this page",
                            ))
                        })
                    })
                    .collect()
            })
        });
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| match r {
                Ok(cleaned) => Ok(PyDocument::new(cleaned)),
                Err(e) => {
                    let err = errors::to_py(e);
                    Err(Python::attach(|py| {
                        let msg = format!("pages[{i}]: {}", err.value(py));
                        PyErr::from_type(err.get_type(py), msg)
                    }))
                }
            })
            .collect()
    }

    /// Every block of a page with its evidence and decision: a list of dicts with `text`,
    /// `evidence` (one number per name of `EVIDENCE_NAMES`), `context` (per `CONTEXT_NAMES`),
    /// `first` and `body` (body log-odds of the first stage and the final one), `title`
    /// (log-odds), `region`, `label`, `reason` and `why` (each measurement's contribution to the
    /// body score, largest first). For explaining results and fitting the model.
    #[pyo3(signature = (page, format = "auto"))]
    fn evidence<'py>(
        &self,
        py: Python<'py>,
        page: &Bound<'py, PyAny>,
        format: &str,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let format = Format::parse(format)?;
        let input = Input::extract(page, "page")?;
        let (html, text) = input.decoded(format).map_err(errors::to_py)?;
        let (texts, j) = self.inner.evidence(&text, html).map_err(errors::to_py)?;
        let mut out = Vec::with_capacity(texts.len());
        for (i, t) in texts.into_iter().enumerate() {
            let d = PyDict::new(py);
            d.set_item("text", t)?;
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
        )
            .into_pyobject(py)?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }
}

#[pyfunction]
fn _cleaner_from_config(
    switches: &Bound<'_, PyDict>,
    extra_phrases: &Bound<'_, PyDict>,
    disable: Vec<String>,
    max_bytes: usize,
    split_semicolon: bool,
    abbreviations: Vec<String>,
    model: Option<String>,
) -> PyResult<PyCleaner> {
    let py = switches.py();
    let max_bytes = max_bytes.into_pyobject(py)?.into_any();
    PyCleaner::new(
        "none",
        Some(extra_phrases),
        Some(disable),
        Some(&max_bytes),
        split_semicolon,
        Some(abbreviations),
        model,
        Some(switches),
    )
}

/// A paragraph of the body: normalized text, its span in the input and in the body text (code
/// points), and its sentences.
#[pyclass(name = "Paragraph", module = "arclean._core", frozen)]
struct PyParagraph {
    #[pyo3(get)]
    text: String,
    #[pyo3(get)]
    span: (usize, usize),
    #[pyo3(get)]
    text_span: (usize, usize),
    sentences: Vec<Py<PySentence>>,
}

#[pymethods]
impl PyParagraph {
    #[getter]
    fn sentences(&self, py: Python<'_>) -> Vec<Py<PySentence>> {
        self.sentences.iter().map(|s| s.clone_ref(py)).collect()
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("Paragraph(span={:?}, text={:?})", self.span, self.text)
    }
}

/// A sentence: its text, its span in the input and in the body text (code points).
#[pyclass(name = "Sentence", module = "arclean._core", frozen, get_all)]
struct PySentence {
    text: String,
    span: (usize, usize),
    text_span: (usize, usize),
}

#[pymethods]
impl PySentence {
    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("Sentence(span={:?}, text={:?})", self.span, self.text)
    }
}

/// Another article saved on the page after the main one.
#[pyclass(name = "Article", module = "arclean._core", frozen)]
struct PyArticle {
    #[pyo3(get)]
    title: Option<String>,
    #[pyo3(get)]
    text: String,
    meta: arclean_core::clean::Meta,
    paragraphs: Vec<Py<PyParagraph>>,
}

#[pymethods]
impl PyArticle {
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        meta_dict(py, &self.meta)
    }

    #[getter]
    fn paragraphs(&self, py: Python<'_>) -> Vec<Py<PyParagraph>> {
        self.paragraphs.iter().map(|p| p.clone_ref(py)).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Article(title={:?}, paragraphs={})",
            self.title,
            self.paragraphs.len()
        )
    }
}

fn meta_dict<'py>(py: Python<'py>, m: &arclean_core::clean::Meta) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in [
        ("date", &m.date),
        ("byline", &m.byline),
        ("source", &m.source),
    ] {
        if let Some(v) = v {
            d.set_item(k, v)?;
        }
    }
    if !m.tags.is_empty() {
        d.set_item("tags", m.tags.clone())?;
    }
    if let Some(l) = &m.lang {
        d.set_item("lang", l)?;
    }
    Ok(d)
}

/// A block that is not body: its text as in the input, span (code points), label and reason.
#[pyclass(name = "Removed", module = "arclean._core", frozen, get_all)]
struct PyRemoved {
    text: String,
    span: (usize, usize),
    label: &'static str,
    reason: &'static str,
}

#[pymethods]
impl PyRemoved {
    fn __repr__(&self) -> String {
        format!(
            "Removed(reason={:?}, span={:?}, text={:?})",
            self.reason, self.span, self.text
        )
    }
}

/// Every block of the page with its label and reason, for `explain`.
#[pyclass(name = "Block", module = "arclean._core", frozen, get_all)]
struct PyBlock {
    line: usize,
    span: (usize, usize),
    label: &'static str,
    reason: &'static str,
}

/// The cleaned page. Paragraphs, removed blocks and blocks become Python objects when asked for.
#[pyclass(name = "Document", module = "arclean._core", frozen)]
struct PyDocument {
    #[pyo3(get)]
    text: String,
    doc: Document,
    map: CharOffsets,
}

impl PyDocument {
    fn new(c: Cleaned) -> PyDocument {
        PyDocument {
            text: c.doc.text(),
            doc: c.doc,
            map: c.map,
        }
    }

    fn span(&self, block: usize) -> (usize, usize) {
        self.map.span(self.doc.blocks[block].span)
    }
}

#[pymethods]
impl PyDocument {
    #[getter]
    fn title(&self) -> Option<&str> {
        self.doc.title.as_deref()
    }

    /// Date, byline, source and tags found on the page (keys present only when found).
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        meta_dict(py, &self.doc.meta)
    }

    #[getter]
    fn paragraphs(&self, py: Python<'_>) -> PyResult<Vec<Py<PyParagraph>>> {
        py_paragraphs(py, &self.doc.paragraphs, &self.map)
    }

    /// Every sentence of the body, in order.
    #[getter]
    fn sentences(&self, py: Python<'_>) -> PyResult<Vec<Py<PySentence>>> {
        let mut out = Vec::new();
        for p in py_paragraphs(py, &self.doc.paragraphs, &self.map)? {
            out.extend(p.get().sentences.iter().map(|s| s.clone_ref(py)));
        }
        Ok(out)
    }

    /// Other articles saved after the main one (a read-also marker followed by a whole article).
    #[getter]
    fn articles(&self, py: Python<'_>) -> PyResult<Vec<Py<PyArticle>>> {
        self.doc
            .articles
            .iter()
            .map(|a| {
                let v = PyArticle {
                    title: a.title.clone(),
                    text: a.text(),
                    meta: a.meta.clone(),
                    paragraphs: py_paragraphs(py, &a.paragraphs, &self.map)?,
                };
                Py::new(py, v)
            })
            .collect()
    }

    #[getter]
    fn removed(&self, py: Python<'_>) -> PyResult<Vec<Py<PyRemoved>>> {
        self.doc
            .removed
            .iter()
            .map(|r| {
                let v = PyRemoved {
                    text: r.text.clone(),
                    span: self.span(r.block),
                    label: r.label.as_str(),
                    reason: r.reason.as_str(),
                };
                Py::new(py, v)
            })
            .collect()
    }

    #[getter]
    fn blocks(&self, py: Python<'_>) -> PyResult<Vec<Py<PyBlock>>> {
        self.doc
            .blocks
            .iter()
            .map(|b| {
                Py::new(
                    py,
                    PyBlock {
                        line: b.line,
                        span: self.map.span(b.span),
                        label: b.label.as_str(),
                        reason: b.reason.as_str(),
                    },
                )
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Document(title={:?}, paragraphs={}, removed={}, articles={})",
            self.doc.title,
            self.doc.paragraphs.len(),
            self.doc.removed.len(),
            self.doc.articles.len()
        )
    }
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
    fn new(split_semicolon: bool, abbreviations: Option<Vec<String>>) -> Self {
        PySegmenter {
            inner: Segmenter::new(SegmentOptions {
                semicolon: split_semicolon,
                abbreviations: abbreviations.unwrap_or_default(),
            }),
        }
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

    #[getter]
    fn split_semicolon(&self) -> bool {
        self.inner.options().semicolon
    }

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
}

#[pyfunction]
fn _segmenter_from_options(split_semicolon: bool, abbreviations: Vec<String>) -> PySegmenter {
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
    m.add_function(wrap_pyfunction!(_cleaner_from_config, m)?)?;
    m.add_function(wrap_pyfunction!(reasons, m)?)?;
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
    m.add("SWITCHES", PyTuple::new(m.py(), SWITCHES)?)?;
    m.add("PRESETS", PyTuple::new(m.py(), PRESETS)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
