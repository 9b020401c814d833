//! `Normalizer`, the module's `normalize` and the aligned result: folds from Python, on the
//! string's own storage where it can.

use super::*;

pub(crate) fn options_from(
    preset: &str,
    switches: Option<&Bound<'_, PyDict>>,
) -> PyResult<Options> {
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
pub(crate) fn fold_object<'py>(
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
pub(crate) fn shared_normalizer(options: Options) -> Arc<Normalizer> {
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
pub(crate) fn normalize<'py>(
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
pub(crate) fn _normalizer_from_switches(switches: &Bound<'_, PyDict>) -> PyResult<PyNormalizer> {
    PyNormalizer::new("none", Some(switches))
}

/// A folded text and the map back to its input.
#[pyclass(name = "Aligned", module = "arclean._core", frozen)]
pub(crate) struct PyAligned {
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
pub(crate) fn map_chars(
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
