//! Keeps the HTML tokenizer's stack bounded on tags with very many attributes.
//!
//! The tokenizer moves between its attribute states by direct calls when an attribute has a
//! double-quoted value and is followed by whitespace and the next `name="`: one such tag with
//! thousands of attributes nests thousands of calls and overflows the stack (a crash no unwinding
//! can catch). This pass finds such chains and, every [`LINK_LIMIT`] links, turns the whitespace
//! after a closing quote into `/`. The tokenizer then leaves the chain through its self-closing
//! state (a parse error it recovers from, reading the next attribute as usual) and the calls
//! return. The text keeps its length, so spans into the page stay valid, and pages without such
//! chains are returned untouched.
//!
//! The chain matched here is a superset of the tokenizer's: a closing `"`, whitespace, an
//! attribute name (no whitespace, `/`, `>` or `=`), `=`, optional whitespace and a double-quoted
//! value. Linear in the page: every byte is looked at a bounded number of times.

use std::borrow::Cow;

/// Links of one chain allowed before it is broken: a real tag has a few dozen attributes at
/// most. 64 left an unoptimised build (the tokenizer's states are compiled into this crate) at
/// the edge of a 1 MiB stack.
pub const LINK_LIMIT: usize = 32;

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

/// Where the link starting at the closing quote `q` ends (the position of its own closing
/// quote), or `Err(p)`: no link, and nothing before `p` can start one.
fn link(s: &[u8], q: usize) -> Result<usize, usize> {
    let mut i = q + 1;
    if i >= s.len() || !is_space(s[i]) {
        return Err(q + 1);
    }
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let name = i;
    while i < s.len() && !is_space(s[i]) && !matches!(s[i], b'/' | b'>' | b'=') {
        i += 1;
    }
    if i == name || i >= s.len() || s[i] != b'=' {
        // a quote at the name's end may start a link of its own
        return Err(if i > name && s[i - 1] == b'"' {
            i - 1
        } else {
            i.max(q + 1)
        });
    }
    i += 1;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    if i >= s.len() || s[i] != b'"' {
        return Err(i);
    }
    match memchr::memchr(b'"', &s[i + 1..]) {
        Some(k) => Ok(i + 1 + k),
        None => Err(s.len()),
    }
}

/// The page with every long attribute chain broken (see the module docs).
pub fn guard(src: &str) -> Cow<'_, str> {
    let s = src.as_bytes();
    let mut breaks: Vec<usize> = Vec::new();
    let mut pos = 0;
    while let Some(k) = memchr::memchr(b'"', &s[pos..]) {
        let mut q = pos + k;
        let mut links = 0;
        loop {
            match link(s, q) {
                Ok(next) => {
                    links += 1;
                    if links % LINK_LIMIT == 0 {
                        breaks.push(q + 1);
                    }
                    q = next;
                }
                Err(p) => {
                    pos = p.max(q + 1);
                    break;
                }
            }
        }
    }
    if breaks.is_empty() {
        return Cow::Borrowed(src);
    }
    let mut bytes = s.to_vec();
    for b in breaks {
        bytes[b] = b'/';
    }
    // only ASCII whitespace became an ASCII '/'
    Cow::Owned(String::from_utf8(bytes).expect("ASCII replaced by ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(n: usize) -> String {
        let attrs: Vec<String> = (0..n).map(|i| format!("a{i}=\"x\"")).collect();
        format!("<p {}>نص</p>", attrs.join(" "))
    }

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<div class=\"a\" id=\"b\" data-x=\"1\"><p>قال \"نعم\" ثم مضى</p></div>";
        assert!(matches!(guard(page), Cow::Borrowed(_)));
        assert!(matches!(guard(&tag(LINK_LIMIT)), Cow::Borrowed(_)));
    }

    #[test]
    fn long_chains_are_broken_keeping_the_length() {
        let page = tag(1000);
        let g = guard(&page);
        assert_eq!(g.len(), page.len());
        let changed = g.bytes().zip(page.bytes()).filter(|(a, b)| a != b).count();
        assert_eq!(changed, 999 / LINK_LIMIT);
        assert!(g
            .bytes()
            .zip(page.bytes())
            .all(|(a, b)| a == b || (a == b'/' && b == b' ')));
    }

    #[test]
    fn quotes_inside_names_do_not_hide_a_chain() {
        let attrs: Vec<String> = (0..500).map(|i| format!("a\"{i}=\"x\"")).collect();
        let page = format!("<p {}>x</p>", attrs.join(" "));
        assert_ne!(guard(&page), page);
    }

    #[test]
    fn many_attributes_parse_without_overflowing() {
        // about 400 bytes of stack per link would need 80 MB here
        let page = tag(200_000);
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || crate::html::parse(&page).blocks.len())
            .unwrap();
        assert_eq!(handle.join().unwrap(), 1);
    }
}
