//! Labels and reasons from the decisions already made: a block the region decoder put in the
//! article is body; every other block gets the reason its strongest evidence gives (the title,
//! a repeat, a lexicon family, a markup container) or else the region it stands in. Also finds
//! articles appended after the main one. Decides nothing about where the article is.

use crate::evidence::{closes, is_meta_cue, MarkupEvidence, Row, E, INLINE_WORDS};
use crate::features::{Cue, Features};
use crate::html::Markup;
use crate::lexicon::Family;
use crate::regions::Region;

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

    /// The label of a name (`as_str`).
    pub fn from_name(name: &str) -> Option<Label> {
        [Label::Body, Label::Title, Label::Meta, Label::Boilerplate]
            .into_iter()
            .find(|l| l.as_str() == name)
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
            /// The reason of a stable name (`as_str`).
            pub fn from_name(name: &str) -> Option<Reason> {
                Self::ALL.iter().copied().find(|r| r.as_str() == name)
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
    Stray => "stray": "inside the article but not part of it: a caption, a credit, an insert",
    SiteTemplate => "site_template": "on many pages of the site (a site profile): its template",
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

/// Ends with a full stop (not a question or exclamation mark, which headlines use too).
fn ends_with_stop(f: &Features) -> bool {
    f.ends_sentence && !f.ends_question
}

/// The reason a markup container gives.
pub fn markup_reason(m: Markup) -> Reason {
    match m {
        Markup::Nav => Reason::Navigation,
        Markup::Header => Reason::PageHeader,
        Markup::Footer => Reason::PageFooter,
        Markup::Sidebar => Reason::Sidebar,
        Markup::Related => Reason::RelatedBox,
        Markup::Social => Reason::SocialBox,
        Markup::Comments => Reason::CommentBox,
        Markup::Tags => Reason::TagBox,
        Markup::Ad => Reason::AdBox,
        Markup::Newsletter => Reason::NewsletterBox,
        Markup::Form => Reason::Form,
        Markup::Caption => Reason::Caption,
        Markup::LinkList => Reason::LinkList,
    }
}

/// What the labeller decided about a page.
pub struct Decision<'a> {
    pub feats: &'a [Features],
    pub cues: &'a [Cue],
    pub rows: &'a [Row],
    pub regions: &'a [Region],
    /// Title log-odds of every block.
    pub title_scores: &'a [f32],
    pub markup: Option<&'a [MarkupEvidence]>,
}

/// Labels every block, and the index of the block that is the page's title, if any: among the
/// blocks before the article whose title log-odds are positive, the most likely.
pub fn assign(d: &Decision<'_>) -> (Vec<Labelled>, Option<usize>) {
    let n = d.feats.len();
    let start = d.regions.iter().position(|&r| r == Region::Body);
    let title = (0..start.unwrap_or(0))
        .filter(|&i| d.title_scores[i] > 0.0)
        .max_by(|&a, &b| {
            d.title_scores[a]
                .total_cmp(&d.title_scores[b])
                .then(a.cmp(&b))
        });
    let labels = (0..n)
        .map(|i| {
            let f = &d.feats[i];
            let (label, reason) = if d.regions[i] == Region::Body {
                let reason = if f.prose() {
                    Reason::Paragraph
                } else {
                    Reason::Heading
                };
                (Label::Body, reason)
            } else if start.is_some_and(|s| i < s) && d.title_scores[i] > 0.0 {
                (Label::Title, Reason::Title)
            } else if d.rows[i][E::Duplicate as usize] > 0.0 {
                (Label::Boilerplate, Reason::Duplicate)
            } else if let Some(lr) = cue_label(d.cues[i]) {
                lr
            } else if let Some(m) = d.markup.and_then(|m| m[i].markup) {
                (Label::Boilerplate, markup_reason(m))
            } else if d.rows[i][E::SiteTemplate as usize] > 0.0 {
                (Label::Boilerplate, Reason::SiteTemplate)
            } else {
                let reason = match d.regions[i] {
                    Region::Before if f.bullet => Reason::Menu,
                    Region::Before if f.prose() => Reason::BeforeArticle,
                    Region::Before => Reason::ShortNonSentence,
                    Region::Gap if d.rows[i][E::TeaserList as usize] > 0.0 => Reason::ReadAlso,
                    Region::Gap => Reason::Stray,
                    Region::After | Region::Body => Reason::AfterArticle,
                };
                (Label::Boilerplate, reason)
            };
            Labelled { label, reason }
        })
        .collect();
    (labels, title)
}
