//! The cleaned page as Python objects: `Document` and its parts, their reprs, their dict form
//! (`to_dict`, `Document.from_dict`) and pickling through it.

use arclean_core::align::{byte_to_char_offsets, char_to_byte_offset, CharOffsets};
use arclean_core::clean::{Article, BlockLabel, Meta, Paragraph, Removed, Sentence};
use arclean_core::label::{Label, Reason};
use arclean_core::quality::Quality;
use arclean_core::{Document, Span};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use std::collections::HashMap;

mod from_dict;

use from_dict::from_dict;

/// Characters of a text shown in a repr before it is cut.
const REPR_CHARS: usize = 60;

/// Python's repr of `s` cut to `REPR_CHARS` characters: Arabic shows as Arabic.
fn shown(py: Python<'_>, s: &str) -> String {
    let cut = match s.char_indices().nth(REPR_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    };
    PyString::new(py, &cut)
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| format!("{cut:?}"))
}

fn shown_opt(py: Python<'_>, s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_string(), |s| shown(py, s))
}

/// A cleaned document with the code points of the input offsets it refers to.
pub(crate) struct Cleaned {
    pub(crate) doc: Document,
    pub(crate) map: CharOffsets,
}

impl Cleaned {
    /// The document with a map from the byte offsets of `text` (the page it was cleaned from).
    pub(crate) fn new(doc: Document, text: &str) -> Cleaned {
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
        let map = CharOffsets::new(text, offsets);
        Cleaned { doc, map }
    }
}

/// Python paragraphs of a body: spans in the input through `map`, spans in the body text (the
/// paragraphs joined by a blank line) counted here.
pub(crate) fn py_paragraphs(
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

/// A paragraph of the body: normalized text, its span in the input and in the body text (code
/// points), and its sentences.
#[pyclass(name = "Paragraph", module = "arclean._core", frozen)]
pub(crate) struct PyParagraph {
    /// The paragraph's normalized text.
    #[pyo3(get)]
    pub(crate) text: String,
    /// `(start, end)` of the input it came from, in code points.
    #[pyo3(get)]
    pub(crate) span: (usize, usize),
    /// `(start, end)` in the body text (`Document.text` or `Article.text`), in code points.
    #[pyo3(get)]
    pub(crate) text_span: (usize, usize),
    pub(crate) sentences: Vec<Py<PySentence>>,
}

#[pymethods]
impl PyParagraph {
    /// The paragraph's sentences, in order.
    #[getter]
    fn sentences(&self, py: Python<'_>) -> Vec<Py<PySentence>> {
        self.sentences.iter().map(|s| s.clone_ref(py)).collect()
    }

    /// Text, spans and sentences as plain Python values (JSON-ready).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("text", &self.text)?;
        d.set_item("span", self.span)?;
        d.set_item("text_span", self.text_span)?;
        let sentences = self
            .sentences
            .iter()
            .map(|s| s.get().to_dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("sentences", sentences)?;
        Ok(d)
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Paragraph(span={:?}, sentences={}, text={})",
            self.span,
            self.sentences.len(),
            shown(py, &self.text)
        )
    }
}

/// A sentence: its text, its span in the input and in the body text (code points).
#[pyclass(name = "Sentence", module = "arclean._core", frozen)]
pub(crate) struct PySentence {
    /// The sentence's text (normalized when it comes from a cleaned page).
    #[pyo3(get)]
    pub(crate) text: String,
    /// `(start, end)` of the input it came from, in code points.
    #[pyo3(get)]
    pub(crate) span: (usize, usize),
    /// `(start, end)` in the body text, in code points.
    #[pyo3(get)]
    pub(crate) text_span: (usize, usize),
}

#[pymethods]
impl PySentence {
    /// Text and spans as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("text", &self.text)?;
        d.set_item("span", self.span)?;
        d.set_item("text_span", self.text_span)?;
        Ok(d)
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Sentence(span={:?}, text={})",
            self.span,
            shown(py, &self.text)
        )
    }
}

