//! Evidence about every block of a page, as numbers and nothing else: its own measurements
//! (length, letters, punctuation, function words, lexicon families, shapes), its place in the
//! page (position, repetition, overlap with the page's title, teaser lists after a marker), its
//! neighbours' measurements and, for HTML, what the markup says. No decisions: the `judge`
//! weighs these with fitted weights.

use crate::features::{Cue, Features};
use crate::html::Markup;
use crate::lexicon::{Family, Keyer};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::OnceLock;

macro_rules! evidence {
    ($($id:ident = $name:literal : $doc:literal),* $(,)?) => {
        /// One measurement of a block; its index in an evidence row.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum E { $(#[doc = $doc] $id),* }

        /// Names of the measurements, in row order (the model file names its weights by them).
        pub const NAMES: &[&str] = &[$($name),*];
        /// What each measurement is, in row order.
        pub const DOCS: &[&str] = &[$($doc),*];
    };
}

evidence! {
    Bias = "bias": "always 1",
    LogWords = "log_words": "ln(1 + words)",
    Long = "long": "10 words or more",
    Short = "short": "3 words or fewer",
    Arabic = "arabic": "share of Arabic among the letters",
    LatinOnly = "latin_only": "Latin letters and no Arabic ones",
    Digits = "digits": "holds a digit",
    EndsStop = "ends_stop": "ends with a full stop or ellipsis",
    EndsQuestion = "ends_question": "ends with a question or exclamation mark",
    EndsColon = "ends_colon": "ends with a colon",
    Sentences = "sentences": "ln(1 + sentence stops inside the block)",
    WordsPerSentence = "words_per_sentence": "ln(1 + words per sentence stop), 0 without a stop",
    FunctionWords = "function_words": "share of the words that are Arabic function words",
    RelWords = "rel_words": "ln(1 + words) less its mean over the page's sentences (blocks of 5 words or more ending with a stop)",
    RelFunctionWords = "rel_function_words": "function-word share less its mean over the page's blocks of 5 words or more",
    Commas = "commas": "commas per word",
    Bullet = "bullet": "starts with a bullet or dash",
    Url = "url": "a bare URL",
    Separators = "separators": "two or more menu separators (| > » / •)",
    CopyrightSign = "copyright_sign": "holds ©",
    Duplicate = "duplicate": "the same words stood earlier on the page",
    Repeated = "repeated": "the same words stand elsewhere on the page",
    TitleOverlap = "title_overlap": "share of its words in the page's title",
    First = "first": "the page's first block",
    SinceTitle = "since_title": "ln(1 + blocks since the last one that repeats the page's title), 0 before any",
    TitleSeen = "title_seen": "a block repeating the page's title stands before",
    Position = "position": "place in the page, 0 at the start, 1 at the end",
    TeaserList = "teaser_list": "in a list of short lines after a read-also, related, most-read, comments or section marker",
    AfterClose = "after_close": "a tags, comments, copyright, disclaimer, related or most-read marker stood before",
    CueNav = "cue_nav": "lexicon: navigation words",
    CueReadAlso = "cue_read_also": "lexicon: a read-also marker",
    CueRelated = "cue_related": "lexicon: a related-articles marker",
    CueMostRead = "cue_most_read": "lexicon: a most-read marker",
    CueSection = "cue_section": "lexicon: a section or breaking-news label",
    CueTags = "cue_tags": "lexicon: a tags line",
    CueSource = "cue_source": "lexicon: a source or agency line",
    CueByline = "cue_byline": "lexicon: a byline",
    CueDate = "cue_date": "a date or last-updated line",
    CueComments = "cue_comments": "lexicon: comments words",
    CueShare = "cue_share": "lexicon: share or follow words",
    CueNewsletter = "cue_newsletter": "lexicon: newsletter or app words",
    CueCopyright = "cue_copyright": "lexicon: copyright words",
    CueDisclaimer = "cue_disclaimer": "lexicon: an editorial disclaimer",
    CuePhoto = "cue_photo": "lexicon: a photo credit or caption",
    CueAd = "cue_ad": "lexicon: an advertisement label",
    CueLatin = "cue_latin": "widget text in Latin script",
    CueBreadcrumb = "cue_breadcrumb": "a breadcrumb trail",
    PrevProse = "prev_prose": "the block before is prose",
    NextProse = "next_prose": "the block after is prose",
    PrevCue = "prev_cue": "the block before has a lexicon or shape cue",
    NextCue = "next_cue": "the block after has a lexicon or shape cue",
    PrevMeta = "prev_meta": "the block before is a date, byline or source line",
    WindowProse = "window_prose": "share of prose among the three blocks on each side",
    WindowWords = "window_words": "ln(1 + mean words of the three blocks on each side)",
    Html = "html": "the page is HTML",
    InNav = "in_nav": "markup: inside navigation",
    InHeader = "in_header": "markup: inside the page header",
    InFooter = "in_footer": "markup: inside a footer",
    InSidebar = "in_sidebar": "markup: inside an aside or sidebar",
    InRelated = "in_related": "markup: inside a related or more-articles container",
    InSocial = "in_social": "markup: inside a share or follow container",
    InComments = "in_comments": "markup: inside a comments container",
    InTags = "in_tags": "markup: inside a tags container",
    InAd = "in_ad": "markup: inside an ad container",
    InNewsletter = "in_newsletter": "markup: inside a newsletter container",
    InForm = "in_form": "markup: inside a form",
    InCaption = "in_caption": "markup: a figure caption",
    LinkRatio = "link_ratio": "markup: share of the text inside links",
    InContent = "in_content": "markup: inside article, main or an article-body container",
    H1 = "h1": "markup: an h1 heading",
    Heading = "heading": "markup: an h2 to h6 heading",
    SiteTemplate = "site_template": "site profile: share of the site's pages the block stands on, when over the profile's share (0 without a profile)",
}

