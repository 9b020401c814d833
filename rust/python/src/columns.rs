//! Cleaning a column of pages in one call: Arrow string arrays read in place through the Arrow
//! C data interface (no copy of the pages), or a list of `str` (borrowed); rows cleaned in
//! parallel with the GIL released; the result returned as Arrow buffers (offsets, data,
//! validity) that `arclean.arrow` wraps into arrays without copying them again.

use crate::errors;
use arclean_core::clean::Document;
use arclean_core::quality::Quality;
use arclean_core::Cleaner;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyCapsule, PyCapsuleMethods, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;
use std::ffi::{c_char, c_void, CStr};

/// `struct ArrowSchema` of the Arrow C data interface.
#[repr(C)]
struct ArrowSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut ArrowSchema,
    dictionary: *mut ArrowSchema,
    release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    private_data: *mut c_void,
}

/// `struct ArrowArray` of the Arrow C data interface.
#[repr(C)]
struct ArrowArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut ArrowArray,
    dictionary: *mut ArrowArray,
    release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    private_data: *mut c_void,
}

/// The rows of one Arrow string array (`utf8` or `large_utf8`), borrowed from its buffers.
/// Safety: the buffers live as long as the capsule the array came from, which the caller keeps.
unsafe fn arrow_rows<'a>(
    schema: &Bound<'_, PyCapsule>,
    array: &Bound<'_, PyCapsule>,
    rows: &mut Vec<Option<Result<&'a str, String>>>,
) -> PyResult<()> {
    let s = schema
        .pointer_checked(Some(c"arrow_schema"))?
        .cast::<ArrowSchema>();
    let a = array
        .pointer_checked(Some(c"arrow_array"))?
        .cast::<ArrowArray>();
    let (s, a) = (s.as_ref(), a.as_ref());
    if a.release.is_none() {
        return Err(errors::ConfigError::new_err(
            "the Arrow array was already released",
        ));
    }
    let format = CStr::from_ptr(s.format).to_bytes();
    let large = match format {
        b"u" => false,
        b"U" => true,
        other => {
            return Err(errors::ConfigError::new_err(format!(
                "an Arrow column of strings is needed (utf8 or large_utf8); got format '{}'",
                String::from_utf8_lossy(other)
            )))
        }
    };
    if a.n_buffers != 3 || a.length < 0 || a.offset < 0 {
        return Err(errors::ConfigError::new_err("malformed Arrow string array"));
    }
    let buffers = std::slice::from_raw_parts(a.buffers, 3);
    let (len, off) = (a.length as usize, a.offset as usize);
    let validity = buffers[0].cast::<u8>();
    let data = buffers[2].cast::<u8>();
    let offset_at = |i: usize| -> usize {
        if large {
            *buffers[1].cast::<i64>().add(i) as usize
        } else {
            *buffers[1].cast::<i32>().add(i) as usize
        }
    };
    rows.reserve(len);
    for i in off..off + len {
        let valid =
            a.null_count == 0 || validity.is_null() || (*validity.add(i / 8) >> (i % 8)) & 1 == 1;
        if !valid {
            rows.push(None);
            continue;
        }
        let (start, end) = (offset_at(i), offset_at(i + 1));
        let bytes: &'a [u8] = if end > start {
            std::slice::from_raw_parts(data.add(start), end - start)
        } else {
            &[]
        };
        rows.push(Some(
            std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}")),
        ));
    }
    Ok(())
}

/// One cleaned row.
#[derive(Default)]
struct Row {
    text: Option<String>,
    title: Option<String>,
    date: Option<String>,
    date_raw: Option<String>,
    byline: Option<String>,
    source: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    host: Option<String>,
    tags: Option<Vec<String>>,
    /// The bodies of the other articles saved on the page.
    articles: Option<Vec<String>>,
    removed_share: Option<f64>,
    quality: Option<Quality>,
    error: Option<String>,
}

