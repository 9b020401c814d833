//! Evidence about one block, computed once: its folded key and lexicon hits, length in words,
//! Arabic and Latin letters, how it ends, bullets, URLs, separators, dates.
//! Does not label: see the `label` module.

use crate::lexicon::{Family, Hit, Key, Lexicon, Mode};

#[derive(Clone, Debug)]
pub struct Features {
    pub key: Key,
    pub hits: Vec<Hit>,
    pub words: usize,
    pub arabic: usize,
    pub latin: usize,
    /// Ends like a sentence: . ! ? ؟ … (closing quotes and brackets after them allowed).
    pub ends_sentence: bool,
    pub ends_colon: bool,
    /// Ends with a question or exclamation mark.
    pub ends_question: bool,
    pub ends_ellipsis: bool,
    pub bullet: bool,
    pub url: bool,
    pub copyright_sign: bool,
    /// Menu and breadcrumb separators between words: | > » › / •
    pub separators: usize,
    pub digits: bool,
    /// A colon among the first few words ("كتب: ...").
    pub colon_head: bool,
}

/// What the lexicon and the line's shape say about a block on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    None,
    Family(Family),
    Date,
    Url,
    Latin,
    Breadcrumb,
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '}', '*'];

impl Features {
    pub fn new(text: &str, lex: &Lexicon) -> Features {
        let key = lex.keyer().key(text);
        let hits = lex.hits(&key);
        let (arabic, latin, digits) = (key.arabic_letters, key.latin_letters, key.digits);
        let body = text
            .trim_end_matches(|c: char| CLOSERS.contains(&c) || crate::script::is_whitespace(c));
        let last = body.chars().last();
        let ends_ellipsis = body.ends_with("...") || body.ends_with('…');
        let ends_sentence = matches!(last, Some('.' | '!' | '?' | '؟' | '…' | '۔'));
        let ends_colon = matches!(last, Some(':' | '：'));
        let ends_question = matches!(last, Some('!' | '?' | '؟'));
        let first = text.chars().next();
        let bullet = matches!(
            first,
            Some(
                '•' | '·'
                    | '▪'
                    | '●'
                    | '◦'
                    | '‣'
                    | '►'
                    | '▶'
                    | '■'
                    | '□'
                    | '○'
                    | '*'
                    | '-'
                    | '–'
                    | '—'
                    | '»'
            )
        );
        let lower = text.trim_start_matches(|c: char| !crate::script::is_alphanumeric(c));
        let url = (lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www."))
            && text.split_whitespace().count() <= 3;
        let words = key.words();
        // only short lines can be menus or breadcrumbs
        let separators = if words > 16 {
            0
        } else {
            text.split_whitespace()
                .filter(|w| {
                    matches!(
                        *w,
                        "|" | ">" | "»" | "›" | "/" | "•" | "-" | "–" | "—" | ">>" | "::"
                    )
                })
                .count()
        };
        Features {
            key,
            hits,
            words,
            arabic,
            latin,
            ends_sentence,
            ends_colon,
            ends_question,
            ends_ellipsis,
            bullet,
            url,
            copyright_sign: text.contains('©'),
            separators,
            digits,
            colon_head: text.chars().take(40).any(|c| matches!(c, ':' | '：')),
        }
    }

    pub fn arabic_ratio(&self) -> f64 {
        let letters = self.arabic + self.latin;
        if letters == 0 {
            0.0
        } else {
            self.arabic as f64 / letters as f64
        }
    }

    /// A paragraph of running text: long, or a sentence of some length, mostly Arabic.
    pub fn prose(&self) -> bool {
        self.arabic_ratio() >= 0.5
            && (self.words >= 10 || (self.words >= 5 && (self.ends_sentence || self.ends_colon)))
    }

    /// A line that could be a headline: a few Arabic words, no sentence-final colon.
    pub fn headline_like(&self) -> bool {
        self.arabic_ratio() >= 0.5
            && (3..=30).contains(&self.words)
            && !self.ends_colon
            && !self.bullet
    }

    /// Words of the key covered by date evidence: month and weekday names, numbers, "last
    /// updated" phrases.
    fn date_words(&self) -> usize {
        let mut covered = vec![false; self.words];
        for h in &self.hits {
            if matches!(h.family, Family::DateWord | Family::DatePrefix) {
                for c in covered
                    .iter_mut()
                    .take(h.last.min(self.words))
                    .skip(h.first)
                {
                    *c = true;
                }
            }
        }
        for (i, w) in self.key.as_str().split(' ').enumerate() {
            if i < covered.len() && w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty() {
                covered[i] = true;
            }
        }
        covered.iter().filter(|&&c| c).count()
    }

    fn is_date(&self) -> bool {
        self.digits
            && self.words > 0
            && self.words <= 14
            && self.date_words() * 10 >= self.words * 7
    }

    /// The family that judges this line by itself, if any: a prefix phrase at the start, a
    /// phrase anywhere in a line short enough for its family, or line phrases covering it.
    pub fn family(&self) -> Option<Family> {
        let words = self.words;
        let mut best: Option<(u8, usize, Family)> = None; // (rank, phrase length, family)
        let mut line_cover = vec![false; words];
        let mut line_family: Option<(usize, Family)> = None;
        for h in &self.hits {
            let len = h.last - h.first;
            let fits = h.max_words > 0 && words <= h.max_words;
            let rank = match h.mode {
                Mode::Prefix if h.first == 0 && fits => 3,
                Mode::Label if h.first == 0 && fits && self.colon_head => 3,
                Mode::Anywhere if fits => 2,
                Mode::Any if fits && !self.ends_sentence => 2,
                Mode::Line => {
                    for c in line_cover.iter_mut().take(h.last.min(words)).skip(h.first) {
                        *c = true;
                    }
                    if line_family.is_none_or(|(l, _)| len > l) {
                        line_family = Some((len, h.family));
                    }
                    continue;
                }
                _ => continue,
            };
            if matches!(h.family, Family::DateWord) {
                continue;
            }
            if best.is_none_or(|(r, l, _)| (rank, len) > (r, l)) {
                best = Some((rank, len, h.family));
            }
        }
        let covered = line_cover.iter().filter(|&&c| c).count();
        let line =
            line_family.filter(|_| words > 0 && covered + 1 >= words && covered * 10 >= words * 6);
        match (best, line) {
            (Some((3, _, f)), _) => Some(f),
            (_, Some((_, f))) => Some(f),
            (Some((_, _, f)), None) => Some(f),
            (None, None) => None,
        }
    }

    /// What the block is on its own evidence.
    pub fn cue(&self, date_lines: bool) -> Cue {
        if self.url {
            return Cue::Url;
        }
        let family = self.family();
        if self.arabic == 0 && self.latin > 0 {
            return family.map_or(Cue::Latin, Cue::Family);
        }
        if date_lines && self.is_date() {
            return Cue::Date;
        }
        if let Some(f) = family {
            if f == Family::DatePrefix && !(self.digits && self.date_words() * 2 >= self.words) {
                // "منذ عام 2014 والبلاد..." is no date line
            } else {
                return Cue::Family(f);
            }
        }
        if self.copyright_sign && self.words <= 30 {
            return Cue::Family(Family::Copyright);
        }
        if self.separators >= 2 && self.words <= 16 && !self.ends_sentence {
            return Cue::Breadcrumb;
        }
        Cue::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(text: &str) -> Cue {
        Features::new(text, &Lexicon::new(&[], &[]).unwrap()).cue(true)
    }

    #[test]
    fn cues_from_phrases_and_shape() {
        assert_eq!(
            cue("كلمات دلالية: الولایات المتحدة والعراق"),
            Cue::Family(Family::Tags)
        );
        assert_eq!(cue("إقرأ أيضاً:"), Cue::Family(Family::ReadAlso));
        assert_eq!(cue("مقالات ذات صلة"), Cue::Family(Family::Related));
        assert_eq!(cue("المصدر : رويترز"), Cue::Family(Family::Source));
        assert_eq!(cue("يناير 25, 2024آخر تحديث: يناير 25, 2024"), Cue::Date);
        assert_eq!(cue("الأثنين, 21 أبريل 2025 8:50 م"), Cue::Date);
        assert_eq!(cue("24 يوليو، 2024"), Cue::Date);
        assert_eq!(cue("Connect with us"), Cue::Family(Family::Follow));
        assert_eq!(cue("Some widget text"), Cue::Latin);
        assert_eq!(cue("https://example.com/a.mp4"), Cue::Url);
        assert_eq!(cue("الرئيسية > أخبار > اقتصاد"), Cue::Breadcrumb);
        assert_eq!(cue("أخبار › اقتصاد › أسواق"), Cue::Breadcrumb);
        assert_eq!(cue("فيسبوك تويتر واتساب"), Cue::Family(Family::Share));
        assert_eq!(cue("© 2024 موقع الأخبار"), Cue::Family(Family::Copyright));
        assert_eq!(cue("90 دقيقة"), Cue::None);
        assert_eq!(cue("كتب: سامر الحداد"), Cue::Family(Family::Byline));
        assert_eq!(cue("كتب جديدة في المعرض"), Cue::None);
        assert_eq!(cue("العلامات التجارية الكبرى تتنافس على السوق"), Cue::None);
        assert_eq!(cue("منذ عام 2014 والبلاد تعاني من الأزمة"), Cue::None);
        assert_eq!(cue("منذ 3 ساعات"), Cue::Family(Family::DatePrefix));
    }

    #[test]
    fn a_marker_inside_prose_is_no_cue() {
        let s = "وقال الوزير إن على المواطنين أن يقرؤوا التقرير كاملا، واقرأ أيضا ما كتبه الخبراء عن الأزمة في الصحف.";
        assert_eq!(cue(s), Cue::None);
        assert_eq!(
            cue("شارك آلاف المتظاهرين في المسيرة التي جابت شوارع العاصمة يوم الجمعة."),
            Cue::None
        );
    }

    #[test]
    fn prose_and_headlines() {
        let lex = Lexicon::new(&[], &[]).unwrap();
        let f = Features::new("العراق يناقش مع إدارة ترامب سحب قوات التحالف", &lex);
        assert!(!f.prose() && f.headline_like());
        let f = Features::new(
            "وتم الاتفاق بشكل كبير على الخطة وتنتظر موافقة نهائية من البلدين.",
            &lex,
        );
        assert!(f.prose());
    }
}