/// Number of measurements per block.
pub const N: usize = NAMES.len();

/// The measurements of one block.
pub type Row = [f32; N];

/// Markup evidence of an HTML block.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MarkupEvidence {
    /// What the parser says the block is: the first container kind around it, or a link list.
    pub markup: Option<Markup>,
    /// One bit per [`Markup`] kind (in `Markup::ALL` order) of the containers around it.
    pub kinds: u32,
    pub link_ratio: f32,
    pub heading: u8,
    pub in_content: bool,
}

/// The markup kinds in row order, from `InNav`.
const KIND_ROWS: [(Markup, E); 12] = [
    (Markup::Nav, E::InNav),
    (Markup::Header, E::InHeader),
    (Markup::Footer, E::InFooter),
    (Markup::Sidebar, E::InSidebar),
    (Markup::Related, E::InRelated),
    (Markup::Social, E::InSocial),
    (Markup::Comments, E::InComments),
    (Markup::Tags, E::InTags),
    (Markup::Ad, E::InAd),
    (Markup::Newsletter, E::InNewsletter),
    (Markup::Form, E::InForm),
    (Markup::Caption, E::InCaption),
];

/// The measurement a cue sets.
pub fn cue_evidence(cue: Cue) -> Option<E> {
    use Family::*;
    Some(match cue {
        Cue::None => return None,
        Cue::Date => E::CueDate,
        Cue::Url => E::Url,
        Cue::Latin => E::CueLatin,
        Cue::Breadcrumb => E::CueBreadcrumb,
        Cue::Family(f) => match f {
            ReadAlso => E::CueReadAlso,
            Related => E::CueRelated,
            MostRead => E::CueMostRead,
            SectionLabel => E::CueSection,
            Tags => E::CueTags,
            Source | Agency => E::CueSource,
            Byline => E::CueByline,
            DatePrefix | DateWord => E::CueDate,
            Comments => E::CueComments,
            Share | Follow => E::CueShare,
            Newsletter | App => E::CueNewsletter,
            Copyright => E::CueCopyright,
            Disclaimer => E::CueDisclaimer,
            Nav => E::CueNav,
            Photo => E::CuePhoto,
            Ad => E::CueAd,
        },
    })
}

/// Markers after which the article is over.
pub fn closes(cue: Cue) -> bool {
    matches!(
        cue,
        Cue::Family(
            Family::Tags
                | Family::Comments
                | Family::Copyright
                | Family::Disclaimer
                | Family::Related
                | Family::MostRead
        )
    )
}

/// Markers that introduce teasers or another article.
pub fn introduces_others(cue: Cue) -> bool {
    matches!(
        cue,
        Cue::Family(
            Family::ReadAlso
                | Family::Related
                | Family::MostRead
                | Family::Comments
                | Family::SectionLabel
        )
    )
}

/// A date, byline or source line.
pub fn is_meta_cue(cue: Cue) -> bool {
    matches!(
        cue,
        Cue::Date
            | Cue::Family(Family::Source | Family::Agency | Family::Byline | Family::DatePrefix)
    )
}