fn row(cleaner: &Cleaner, page: Option<&Result<&str, String>>, format: crate::Format) -> Row {
    let page = match page {
        None => return Row::default(),
        Some(Err(e)) => {
            return Row {
                error: Some(e.clone()),
                ..Row::default()
            }
        }
        Some(Ok(p)) => *p,
    };
    let html = match format {
        crate::Format::Html => true,
        crate::Format::Text => false,
        crate::Format::Auto => arclean_core::html::sniff(page.as_bytes()),
    };
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        cleaner.clean_page(page, html)
    }));
    let doc: Document = match res {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            return Row {
                error: Some(e.to_string()),
                ..Row::default()
            }
        }
        Err(_) => {
            return Row {
                error: Some("internal error".into()),
                ..Row::default()
            }
        }
    };
    let (kept, removed) = doc.text_bytes();
    let m = doc.meta.clone();
    Row {
        text: Some(doc.text()),
        title: doc.title,
        date: m.date,
        date_raw: m.date_raw,
        byline: m.byline,
        source: m.source,
        lang: m.lang,
        url: m.url,
        host: m.host,
        tags: Some(m.tags),
        articles: Some(doc.articles.iter().map(|a| a.text()).collect()),
        removed_share: Some(if kept + removed > 0 {
            removed as f64 / (kept + removed) as f64
        } else {
            0.0
        }),
        quality: Some(doc.quality),
        error: None,
    }
}

/// A float64 column's buffers: `(validity or None, data, null_count)`.
fn float_column<'py>(
    py: Python<'py>,
    values: impl ExactSizeIterator<Item = Option<f64>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let n = values.len();
    let mut valid = vec![0u8; n.div_ceil(8)];
    let mut data: Vec<f64> = Vec::with_capacity(n);
    let mut nulls = 0usize;
    for (i, v) in values.enumerate() {
        match v {
            Some(v) => {
                valid[i / 8] |= 1 << (i % 8);
                data.push(v);
            }
            None => {
                nulls += 1;
                data.push(0.0);
            }
        }
    }
    let validity = if nulls > 0 {
        PyBytes::new(py, &valid).into_any()
    } else {
        py.None().into_bound(py)
    };
    // SAFETY: f64 has no padding
    let bytes = unsafe { std::slice::from_raw_parts(data.as_ptr().cast::<u8>(), data.len() * 8) };
    PyTuple::new(
        py,
        [
            validity,
            PyBytes::new(py, bytes).into_any(),
            nulls.into_pyobject(py)?.into_any(),
        ],
    )
}

/// Arrow buffers of a `large_utf8` column: (validity bitmap or None, offsets, data, nulls).
struct StringColumn {
    validity: Vec<u8>,
    offsets: Vec<i64>,
    data: Vec<u8>,
    nulls: usize,
}

impl StringColumn {
    fn new(n: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        StringColumn {
            validity: vec![0; n.div_ceil(8)],
            offsets,
            data: Vec::new(),
            nulls: 0,
        }
    }

    fn push(&mut self, v: Option<&str>) {
        let i = self.offsets.len() - 1;
        match v {
            Some(s) => {
                self.validity[i / 8] |= 1 << (i % 8);
                self.data.extend_from_slice(s.as_bytes());
            }
            None => self.nulls += 1,
        }
        self.offsets.push(self.data.len() as i64);
    }

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let validity = if self.nulls > 0 {
            PyBytes::new(py, &self.validity).into_any()
        } else {
            py.None().into_bound(py)
        };
        let offsets: &[u8] = bytemuck_i64(&self.offsets);
        PyTuple::new(
            py,
            [
                validity,
                PyBytes::new(py, offsets).into_any(),
                PyBytes::new(py, &self.data).into_any(),
                self.nulls.into_pyobject(py)?.into_any(),
            ],
        )
    }
}

/// The bytes of an `i64` slice in native order (what Arrow buffers hold).
fn bytemuck_i64(v: &[i64]) -> &[u8] {
    // SAFETY: i64 has no padding and any byte pattern is a valid u8
    unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v)) }
}

/// A list-of-strings column: `(validity, list offsets, null_count, (string buffers))`.
fn list_column<'py>(
    py: Python<'py>,
    rows: &[Row],
    get: fn(&Row) -> Option<&[String]>,
) -> PyResult<Bound<'py, PyTuple>> {
    let n = rows.len();
    let mut list_offsets: Vec<i64> = Vec::with_capacity(n + 1);
    list_offsets.push(0);
    let mut list_valid = vec![0u8; n.div_ceil(8)];
    let mut list_nulls = 0usize;
    let total: usize = rows.iter().map(|r| get(r).map_or(0, <[String]>::len)).sum();
    let mut values = StringColumn::new(total);
    for (i, r) in rows.iter().enumerate() {
        match get(r) {
            Some(items) => {
                list_valid[i / 8] |= 1 << (i % 8);
                for t in items {
                    values.push(Some(t));
                }
            }
            None => list_nulls += 1,
        }
        list_offsets.push((values.offsets.len() - 1) as i64);
    }
    let validity = if list_nulls > 0 {
        PyBytes::new(py, &list_valid).into_any()
    } else {
        py.None().into_bound(py)
    };
    PyTuple::new(
        py,
        [
            validity,
            PyBytes::new(py, bytemuck_i64(&list_offsets)).into_any(),
            list_nulls.into_pyobject(py)?.into_any(),
            values.to_py(py)?.into_any(),
        ],
    )
}

