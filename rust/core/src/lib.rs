//! arclean-core: Arabic text cleaning in one pass over the bytes.
//!
//! Stages, each a module with its own tests:
//! - [`normalize`]: orthographic folds (presets `safe` and `search`, every fold a switch), with
//!   an [`align::Alignment`] from every output character back to the input.
//! - [`decode`]: bytes to text.
//! - [`blocks`], [`lexicon`], [`features`], [`label`]: a page's lines, the phrase families they
//!   hold, and their labels in the page's context.
//! - [`segment`]: paragraphs and sentences.
//! - [`clean`]: the [`Cleaner`] running the stages into a [`Document`].
//!
//! Pure Rust, no Python: the extension module in `rust/python` only converts and releases the GIL.

pub mod align;
pub mod blocks;
pub mod clean;
pub mod decode;
pub mod error;
pub mod features;
pub mod html;
pub mod label;
pub mod lexicon;
pub mod mojibake;
pub mod normalize;
pub mod run;
pub mod segment;

pub use align::{Alignment, Span};
pub use clean::{Article, Cleaner, Config, Document, Paragraph, Sentence};
pub use error::{Error, ErrorKind, Result};
pub use normalize::{Normalizer, Options};
pub use segment::{SegmentOptions, Segmenter};
