//! The extension module `arclean._core`: conversions, the GIL and error mapping only.

mod errors;

use arclean_core::align::byte_to_char_offsets;
use arclean_core::normalize::{Options, PRESETS, SWITCHES};
use arclean_core::{Normalizer, Span};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
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
                item.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?;
        out.push(PyBackedStr::try_from(s.clone()).map_err(|e| errors::not_unicode(e, &format!("texts[{i}]")))?);
    }
    Ok(out)
}

fn options_from(preset: &str, switches: Option<&Bound<'_, PyDict>>) -> PyResult<Options> {
    let mut o = Options::preset(preset).map_err(errors::to_py)?;
    if let Some(sw) = switches {
        for (k, v) in sw.iter() {
            let name: String = k.extract()?;
            let value: bool = v.extract().map_err(|_| {
                errors::ConfigError::new_err(format!("switch {name} must be True or False; got {v}"))
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
        Ok(PyNormalizer { inner: Arc::new(Normalizer::new(options_from(preset, switches)?)) })
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
    fn normalize_batch<'py>(&self, py: Python<'py>, texts: &Bound<'py, PyAny>, parallel: bool) -> PyResult<Bound<'py, PyList>> {
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
        Ok(PyAligned { input, output, alignment })
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
        let on: Vec<&str> = self.inner.options().items().into_iter().filter(|(_, v)| *v).map(|(k, _)| k).collect();
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
        let mut ends: Vec<usize> = Vec::with_capacity(spans.len() * 2);
        // starts and ends are each non-decreasing; convert them in two walks
        let starts: Vec<usize> = spans.iter().map(|s| s.start).collect();
        ends.extend(spans.iter().map(|s| s.end));
        let cs = byte_to_char_offsets(&self.input, &starts);
        let ce = byte_to_char_offsets(&self.input, &ends);
        cs.into_iter().zip(ce).collect()
    }

    /// The input span, in code points, that `text[start:end]` came from.
    fn to_input(&self, start: usize, end: usize) -> (usize, usize) {
        let (s, e) = (char_to_byte(&self.output, start), char_to_byte(&self.output, end.max(start)));
        let span = self.alignment.to_input(Span::new(s, e));
        let c = byte_to_char_offsets(&self.input, &[span.start, span.end]);
        (c[0], c[1])
    }

    /// The span of `text`, in code points, that the input `source[start:end]` ended up in.
    fn to_output(&self, start: usize, end: usize) -> (usize, usize) {
        let (s, e) = (char_to_byte(&self.input, start), char_to_byte(&self.input, end.max(start)));
        let span = self.alignment.to_output(Span::new(s, e));
        let c = byte_to_char_offsets(&self.output, &[span.start, span.end]);
        (c[0], c[1])
    }

    fn __len__(&self) -> usize {
        self.output.chars().count()
    }

    fn __repr__(&self) -> String {
        format!("Aligned(text={:?})", self.output)
    }
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    arclean_core::align::char_to_byte_offset(s, chars)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNormalizer>()?;
    m.add_class::<PyAligned>()?;
    m.add_function(wrap_pyfunction!(_normalizer_from_switches, m)?)?;
    m.add("SWITCHES", PyTuple::new(m.py(), SWITCHES)?)?;
    m.add("PRESETS", PyTuple::new(m.py(), PRESETS)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
