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
use foldhash::{HashMap, HashMapExt};
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Tokenizer};
use std::sync::OnceLock;

/// An emitter with error reporting off: the tokenizer then skips its character validation (a
/// check on every byte), whose findings this crate never reads.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn emit_error(&mut self, _: html5gum::Error) {}

    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

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

/// Class and id words by kind (`markup.txt`). `None` is the article's own container.
fn words() -> &'static HashMap<String, Option<Markup>> {
    static WORDS: OnceLock<HashMap<String, Option<Markup>>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut m = HashMap::new();
        for line in include_str!("markup.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, ws)) = line.split_once(':') else {
                continue;
            };
            let kind = match kind.trim() {
                "nav" => Some(Markup::Nav),
                "footer" => Some(Markup::Footer),
                "sidebar" => Some(Markup::Sidebar),
                "related" => Some(Markup::Related),
                "social" => Some(Markup::Social),
                "comments" => Some(Markup::Comments),
                "tags" => Some(Markup::Tags),
                "ad" => Some(Markup::Ad),
                "newsletter" => Some(Markup::Newsletter),
                _ => None,
            };
            for w in ws.split_whitespace() {
                m.insert(w.to_string(), kind);
            }
        }
        m
    })
}

/// Class and id values a thread remembers (pages of one site, and a page itself, repeat them);
/// forgotten all at once when full. Longer values are not kept.
const CLASS_CACHE: usize = 8192;
const CLASS_CACHE_VALUE: usize = 200;

/// What `class_kind` said of each value.
type ClassKinds = HashMap<Box<[u8]>, Option<Option<Markup>>>;

/// `class_kind`, remembered per thread.
fn cached_class_kind(values: &[u8]) -> Option<Option<Markup>> {
    thread_local! {
        static SEEN: std::cell::RefCell<ClassKinds> = std::cell::RefCell::new(HashMap::new());
    }
    if values.len() > CLASS_CACHE_VALUE {
        return class_kind(values);
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(k) = seen.get(values) {
            return *k;
        }
        let k = class_kind(values);
        if seen.len() >= CLASS_CACHE {
            seen.clear();
        }
        seen.insert(values.into(), k);
        k
    })
}

/// What class and id values say: `Some(None)` for the article's container, `Some(Some(kind))`
/// for boilerplate, `None` for nothing known.
fn class_kind(values: &[u8]) -> Option<Option<Markup>> {
    let words = words();
    // prefixes longer than the longest word cannot match: one long token stays linear
    static LONGEST: OnceLock<usize> = OnceLock::new();
    let longest = *LONGEST.get_or_init(|| words.keys().map(String::len).max().unwrap_or(0));
    let text = String::from_utf8_lossy(values);
    let mut found: Option<Option<Markup>> = None;
    // tokens at separators and lowerUpper boundaries, and the whole value without separators
    let mut tokens: Vec<String> = Vec::new();
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase();
            cur.push(c.to_ascii_lowercase());
        }
        tokens.push(cur);
        tokens.push(part.to_ascii_lowercase());
    }
    for value in text.split_whitespace() {
        let joined: String = value
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        tokens.push(joined);
    }
    for t in &tokens {
        let hit = words.get(t.as_str()).copied().or_else(|| {
            // a word of five letters or more that the token starts with
            (5..t.len().min(longest + 1))
                .filter(|&l| t.is_char_boundary(l))
                .find_map(|l| words.get(&t[..l]).copied())
        });
        match hit {
            Some(None) => return Some(None), // the article's container wins
            Some(k) if found.is_none() => found = Some(k),
            _ => {}
        }
    }
    found
}

/// Attributes of the start tag being read.
#[derive(Default)]
struct Tag {
    name: Vec<u8>,
    attr: Vec<u8>,
    class: Vec<u8>,
    role: Vec<u8>,
    hidden: bool,
    href: bool,
    itemprop: Vec<u8>,
    typ: Vec<u8>,
    meta_name: Vec<u8>,
    content: Vec<u8>,
    lang: Vec<u8>,
    /// `rel` and `href` of a `<link>`.
    rel: Vec<u8>,
    link: Vec<u8>,
}

