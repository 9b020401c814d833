//! A site's template, learnt from its pages: what repeats across many pages of one site (menus,
//! footers, a "trending" heading, a comment-rules text, a newsletter box) is the template, what
//! one article says is not. Learning counts, per site, on how many pages each block stands, by a
//! hash of the block's folded words (never the text); applying gives each block of a page the
//! share of its site's pages it stands on, as evidence for the judge.
//!
//! A block counts as template only on a site with at least `min_pages` pages learnt and on more
//! than `min_share` of them: a sentence quoted in two articles of a site with hundreds of pages is
//! on a fraction of a percent of them and stays article text. Every count is kept in the file
//! (not only the blocks over the share), so that profiles learnt on shards merge into exactly
//! the profile learnt on the whole.
//!
//! The file: `arclean-profile\n`, the format version (u32), `min_share` (f32), `min_pages`
//! (u32), the number of sites (u32), then per site its name (u16 length and UTF-8 bytes), its
//! pages (u32), its number of blocks (u32) and the blocks as (hash u64, pages u32) sorted by
//! hash; little-endian throughout.

use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap, HashSet};

const MAGIC: &[u8; 16] = b"arclean-profile\n";
/// The file format's version; a file of another version is refused with a message.
pub const VERSION: u32 = 1;
/// Default share of a site's pages from which a block is template.
pub const MIN_SHARE: f32 = 0.3;
/// Default number of pages a site needs before any of its blocks is template.
pub const MIN_PAGES: u32 = 5;

/// One site's counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteCounts {
    pub pages: u32,
    /// Block hash -> pages it stands on.
    pub blocks: HashMap<u64, u32>,
}

/// Sites' templates, as counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub min_share: f32,
    pub min_pages: u32,
    pub sites: BTreeMap<String, SiteCounts>,
}

// `min_share` is checked to be a number in 0..=1 wherever a profile is made or read: never NaN
impl Eq for Profile {}

impl Default for Profile {
    fn default() -> Self {
        Profile::new(MIN_SHARE, MIN_PAGES)
    }
}

/// The hash a block is counted by: FNV-1a (64 bits) of its folded words, stable across runs,
/// machines and versions of the toolchain (the standard library's hasher is not).
pub fn block_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn bad(msg: impl std::fmt::Display) -> Error {
    Error::config(format!("site profile: {msg}"))
}

impl Profile {
    pub fn new(min_share: f32, min_pages: u32) -> Profile {
        Profile {
            min_share,
            min_pages,
            sites: BTreeMap::new(),
        }
    }

    /// Counts one page of `site`: the hashes of its blocks (a block repeated on the page counts
    /// once).
    pub fn add_page(&mut self, site: &str, hashes: impl IntoIterator<Item = u64>) {
        let counts = self.sites.entry(site.to_string()).or_default();
        counts.pages += 1;
        let mut seen = HashSet::new();
        for h in hashes {
            if seen.insert(h) {
                *counts.blocks.entry(h).or_default() += 1;
            }
        }
    }

    /// Adds the counts of a profile learnt on other pages (another shard).
    pub fn merge(&mut self, other: &Profile) -> Result<()> {
        if self.min_share != other.min_share || self.min_pages != other.min_pages {
            return Err(bad(format!(
                "cannot merge profiles learnt with other settings (min_share {} / {}, min_pages {} / {})",
                self.min_share, other.min_share, self.min_pages, other.min_pages
            )));
        }
        for (site, theirs) in &other.sites {
            let mine = self.sites.entry(site.clone()).or_default();
            mine.pages += theirs.pages;
            for (h, n) in &theirs.blocks {
                *mine.blocks.entry(*h).or_default() += n;
            }
        }
        Ok(())
    }

    /// The counts of `site`; with no site named (or one not learnt) and a profile of one site,
    /// that site's.
    pub fn site(&self, site: Option<&str>) -> Option<&SiteCounts> {
        if let Some(s) = site.and_then(|s| self.sites.get(s)) {
            return Some(s);
        }
        match self.sites.len() {
            1 => self.sites.values().next(),
            _ => None,
        }
    }

    /// The share of the site's pages a block stands on, when it is template (over `min_share`
    /// on a site of `min_pages` pages or more), else 0.
    pub fn share(&self, counts: &SiteCounts, hash: u64) -> f32 {
        if counts.pages < self.min_pages.max(1) {
            return 0.0;
        }
        let n = counts.blocks.get(&hash).copied().unwrap_or(0);
        let share = n as f32 / counts.pages as f32;
        if share > self.min_share {
            share
        } else {
            0.0
        }
    }