/// Longest teaser headline, in words: a longer line ends a teaser list.
const TEASER_WORDS: usize = 25;
/// Words from which a read-also line carries its headline itself (and introduces no list).
pub const INLINE_WORDS: usize = 4;
/// Blocks on each side in the neighbourhood window.
const WINDOW: usize = 3;
/// Fewest words of a block that counts in the page's means (relative length, function words).
const REL_WORDS: usize = 5;
/// Share of a block's words in the page's title from which it repeats the title.
const TITLE_REPEAT: f32 = 0.6;
/// Fewest words of a block that repeats the title.
const TITLE_WORDS: usize = 3;
/// Most words of a line that repeats the title as a headline (longer, it is a paragraph).
const HEADLINE_WORDS: usize = 25;

/// Whether a block repeats the page's title as a headline does (a gap of the decoder through
/// one is a gap through a marker: a headline starts an article): most of its words in the
/// title, headline-sized, and not ending in a full stop (a paragraph repeating the first line of
/// a page without a title is not a headline).
pub fn repeats_title(row: &Row, f: &Features) -> bool {
    let full_stop = f.ends_sentence && !f.ends_question && !f.ends_ellipsis;
    (TITLE_WORDS..=HEADLINE_WORDS).contains(&f.words)
        && !full_stop
        && row[E::TitleOverlap as usize] >= TITLE_REPEAT
}

/// The function words of `stopwords.txt`, as keys (shared with the quality measures).
pub(crate) fn stopwords(keyer: &Keyer) -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("stopwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|w| keyer.key(w).as_str().to_string())
            .filter(|k| !k.is_empty())
            .collect()
    })
}

/// Sentence stops inside a text (`. ! ? ؟ …` followed by a space, or at the end) and its
/// commas (`،` or `,`), in one pass.
fn stops_and_commas(text: &str) -> (usize, usize) {
    let (mut stops, mut commas) = (0, 0);
    let mut prev_stop = false;
    for c in text.chars() {
        let stop = matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔');
        if prev_stop && crate::script::is_whitespace(c) {
            stops += 1;
        }
        commas += usize::from(matches!(c, '،' | ','));
        prev_stop = stop;
    }
    (stops + usize::from(prev_stop), commas)
}

/// What a page gives for measuring its blocks.
pub struct PageInput<'a> {
    pub texts: &'a [&'a str],
    pub feats: &'a [Features],
    pub cues: &'a [Cue],
    /// Markup evidence for HTML pages, one per block.
    pub markup: Option<&'a [MarkupEvidence]>,
    /// The page's own title (HTML `<title>` or OpenGraph), if it has one.
    pub title: Option<&'a str>,
    /// Measure repetition (off when the `duplicate` rule is disabled).
    pub repetition: bool,
    /// With a site profile: the share of the site's pages each block stands on (0 when it is
    /// not template).
    pub template: Option<&'a [f32]>,
}

