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
        ErrorKind::Decode { .. } => DecodeError::new_err(msg),
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