/// Another article saved on the page after the main one.
#[pyclass(name = "Article", module = "arclean._core", frozen)]
pub(crate) struct PyArticle {
    /// The article's headline, when one was found.
    #[pyo3(get)]
    title: Option<String>,
    /// The article's body: paragraphs separated by a blank line.
    #[pyo3(get)]
    text: String,
    meta: Meta,
    paragraphs: Vec<Py<PyParagraph>>,
}

#[pymethods]
impl PyArticle {
    /// Date, byline, source and tags found with the article (keys present only when found).
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        meta_dict(py, &self.meta)
    }

    /// The article's paragraphs, in order.
    #[getter]
    fn paragraphs(&self, py: Python<'_>) -> Vec<Py<PyParagraph>> {
        self.paragraphs.iter().map(|p| p.clone_ref(py)).collect()
    }

    /// Title, metadata, text and paragraphs as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("title", &self.title)?;
        d.set_item("meta", meta_dict(py, &self.meta)?)?;
        d.set_item("text", &self.text)?;
        let paras = self
            .paragraphs
            .iter()
            .map(|p| p.get().to_dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("paragraphs", paras)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Article(title={}, paragraphs={})",
            shown_opt(py, self.title.as_deref()),
            self.paragraphs.len()
        )
    }
}

/// The metadata as a dict: keys present only when found.
pub(crate) fn meta_dict<'py>(py: Python<'py>, m: &Meta) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in [
        ("date", &m.date),
        ("date_raw", &m.date_raw),
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
    for (k, v) in [("lang", &m.lang), ("url", &m.url), ("host", &m.host)] {
        if let Some(v) = v {
            d.set_item(k, v)?;
        }
    }
    Ok(d)
}

/// A block that is not body: its text as in the input, span (code points), label and reason.
#[pyclass(name = "Removed", module = "arclean._core", frozen)]
pub(crate) struct PyRemoved {
    /// The block's text as it stands in the input.
    #[pyo3(get)]
    text: String,
    /// `(start, end)` of the block in the input, in code points.
    #[pyo3(get)]
    span: (usize, usize),
    /// `title`, `meta` or `boilerplate`.
    #[pyo3(get)]
    label: &'static str,
    /// Why it was removed: one of `arclean.reasons()`.
    #[pyo3(get)]
    reason: &'static str,
    /// Its index in `Document.blocks`.
    #[pyo3(get)]
    block: usize,
}

#[pymethods]
impl PyRemoved {
    /// Text, span, label, reason and block index as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("text", &self.text)?;
        d.set_item("span", self.span)?;
        d.set_item("label", self.label)?;
        d.set_item("reason", self.reason)?;
        d.set_item("block", self.block)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Removed(reason={}, span={:?}, text={})",
            shown(py, self.reason),
            self.span,
            shown(py, &self.text)
        )
    }
}

/// A block of the page (a line of a text page, an element of an HTML page) and its decision.
#[pyclass(name = "Block", module = "arclean._core", frozen)]
pub(crate) struct PyBlock {
    /// The line of the input the block starts on (0-based).
    #[pyo3(get)]
    line: usize,
    /// `(start, end)` of the block in the input, in code points.
    #[pyo3(get)]
    span: (usize, usize),
    /// `body`, `title`, `meta` or `boilerplate`.
    #[pyo3(get)]
    label: &'static str,
    /// Why it got its label: one of `arclean.reasons()`.
    #[pyo3(get)]
    reason: &'static str,
}

#[pymethods]
impl PyBlock {
    /// Line, span, label and reason as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("line", self.line)?;
        d.set_item("span", self.span)?;
        d.set_item("label", self.label)?;
        d.set_item("reason", self.reason)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Block(line={}, span={:?}, label='{}', reason='{}')",
            self.line, self.span, self.label, self.reason
        )
    }
}

/// The cleaned page: title, metadata, body and its parts, and every removed block with its
/// reason. Parts become Python objects when asked for. Pickles; `to_dict()` gives plain values
/// and `Document.from_dict` takes them back.
#[pyclass(name = "Document", module = "arclean._core", frozen)]
pub(crate) struct PyDocument {
    /// The body: paragraphs separated by a blank line ("" when no article was found).
    #[pyo3(get)]
    text: String,
    doc: Document,
    map: CharOffsets,
}

