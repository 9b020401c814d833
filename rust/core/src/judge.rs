//! Weighs a block's evidence with fitted weights: a logistic model gives each block a score
//! (log-odds) for being article body and one for being the page's title, separately for text and
//! HTML pages, and the contributions that decided it. The weights and the region decoder's costs
//! are data, `model.txt` beside the lexicon, written by `tools/train.py` on labelled real pages.

use crate::error::{Error, Result};
use crate::evidence::{Row, CONTEXT_NAMES, N, NAMES, NC};
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
#[derive(Clone, Debug, PartialEq)]
pub struct FormatModel {
    /// Article body against everything else, on the block's own evidence (first stage).
    pub body: Weights,
    /// The second stage: weights of the block's evidence, then of its context measurements
    /// (`CONTEXT_NAMES`), which are computed from the first stage's scores.
    pub context: Vec<f32>,
    /// The page's headline against everything else.
    pub title: Weights,
}

impl Default for FormatModel {
    fn default() -> Self {
        FormatModel {
            body: Weights::default(),
            context: vec![0.0; N + NC],
            title: Weights::default(),
        }
    }
}

impl FormatModel {
    /// Whether the second stage has weights.
    pub fn has_context(&self) -> bool {
        self.context.iter().any(|&w| w != 0.0)
    }

    /// What made a block's body score: each measurement's weight times its value (the second
    /// stage's when the model has one), largest in size first.
    pub fn explain(&self, row: &Row, ctx: &[f32; NC]) -> Vec<(&'static str, f32)> {
        let mut out: Vec<(&'static str, f32)> = if self.has_context() {
            let values = row.iter().chain(ctx.iter());
            let names = NAMES.iter().chain(CONTEXT_NAMES.iter());
            names
                .zip(values)
                .zip(&self.context)
                .map(|((n, x), w)| (*n, w * x))
                .collect()
        } else {
            self.body
                .contributions(row)
                .into_iter()
                .map(|(k, c)| (NAMES[k], c))
                .collect()
        };
        out.retain(|(_, c)| *c != 0.0);
        out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(b.0)));
        out
    }

    /// Second-stage log-odds of a block from its evidence and context.
    pub fn context_score(&self, row: &Row, ctx: &[f32; NC]) -> f32 {
        let (own, around) = self.context.split_at(N);
        own.iter().zip(row).map(|(w, x)| w * x).sum::<f32>()
            + around.iter().zip(ctx).map(|(w, x)| w * x).sum::<f32>()
    }
}

/// The largest `marked_gap_max` a model may give (the decoder keeps a state per block of it).
const MARKED_GAP_LIMIT: f32 = 64.0;

/// Costs of the region decoder (see `regions`), in log-odds units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Costs {
    /// Opening a gap of non-body blocks inside the article.
    pub gap_open: f32,
    /// Each block of such a gap.
    pub gap_block: f32,
    /// Each marker (that ends an article or introduces others) inside such a gap.
    pub marker_gap: f32,
    /// Each block of a gap after a marker in it, on top of `gap_block`: the farther past a
    /// read-also list or a second headline the prose resumes, the less it is this article.
    pub marker_block: f32,
    /// A block that a lexicon family or a shape (date, URL, breadcrumb, Latin widget text)
    /// names has body log-odds of at most minus this: on the labelled pages such blocks are
    /// body 6 times in about 3,300. 0 leaves the scores as they are.
    pub cue_cap: f32,
    /// The most sure-junk blocks (body log-odds below `-sure_junk`) the article crosses once it
    /// has passed a marker, counted over everything after it (gap blocks, and blocks taken into
    /// the body, so a return to the body resets nothing); 0: no bound. Past it the
    /// article has ended, however much prose follows: a second article appended behind a list
    /// of other headlines is as long as it likes, so no cost per block outweighs it.
    pub marked_gap_max: f32,
    /// See `marked_gap_max`.
    pub sure_junk: f32,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            gap_open: 1.0,
            gap_block: 0.5,
            marker_gap: 3.0,
            marker_block: 0.0,
            cue_cap: 0.0,
            marked_gap_max: 0.0,
            sure_junk: 2.0,
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
    /// ones weigh 0), `text.context` and `html.context` with the context measurements too, and
    /// lines `cost NAME VALUE` for the decoder.
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
                    "marker_gap" => m.costs.marker_gap = value,
                    "marker_block" => m.costs.marker_block = value,
                    "cue_cap" => m.costs.cue_cap = value,
                    "marked_gap_max" if (0.0..=MARKED_GAP_LIMIT).contains(&value) => {
                        m.costs.marked_gap_max = value.round()
                    }
                    "marked_gap_max" => return Err(bad("a block count from 0 to 64")),
                    "sure_junk" => m.costs.sure_junk = value,
                    _ => return Err(bad("unknown cost")),
                }
                continue;
            }
            let (fmt, stage) = match kind.split_once('.') {
                Some(("text", s)) => (&mut m.text, s),
                Some(("html", s)) => (&mut m.html, s),
                _ => return Err(bad("unknown model")),
            };
            let own = NAMES.iter().position(|&x| x == name);
            let w: &mut [f32] = match stage {
                "body" => &mut fmt.body.0,
                "title" => &mut fmt.title.0,
                "context" => &mut fmt.context,
                _ => return Err(bad("unknown model")),
            };
            let k = match (own, stage) {
                (Some(k), _) => k,
                (None, "context") => CONTEXT_NAMES
                    .iter()
                    .position(|&x| x == name)
                    .map(|k| N + k)
                    .ok_or_else(|| bad("unknown measurement"))?,
                _ => return Err(bad("unknown measurement")),
            };
            w[k] = value;
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
        let m = Model::parse("# c\ntext.body long 1.5\ncost gap_open 2\nhtml.context ctx_self 2\n")
            .unwrap();
        assert_eq!(m.text.body.0[E::Long as usize], 1.5);
        assert!(m.html.has_context() && !m.text.has_context());
        assert_eq!(m.html.context[N], 2.0);
        assert_eq!(m.costs.gap_open, 2.0);
        let m = Model::parse("cost marked_gap_max 11.2\ncost sure_junk 2.5\n").unwrap();
        assert_eq!((m.costs.marked_gap_max, m.costs.sure_junk), (11.0, 2.5));
        for bad in [
            "cost marked_gap_max -1",
            "cost marked_gap_max 65",
            "text.body nope 1",
            "text.body long x",
            "text.body long inf",
            "other long 1",
            "text.body ctx_self 1",
            "text.nope long 1",
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
