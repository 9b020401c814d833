//! HTML pages to blocks: the text of each block-level element with its span in the page, a map
//! from the block's text back into the page, and the evidence only markup has (the element and
//! its ancestors, class and id words, link density, heading level), plus the page's structured
//! metadata (`<title>`, OpenGraph and article meta tags, JSON-LD).
//!
//! Tokenized by html5gum (a WHATWG tokenizer with source spans; entities decoded there); the
//! tree is a stack of open elements with the usual implied ends (`p`, `li`, `dt`/`dd`, table
//! cells, `option`) and stray end tags ignored, so malformed pages still give blocks.
//! `script`, `style`, `noscript`, `template`, `svg`, `math`, form controls and hidden elements
//! (`hidden`, `aria-hidden="true"`, `display:none`) never produce text. Does not label.

use crate::align::{Alignment, Span, Writer};

mod builder;
mod classes;
mod json_ld;
mod text;

#[cfg(test)]
use classes::class_kind;

/// What the markup says a block is, when it says anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Markup {
    Nav,
    Header,
    Footer,
    Sidebar,
    Related,
    Social,
    Comments,
    Tags,
    Ad,
    Newsletter,
    Form,
    Caption,
    LinkList,
}

impl Markup {
    pub const ALL: [Markup; 13] = [
        Markup::Nav,
        Markup::Header,
        Markup::Footer,
        Markup::Sidebar,
        Markup::Related,
        Markup::Social,
        Markup::Comments,
        Markup::Tags,
        Markup::Ad,
        Markup::Newsletter,
        Markup::Form,
        Markup::Caption,
        Markup::LinkList,
    ];
}

/// A block of an HTML page.
#[derive(Clone, Debug)]
pub struct HtmlBlock {
    /// Text with entities decoded and white space collapsed.
    pub text: String,
    /// From the first to the last byte of its text in the page.
    pub span: Span,
    /// From `text` to `page[span]`.
    pub map: Alignment,
    /// 1-based line of the page it starts on.
    pub line: usize,
    pub markup: Option<Markup>,
    /// Every container kind around the block: bit `k` for `Markup::ALL[k]`.
    pub kinds: u32,
    /// Share of the text inside links.
    pub link_ratio: f32,
    /// 1 for `h1` ... 6 for `h6`, 0 otherwise.
    pub heading: u8,
    /// Inside `article`, `main` or a container whose class names the article body.
    pub in_content: bool,
    /// The elements around it, outermost first, with their first class word
    /// (`div.content > article > p`); only from `parse_with_paths`, else empty.
    pub path: String,
}

/// Metadata the page carries in its markup.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// The article's headline from JSON-LD.
    pub headline: Option<String>,
    /// OpenGraph / Twitter title, else `<title>`.
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub lang: Option<String>,
    /// The page's address: `<link rel="canonical">`, else `og:url`.
    pub url: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct HtmlPage {
    pub blocks: Vec<HtmlBlock>,
    pub meta: PageMeta,
}

// flags of an open element, inherited by its descendants
const SKIP: u32 = 1;
const LINK: u32 = 1 << 1;
const ARTICLE: u32 = 1 << 2;
const CONTENT: u32 = 1 << 3;
const HEAD: u32 = 1 << 4;
const KIND_SHIFT: u32 = 8; // then one bit per Markup, in Markup::ALL order

fn kind_bit(m: Markup) -> u32 {
    let i = Markup::ALL.iter().position(|&k| k == m).unwrap_or(0) as u32;
    1 << (KIND_SHIFT + i)
}

/// The kind the flags carry; when containers of several kinds nest, the first in `Markup::ALL`.
fn kind_of(flags: u32) -> Option<Markup> {
    Markup::ALL
        .iter()
        .copied()
        .find(|&m| flags & kind_bit(m) != 0)
}

const MAX_DEPTH: usize = 512;

fn is_void(n: &[u8]) -> bool {
    matches!(
        n,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"basefont"
            | b"bgsound"
            | b"frame"
            | b"keygen"
    )
}