impl Tag {
    fn reset(&mut self, name: &[u8]) {
        self.name.clear();
        self.name.extend_from_slice(name);
        self.attr.clear();
        self.class.clear();
        self.role.clear();
        self.hidden = false;
        self.href = false;
        self.itemprop.clear();
        self.typ.clear();
        self.meta_name.clear();
        self.content.clear();
        self.lang.clear();
        self.rel.clear();
        self.link.clear();
    }
}

struct Open {
    name: Vec<u8>,
    flags: u32,
    heading: u8,
    /// The element as shown in a block's path (`div.content`), when paths are asked for.
    shown: String,
}

/// Elements shown in a block's path, the innermost ones.
const PATH_DEPTH: usize = 8;

enum Capture {
    None,
    Title(String),
    JsonLd(String),
}

struct Chunk {
    span: Span,
    text: String,
}

#[derive(Default)]
struct BlockBuf {
    chunks: Vec<Chunk>,
    flags: u32,
    heading: u8,
    path: String,
    chars: usize,
    link_chars: usize,
}

struct Builder<'s> {
    src: &'s str,
    tag: Tag,
    stack: Vec<Open>,
    capture: Capture,
    block: BlockBuf,
    page: HtmlPage,
    line: usize,
    line_pos: usize,
    /// Record each block's element path.
    paths: bool,
}

impl<'s> Builder<'s> {
    fn flags(&self) -> u32 {
        self.stack.last().map_or(0, |o| o.flags)
    }

    fn event(&mut self, ev: CallbackEvent<'_>, span: html5gum::Span<usize>) {
        match ev {
            CallbackEvent::OpenStartTag { name } => self.tag.reset(name),
            CallbackEvent::AttributeName { name } => {
                self.tag.attr.clear();
                self.tag.attr.extend_from_slice(name);
                match name {
                    b"hidden" => self.tag.hidden = true,
                    b"href" => self.tag.href = true,
                    _ => {}
                }
            }
            CallbackEvent::AttributeValue { value } => self.attribute(value),
            CallbackEvent::CloseStartTag { .. } => self.start_tag(),
            CallbackEvent::EndTag { name } => self.end_tag(name),
            CallbackEvent::String { value } => self.text(value, span),
            _ => {}
        }
    }

    fn attribute(&mut self, value: &[u8]) {
        let t = &mut self.tag;
        match t.attr.as_slice() {
            b"class" | b"id" => {
                t.class.extend_from_slice(value);
                t.class.push(b' ');
            }
            b"role" => t.role = value.to_ascii_lowercase(),
            b"aria-hidden" => t.hidden |= value.eq_ignore_ascii_case(b"true"),
            b"style" => {
                let v: Vec<u8> = value
                    .iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .map(u8::to_ascii_lowercase)
                    .collect();
                t.hidden |= memchr::memmem::find(&v, b"display:none").is_some()
                    || memchr::memmem::find(&v, b"visibility:hidden").is_some();
            }
            b"itemprop" => t.itemprop = value.to_vec(),
            b"type" => t.typ = value.to_ascii_lowercase(),
            b"name" | b"property" => t.meta_name = value.to_ascii_lowercase(),
            b"content" => t.content = value.to_vec(),
            b"lang" => t.lang = value.to_vec(),
            b"rel" if t.name == b"link" => t.rel = value.to_ascii_lowercase(),
            b"href" if t.name == b"link" => t.link = value.to_vec(),
            _ => {}
        }
    }

    fn start_tag(&mut self) {
        let name = std::mem::take(&mut self.tag.name);
        self.open(&name);
        self.tag.name = name;
    }

