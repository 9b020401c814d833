//! Labels every block of a page as body, title, meta or boilerplate, with a reason, using the
//! document's context: where the main article starts and stops, read-also inserts inside it,
//! what comes before and after it, and repetition.
//!
//! The article is the largest cluster of prose blocks: a cluster runs until a closing marker
//! (tags, comments, copyright, disclaimer, related or most-read lists, a read-also marker that is
//! not a mid-article insert) or until too many non-prose blocks in a row. Clusters that open
//! right after a related or read-also marker are teasers or appended articles and lose to any
//! other. Does not normalize or assemble text.

use crate::features::{Cue, Features};
use crate::lexicon::Family;
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Label {
    Body,
    Title,
    Meta,
    Boilerplate,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Body => "body",
            Label::Title => "title",
            Label::Meta => "meta",
            Label::Boilerplate => "boilerplate",
        }
    }
}

macro_rules! reasons {
    ($($var:ident => $name:literal : $doc:literal),* $(,)?) => {
        /// Why a block got its label. The names are stable.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Reason { $(#[doc = $doc] $var),* }

        impl Reason {
            pub const ALL: &'static [Reason] = &[$(Reason::$var),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Reason::$var => $name),* }
            }
            pub fn describe(self) -> &'static str {
                match self { $(Reason::$var => $doc),* }
            }
        }
    };
}

