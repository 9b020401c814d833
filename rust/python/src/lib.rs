//! The extension module `arclean._core`: conversions, the GIL and error mapping only.

mod errors;

use arclean_core::align::{byte_to_char_offsets, char_to_byte_offset};
use arclean_core::clean::{Config, DEFAULT_MAX_BYTES};
use arclean_core::lexicon::ExtraPhrase;
use arclean_core::normalize::{Options, PRESETS, SWITCHES};
use arclean_core::{Cleaner, Document, Normalizer, Span};
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
struct PyNormalizer {
    inner: Arc<Normalizer>,
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
                self.inner.normalize_batch(&docs)
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

    fn clean(&self, cleaner: &Cleaner) -> arclean_core::Result<Cleaned> {
        let text: std::borrow::Cow<'_, str> = match self {
            Input::Str(s) => std::borrow::Cow::Borrowed(&**s),
            Input::Bytes(b) => arclean_core::decode::decode(b)?,
        };
        let doc = cleaner.clean(&text)?;
        let mut offsets = Vec::with_capacity(doc.blocks.len() * 2);
        for b in &doc.blocks {
            offsets.push(b.span.start);
            offsets.push(b.span.end);
        }
        let c = byte_to_char_offsets(&text, &offsets);
        let spans = c.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        Ok(Cleaned { doc, spans })
    }
}

/// A cleaned document with the code-point span of each of its blocks.
struct Cleaned {
    doc: Document,
    spans: Vec<(usize, usize)>,
}

/// Removes boilerplate from scraped pages; reusable and safe to share between threads.
#[pyclass(name = "Cleaner", module = "arclean._core", frozen)]
struct PyCleaner {
    inner: Arc<Cleaner>,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (preset = "safe", *, extra_phrases = None, disable = None, max_bytes = DEFAULT_MAX_BYTES, **switches))]
    fn new(
        preset: &str,
        extra_phrases: Option<&Bound<'_, PyDict>>,
        disable: Option<Vec<String>>,
        max_bytes: usize,
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
            max_bytes,
        };
        Ok(PyCleaner {
            inner: Arc::new(Cleaner::new(config).map_err(errors::to_py)?),
        })
    }

    /// Cleans one page (`str`, or `bytes` decoded by BOM, else UTF-8).
    fn clean(&self, py: Python<'_>, page: &Bound<'_, PyAny>) -> PyResult<PyDocument> {
        let input = Input::extract(page, "page")?;
        let inner = self.inner.clone();
        let cleaned = py.detach(|| input.clean(&inner)).map_err(errors::to_py)?;
        Ok(PyDocument::new(cleaned))
    }

    /// Cleans many pages in parallel with the GIL released; order is kept.
    fn clean_batch(&self, py: Python<'_>, pages: &Bound<'_, PyAny>) -> PyResult<Vec<PyDocument>> {
        let mut inputs = Vec::new();
        for (i, item) in pages.try_iter()?.enumerate() {
            inputs.push(Input::extract(&item?, &format!("pages[{i}]"))?);
        }
        let inner = self.inner.clone();
        let results: Vec<arclean_core::Result<Cleaned>> = py.detach(|| {
            use rayon::prelude::*;
            inputs
                .par_iter()
                .map(|inp| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inp.clean(&inner)))
                        .unwrap_or_else(|_| {
                            Err(arclean_core::Error::config(
                                "internal error while cleaning this page",
                            ))
                        })
                })
                .collect()
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
        let args = (switches, extra, c.disabled.clone(), c.max_bytes).into_pyobject(py)?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }
}

#[pyfunction]
fn _cleaner_from_config(
    switches: &Bound<'_, PyDict>,
    extra_phrases: &Bound<'_, PyDict>,
    disable: Vec<String>,
    max_bytes: usize,
) -> PyResult<PyCleaner> {
    PyCleaner::new(
        "none",
        Some(extra_phrases),
        Some(disable),
        max_bytes,
        Some(switches),
    )
}

/// A paragraph of the body: normalized text and its span in the input (code points).
#[pyclass(name = "Paragraph", module = "arclean._core", frozen, get_all)]
struct PyParagraph {
    text: String,
    span: (usize, usize),
}

#[pymethods]
impl PyParagraph {
    fn __repr__(&self) -> String {
        format!("Paragraph(span={:?}, text={:?})", self.span, self.text)
    }
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
    spans: Vec<(usize, usize)>,
}

impl PyDocument {
    fn new(c: Cleaned) -> PyDocument {
        PyDocument {
            text: c.doc.text(),
            doc: c.doc,
            spans: c.spans,
        }
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
        let d = PyDict::new(py);
        let m = &self.doc.meta;
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
        Ok(d)
    }

    #[getter]
    fn paragraphs(&self, py: Python<'_>) -> PyResult<Vec<Py<PyParagraph>>> {
        self.doc
            .paragraphs
            .iter()
            .map(|p| {
                Py::new(
                    py,
                    PyParagraph {
                        text: p.text.clone(),
                        span: self.spans[p.block],
                    },
                )
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
                    span: self.spans[r.block],
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
            .zip(&self.spans)
            .map(|(b, &span)| {
                Py::new(
                    py,
                    PyBlock {
                        line: b.line,
                        span,
                        label: b.label.as_str(),
                        reason: b.reason.as_str(),
                    },
                )
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Document(title={:?}, paragraphs={}, removed={})",
            self.doc.title,
            self.doc.paragraphs.len(),
            self.doc.removed.len()
        )
    }
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
    m.add_class::<PyRemoved>()?;
    m.add_class::<PyBlock>()?;
    m.add_function(wrap_pyfunction!(_cleaner_from_config, m)?)?;
    m.add_function(wrap_pyfunction!(reasons, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    m.add_class::<PyAligned>()?;
    m.add_function(wrap_pyfunction!(_normalizer_from_switches, m)?)?;
    m.add("SWITCHES", PyTuple::new(m.py(), SWITCHES)?)?;
    m.add("PRESETS", PyTuple::new(m.py(), PRESETS)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
