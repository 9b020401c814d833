//! Runs the labelling stages over a page's blocks, in order and once each: features and cues per
//! block, the evidence rows, the judge's scores, the region decoder, then labels and reasons.
//! Holds no rule of its own.

use crate::evidence::{self, MarkupEvidence, PageInput, Row};
use crate::features::{Cue, Features};
use crate::judge::Model;
use crate::label::{self, Labelled};
use crate::lexicon::{Family, Lexicon};
use crate::profile::{block_hash, Profile, SiteCounts};
use crate::regions::{self, Region};

/// Switches of the labeller (from `Config::disabled`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Switches {
    /// Repetition on the page is not evidence (`duplicate` off).
    pub no_repetition: bool,
    /// Every block the judge finds likely body is body, wherever it stands (`context` off).
    pub no_context: bool,
    /// Date shapes are not cues (`date_line` off).
    pub no_date_lines: bool,
    pub no_breadcrumb: bool,
    pub no_widget: bool,
    pub no_url: bool,
}

/// Everything decided about a page's blocks.
#[derive(Clone, Debug, Default)]
pub struct Judged {
    pub feats: Vec<Features>,
    pub cues: Vec<Cue>,
    pub rows: Vec<Row>,
    /// Context measurements per block (from the first-stage scores).
    pub context: Vec<[f32; evidence::NC]>,
    /// First-stage body log-odds per block: the block's own evidence.
    pub first: Vec<f32>,
    /// Body log-odds per block: the second stage when the model has one, else the first.
    pub body: Vec<f32>,
    /// Title log-odds per block.
    pub title_scores: Vec<f32>,
    /// Whether each block is a marker that ends an article or introduces others (the decoder's
    /// evidence for where the article stops).
    pub markers: Vec<bool>,
    pub regions: Vec<Region>,
    pub labels: Vec<Labelled>,
    /// The block that is the page's title.
    pub title: Option<usize>,
}

/// Labels the blocks `texts` of a page (`markup` for HTML pages, `title` the page's own title,
/// `site` the profile of the page's site with its counts).
pub fn judge(
    texts: &[&str],
    markup: Option<&[MarkupEvidence]>,
    title: Option<&str>,
    site: Option<(&Profile, &SiteCounts)>,
    lexicon: &Lexicon,
    model: &Model,
    sw: Switches,
) -> Judged {
    let feats: Vec<Features> = texts.iter().map(|t| Features::new(t, lexicon)).collect();
    let template: Option<Vec<f32>> = site.map(|(p, counts)| {
        feats
            .iter()
            .map(|f| match f.key.as_str() {
                "" => 0.0,
                k => p.share(counts, block_hash(k)),
            })
            .collect()
    });
    let cues: Vec<Cue> = feats
        .iter()
        .map(|f| match f.cue(!sw.no_date_lines) {
            Cue::Breadcrumb if sw.no_breadcrumb => Cue::None,
            Cue::Latin if sw.no_widget => Cue::None,
            Cue::Url if sw.no_url => Cue::None,
            c => c,
        })
        .collect();
    let rows = evidence::measure(
        &PageInput {
            texts,
            feats: &feats,
            cues: &cues,
            markup,
            title,
            repetition: !sw.no_repetition,
            template: template.as_deref(),
        },
        lexicon.keyer(),
    );
    let m = model.format(markup.is_some());
    let first: Vec<f32> = rows.iter().map(|r| m.body.score(r)).collect();
    let words: Vec<usize> = feats.iter().map(|f| f.words).collect();
    let context = evidence::context(&first, &words);
    let mut body: Vec<f32> = if m.has_context() {
        rows.iter()
            .zip(&context)
            .map(|(r, c)| m.context_score(r, c))
            .collect()
    } else {
        first.clone()
    };
    if model.costs.cue_cap > 0.0 {
        for (s, c) in body.iter_mut().zip(&cues) {
            if *c != Cue::None {
                *s = s.min(-model.costs.cue_cap);
            }
        }
    }
    let title_scores: Vec<f32> = rows.iter().map(|r| m.title.score(r)).collect();
    let markers: Vec<bool> = (0..cues.len())
        .map(|i| {
            evidence::closes(cues[i])
                || (evidence::introduces_others(cues[i])
                    && !(cues[i] == Cue::Family(Family::ReadAlso)
                        && feats[i].words >= evidence::INLINE_WORDS))
                || (i > 0 && evidence::repeats_title(&rows[i], &feats[i]))
        })
        .collect();
    let regions = if sw.no_context {
        body.iter()
            .map(|&s| if s > 0.0 { Region::Body } else { Region::After })
            .collect()
    } else {
        regions::decode(&body, &markers, &model.costs)
    };
    let (labels, title) = label::assign(&label::Decision {
        feats: &feats,
        cues: &cues,
        rows: &rows,
        regions: &regions,
        title_scores: &title_scores,
        markup,
    });
    Judged {
        feats,
        cues,
        rows,
        context,
        first,
        body,
        title_scores,
        markers,
        regions,
        labels,
        title,
    }
}