fn is_block(n: &[u8]) -> bool {
    matches!(
        n,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"dd"
            | b"details"
            | b"dialog"
            | b"div"
            | b"dl"
            | b"dt"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"html"
            | b"li"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"p"
            | b"pre"
            | b"section"
            | b"summary"
            | b"table"
            | b"tbody"
            | b"td"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"tr"
            | b"ul"
            | b"caption"
            | b"legend"
            | b"option"
            | b"select"
            | b"textarea"
            | b"button"
            | b"iframe"
            | b"noscript"
            | b"script"
            | b"style"
            | b"template"
            | b"svg"
            | b"math"
            | b"title"
            | b"head"
            | b"object"
            | b"video"
            | b"audio"
            | b"canvas"
    )
}

fn skips_text(n: &[u8]) -> bool {
    matches!(
        n,
        b"script"
            | b"style"
            | b"noscript"
            | b"template"
            | b"svg"
            | b"math"
            | b"textarea"
            | b"select"
            | b"option"
            | b"button"
            | b"iframe"
            | b"object"
            | b"video"
            | b"audio"
            | b"canvas"
            | b"head"
            | b"title"
    )
}

/// Parses a page into blocks and metadata.
pub fn parse(src: &str) -> HtmlPage {
    parse_with(src, false)
}

/// Parses a page into blocks, each with its element path, and metadata (for explaining).
pub fn parse_with_paths(src: &str) -> HtmlPage {
    parse_with(src, true)
}

fn parse_with(src: &str, paths: bool) -> HtmlPage {
    let guarded = crate::tag_guard::guard(src);
    let mut page = builder::build(&guarded, paths);
    let m = &mut page.meta;
    for s in [&mut m.headline, &mut m.title, &mut m.author]
        .into_iter()
        .flatten()
    {
        *s = text::decode_entities(s);
    }
    for t in &mut m.tags {
        *t = text::decode_entities(t);
    }
    page
}

