//! `Segmenter`: paragraphs and sentences with spans, from Python.

use super::*;

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
pub(crate) fn _segmenter_from_options(
    split_semicolon: bool,
    abbreviations: &Bound<'_, PyAny>,
) -> PyResult<PySegmenter> {
    PySegmenter::new(split_semicolon, Some(abbreviations))
}
