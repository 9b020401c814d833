//! Bindings of the core's file runner: `Runner` (page files, a chunk per call) and `JsonlFile`
//! (a JSONL file in steps). Each call releases the GIL and runs on the runner's own pool.

use crate::errors;
use arclean_core::run::{self, Failure, Job, JsonlFile, Kind, Options, Output, Stats, Task};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

struct Shared {
    task: Task,
    opts: Options,
    pool: crate::pool::ForkSafePool,
}

/// Runs a task (a `Cleaner`, `Normalizer` or `Segmenter`) over files on `jobs` threads
/// (0: one per core).
#[pyclass(name = "Runner", module = "arclean._core", frozen)]
pub struct PyRunner {
    shared: Arc<Shared>,
}

fn kind(s: &str) -> PyResult<Kind> {
    Ok(match crate::Format::parse(s)? {
        crate::Format::Text => Kind::Text,
        crate::Format::Html => Kind::Html,
        crate::Format::Auto => Kind::Auto,
    })
}

/// An encoding by its label (`windows-1256`, `cp1256`, `utf-16le`, ...).
fn encoding_of(label: Option<&str>) -> PyResult<Option<&'static encoding_rs::Encoding>> {
    label
        .map(|l| {
            encoding_rs::Encoding::for_label(l.trim().as_bytes())
                .ok_or_else(|| errors::ConfigError::new_err(format!("unknown encoding '{l}'")))
        })
        .transpose()
}

fn stats_dict<'py>(py: Python<'py>, s: &Stats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("pages", s.pages)?;
    d.set_item("bytes_in", s.bytes_in)?;
    d.set_item("bytes_out", s.bytes_out)?;
    d.set_item("kept", s.kept)?;
    d.set_item("removed", s.removed)?;
    let reasons = PyDict::new(py);
    for (r, (n, b)) in &s.reasons {
        reasons.set_item(*r, (*n, *b))?;
    }
    d.set_item("reasons", reasons)?;
    d.set_item("empty_results", s.empty_results)?;
    let enc = PyDict::new(py);
    for (e, n) in &s.encodings {
        enc.set_item(*e, *n)?;
    }
    d.set_item("encodings", enc)?;
    d.set_item("replaced", s.replaced)?;
    d.set_item("mojibake_pages", s.mojibake_pages)?;
    d.set_item("mojibake_chars", s.mojibake_chars)?;
    d.set_item("low_confidence", s.low_confidence)?;
    let sites = PyDict::new(py);
    for (k, v) in &s.sites {
        let e = PyDict::new(py);
        e.set_item("pages", v.pages)?;
        e.set_item("bytes_in", v.bytes_in)?;
        e.set_item("kept", v.kept)?;
        e.set_item("removed", v.removed)?;
        e.set_item("empty_results", v.empty_results)?;
        e.set_item("low_confidence", v.low_confidence)?;
        sites.set_item(k, e)?;
    }
    d.set_item("sites", sites)?;
    let filtered = PyDict::new(py);
    for (k, n) in &s.filtered {
        filtered.set_item(k, n)?;
    }
    d.set_item("filtered", filtered)?;
    Ok(d)
}

fn failure_tuple(f: &Failure) -> (&'static str, String, Option<u64>) {
    (f.kind.as_str(), f.message.clone(), f.line)
}