/// Whether bytes look like an HTML page rather than plain text: a doctype, or `<html`, `<head`,
/// `<body`, `<meta`, `<div`, `<p>` or `<article` near the start.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let lower = head.to_ascii_lowercase();
    let t = lower.trim_ascii_start();
    let t = t.strip_prefix(b"\xef\xbb\xbf").unwrap_or(t);
    let t = t.trim_ascii_start();
    if t.starts_with(b"<!doctype html")
        || t.starts_with(b"<html")
        || t.starts_with(b"<?xml") && memchr::memmem::find(&lower, b"<html").is_some()
    {
        return true;
    }
    [
        &b"<html"[..],
        b"<head",
        b"<body",
        b"<meta ",
        b"<div",
        b"<p>",
        b"<article",
        b"<title>",
    ]
    .iter()
    .filter(|p| memchr::memmem::find(&lower, p).is_some())
    .count()
        >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &HtmlPage) -> Vec<(&str, Option<Markup>)> {
        page.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.markup))
            .collect()
    }

    #[test]
    fn blocks_with_markup_and_spans() {
        let src = "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><title>عنوان الصفحة</title>\
            <meta property=\"og:title\" content=\"العنوان الكامل\"><style>p{}</style></head><body>\
            <nav><ul><li><a href=/>الرئيسية</a><li><a href=/s>رياضة</a></ul></nav>\
            <article><h1>الخبر</h1><p>نص   الفقرة &amp; <b>الأولى</b>\n هنا.<p>الفقرة الثانية.</p>\
            <div class=\"share-bar\">شارك</div><script>var x = '<p>no</p>';</script></article>\
            <footer>جميع الحقوق محفوظة</footer></body></html>";
        let p = parse(src);
        assert_eq!(
            texts(&p),
            [
                ("الرئيسية", Some(Markup::Nav)),
                ("رياضة", Some(Markup::Nav)),
                ("الخبر", None),
                ("نص الفقرة & الأولى هنا.", None),
                ("الفقرة الثانية.", None),
                ("شارك", Some(Markup::Social)),
                ("جميع الحقوق محفوظة", Some(Markup::Footer)),
            ]
        );
        assert_eq!(p.blocks[2].heading, 1);
        assert!(p.blocks[3].in_content);
        assert_eq!(p.meta.title.as_deref(), Some("العنوان الكامل"));
        assert_eq!(p.meta.lang.as_deref(), Some("ar"));
        for b in &p.blocks {
            // the map covers the block's span; kept words map to themselves
            assert_eq!(b.map.input_len(), b.span.len());
            let first = b.text.split(' ').next().unwrap();
            let s = b.map.to_input(Span::new(0, first.len()));
            assert_eq!(&src[b.span.start + s.start..b.span.start + s.end], first);
        }
    }

    #[test]
    fn malformed_pages_still_give_blocks() {
        let src = "<div><p>فقرة أولى<p>فقرة ثانية</div></div></span><form><form><p>داخل نموذج</p>\
            <table><tr><td>خلية<td>أخرى</table><li>بند<li>بند آخر";
        let p = parse(src);
        let t: Vec<&str> = p.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            t,
            [
                "فقرة أولى",
                "فقرة ثانية",
                "داخل نموذج",
                "خلية",
                "أخرى",
                "بند",
                "بند آخر"
            ]
        );
        assert!(parse("").blocks.is_empty());
        assert!(parse("<<<>>></p></div>&&&;").blocks.len() <= 1);
        let deep = "<div>".repeat(5000) + "نص عميق" + &"</div>".repeat(5000);
        assert_eq!(parse(&deep).blocks.len(), 1);
    }

    #[test]
    fn hidden_and_skipped_elements_give_no_text() {
        let src =
            "<p hidden>مخفي</p><p aria-hidden=true>مخفي</p><p style=\"display: none\">مخفي</p>\
            <noscript>فعّل</noscript><template><p>قالب</p></template><svg><text>رسم</text></svg>\
            <select><option>خيار</option></select><p>ظاهر</p>";
        assert_eq!(texts(&parse(src)), [("ظاهر", None)]);
    }

    #[test]
    fn json_ld_and_meta_tags() {
        let src = r#"<head><meta name="keywords" content="اقتصاد، نفط"><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle",
            "headline":"ارتفاع أسعار النفط","datePublished":"2025-04-21T08:50:00+03:00",
            "author":[{"@type":"Person","name":"سامر الحداد"}],"keywords":["نفط","أسعار"]}]}
            </script></head><body><p>نص</p>"#;
        let m = parse(src).meta;
        assert_eq!(m.headline.as_deref(), Some("ارتفاع أسعار النفط"));
        assert_eq!(m.date.as_deref(), Some("2025-04-21T08:50:00+03:00"));
        assert_eq!(m.author.as_deref(), Some("سامر الحداد"));
        assert_eq!(m.tags, ["نفط", "أسعار"]);
        // broken JSON is ignored
        assert_eq!(
            parse("<script type=application/ld+json>{oops</script><p>نص</p>")
                .blocks
                .len(),
            1
        );
    }

    #[test]
    fn class_words() {
        assert_eq!(class_kind(b"related-posts "), Some(Some(Markup::Related)));
        assert_eq!(class_kind(b"relatedPosts "), Some(Some(Markup::Related)));
        assert_eq!(class_kind(b"commentlist "), Some(Some(Markup::Comments)));
        assert_eq!(class_kind(b"entry-content share "), Some(None));
        assert_eq!(class_kind(b"header-ad "), Some(Some(Markup::Ad)));
        assert_eq!(class_kind(b"shadow heading "), None);
        assert_eq!(class_kind(b"most-read "), Some(Some(Markup::Related)));
    }

    #[test]
    fn sniffing() {
        assert!(sniff(b"  <!DOCTYPE html><html>"));
        assert!(sniff(b"\xef\xbb\xbf<html lang=ar>"));
        assert!(sniff(b"<div class=a><p>x</p></div>"));
        assert!(!sniff("نص عادي <b> ليس صفحة".as_bytes()));
        assert!(!sniff(b""));
    }
}