reasons! {
    Paragraph => "paragraph": "a paragraph of the article",
    Heading => "heading": "a sub-heading inside the article",
    Title => "title": "the article's title",
    DateLine => "date_line": "a date or last-updated line",
    Byline => "byline": "the author line",
    SourceLine => "source_line": "a source or agency line",
    TagLine => "tag_line": "a tag or keyword line",
    ReadAlso => "read_also": "a read-also marker, with the headlines it introduces",
    RelatedMarker => "related_marker": "a related-articles heading",
    MostRead => "most_read": "a most-read or trending heading",
    SectionLabel => "section_label": "a section or breaking-news label",
    CommentForm => "comment_form": "a comment heading or form",
    Share => "share": "share buttons or a share prompt",
    Follow => "follow": "a follow-us prompt",
    Newsletter => "newsletter": "a newsletter prompt",
    AppPrompt => "app_prompt": "an app download prompt",
    Copyright => "copyright": "a copyright or rights line",
    Disclaimer => "disclaimer": "an editorial disclaimer",
    Menu => "menu": "navigation: menu items, site links",
    Breadcrumb => "breadcrumb": "a breadcrumb trail",
    PhotoCredit => "photo_credit": "a photo caption or credit",
    Ad => "ad": "an advertisement label",
    Widget => "widget": "widget text in another script",
    Url => "url": "a bare URL",
    Duplicate => "duplicate": "a repeat of an earlier block (such as the title)",
    ShortNonSentence => "short_non_sentence": "a short line that is not a sentence, outside the article",
    BeforeArticle => "before_article": "text before the article starts",
    AfterArticle => "after_article": "text after the article ends: teasers, appended articles",
    Navigation => "navigation": "HTML: inside a nav element, a menu or a breadcrumb container",
    PageHeader => "page_header": "HTML: inside the page's header (outside the article)",
    PageFooter => "page_footer": "HTML: inside a footer",
    Sidebar => "sidebar": "HTML: inside an aside, sidebar or widget container",
    RelatedBox => "related_box": "HTML: inside a related, more or most-read container",
    SocialBox => "social_box": "HTML: inside a share or follow container",
    CommentBox => "comment_box": "HTML: inside a comments container",
    TagBox => "tag_box": "HTML: inside a tags container",
    AdBox => "ad_box": "HTML: inside an advertisement container",
    NewsletterBox => "newsletter_box": "HTML: inside a newsletter or subscription container",
    Form => "form": "HTML: a short block inside a form",
    Caption => "caption": "HTML: a figure caption",
    LinkList => "link_list": "HTML: most of the block's text is links",
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Labelled {
    pub label: Label,
    pub reason: Reason,
}

/// Rules that can be switched off by name, besides the lexicon's families.
pub const RULES: &[&str] = &[
    "duplicate",
    "date_line",
    "context",
    "breadcrumb",
    "widget",
    "url",
    "markup",
];

#[derive(Clone, Debug, Default)]
pub struct Rules {
    pub no_duplicate: bool,
    pub no_context: bool,
}

/// Non-prose blocks tolerated in a row inside the article.
const MAX_GAP: usize = 4;
/// Longest teaser headline, in words.
const TEASER_WORDS: usize = 25;
/// Words from which a read-also line carries its headline itself.
const INLINE_WORDS: usize = 4;
/// Lines a read-also insert may span before the article goes on.
const INSERT_SPAN: usize = 6;
/// Items of a list introduced by a colon that do not count as a gap.
const LIST_ITEMS: usize = 30;

fn reason_of(f: Family) -> (Label, Reason) {
    use Family::*;
    match f {
        ReadAlso => (Label::Boilerplate, Reason::ReadAlso),
        Related => (Label::Boilerplate, Reason::RelatedMarker),
        MostRead => (Label::Boilerplate, Reason::MostRead),
        SectionLabel => (Label::Boilerplate, Reason::SectionLabel),
        Tags => (Label::Meta, Reason::TagLine),
        Source | Agency => (Label::Meta, Reason::SourceLine),
        Byline => (Label::Meta, Reason::Byline),
        DatePrefix | DateWord => (Label::Meta, Reason::DateLine),
        Comments => (Label::Boilerplate, Reason::CommentForm),
        Share => (Label::Boilerplate, Reason::Share),
        Follow => (Label::Boilerplate, Reason::Follow),
        Newsletter => (Label::Boilerplate, Reason::Newsletter),
        App => (Label::Boilerplate, Reason::AppPrompt),
        Copyright => (Label::Boilerplate, Reason::Copyright),
        Disclaimer => (Label::Boilerplate, Reason::Disclaimer),
        Nav => (Label::Boilerplate, Reason::Menu),
        Photo => (Label::Boilerplate, Reason::PhotoCredit),
        Ad => (Label::Boilerplate, Reason::Ad),
    }
}

fn cue_label(cue: Cue) -> Option<(Label, Reason)> {
    match cue {
        Cue::None => None,
        Cue::Family(f) => Some(reason_of(f)),
        Cue::Date => Some((Label::Meta, Reason::DateLine)),
        Cue::Url => Some((Label::Boilerplate, Reason::Url)),
        Cue::Latin => Some((Label::Boilerplate, Reason::Widget)),
        Cue::Breadcrumb => Some((Label::Boilerplate, Reason::Breadcrumb)),
    }
}

/// An article saved after the main one, behind a read-also marker: block indices of its title,
/// its date and byline lines, and its paragraphs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Appended {
    pub title: Option<usize>,
    pub meta: Vec<usize>,
    pub body: Vec<usize>,
}

/// Words an appended article needs in its paragraphs (fewer is a teaser).
const APPENDED_WORDS: usize = 25;

/// Articles after the main one: each starts at a read-also marker standing alone on its line
/// after the last body block and runs to the next marker that closes or introduces. It is an
/// article when it has a date or byline, or two paragraphs, and enough words; a teaser list is
/// not. The labels are not changed: these blocks stay `after_article` in the main document.
pub fn appended(feats: &[Features], cues: &[Cue], labels: &[Labelled]) -> Vec<Appended> {
    let n = feats.len();
    let Some(last_body) = labels.iter().rposition(|l| l.label == Label::Body) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = last_body + 1;
    while i < n {
        if cues[i] != Cue::Family(Family::ReadAlso) || feats[i].words >= INLINE_WORDS {
            i += 1;
            continue;
        }
        let mut a = Appended::default();
        let mut words = 0;
        let mut j = i + 1;
        while j < n && !closes(cues[j]) && cues[j] != Cue::Family(Family::ReadAlso) {
            let f = &feats[j];
            let free = cues[j] == Cue::None && labels[j].reason == Reason::AfterArticle;
            if is_meta_cue(cues[j]) {
                a.meta.push(j);
            } else if free
                && a.body.is_empty()
                && a.title.is_none()
                && f.headline_like()
                && !f.ends_sentence
            {
                a.title = Some(j);
            } else if free && (f.prose() || (f.words >= 8 && ends_with_stop(f))) {
                a.body.push(j);
                words += f.words;
            }
            j += 1;
        }
        if words >= APPENDED_WORDS && (!a.meta.is_empty() || a.body.len() >= 2) {
            out.push(a);
        }
        i = j;
    }
    out
}