#[pymethods]
impl PyRunner {
    #[new]
    /// `quality_preset` and `quality` (bounds by `min_NAME` / `max_NAME`) drop cleaned
    /// documents that break a bound, counted in `stats["filtered"]`.
    /// `site_from="folder"`: a page's site is its folder, whatever its address says.
    #[pyo3(signature = (task, *, jobs = 0, output = "body", encoding = None, max_bytes = None, text_field = "text", quality_preset = None, quality = None, site_from = "auto"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        task: &Bound<'_, PyAny>,
        jobs: usize,
        output: &str,
        encoding: Option<&str>,
        max_bytes: Option<&Bound<'_, PyAny>>,
        text_field: &str,
        quality_preset: Option<&str>,
        quality: Option<&Bound<'_, PyDict>>,
        site_from: &str,
    ) -> PyResult<Self> {
        let site_from_folder = match site_from {
            "auto" => false,
            "folder" => true,
            _ => {
                return Err(errors::ConfigError::new_err(format!(
                    "site_from must be one of 'auto', 'folder'; got '{site_from}'"
                )))
            }
        };
        let task = if let Ok(c) = task.cast::<crate::PyCleaner>() {
            Task::Clean(c.get().inner.clone())
        } else if let Ok(n) = task.cast::<crate::PyNormalizer>() {
            Task::Normalize(n.get().inner.clone())
        } else if let Ok(s) = task.cast::<crate::PySegmenter>() {
            Task::Segment(Arc::new(s.get().inner.clone()))
        } else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "task must be a Cleaner, Normalizer or Segmenter",
            ));
        };
        let output = match output {
            "body" => Output::Body,
            "record" => Output::Record,
            _ => {
                return Err(errors::ConfigError::new_err(format!(
                    "output must be one of 'body', 'record'; got '{output}'"
                )))
            }
        };
        let encoding = encoding_of(encoding)?;
        let mut opts = Options {
            encoding,
            output,
            text_field: text_field.to_string(),
            filter: crate::thresholds(quality_preset, quality)?,
            site_from_folder,
            ..Options::default()
        };
        if let Some(m) = max_bytes {
            opts.max_bytes = errors::byte_limit(m, "max_bytes")?;
        }
        let pool = crate::pool::ForkSafePool::new(jobs);
        Ok(PyRunner {
            shared: Arc::new(Shared { task, opts, pool }),
        })
    }

    /// Threads used.
    #[getter]
    fn jobs(&self) -> usize {
        self.shared.pool.threads()
    }

    /// Processes page files: `jobs` is a list of `(input, output or None, kind, source)`.
    /// Returns `(stats, failures, data)`: the merged counts (with `empty`, the indices of the
    /// jobs whose result is empty, and `low`, of those kept at a low confidence), `[(index, kind, message)]`, and `[(index, bytes)]` for the
    /// jobs without an output path, in job order.
    #[allow(clippy::type_complexity)]
    fn run_files<'py>(
        &self,
        py: Python<'py>,
        jobs: Vec<(PathBuf, Option<PathBuf>, String, String)>,
    ) -> PyResult<(
        Bound<'py, PyDict>,
        Vec<(usize, &'static str, String)>,
        Vec<(usize, Bound<'py, PyBytes>)>,
    )> {
        let jobs = jobs
            .into_iter()
            .map(|(input, output, k, source)| {
                Ok(Job {
                    input,
                    output,
                    kind: kind(&k)?,
                    source,
                })
            })
            .collect::<PyResult<Vec<Job>>>()?;
        let shared = self.shared.clone();
        let outcomes = py.detach(|| {
            shared
                .pool
                .get()
                .install(|| run::run_files(&shared.task, &jobs, &shared.opts))
        });
        let mut stats = Stats::default();
        let mut failures = Vec::new();
        let mut data = Vec::new();
        let (mut empty, mut low) = (Vec::new(), Vec::new());
        for (k, o) in outcomes.into_iter().enumerate() {
            stats.merge(&o.stats);
            if o.stats.empty_results > 0 {
                empty.push(k);
            }
            if o.stats.low_confidence > 0 {
                low.push(k);
            }
            if let Some(f) = &o.failure {
                failures.push((k, f.kind.as_str(), f.message.clone()));
            }
            if let Some(d) = o.data {
                data.push((k, PyBytes::new(py, &d)));
            }
        }
        let d = stats_dict(py, &stats)?;
        d.set_item("empty", empty)?;
        d.set_item("low", low)?;
        Ok((d, failures, data))
    }

    /// Opens a JSONL file (gzip or not) for processing in steps; `output` None returns each
    /// step's output instead of writing it.
    #[pyo3(signature = (input, output = None))]
    fn open_jsonl(&self, input: PathBuf, output: Option<PathBuf>) -> PyResult<Option<PyJsonl>> {
        match JsonlFile::open(&input, output.as_deref(), &self.shared.opts) {
            Ok(f) => Ok(Some(PyJsonl {
                shared: self.shared.clone(),
                file: Mutex::new(Some(f)),
            })),
            Err(f) => Err(pyo3::exceptions::PyOSError::new_err((
                f.kind.as_str(),
                f.message,
            ))),
        }
    }

    fn __repr__(&self) -> String {
        format!("Runner(jobs={})", self.jobs())
    }
}

/// A JSONL file being processed; see `Runner.open_jsonl`.
#[pyclass(name = "JsonlFile", module = "arclean._core", frozen)]
pub struct PyJsonl {
    shared: Arc<Shared>,
    file: Mutex<Option<JsonlFile>>,
}

#[pymethods]
impl PyJsonl {
    /// Processes the next records: returns `(stats, failures, written, data, position, done)`
    /// with `stats["empty"]` the lines of the records whose result is empty (`stats["low"]`:
    /// kept at a low confidence), `failures` as
    /// `[(kind, message, line)]`, `data` the output when not written to a
    /// file, `position` the bytes of the input read so far.
    #[allow(clippy::type_complexity)]
    #[pyo3(signature = (max_records = 4096, max_bytes = 64 << 20))]
    fn step<'py>(
        &self,
        py: Python<'py>,
        max_records: usize,
        max_bytes: usize,
    ) -> PyResult<(
        Bound<'py, PyDict>,
        Vec<(&'static str, String, Option<u64>)>,
        u64,
        Bound<'py, PyBytes>,
        u64,
        bool,
    )> {
        let shared = self.shared.clone();
        let step = py.detach(|| {
            let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
            guard.as_mut().map(|f| {
                shared.pool.get().install(|| {
                    f.step(
                        &shared.task,
                        &shared.opts,
                        max_records.max(1),
                        max_bytes.max(1),
                    )
                })
            })
        });
        let Some(s) = step else {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "the file is closed",
            ));
        };
        let failures = s.failures.iter().map(failure_tuple).collect();
        let d = stats_dict(py, &s.stats)?;
        d.set_item("empty", &s.empty_lines)?;
        d.set_item("low", &s.low_lines)?;
        Ok((
            d,
            failures,
            s.written,
            PyBytes::new(py, &s.data),
            s.position,
            s.done,
        ))
    }

    /// Completes the output (flush, rename into place).
    fn finish(&self, py: Python<'_>) -> PyResult<()> {
        let f = self.file.lock().unwrap_or_else(|p| p.into_inner()).take();
        match f {
            Some(f) => py
                .detach(|| f.finish())
                .map_err(|f| pyo3::exceptions::PyOSError::new_err((f.kind.as_str(), f.message))),
            None => Ok(()),
        }
    }

    /// Drops the unfinished output.
    fn abandon(&self) {
        if let Some(f) = self.file.lock().unwrap_or_else(|p| p.into_inner()).take() {
            f.abandon();
        }
    }
}

/// Writes `parts` to `path` atomically (a temporary beside it, then a rename).
#[pyfunction]
pub fn write_atomic(py: Python<'_>, path: PathBuf, parts: Vec<Vec<u8>>) -> PyResult<()> {
    py.detach(|| {
        let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
        run::write_atomic(&path, &refs)
    })
    .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display())))
}

/// Whether a file name is a temporary left by an interrupted write.
#[pyfunction]
pub fn is_temporary(name: &str) -> bool {
    run::is_temporary(name)
}

/// Bytes of a file to text as the command line reads them: `(text, encoding, source,
/// mojibake characters repaired)`; `ValueError` for binary data.
#[pyfunction]
#[pyo3(signature = (data, html = false, encoding = None))]
pub fn decode_page(
    data: &[u8],
    html: bool,
    encoding: Option<&str>,
) -> PyResult<(String, &'static str, &'static str, usize)> {
    let forced = encoding_of(encoding)?;
    match arclean_core::decode::decode_page(data, html, forced) {
        Ok((t, d)) => Ok((t.into_owned(), d.encoding, d.source, d.mojibake)),
        Err(_) => Err(errors::DecodeError::new_err("binary data, not text")),
    }
}