    fn open(&mut self, name: &[u8]) {
        match name {
            b"meta" => return self.meta_tag(),
            b"link"
                if self
                    .tag
                    .rel
                    .split(u8::is_ascii_whitespace)
                    .any(|r| r == b"canonical") =>
            {
                let url = collapse(&String::from_utf8_lossy(&self.tag.link));
                if url.starts_with("http") {
                    self.page.meta.url = Some(url); // the canonical link wins over og:url
                }
            }
            b"html" => {
                if !self.tag.lang.is_empty() && self.page.meta.lang.is_none() {
                    self.page.meta.lang = Some(String::from_utf8_lossy(&self.tag.lang).into());
                }
                return;
            }
            b"body" => {
                self.close_head();
                return;
            }
            _ => {}
        }
        let in_head = self.flags() & HEAD != 0;
        if in_head
            && !matches!(
                name,
                b"title" | b"script" | b"style" | b"link" | b"base" | b"noscript" | b"template"
            )
        {
            self.close_head(); // body content in the head: the head is over
        }
        self.implied_end(name);
        if is_block(name) {
            self.flush();
        }
        if is_void(name) {
            return;
        }
        let parent = self.flags();
        let mut flags = parent;
        let mut heading = self.stack.last().map_or(0, |o| o.heading);
        match name {
            b"head" => flags |= HEAD | SKIP,
            b"title" if self.page.meta.title.is_none() || parent & HEAD != 0 => {
                self.capture = Capture::Title(String::new());
            }
            b"script" if self.tag.typ == b"application/ld+json" => {
                self.capture = Capture::JsonLd(String::new());
            }
            _ => {}
        }
        if skips_text(name) || self.tag.hidden {
            flags |= SKIP;
        }
        let role = self.tag.role.as_slice();
        let structural = match name {
            b"nav" => Some(Markup::Nav),
            b"footer" => Some(Markup::Footer),
            b"aside" => Some(Markup::Sidebar),
            b"header" if parent & ARTICLE == 0 => Some(Markup::Header),
            b"form" => Some(Markup::Form),
            b"figcaption" => Some(Markup::Caption),
            _ => match role {
                b"navigation" | b"menu" | b"menubar" => Some(Markup::Nav),
                b"contentinfo" => Some(Markup::Footer),
                b"complementary" => Some(Markup::Sidebar),
                b"banner" if parent & ARTICLE == 0 => Some(Markup::Header),
                _ => None,
            },
        };
        if let Some(k) = structural {
            flags |= kind_bit(k);
        }
        if matches!(name, b"article" | b"main") || matches!(role, b"main" | b"article") {
            flags |= ARTICLE | CONTENT;
        }
        if self.tag.itemprop.eq_ignore_ascii_case(b"articleBody") {
            flags |= CONTENT;
        }
        if !self.tag.class.is_empty() && !matches!(name, b"article" | b"main" | b"body" | b"html") {
            let kind = cached_class_kind(&self.tag.class);
            match kind {
                Some(None) => flags |= CONTENT,
                Some(Some(k)) => flags |= kind_bit(k),
                None => {}
            }
        }
        if name == b"a" && self.tag.href {
            flags |= LINK;
        }
        if let [b'h', d @ b'1'..=b'6'] = name {
            heading = d - b'0';
        }
        if self.stack.len() < MAX_DEPTH {
            let shown = if self.paths {
                self.shown(name)
            } else {
                String::new()
            };
            self.stack.push(Open {
                name: name.to_vec(),
                flags,
                heading,
                shown,
            });
        }
    }

    /// The start tag being read as shown in a path: its name and first class or id word.
    fn shown(&self, name: &[u8]) -> String {
        let mut s = String::from_utf8_lossy(name).into_owned();
        let word = self
            .tag
            .class
            .split(|b| b.is_ascii_whitespace())
            .find(|w| !w.is_empty());
        if let Some(w) = word {
            s.push('.');
            s.push_str(&String::from_utf8_lossy(&w[..w.len().min(40)]));
        }
        s
    }

    /// The open elements as a path, the innermost `PATH_DEPTH` of them below `body`.
    fn path(&self) -> String {
        let inner = self
            .stack
            .iter()
            .filter(|o| !matches!(o.name.as_slice(), b"html" | b"body"))
            .collect::<Vec<_>>();
        let from = inner.len().saturating_sub(PATH_DEPTH);
        let mut s = if from > 0 {
            String::from("… > ")
        } else {
            String::new()
        };
        for (k, o) in inner[from..].iter().enumerate() {
            if k > 0 {
                s.push_str(" > ");
            }
            s.push_str(&o.shown);
        }
        s
    }