/// Markers after which the article is over.
fn closes(cue: Cue) -> bool {
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
fn introduces_others(cue: Cue) -> bool {
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

fn is_meta_cue(cue: Cue) -> bool {
    matches!(
        cue,
        Cue::Date
            | Cue::Family(Family::Source | Family::Agency | Family::Byline | Family::DatePrefix)
    )
}

/// Ends with a full stop (not a question or exclamation mark, which headlines use too).
fn ends_with_stop(f: &Features) -> bool {
    f.ends_sentence && !f.ends_question
}

struct Cluster {
    start: usize,
    end: usize,
    weight: usize,
    teaser: bool,
}

/// Labels blocks from their features. `cues[i]` is `feats[i].cue(..)`, computed by the caller
/// with its rules.
pub fn label(feats: &[Features], cues: &[Cue], rules: &Rules) -> Vec<Labelled> {
    let n = feats.len();
    // headlines listed after a read-also, related, most-read, comments or section marker: lines
    // without a full stop or colon (an ellipsis does not count), bullets, and the names and dates between
    // them, up to the first real sentence or long paragraph
    let mut teaser = vec![false; n];
    let mut in_list = false;
    for i in 0..n {
        if introduces_others(cues[i]) {
            // a read-also marker with its headline on the same line introduces nothing more
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
    let prose: Vec<bool> = (0..n)
        .map(|i| cues[i] == Cue::None && !teaser[i] && feats[i].prose())
        .collect();

    // repetition: a block whose key was seen before
    let mut dup = vec![false; n];
    if !rules.no_duplicate {
        let mut seen: HashSet<&str> = HashSet::with_capacity(n);
        for i in 0..n {
            let k = feats[i].key.as_str();
            if !k.is_empty() && !seen.insert(k) {
                dup[i] = true;
            }
        }
    }

    // read-also markers inside the article: the marker and its headlines go, the article goes on
    let mut insert = vec![false; n];
    let insert_end = |i: usize| -> Option<usize> {
        if cues[i] != Cue::Family(Family::ReadAlso) {
            return None;
        }
        if feats[i].words >= INLINE_WORDS {
            // the headline stands on the marker's line: the article goes on right after it
            let j = i + 1;
            let goes_on =
                j < n && cues[j] == Cue::None && !dup[j] && (prose[j] || feats[j].words >= 5);
            return goes_on.then_some(j);
        }
        for k in 1..=INSERT_SPAN {
            let j = i + k;
            if j >= n {
                return None;
            }
            if is_meta_cue(cues[j]) || closes(cues[j]) {
                return None; // a date or byline: another article starts here
            }
            // headlines are teasers, not prose: the first prose line is the article going on,
            // unless it stands right after the marker (an appended article's lead)
            if prose[j] {
                return (k >= 2).then_some(j);
            }
        }
        None
    };

    // clusters of prose
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut cur: Option<Cluster> = None;
    let mut gap = 0usize;
    let mut list_items = 0usize;
    let mut last_marker: Option<usize> = None;
    let mut i = 0;
    while i < n {
        if let Some(j) = cur.as_ref().and_then(|_| insert_end(i)) {
            for f in insert.iter_mut().take(j).skip(i) {
                *f = true;
            }
            i = j;
            continue;
        }
        if closes(cues[i]) || cues[i] == Cue::Family(Family::ReadAlso) {
            clusters.extend(cur.take());
        }
        if introduces_others(cues[i]) {
            last_marker = Some(i);
        }
        if prose[i] && !dup[i] {
            match cur.as_mut() {
                Some(c) => {
                    c.end = i;
                    c.weight += feats[i].key.text.len();
                }
                None => {
                    let teaser = last_marker.is_some_and(|m| i - m <= 3);
                    cur = Some(Cluster {
                        start: i,
                        end: i,
                        weight: feats[i].key.text.len(),
                        teaser,
                    });
                }
            }
            gap = 0;
            list_items = if feats[i].ends_colon { LIST_ITEMS } else { 0 };
        } else if cur.is_some() {
            // the items of a list that a paragraph introduces with a colon belong to it
            if list_items > 0 && cues[i] == Cue::None && !dup[i] {
                list_items -= 1;
            } else {
                list_items = 0;
                gap += 1;
                if gap > MAX_GAP {
                    clusters.extend(cur.take());
                    gap = 0;
                }
            }
        }
        i += 1;
    }
    clusters.extend(cur.take());

    let main = if rules.no_context {
        clusters
            .iter()
            .map(|c| (c.start, c.end))
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    } else {
        let any_real = clusters.iter().any(|c| !c.teaser);
        clusters
            .iter()
            .filter(|c| !any_real || !c.teaser)
            .max_by_key(|c| (c.weight, std::cmp::Reverse(c.start)))
            .map(|c| (c.start, c.end))
    };

    let Some((start, mut end)) = main else {
        // no article: nothing is body
        return (0..n)
            .map(|i| {
                let (label, reason) =
                    cue_label(cues[i]).unwrap_or((Label::Boilerplate, Reason::ShortNonSentence));
                Labelled { label, reason }
            })
            .collect();
    };
    // a short closing sentence right after the last paragraph
    while end + 1 < n
        && cues[end + 1] == Cue::None
        && !dup[end + 1]
        && feats[end + 1].ends_sentence
        && feats[end + 1].words >= 2
        && feats[end + 1].arabic_ratio() >= 0.5
        && !feats[end + 1].bullet
    {
        end += 1;
    }

    // a headline opening the cluster, with the date or byline between it and the lead, is the
    // title, not the lead
    let mut start = start;
    if feats[start].words <= 15 && feats[start].headline_like() && !ends_with_stop(&feats[start]) {
        if let Some(next) = (start + 1..=end).find(|&j| prose[j] && !dup[j]) {
            if (start + 1..next).any(|j| is_meta_cue(cues[j])) {
                start = next;
            }
        }
    }

    // the title: the nearest headline-like block before the article
    let mut title: Option<usize> = None;
    for j in (start.saturating_sub(8)..start).rev() {
        if cues[j] != Cue::None || dup[j] {
            continue;
        }
        if feats[j].headline_like() && !ends_with_stop(&feats[j]) {
            title = Some(j);
            break;
        }
        if feats[j].prose() {
            break;
        }
    }

    (0..n)
        .map(|i| {
            if insert[i] {
                Labelled {
                    label: Label::Boilerplate,
                    reason: Reason::ReadAlso,
                }
            } else if Some(i) == title {
                Labelled {
                    label: Label::Title,
                    reason: Reason::Title,
                }
            } else if dup[i] {
                Labelled {
                    label: Label::Boilerplate,
                    reason: Reason::Duplicate,
                }
            } else if let Some((label, reason)) = cue_label(cues[i]) {
                Labelled { label, reason }
            } else if i < start {
                let reason = if feats[i].bullet {
                    Reason::Menu
                } else if feats[i].prose() {
                    Reason::BeforeArticle
                } else {
                    Reason::ShortNonSentence
                };
                Labelled {
                    label: Label::Boilerplate,
                    reason,
                }
            } else if i > end {
                Labelled {
                    label: Label::Boilerplate,
                    reason: Reason::AfterArticle,
                }
            } else if prose[i] {
                Labelled {
                    label: Label::Body,
                    reason: Reason::Paragraph,
                }
            } else if feats[i].arabic_ratio() >= 0.5 && feats[i].words >= 2 {
                Labelled {
                    label: Label::Body,
                    reason: Reason::Heading,
                }
            } else {
                Labelled {
                    label: Label::Boilerplate,
                    reason: Reason::ShortNonSentence,
                }
            }
        })
        .collect()
}
