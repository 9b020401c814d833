//! Maps core errors to the Python exceptions of `arclean.errors`.

use arclean_core::{Error, ErrorKind};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyPermissionError};
use pyo3::prelude::*;

pyo3::import_exception!(arclean.errors, ConfigError);
pyo3::import_exception!(arclean.errors, DecodeError);
pyo3::import_exception!(arclean.errors, InputTooLargeError);

pub fn to_py(e: Error) -> PyErr {
    let msg = e.to_string();
    match e.kind() {
        ErrorKind::Config { .. } => ConfigError::new_err(msg),
        ErrorKind::Decode { .. } | ErrorKind::NotText => DecodeError::new_err(msg),
        ErrorKind::TooLarge { .. } | ErrorKind::TooManyBlocks { .. } => {
            InputTooLargeError::new_err(msg)
        }
        ErrorKind::Io(io) => match io.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(msg),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(msg),
            _ => PyOSError::new_err(msg),
        },
        _ => pyo3::exceptions::PyValueError::new_err(msg),
    }
}

/// A `str` argument that cannot be UTF-8 (it holds a lone surrogate) becomes a `DecodeError`.
pub fn not_unicode(err: PyErr, what: &str) -> PyErr {
    Python::attach(|py| {
        DecodeError::new_err(format!("{what} is not valid unicode: {}", err.value(py)))
    })
}

/// A byte limit from Python: an `int` of 0 or more (0: no limit); one larger than any input
/// could be is no limit either. `True`, a float or a negative number is a `ConfigError`.
pub fn byte_limit(v: &Bound<'_, PyAny>, name: &str) -> PyResult<u64> {
    let bad = || ConfigError::new_err(format!("{name} must be an int of 0 or more (0: no limit)"));
    if v.is_instance_of::<pyo3::types::PyBool>() || !v.is_instance_of::<pyo3::types::PyInt>() {
        return Err(bad());
    }
    if v.lt(0)? {
        return Err(bad());
    }
    Ok(v.extract::<u64>().unwrap_or(u64::MAX))
}
