//! `arclean.Profile`: sites' templates learnt from their pages (the core's `profile` module).

use crate::{errors, Format, Input};
use arclean_core::clean::SiteOf;
use arclean_core::profile::Profile;
use arclean_core::{Cleaner, Config};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use std::sync::{Arc, Mutex, OnceLock};

/// The cleaner whose block keys profiles count (keys do not depend on a cleaner's options).
fn keys() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| {
        let config = Config {
            max_bytes: 0,
            ..Config::default()
        };
        Cleaner::new(config).expect("the default cleaner builds")
    })
}

/// What repeats across many pages of a site, learnt from its pages: give it to
/// `Cleaner(profile=...)`. `min_share`: a block on more than this share of its site's pages is
/// template; `min_pages`: a site with fewer pages learnt has none.
#[pyclass(name = "Profile", module = "arclean._core")]
pub(crate) struct PyProfile {
    pub(crate) inner: Mutex<Profile>,
}

impl PyProfile {
    pub(crate) fn snapshot(&self) -> Profile {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn check_settings(min_share: f32, min_pages: u32) -> PyResult<()> {
    if !(0.0..1.0).contains(&min_share) {
        return Err(errors::ConfigError::new_err(format!(
            "min_share must be at least 0 and under 1; got {min_share}"
        )));
    }
    if min_pages == 0 {
        return Err(errors::ConfigError::new_err("min_pages must be 1 or more"));
    }
    Ok(())
}

/// A profile from a `Profile`, its file's bytes, or a path to its file.
pub(crate) fn profile_of(obj: &Bound<'_, PyAny>) -> PyResult<Profile> {
    if let Ok(p) = obj.cast::<PyProfile>() {
        return Ok(p.borrow().snapshot());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Profile::from_bytes(b.as_bytes()).map_err(errors::to_py);
    }
    if obj.hasattr("__fspath__")? || obj.is_instance_of::<pyo3::types::PyString>() {
        let path: std::path::PathBuf = obj.extract()?;
        let data = std::fs::read(&path).map_err(|e| {
            errors::ConfigError::new_err(format!(
                "{}: cannot read the profile: {e}",
                path.display()
            ))
        })?;
        return Profile::from_bytes(&data)
            .map_err(|e| errors::ConfigError::new_err(format!("{}: {e}", path.display())));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "profile must be a Profile, its bytes or a path to its file",
    ))
}

#[pymethods]
impl PyProfile {
    #[new]
    #[pyo3(signature = (*, min_share = arclean_core::profile::MIN_SHARE, min_pages = arclean_core::profile::MIN_PAGES))]
    fn new(min_share: f32, min_pages: u32) -> PyResult<Self> {
        check_settings(min_share, min_pages)?;
        Ok(PyProfile {
            inner: Mutex::new(Profile::new(min_share, min_pages)),
        })
    }

