//! arclean-core: Arabic text cleaning in one pass over the bytes.
//!
//! Stages, each a module with its own tests:
//! - [`normalize`]: orthographic folds (presets `safe` and `search`, every fold a switch), with
//!   an [`align::Alignment`] from every output character back to the input.
//!
//! Pure Rust, no Python: the extension module in `rust/python` only converts and releases the GIL.

pub mod align;
pub mod blocks;
pub mod clean;
pub mod decode;
pub mod error;
pub mod features;
pub mod label;
pub mod lexicon;
pub mod normalize;

pub use align::{Alignment, Span};
pub use clean::{Cleaner, Config, Document};
pub use error::{Error, ErrorKind, Result};
pub use normalize::{Normalizer, Options};
