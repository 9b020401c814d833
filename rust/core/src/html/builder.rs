//! The tree builder: tokenizer events to blocks with their spans, flags and paths, and the
//! page's metadata on the way.

use super::classes::cached_class_kind;
use super::json_ld::json_ld;
use super::text::{collapse, emit_decoded};
use super::*;
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Tokenizer};

/// An emitter with error reporting off: the tokenizer then skips its character validation (a
/// check on every byte), whose findings this crate never reads.
pub(super) struct Quiet<E>(pub(super) E);

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

/// Tokenizes `src` (already guarded) into a page of blocks.
pub(super) fn build(src: &str, paths: bool) -> HtmlPage {
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
    b.page
}