    /// The profile as its file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.min_share.to_le_bytes());
        out.extend_from_slice(&self.min_pages.to_le_bytes());
        out.extend_from_slice(&(self.sites.len() as u32).to_le_bytes());
        for (name, c) in &self.sites {
            // a name longer than the field holds is cut at a character boundary
            let mut cut = name.len().min(u16::MAX as usize);
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            let name = &name.as_bytes()[..cut];
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(name);
            out.extend_from_slice(&c.pages.to_le_bytes());
            out.extend_from_slice(&(c.blocks.len() as u32).to_le_bytes());
            let mut blocks: Vec<(u64, u32)> = c.blocks.iter().map(|(h, n)| (*h, *n)).collect();
            blocks.sort_unstable();
            for (h, n) in blocks {
                out.extend_from_slice(&h.to_le_bytes());
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
        out
    }

    /// A profile from its file's bytes.
    pub fn from_bytes(data: &[u8]) -> Result<Profile> {
        let mut r = Reader { data, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(bad("not a site profile (arclean learn writes them)"));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(bad(format!(
                "version {version}; this arclean reads version {VERSION} (learn it again)"
            )));
        }
        let min_share = f32::from_le_bytes(r.array()?);
        let min_pages = r.u32()?;
        if !(0.0..=1.0).contains(&min_share) {
            return Err(bad("min_share out of 0..1"));
        }
        let mut p = Profile::new(min_share, min_pages);
        let sites = r.u32()?;
        for _ in 0..sites {
            let len = u16::from_le_bytes(r.array()?) as usize;
            let name = std::str::from_utf8(r.take(len)?)
                .map_err(|_| bad("a site name is not UTF-8"))?
                .to_string();
            let pages = r.u32()?;
            let n = r.u32()? as usize;
            // each block takes 12 bytes: a count larger than what is left is a broken file
            if n > (data.len() - r.at) / 12 {
                return Err(bad("truncated"));
            }
            let mut blocks = HashMap::with_capacity(n);
            for _ in 0..n {
                let h = u64::from_le_bytes(r.array()?);
                blocks.insert(h, r.u32()?);
            }
            p.sites.insert(name, SiteCounts { pages, blocks });
        }
        if r.at != data.len() {
            return Err(bad("bytes after the last site"));
        }
        Ok(p)
    }
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| bad("truncated"))?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn array<const K: usize>(&mut self) -> Result<[u8; K]> {
        let mut a = [0u8; K];
        a.copy_from_slice(self.take(K)?);
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learnt(pages: &[(&str, &[u64])]) -> Profile {
        let mut p = Profile::new(0.3, 2);
        for (site, hashes) in pages {
            p.add_page(site, hashes.iter().copied());
        }
        p
    }

    #[test]
    fn shares_with_the_guards() {
        let p = learnt(&[
            ("a", &[1, 2, 2]),
            ("a", &[1, 3]),
            ("a", &[1, 4]),
            ("b", &[1]),
        ]);
        let a = p.site(Some("a")).unwrap();
        assert_eq!(a.pages, 3);
        assert_eq!(p.share(a, 1), 1.0);
        assert_eq!(p.share(a, 2), 1.0 / 3.0, "counted once on its page");
        assert_eq!(p.share(a, 9), 0.0);
        let b = p.site(Some("b")).unwrap();
        assert_eq!(p.share(b, 1), 0.0, "too few pages");
        assert!(p.site(Some("c")).is_none(), "two sites: no default");
        let one = learnt(&[("a", &[1])]);
        assert!(one.site(None).is_some() && one.site(Some("z")).is_some());
    }

    #[test]
    fn shards_merge_into_the_whole_and_files_round_trip() {
        let pages: &[(&str, &[u64])] = &[("a", &[1, 2]), ("a", &[1, 3]), ("b", &[5]), ("a", &[1])];
        let whole = learnt(pages);
        let mut first = learnt(&pages[..2]);
        first.merge(&learnt(&pages[2..])).unwrap();
        assert_eq!(first, whole);
        assert_eq!(Profile::from_bytes(&whole.to_bytes()).unwrap(), whole);
        let mut other = Profile::new(0.5, 2);
        assert!(other.merge(&whole).is_err());
        let bytes = whole.to_bytes();
        for cut in [0, 10, 20, bytes.len() - 1] {
            assert!(Profile::from_bytes(&bytes[..cut]).is_err());
        }
        let mut later = bytes.clone();
        later[16] = 9;
        assert!(Profile::from_bytes(&later)
            .unwrap_err()
            .to_string()
            .contains("version 9"));
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(block_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(block_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