/// The measurements of every block of a page.
pub fn measure(page: &PageInput<'_>, keyer: &Keyer) -> Vec<Row> {
    let feats = page.feats;
    let cues = page.cues;
    let n = feats.len();
    let stop = stopwords(keyer);
    let prose: Vec<bool> = (0..n)
        .map(|i| cues[i] == Cue::None && feats[i].prose())
        .collect();

    // repetition of a block's words on the page
    let mut count: HashMap<&str, usize> = HashMap::with_capacity(n);
    if page.repetition {
        for f in feats {
            let k = f.key.as_str();
            if !k.is_empty() {
                *count.entry(k).or_default() += 1;
            }
        }
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(n);

    // the title's words: the page's own title, else the first block (its <title> line)
    let title_key = match page.title {
        Some(t) => keyer.key(t),
        None if n > 0 => feats[0].key.clone(),
        None => Default::default(),
    };
    let title_words: HashSet<&str> = title_key.as_str().split(' ').collect();

    // teaser lists after a marker, and closing markers seen
    let mut teaser = vec![false; n];
    let mut in_list = false;
    for i in 0..n {
        if introduces_others(cues[i]) {
            in_list = !(cues[i] == Cue::Family(Family::ReadAlso) && feats[i].words >= INLINE_WORDS);
            continue;
        }
        if !in_list || cues[i] != Cue::None {
            continue;
        }
        let f = &feats[i];
        if (f.ends_sentence && !f.ends_ellipsis) || f.ends_colon || f.words > TEASER_WORDS {
            in_list = false;
        } else {
            teaser[i] = true;
        }
    }

    // page-relative length and function words: sites differ in how long their paragraphs are
    let fw: Vec<f32> = feats
        .iter()
        .map(|f| {
            let k = f
                .key
                .as_str()
                .split(' ')
                .filter(|w| stop.contains(*w))
                .count();
            k as f32 / f.words.max(1) as f32
        })
        .collect();
    let mean = |v: &mut dyn Iterator<Item = f32>| {
        let (sum, count) = v.fold((0.0f32, 0usize), |(s, c), x| (s + x, c + 1));
        if count == 0 {
            None
        } else {
            Some(sum / count as f32)
        }
    };
    let sentence_len = mean(
        &mut feats
            .iter()
            .filter(|f| f.words >= REL_WORDS && f.ends_sentence)
            .map(|f| (f.words as f32).ln_1p()),
    );
    let page_fw = mean(
        &mut (0..n)
            .filter(|&i| feats[i].words >= REL_WORDS)
            .map(|i| fw[i]),
    );
    let mut rows = Vec::with_capacity(n);
    let mut closed = false;
    let mut last_title: Option<usize> = None;
    for i in 0..n {
        let f = &feats[i];
        let mut r: Row = [0.0; N];
        let set = |r: &mut Row, e: E, v: f32| r[e as usize] = v;
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let words = f.words;
        set(&mut r, E::Bias, 1.0);
        set(&mut r, E::LogWords, (words as f32).ln_1p());
        set(&mut r, E::Long, flag(words >= 10));
        set(&mut r, E::Short, flag(words <= 3));
        set(&mut r, E::Arabic, f.arabic_ratio() as f32);
        set(&mut r, E::LatinOnly, flag(f.arabic == 0 && f.latin > 0));
        set(&mut r, E::Digits, flag(f.digits));
        set(
            &mut r,
            E::EndsStop,
            flag(f.ends_sentence && !f.ends_question),
        );
        set(&mut r, E::EndsQuestion, flag(f.ends_question));
        set(&mut r, E::EndsColon, flag(f.ends_colon));
        let (stops, commas) = stops_and_commas(page.texts[i]);
        set(&mut r, E::Sentences, (stops as f32).ln_1p());
        if stops > 0 {
            set(
                &mut r,
                E::WordsPerSentence,
                (words as f32 / stops as f32).ln_1p(),
            );
        }
        if let Some(m) = sentence_len {
            set(&mut r, E::RelWords, (words as f32).ln_1p() - m);
        }
        if let Some(m) = page_fw {
            set(&mut r, E::RelFunctionWords, fw[i] - m);
        }
        if words > 0 {
            set(&mut r, E::FunctionWords, fw[i]);
            set(&mut r, E::Commas, (commas as f32 / words as f32).min(1.0));
        }
        set(&mut r, E::Bullet, flag(f.bullet));
        set(&mut r, E::Url, flag(f.url));
        set(&mut r, E::Separators, flag(f.separators >= 2));
        set(&mut r, E::CopyrightSign, flag(f.copyright_sign));
        let k = f.key.as_str();
        if !k.is_empty() && page.repetition {
            set(&mut r, E::Duplicate, flag(!seen.insert(k)));
            set(
                &mut r,
                E::Repeated,
                flag(count.get(k).copied().unwrap_or(0) > 1),
            );
        }
        if words > 0 && (i > 0 || page.title.is_some()) {
            let inside = k.split(' ').filter(|w| title_words.contains(w)).count();
            set(&mut r, E::TitleOverlap, inside as f32 / words as f32);
        }
        set(&mut r, E::First, flag(i == 0));
        if let Some(t) = last_title {
            set(&mut r, E::TitleSeen, 1.0);
            set(&mut r, E::SinceTitle, ((i - t) as f32).ln_1p());
        }
        let overlap = r[E::TitleOverlap as usize];
        if words >= TITLE_WORDS && (overlap >= TITLE_REPEAT || (i == 0 && page.title.is_none())) {
            last_title = Some(i);
        }
        set(
            &mut r,
            E::Position,
            if n > 1 {
                i as f32 / (n - 1) as f32
            } else {
                0.0
            },
        );
        set(&mut r, E::TeaserList, flag(teaser[i]));
        if let Some(t) = page.template {
            set(&mut r, E::SiteTemplate, t[i]);
        }
        set(&mut r, E::AfterClose, flag(closed));
        if let Some(e) = cue_evidence(cues[i]) {
            set(&mut r, e, 1.0);
        }
        if i > 0 {
            set(&mut r, E::PrevProse, flag(prose[i - 1]));
            set(&mut r, E::PrevCue, flag(cues[i - 1] != Cue::None));
            set(&mut r, E::PrevMeta, flag(is_meta_cue(cues[i - 1])));
        }
        if i + 1 < n {
            set(&mut r, E::NextProse, flag(prose[i + 1]));
            set(&mut r, E::NextCue, flag(cues[i + 1] != Cue::None));
        }
        let (lo, hi) = (
            i.saturating_sub(WINDOW),
            (i + WINDOW).min(n.saturating_sub(1)),
        );
        let others = hi - lo; // blocks in the window besides this one
        if others > 0 {
            let p = (lo..=hi).filter(|&j| j != i && prose[j]).count();
            let w: usize = (lo..=hi).filter(|&j| j != i).map(|j| feats[j].words).sum();
            set(&mut r, E::WindowProse, p as f32 / others as f32);
            set(&mut r, E::WindowWords, (w as f32 / others as f32).ln_1p());
        }
        if let Some(m) = page.markup {
            let m = m[i];
            set(&mut r, E::Html, 1.0);
            for (bit, (_, e)) in KIND_ROWS.iter().enumerate() {
                if m.kinds & (1 << bit) != 0 {
                    set(&mut r, *e, 1.0);
                }
            }
            set(&mut r, E::LinkRatio, m.link_ratio);
            set(&mut r, E::InContent, flag(m.in_content));
            set(&mut r, E::H1, flag(m.heading == 1));
            set(&mut r, E::Heading, flag(m.heading > 1));
        }
        if closes(cues[i]) {
            closed = true;
        }
        rows.push(r);
    }
    rows
}

/// Names of the context measurements: what the first-stage body scores of a block's
/// surroundings say (the judge's second stage weighs these beside the block's own evidence).
pub const CONTEXT_NAMES: &[&str] = &[
    "ctx_self",
    "ctx_prev",
    "ctx_next",
    "ctx_before_mean",
    "ctx_after_mean",
    "ctx_before_max",
    "ctx_after_max",
    "ctx_mass_before",
    "ctx_inside",
    "ctx_page_max",
];

/// Number of context measurements.
pub const NC: usize = 10;

/// Blocks on each side whose scores make a block's context.
const CONTEXT_WINDOW: usize = 5;
/// First-stage scores are clamped to this size: a sure block says no more than a very likely one.
const SCORE_CLAMP: f32 = 8.0;

/// Context measurements of every block from the first-stage body log-odds `scores` and the
/// blocks' word counts: the neighbours' scores, and where the block stands in the page's likely
/// body text (the share of it before the block, and a bump that is 1 in its middle).
pub fn context(scores: &[f32], words: &[usize]) -> Vec<[f32; NC]> {
    let n = scores.len();
    let s: Vec<f32> = scores
        .iter()
        .map(|x| x.clamp(-SCORE_CLAMP, SCORE_CLAMP))
        .collect();
    let mass: Vec<f32> = s
        .iter()
        .zip(words)
        .map(|(&x, &w)| w as f32 / (1.0 + (-x).exp()))
        .collect();
    let total: f32 = mass.iter().sum();
    let page_max = s.iter().copied().fold(-SCORE_CLAMP, f32::max);
    let mut before = 0.0f32;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let lo = i.saturating_sub(CONTEXT_WINDOW);
        let hi = (i + CONTEXT_WINDOW + 1).min(n);
        let prev = &s[lo..i];
        let next = &s[(i + 1).min(n)..hi];
        let mean = |v: &[f32]| {
            if v.is_empty() {
                -SCORE_CLAMP
            } else {
                v.iter().sum::<f32>() / v.len() as f32
            }
        };
        let max = |v: &[f32]| v.iter().copied().fold(-SCORE_CLAMP, f32::max);
        let m = if total > 0.0 {
            (before + mass[i] / 2.0) / total
        } else {
            0.0
        };
        out.push([
            s[i],
            if i > 0 { s[i - 1] } else { -SCORE_CLAMP },
            if i + 1 < n { s[i + 1] } else { -SCORE_CLAMP },
            mean(prev),
            mean(next),
            max(prev),
            max(next),
            m,
            4.0 * m * (1.0 - m),
            page_max,
        ]);
        before += mass[i];
    }
    out
}

#[cfg(test)]
mod tests;