/// Cleans a column: `chunks` is a list of `(schema capsule, array capsule)` pairs of Arrow
/// string arrays, or `texts` a list of `str` / `None`. Returns a dict of column name to
/// buffers: string columns as `(validity, offsets, data, null_count)` (large_utf8), `tags` and
/// `articles` as `(validity, list offsets, null_count, (string buffers))`, `removed_share` as
/// `(validity, float64 data, null_count)`, `quality` as a list of such, one per measure.
pub fn clean_column<'py>(
    py: Python<'py>,
    cleaner: &Cleaner,
    column: &Bound<'py, PyAny>,
    format: crate::Format,
) -> PyResult<Bound<'py, PyDict>> {
    let mut rows: Vec<Option<Result<&str, String>>> = Vec::new();
    let mut keep: Vec<Bound<'py, PyAny>> = Vec::new(); // the capsules and strings borrowed from
    let mut backed: Vec<Option<PyBackedStr>> = Vec::new();
    let list = column.cast::<PyList>()?;
    let is_arrow = list
        .iter()
        .next()
        .is_some_and(|first| first.cast::<PyTuple>().is_ok());
    if is_arrow {
        for item in list.iter() {
            let t = item.cast::<PyTuple>()?;
            let schema = t.get_item(0)?.cast_into::<PyCapsule>()?;
            let array = t.get_item(1)?.cast_into::<PyCapsule>()?;
            // SAFETY: `keep` holds the capsules until the rows are no longer used
            unsafe { arrow_rows(&schema, &array, &mut rows)? };
            keep.push(schema.into_any());
            keep.push(array.into_any());
        }
    } else {
        for (i, item) in list.iter().enumerate() {
            if item.is_none() {
                backed.push(None);
                continue;
            }
            let s = item.cast::<PyString>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!("pages[{i}] must be str or None"))
            })?;
            backed
                .push(Some(PyBackedStr::try_from(s.clone()).map_err(|e| {
                    errors::not_unicode(e, &format!("pages[{i}]"))
                })?));
        }
        rows = backed
            .iter()
            .map(|b| b.as_ref().map(|s| Ok(&**s)))
            .collect();
    }
    let cleaned: Vec<Row> = py.detach(|| {
        crate::pool::SHARED.get().install(|| {
            rows.par_iter()
                .map(|r| row(cleaner, r.as_ref(), format))
                .collect()
        })
    });
    drop(rows);
    drop(keep);
    let n = cleaned.len();
    let out = PyDict::new(py);
    type Get = fn(&Row) -> Option<&str>;
    let strings: [(&str, Get); 10] = [
        ("text", |r| r.text.as_deref()),
        ("title", |r| r.title.as_deref()),
        ("date", |r| r.date.as_deref()),
        ("date_raw", |r| r.date_raw.as_deref()),
        ("byline", |r| r.byline.as_deref()),
        ("source", |r| r.source.as_deref()),
        ("lang", |r| r.lang.as_deref()),
        ("url", |r| r.url.as_deref()),
        ("host", |r| r.host.as_deref()),
        ("error", |r| r.error.as_deref()),
    ];
    for (name, get) in strings {
        let mut col = StringColumn::new(n);
        for r in &cleaned {
            col.push(get(r));
        }
        out.set_item(name, col.to_py(py)?)?;
    }
    type GetList = fn(&Row) -> Option<&[String]>;
    let lists: [(&str, GetList); 2] = [
        ("tags", |r| r.tags.as_deref()),
        ("articles", |r| r.articles.as_deref()),
    ];
    for (name, get) in lists {
        out.set_item(name, list_column(py, &cleaned, get)?)?;
    }
    out.set_item(
        "removed_share",
        float_column(py, cleaned.iter().map(|r| r.removed_share))?,
    )?;
    // quality: one float64 column per measure, in the order of `Quality::NAMES`
    let mut quality = Vec::with_capacity(Quality::NAMES.len());
    for (k, _) in Quality::NAMES.iter().enumerate() {
        let values = cleaned
            .iter()
            .map(|r| r.quality.as_ref().map(|q| f64::from(q.values()[k])));
        quality.push(float_column(py, values)?);
    }
    out.set_item("quality", quality)?;
    out.set_item("length", n)?;
    Ok(out)
}