    /// Counts pages: `pages` (str, bytes or paths) in parallel with the GIL released. Each
    /// page's site is `sites[i]` when given, else the host of `urls[i]` (a JSONL record's `url`),
    /// else an HTML page's own address (its host), else `fallbacks[i]` (the folder it sits in),
    /// else "(no address)" — as cleaning names it.
    #[pyo3(signature = (pages, format = "auto", *, sites = None, urls = None, fallbacks = None))]
    fn add_pages(
        &self,
        py: Python<'_>,
        pages: &Bound<'_, PyAny>,
        format: &str,
        sites: Option<Vec<Option<String>>>,
        urls: Option<Vec<Option<String>>>,
        fallbacks: Option<Vec<Option<String>>>,
    ) -> PyResult<()> {
        let format = Format::parse(format)?;
        let mut inputs = Vec::new();
        for (i, item) in pages.try_iter()?.enumerate() {
            inputs.push(Input::extract(&item?, &format!("pages[{i}]"), 0)?);
        }
        for (name, v) in [
            ("sites", &sites),
            ("urls", &urls),
            ("fallbacks", &fallbacks),
        ] {
            if v.as_ref().is_some_and(|v| v.len() != inputs.len()) {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "{name} must name one site per page"
                )));
            }
        }
        let at = |v: &Option<Vec<Option<String>>>, i: usize| v.as_ref().and_then(|v| v[i].clone());
        let counted: Vec<arclean_core::Result<(String, Vec<u64>)>> = py.detach(|| {
            use rayon::prelude::*;
            crate::pool::SHARED.get().install(|| {
                inputs
                    .par_iter()
                    .enumerate()
                    .map(|(i, inp)| {
                        let (html, text) = inp.decoded(format)?;
                        let (mut name, fallback) = (at(&sites, i), at(&fallbacks, i));
                        if name.is_none() {
                            let mut own = arclean_core::clean::Meta::default();
                            if let Some(u) = at(&urls, i) {
                                own.url_from(&u);
                            }
                            name = own.host;
                        }
                        let site = SiteOf {
                            name: name.as_deref(),
                            fallback: fallback.as_deref(),
                        };
                        keys().site_blocks(&text, html, site)
                    })
                    .collect()
            })
        });
        // all or nothing: a page that fails leaves the profile as it was
        let mut pages = Vec::with_capacity(counted.len());
        for (i, c) in counted.into_iter().enumerate() {
            pages.push(c.map_err(|e| {
                let err = errors::to_py(e);
                let msg = format!("pages[{i}]: {}", err.value(py));
                PyErr::from_type(err.get_type(py), msg)
            })?);
        }
        let mut p = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        for (site, hashes) in pages {
            p.add_page(&site, hashes);
        }
        Ok(())
    }

    /// Counts one page (see `add_pages`).
    #[pyo3(signature = (page, format = "auto", *, site = None, fallback = None))]
    fn add_page(
        &self,
        py: Python<'_>,
        page: &Bound<'_, PyAny>,
        format: &str,
        site: Option<String>,
        fallback: Option<String>,
    ) -> PyResult<()> {
        let pages = PyTuple::new(py, [page])?;
        let (sites, urls) = (Some(vec![site]), None);
        self.add_pages(
            py,
            pages.as_any(),
            format,
            sites,
            urls,
            Some(vec![fallback]),
        )
    }

    /// Adds the counts of a profile learnt on other pages (another shard): the result is the
    /// profile learnt on all of them.
    fn merge(&self, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let theirs = profile_of(other)?;
        let mut p = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        p.merge(&theirs).map_err(errors::to_py)
    }

    /// The profile's file, as bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.snapshot().to_bytes())
    }

    /// A profile from its file's bytes (`to_bytes`) or a path to its file.
    #[staticmethod]
    fn load(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyProfile {
            inner: Mutex::new(profile_of(source)?),
        })
    }

    /// Writes the profile's file (through a temporary beside it, then a rename).
    fn save(&self, path: std::path::PathBuf) -> PyResult<()> {
        arclean_core::run::write_atomic(&path, &[&self.snapshot().to_bytes()])
            .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display())))
    }

    /// Sites learnt, with their pages: `{site: pages}`.
    #[getter]
    fn sites<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, c) in &self.inner.lock().unwrap_or_else(|p| p.into_inner()).sites {
            d.set_item(k, c.pages)?;
        }
        Ok(d)
    }

    /// The blocks of `site` that are template: how many.
    fn template_blocks(&self, site: &str) -> usize {
        let p = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        p.sites.get(site).map_or(0, |c| {
            c.blocks.keys().filter(|&&h| p.share(c, h) > 0.0).count()
        })
    }

    /// A block on more than this share of its site's pages is template.
    #[getter]
    fn min_share(&self) -> f32 {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .min_share
    }

    /// A site with fewer pages learnt than this has no template.
    #[getter]
    fn min_pages(&self) -> u32 {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .min_pages
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyProfile>()
            .is_ok_and(|o| o.borrow().snapshot() == self.snapshot())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let load = py.get_type::<PyProfile>().getattr("load")?;
        let args = PyTuple::new(py, [self.to_bytes(py)])?;
        PyTuple::new(py, [load, args.into_any()])
    }

    fn __repr__(&self) -> String {
        let p = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let pages: u32 = p.sites.values().map(|c| c.pages).sum();
        format!(
            "Profile(sites={}, pages={pages}, min_share={}, min_pages={})",
            p.sites.len(),
            p.min_share,
            p.min_pages
        )
    }
}

/// A shared profile for a cleaner's configuration.
pub(crate) fn shared(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Arc<Profile>>> {
    obj.filter(|o| !o.is_none())
        .map(|o| profile_of(o).map(Arc::new))
        .transpose()
}
