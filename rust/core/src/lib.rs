//! arclean-core: Arabic text cleaning in one pass over the bytes.
//!
//! Stages, each a module with its own tests:
//! - [`normalize`]: orthographic folds (presets `safe` and `search`, every fold a switch), with
//!   an [`align::Alignment`] from every output character back to the input.
//! - [`decode`]: bytes to text.
//! - [`blocks`] and [`html`]: a page's blocks (text lines, or HTML elements with markup evidence);
//!   [`tag_guard`] keeps the tokenizer's stack bounded.
//! - [`lexicon`], [`features`], [`evidence`]: measurements of every block and its neighbours.
//! - [`judge`]: fitted weights (`model.txt`) turn evidence into body and title log-odds.
//! - [`regions`]: a Viterbi decoder finds where the article starts and ends.
//! - [`label`]: labels and reasons; [`labeller`] runs these stages in order.
//! - [`segment`]: paragraphs and sentences.
//! - [`clean`]: the [`Cleaner`] running the stages into a [`Document`].
//!
//! Pure Rust, no Python: the extension module in `rust/python` only converts and releases the GIL.

pub mod align;
pub mod blocks;
pub mod clean;
pub mod dates;
pub mod decode;
pub mod error;
pub mod evidence;
pub mod features;
pub mod html;
pub mod judge;
pub mod label;
pub mod labeller;
pub mod language;
pub mod lexicon;
pub mod mojibake;
pub mod normalize;
pub mod profile;
pub mod quality;
pub mod regions;
pub mod run;
pub mod script;
pub mod segment;
pub mod tag_guard;

pub use align::{Alignment, Span};
pub use clean::{Article, Cleaner, Config, Document, Paragraph, Sentence};
pub use error::{Error, ErrorKind, Result};
pub use normalize::{Normalizer, Options};
pub use segment::{SegmentOptions, Segmenter};
