//! Weighs a block's evidence with fitted weights: a logistic model gives each block a score
//! (log-odds) for being article body and one for being the page's title, separately for text and
//! HTML pages, and the contributions that decided it. The weights and the region decoder's costs
//! are data, `model.txt` beside the lexicon, written by `tools/train.py` on labelled real pages.

use crate::error::{Error, Result};
use crate::evidence::{Row, N, NAMES};
use std::sync::{Arc, OnceLock};

const BUILTIN: &str = include_str!("model.txt");

/// The weights of one logistic model, one per measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights(pub [f32; N]);

impl Default for Weights {
    fn default() -> Self {
        Weights([0.0; N])
    }
}

impl Weights {
    /// Log-odds of the model for a block.
    pub fn score(&self, row: &Row) -> f32 {
        self.0.iter().zip(row).map(|(w, x)| w * x).sum()
    }

    /// Each measurement's contribution to the score, largest in size first.
    pub fn contributions(&self, row: &Row) -> Vec<(usize, f32)> {
        let mut c: Vec<(usize, f32)> = (0..N)
            .filter(|&k| row[k] != 0.0 && self.0[k] != 0.0)
            .map(|k| (k, self.0[k] * row[k]))
            .collect();
        c.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        c
    }
}

/// The models of one page format.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormatModel {
    /// Article body against everything else.
    pub body: Weights,
    /// The page's headline against everything else.
    pub title: Weights,
}

/// Costs of the region decoder (see `regions`), in log-odds units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Costs {
    /// Opening a gap of non-body blocks inside the article.
    pub gap_open: f32,
    /// Each block of such a gap.
    pub gap_block: f32,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            gap_open: 1.0,
            gap_block: 0.5,
        }
    }
}

/// Everything fitted: weights for text and HTML pages and the decoder's costs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub text: FormatModel,
    pub html: FormatModel,
    pub costs: Costs,
}

impl Model {
    /// The shipped model.
    pub fn builtin() -> Arc<Model> {
        static M: OnceLock<Arc<Model>> = OnceLock::new();
        M.get_or_init(|| Arc::new(Model::parse(BUILTIN).expect("the shipped model.txt parses")))
            .clone()
    }

    /// Reads a model file: `# comments`, then lines `MODEL NAME WEIGHT` with MODEL one of
    /// `text.body`, `text.title`, `html.body`, `html.title` and NAME a measurement (missing
    /// ones weigh 0), and lines `cost NAME VALUE` for the decoder.
    pub fn parse(src: &str) -> Result<Model> {
        let mut m = Model::default();
        for (n, raw) in src.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |what: &str| Error::config(format!("model line {}: {what}: '{line}'", n + 1));
            let mut parts = line.split_whitespace();
            let (Some(kind), Some(name), Some(value), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad("expected three fields"));
            };
            let value: f32 = value
                .parse()
                .ok()
                .filter(|v: &f32| v.is_finite())
                .ok_or_else(|| bad("not a number"))?;
            if kind == "cost" {
                match name {
                    "gap_open" => m.costs.gap_open = value,
                    "gap_block" => m.costs.gap_block = value,
                    _ => return Err(bad("unknown cost")),
                }
                continue;
            }
            let w = match kind {
                "text.body" => &mut m.text.body,
                "text.title" => &mut m.text.title,
                "html.body" => &mut m.html.body,
                "html.title" => &mut m.html.title,
                _ => return Err(bad("unknown model")),
            };
            let k = NAMES
                .iter()
                .position(|&x| x == name)
                .ok_or_else(|| bad("unknown measurement"))?;
            w.0[k] = value;
        }
        Ok(m)
    }

    pub fn format(&self, html: bool) -> &FormatModel {
        if html {
            &self.html
        } else {
            &self.text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::E;

    #[test]
    fn the_shipped_model_parses_and_weighs_prose_up() {
        let m = Model::builtin();
        for f in [&m.text, &m.html] {
            assert!(f.body.0[E::FunctionWords as usize] > 0.0);
            assert!(f.body.0[E::CueCopyright as usize] < 0.0);
        }
        assert!(m.costs.gap_block >= 0.0 && m.costs.gap_open >= 0.0);
    }

    #[test]
    fn model_files_are_checked() {
        let m = Model::parse("# c\ntext.body long 1.5\ncost gap_open 2\n").unwrap();
        assert_eq!(m.text.body.0[E::Long as usize], 1.5);
        assert_eq!(m.costs.gap_open, 2.0);
        for bad in [
            "text.body nope 1",
            "text.body long x",
            "text.body long inf",
            "other long 1",
            "cost nope 1",
            "text.body long",
        ] {
            assert!(Model::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contributions_sorted_by_size() {
        let mut w = Weights::default();
        w.0[E::Long as usize] = 0.5;
        w.0[E::CueTags as usize] = -3.0;
        let mut row = [0.0; N];
        row[E::Long as usize] = 1.0;
        row[E::CueTags as usize] = 1.0;
        let c = w.contributions(&row);
        assert_eq!(c[0], (E::CueTags as usize, -3.0));
        assert_eq!(w.score(&row), -2.5);
    }
}