    fn close_head(&mut self) {
        if let Some(i) = self.stack.iter().rposition(|o| o.name == b"head") {
            self.stack.truncate(i);
        }
    }

    /// Ends elements a start tag closes implicitly.
    fn implied_end(&mut self, name: &[u8]) {
        let (target, stops): (&[&[u8]], &[&[u8]]) = match name {
            b"li" => (&[b"li"], &[b"ul", b"ol", b"menu"]),
            b"dt" | b"dd" => (&[b"dt", b"dd"], &[b"dl"]),
            b"td" | b"th" => (&[b"td", b"th"], &[b"tr", b"table"]),
            b"tr" => (
                &[b"tr", b"td", b"th"],
                &[b"table", b"tbody", b"thead", b"tfoot"],
            ),
            b"option" => (&[b"option"], &[b"select"]),
            n if is_block(n) && n != b"br" => (&[b"p"], &[]),
            _ => return,
        };
        for i in (0..self.stack.len()).rev() {
            let n = self.stack[i].name.as_slice();
            if target.contains(&n) {
                self.flush();
                self.stack.truncate(i);
                return;
            }
            // a `p` is closed only by the blocks around it, not through another block
            if stops.contains(&n) || (target == [b"p".as_slice()] && is_block(n)) {
                return;
            }
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        match std::mem::replace(&mut self.capture, Capture::None) {
            Capture::Title(t) if name == b"title" => {
                let t = collapse(&t);
                if !t.is_empty() && self.page.meta.title.is_none() {
                    self.page.meta.title = Some(t);
                }
            }
            Capture::JsonLd(j) if name == b"script" => json_ld(&j, &mut self.page.meta),
            c => self.capture = c,
        }
        if name == b"br" {
            return self.flush();
        }
        if matches!(name, b"body" | b"html") {
            return;
        }
        let Some(i) = self.stack.iter().rposition(|o| o.name == name) else {
            return; // a stray end tag
        };
        if is_block(name) || self.stack[i..].iter().any(|o| is_block(&o.name)) {
            self.flush();
        }
        self.stack.truncate(i);
    }

    fn text(&mut self, value: &[u8], span: html5gum::Span<usize>) {
        let flags = self.flags();
        if flags & SKIP != 0 && matches!(self.capture, Capture::None) {
            return; // scripts, styles and hidden elements: not even decoded
        }
        let s = String::from_utf8_lossy(value);
        match &mut self.capture {
            Capture::Title(t) | Capture::JsonLd(t) => {
                t.push_str(&s);
                return;
            }
            Capture::None => {}
        }
        let blank = s.trim().is_empty();
        if self.block.chunks.is_empty() {
            if blank {
                return;
            }
            self.block.flags = flags;
            self.block.heading = self.stack.last().map_or(0, |o| o.heading);
            if self.paths {
                self.block.path = self.path();
            }
        }
        let n = s
            .chars()
            .filter(|c| !crate::script::is_whitespace(*c))
            .count();
        self.block.chars += n;
        if flags & LINK != 0 {
            self.block.link_chars += n;
        }
        let span = Span::new(span.start.min(self.src.len()), span.end.min(self.src.len()));
        self.block.chunks.push(Chunk {
            span,
            text: s.into_owned(),
        });
    }

    fn meta_tag(&mut self) {
        let t = &self.tag;
        let content = collapse(&String::from_utf8_lossy(&t.content));
        if content.is_empty() {
            return;
        }
        let key: &[u8] = if t.meta_name.is_empty() {
            &t.itemprop
        } else {
            &t.meta_name
        };
        let key = key.to_ascii_lowercase();
        let m = &mut self.page.meta;
        match key.as_slice() {
            b"og:title" | b"twitter:title" => m.title = Some(content),
            b"og:url" if m.url.is_none() && content.starts_with("http") => m.url = Some(content),
            b"headline" => m.headline = Some(content),
            b"article:published_time"
            | b"datepublished"
            | b"date"
            | b"pubdate"
            | b"publishdate"
            | b"dc.date"
            | b"dc.date.issued"
            | b"sailthru.date"
                if m.date.is_none() =>
            {
                m.date = Some(content)
            }
            b"author" | b"article:author" | b"dc.creator" | b"byl"
                if m.author.is_none() && !content.starts_with("http") =>
            {
                m.author = Some(content)
            }
            b"keywords" | b"news_keywords" | b"article:tag" => {
                for k in content.split([',', '،', ';', '؛']) {
                    let k = k.trim();
                    if !k.is_empty() && !m.tags.iter().any(|t| t == k) {
                        m.tags.push(k.to_string());
                    }
                }
            }
            _ => {}
        }
    }

    /// Ends the current block: its text is built with a map back into the page.
    fn flush(&mut self) {
        let b = std::mem::take(&mut self.block);
        if b.chunks.is_empty() {
            return;
        }
        let start = b.chunks[0].span.start;
        let end = b.chunks.last().map_or(start, |c| c.span.end).max(start);
        let Some(raw) = self.src.get(start..end) else {
            return;
        };
        let mut w = Writer::new(raw);
        let mut space = false;
        let mut any = false;
        for c in &b.chunks {
            let (cs, ce) = (c.span.start - start, c.span.end.max(c.span.start) - start);
            if cs < w.position() || ce > raw.len() {
                continue; // overlapping or outside: cannot happen with a well-behaved tokenizer
            }
            w.delete(Span::new(w.position(), cs));
            let exact = raw.get(cs..ce) == Some(c.text.as_str());
            if exact {
                for (k, ch) in raw[cs..ce].char_indices() {
                    let at = Span::new(cs + k, cs + k + ch.len_utf8());
                    if crate::script::is_whitespace(ch) {
                        space = true;
                        w.delete(at);
                    } else {
                        if space && any {
                            w.replace(Span::new(at.start, at.start), " ");
                        }
                        space = false;
                        any = true;
                        w.keep(at);
                    }
                }
            } else {
                emit_decoded(&mut w, raw, cs, ce, &c.text, &mut space, &mut any);
            }
        }
        w.delete(Span::new(w.position(), raw.len()));
        let (text, map) = w.finish();
        if text.is_empty() {
            return;
        }
        // line of the block's start, counted incrementally
        if start >= self.line_pos {
            self.line +=
                memchr::memchr_iter(b'\n', &self.src.as_bytes()[self.line_pos..start]).count();
            self.line_pos = start;
        }
        let mut markup = kind_of(b.flags);
        let link_ratio = if b.chars > 0 {
            b.link_chars as f32 / b.chars as f32
        } else {
            0.0
        };
        if markup.is_none() && link_ratio >= 0.6 {
            markup = Some(Markup::LinkList);
        }
        self.page.blocks.push(HtmlBlock {
            text,
            span: Span::new(start, end),
            map,
            line: self.line,
            markup,
            kinds: (b.flags >> KIND_SHIFT) & ((1 << Markup::ALL.len()) - 1),
            link_ratio,
            heading: b.heading,
            in_content: b.flags & CONTENT != 0,
            path: b.path,
        });
    }
}

/// Writes a chunk whose decoded text differs from its source (entities, line ends): word for
/// word when the words line up, so that unchanged words still map to themselves, else the
/// whole chunk as one replacement.
fn emit_decoded(
    w: &mut Writer<'_>,
    raw: &str,
    cs: usize,
    ce: usize,
    text: &str,
    space: &mut bool,
    any: &mut bool,
) {
    let src = &raw[cs..ce];
    let src_words: Vec<(usize, &str)> = src
        .split_whitespace()
        .map(|t| (t.as_ptr() as usize - src.as_ptr() as usize, t))
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    if text.starts_with(crate::script::is_whitespace) {
        *space = true;
    }
    if words.is_empty() {
        w.delete(Span::new(cs, ce));
        return;
    }
    if src_words.len() == words.len() {
        for ((off, sw), dw) in src_words.iter().zip(&words) {
            let at = Span::new(cs + off, cs + off + sw.len());
            w.delete(Span::new(w.position(), at.start));
            if *space && *any {
                w.replace(Span::new(at.start, at.start), " ");
            }
            if sw == dw {
                w.keep(at);
            } else {
                w.replace(at, dw);
            }
            *space = true;
            *any = true;
        }
        w.delete(Span::new(w.position(), ce));
    } else {
        let mut out = String::new();
        if *space && *any {
            out.push(' ');
        }
        out.push_str(&words.join(" "));
        w.replace(Span::new(cs, ce), &out);
        *any = true;
    }
    *space = text.ends_with(crate::script::is_whitespace);
}

/// White space runs to one space, trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Headline, date, author and keywords of the first article object in a JSON-LD script.
fn json_ld(text: &str, meta: &mut PageMeta) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
        return;
    };
    let mut todo = vec![&v];
    let mut seen = 0;
    while let Some(v) = todo.pop() {
        seen += 1;
        if seen > 1000 {
            return;
        }
        match v {
            serde_json::Value::Array(a) => todo.extend(a.iter().rev()),
            serde_json::Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    todo.push(g);
                }
                let is_article = match o.get("@type") {
                    Some(serde_json::Value::String(t)) => is_article_type(t),
                    Some(serde_json::Value::Array(ts)) => {
                        ts.iter().any(|t| t.as_str().is_some_and(is_article_type))
                    }
                    _ => false,
                };
                if !is_article {
                    continue;
                }
                if let Some(h) = o.get("headline").and_then(|h| h.as_str()) {
                    meta.headline = Some(collapse(h));
                }
                if let Some(d) = o.get("datePublished").and_then(|d| d.as_str()) {
                    meta.date = Some(d.trim().to_string());
                }
                if let Some(a) = o.get("author").and_then(author_name) {
                    meta.author = Some(a);
                }
                match o.get("keywords") {
                    Some(serde_json::Value::String(k)) => {
                        meta.tags = k
                            .split([',', '،'])
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty())
                            .collect();
                    }
                    Some(serde_json::Value::Array(ks)) => {
                        meta.tags = ks
                            .iter()
                            .filter_map(|k| k.as_str())
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty())
                            .collect();
                    }
                    _ => {}
                }
                return;
            }
            _ => {}
        }
    }
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
}