impl PyDocument {
    pub(crate) fn quality_of(&self) -> Quality {
        self.doc.quality
    }

    pub(crate) fn new(c: Cleaned) -> PyDocument {
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
    /// The article's headline, when one was found.
    #[getter]
    fn title(&self) -> Option<&str> {
        self.doc.title.as_deref()
    }

    /// What the page says of itself, keys present only when found: `date` (ISO 8601) and
    /// `date_raw` (as written), `byline`, `source`, `tags`, `lang` (of the text, else as
    /// declared), `url` and `host` (HTML canonical link or `og:url`).
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        meta_dict(py, &self.doc.meta)
    }

    /// The body's paragraphs, in order.
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

    /// How sure the labeller is of the body it kept, from 0 to 1: the mean probability,
    /// weighted by text length, that a kept block is article body (0 for an empty body).
    #[getter]
    fn confidence(&self) -> f32 {
        self.doc.confidence
    }

    /// Measures of the body for filtering a corpus, by name (`arclean.QUALITY_NAMES`): words,
    /// confidence, Arabic-letter share, share of paragraphs ending a sentence, function-word
    /// ratio, mean word length, repeated-line and repeated 5-gram shares, elongation and
    /// diacritic density, digit, Latin and mojibake shares.
    #[getter]
    fn quality<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        quality_dict(py, &self.doc.quality)
    }

    /// Every block that is not body (title and metadata included), with its reason.
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
                    block: r.block,
                };
                Py::new(py, v)
            })
            .collect()
    }

    /// Every block of the page, kept or removed, with its label and reason.
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

    /// The whole document as plain Python values (str, int, tuple, list, dict, None), ready for
    /// `json.dumps`: `title`, `meta`, `text`, `confidence`, `quality`, `paragraphs` (with their
    /// `sentences`), `removed`, `blocks` and `articles`. `Document.from_dict` takes it back.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("title", &self.doc.title)?;
        d.set_item("meta", meta_dict(py, &self.doc.meta)?)?;
        d.set_item("text", &self.text)?;
        d.set_item("confidence", self.doc.confidence)?;
        d.set_item("quality", quality_dict(py, &self.doc.quality)?)?;
        let dicts = |items: Vec<PyResult<Bound<'py, PyDict>>>| {
            items.into_iter().collect::<PyResult<Vec<_>>>()
        };
        let paragraphs = self.paragraphs(py)?;
        d.set_item(
            "paragraphs",
            dicts(paragraphs.iter().map(|p| p.get().to_dict(py)).collect())?,
        )?;
        let removed = self.removed(py)?;
        d.set_item(
            "removed",
            dicts(removed.iter().map(|r| r.get().to_dict(py)).collect())?,
        )?;
        let blocks = self.blocks(py)?;
        d.set_item(
            "blocks",
            dicts(blocks.iter().map(|b| b.get().to_dict(py)).collect())?,
        )?;
        let articles = self.articles(py)?;
        d.set_item(
            "articles",
            dicts(articles.iter().map(|a| a.get().to_dict(py)).collect())?,
        )?;
        Ok(d)
    }

    /// A document from the plain values `to_dict` gave (after JSON too: spans as lists).
    #[staticmethod]
    fn from_dict(value: &Bound<'_, PyAny>) -> PyResult<PyDocument> {
        from_dict(value)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.get_type::<PyDocument>().getattr("from_dict")?;
        let args = PyTuple::new(py, [self.to_dict(py)?])?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Document(title={}, paragraphs={}, removed={}, articles={})",
            shown_opt(py, self.doc.title.as_deref()),
            self.doc.paragraphs.len(),
            self.doc.removed.len(),
            self.doc.articles.len()
        )
    }
}

/// A document's quality measures as a dict, in the order of `Quality::NAMES`.
pub(crate) fn quality_dict<'py>(py: Python<'py>, q: &Quality) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, v) in Quality::NAMES.iter().zip(q.values()) {
        // six decimals: what a measure means, without f32's noise
        d.set_item(*name, (f64::from(v) * 1e6).round() / 1e6)?;
    }
    Ok(d)
}
