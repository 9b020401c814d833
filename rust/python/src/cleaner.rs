//! `Cleaner`: pages given as `str`, `bytes` or a path, cleaned alone or in batches, and the
//! evidence behind every label.

use super::*;

/// A file given by path, read up to one byte over `max_bytes` (the size check then refuses it;
/// a device or a pipe reports no size), with the GIL released.
pub(crate) fn read_page(
    py: Python<'_>,
    path: &std::path::Path,
    max_bytes: usize,
) -> PyResult<Vec<u8>> {
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
pub(crate) fn names(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
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
pub(crate) fn py_list(names: &[String]) -> String {
    let items: Vec<String> = names
        .iter()
        .map(|n| format!("{n:?}").replace('"', "'"))
        .collect();
    format!("[{}]", items.join(", "))
}

/// `'safe'` or `'search', fold_hamza=True`: the preset closest to `o` and the switches that
/// differ from it, as a call would write them.
pub(crate) fn preset_call(o: &Options) -> String {
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
    /// (log-odds), `region`, `marker` (whether the decoder takes the block for a marker that
    /// ends an article or introduces others), `label`, `reason` and `why` (each measurement's
    /// contribution to the body score, largest first). For explaining results and fitting the
    /// model.
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
            d.set_item("marker", j.markers[i])?;
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
pub(crate) fn _cleaner_from_config(
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