fn author_name(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.starts_with("http") => Some(collapse(s)),
        serde_json::Value::Object(o) => o.get("name").and_then(author_name),
        serde_json::Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(author_name).collect();
            (!names.is_empty()).then(|| names.join("، "))
        }
        _ => None,
    }
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
    let src: &str = &guarded;
    let mut b = Builder {
        src,
        tag: Tag::default(),
        stack: Vec::new(),
        capture: Capture::None,
        block: BlockBuf::default(),
        page: HtmlPage::default(),
        line: 1,
        line_pos: 0,
        paths,
    };
    {
        let mut emitter = CallbackEmitter::new(
            |ev: CallbackEvent<'_>,
             span: html5gum::Span<usize>|
             -> Option<std::convert::Infallible> {
                b.event(ev, span);
                None
            },
        );
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(src, Quiet(emitter)) {}
    }
    b.flush();
    let mut page = b.page;
    let m = &mut page.meta;
    for s in [&mut m.headline, &mut m.title, &mut m.author]
        .into_iter()
        .flatten()
    {
        *s = decode_entities(s);
    }
    for t in &mut m.tags {
        *t = decode_entities(t);
    }
    page
}

/// Character references left in a metadata string (JSON-LD is script text, never decoded; some
/// sites escape their titles twice): `&quot;` `&#8220;` `&amp;` ... decoded by the tokenizer's
/// own table, as in the text of an element.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let escaped = s.replace('<', "&lt;");
    let mut out = Vec::with_capacity(s.len());
    {
        let emitter = CallbackEmitter::new(
            |ev: CallbackEvent<'_>, _: html5gum::Span<usize>| -> Option<std::convert::Infallible> {
                if let CallbackEvent::String { value } = ev {
                    out.extend_from_slice(value);
                }
                None
            },
        );
        for _ in Tokenizer::new_with_emitter(escaped.as_str(), Quiet(emitter)) {}
    }
    collapse(&String::from_utf8_lossy(&out))
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
