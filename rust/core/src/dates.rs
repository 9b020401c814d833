//! Dates as pages write them, to ISO 8601 (`YYYY-MM-DD`): numeric forms (year first, or day
//! first as Arabic pages write them), month names of every family Arabic sites use — the
//! Egyptian and Gulf transliterations, the Levantine and Iraqi (Syriac) names, the Moroccan and
//! the Algerian and Tunisian ones, English and French — and Hijri dates, converted by the
//! tabular Islamic calendar (official calendars, sighting-based or Umm al-Qura, may differ by a
//! day or two). Both digit sets; hamza, alef maksura, teh marbuta, diacritics and tatweel in any
//! spelling. A date after an "updated" label gives way to one that is not.

/// Month names, folded (`fold`), with their number; Hijri months apart. Two-word names first.
const GREGORIAN: &[(&str, u32)] = &[
    ("كانون الثاني", 1),
    ("كانون الاول", 12),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("يناير", 1),
    ("جانفي", 1),
    ("فبراير", 2),
    ("فيفري", 2),
    ("شباط", 2),
    ("مارس", 3),
    ("اذار", 3),
    ("ابريل", 4),
    ("افريل", 4),
    ("نيسان", 4),
    ("مايو", 5),
    ("ماي", 5),
    ("ايار", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("جوان", 6),
    ("حزيران", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("يوليوز", 7),
    ("جويليه", 7),
    ("تموز", 7),
    ("اغسطس", 8),
    ("اغشت", 8),
    ("غشت", 8),
    ("اوت", 8),
    ("اب", 8),
    ("سبتمبر", 9),
    ("شتنبر", 9),
    ("ايلول", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("نونبر", 11),
    ("ديسمبر", 12),
    ("دجنبر", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
];

const HIJRI: &[(&str, u32)] = &[
    ("ربيع الاول", 3),
    ("ربيع الاخر", 4),
    ("ربيع الثاني", 4),
    ("جمادي الاولي", 5),
    ("جمادي الاول", 5),
    ("جمادي الاخره", 6),
    ("جمادي الاخر", 6),
    ("جمادي الثانيه", 6),
    ("جمادي الثاني", 6),
    ("ذو القعده", 11),
    ("ذي القعده", 11),
    ("ذو الحجه", 12),
    ("ذي الحجه", 12),
    ("محرم", 1),
    ("صفر", 2),
    ("رجب", 7),
    ("شعبان", 8),
    ("رمضان", 9),
    ("شوال", 10),
];

/// Words before a date that mark it as a revision, not the publication (folded).
const UPDATED: &[&str] = &[
    "تحديث",
    "محدث",
    "حدث",
    "تعديل",
    "updated",
    "modified",
    "update",
];

/// Years taken as Gregorian and as Hijri.
const GREGORIAN_YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;
const HIJRI_YEARS: std::ops::RangeInclusive<i64> = 1300..=1500;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A number and how many digits it was written with.
    Num(i64, usize),
    Word(String),
    /// `-`, `/`, `.`, `,` or another mark between the parts of a date.
    Sep(char),
}

/// Letters folded as the month tables are written: alef forms, alef maksura, teh marbuta,
/// Latin case and accents; diacritics and tatweel dropped; digits of both sets read as ASCII.
fn fold(c: char) -> Option<char> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        'ک' => 'ك',
        'ی' => 'ي',
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => return None,
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10)?,
        '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10)?,
        'é' | 'è' | 'ê' | 'É' => 'e',
        'û' | 'ù' => 'u',
        'à' | 'â' => 'a',
        _ => c.to_lowercase().next().unwrap_or(c),
    })
}

/// Tokens of `text` with the byte offset each starts at.
fn tokens(text: &str) -> Vec<(usize, Token)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut num: Option<(usize, i64, usize)> = None;
    let mut start = 0;
    let flush_word = |out: &mut Vec<(usize, Token)>, word: &mut String, start: usize| {
        if !word.is_empty() {
            out.push((start, Token::Word(std::mem::take(word))));
        }
    };
    for (i, c) in text.char_indices() {
        let Some(f) = fold(c) else { continue };
        if let Some(d) = f.to_digit(10) {
            flush_word(&mut out, &mut word, start);
            let (s, v, n) = num.unwrap_or((i, 0, 0));
            num = Some((s, v.saturating_mul(10).saturating_add(d as i64), n + 1));
            continue;
        }
        if let Some((s, v, n)) = num.take() {
            out.push((s, Token::Num(v, n)));
        }
        if crate::script::is_alphabetic(f) {
            if word.is_empty() {
                start = i;
            }
            word.push(f);
            continue;
        }
        flush_word(&mut out, &mut word, start);
        if !crate::script::is_whitespace(f) {
            out.push((i, Token::Sep(f)));
        }
    }
    if let Some((s, v, n)) = num {
        out.push((s, Token::Num(v, n)));
    }
    flush_word(&mut out, &mut word, start);
    out
}

/// A month name starting at token `i` (one or two words): its number, whether it is Hijri, and
/// how many tokens it takes.
fn month_at(toks: &[(usize, Token)], i: usize) -> Option<(u32, bool, usize)> {
    let Some((_, Token::Word(w))) = toks.get(i) else {
        return None;
    };
    let w = w
        .strip_prefix("ب")
        .filter(|r| r.chars().count() >= 3)
        .unwrap_or(w);
    if let Some((_, Token::Word(next))) = toks.get(i + 1) {
        let two = format!("{w} {next}");
        for (table, hijri) in [(GREGORIAN, false), (HIJRI, true)] {
            if let Some(&(_, m)) = table.iter().find(|(n, _)| *n == two) {
                return Some((m, hijri, 2));
            }
        }
    }
    for (table, hijri) in [(GREGORIAN, false), (HIJRI, true)] {
        if let Some(&(_, m)) = table.iter().find(|(n, _)| *n == w) {
            return Some((m, hijri, 1));
        }
    }
    None
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A valid Gregorian date as ISO 8601.
fn gregorian(y: i64, m: u32, d: u32) -> Option<String> {
    (GREGORIAN_YEARS.contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in(y, m))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// A Hijri date, by the tabular (arithmetical) Islamic calendar, as a Gregorian ISO date.
pub fn hijri_to_gregorian(y: i64, m: u32, d: u32) -> Option<String> {
    if !HIJRI_YEARS.contains(&y) || !(1..=12).contains(&m) || !(1..=30).contains(&d) {
        return None;
    }
    let (m, d) = (m as i64, d as i64);
    let jdn = d + (59 * (m - 1) + 1) / 2 + (y - 1) * 354 + (3 + 11 * y) / 30 + 1_948_439;
    // Julian day number to the Gregorian calendar
    let a = jdn + 32_044;
    let b = (4 * a + 3) / 146_097;
    let c = a - 146_097 * b / 4;
    let dd = (4 * c + 3) / 1461;
    let e = c - 1461 * dd / 4;
    let mm = (5 * e + 2) / 153;
    let day = e - (153 * mm + 2) / 5 + 1;
    let month = mm + 3 - 12 * (mm / 10);
    let year = 100 * b + dd - 4800 + mm / 10;
    gregorian(year, month as u32, day as u32)
}

fn date_of(y: i64, m: u32, d: u32, hijri: bool) -> Option<String> {
    if hijri || (HIJRI_YEARS.contains(&y) && !GREGORIAN_YEARS.contains(&y)) {
        hijri_to_gregorian(y, m, d)
    } else {
        gregorian(y, m, d)
    }
}

fn small(t: Option<&(usize, Token)>) -> Option<u32> {
    match t {
        Some((_, Token::Num(v, n))) if *n <= 2 && (1..=31).contains(v) => Some(*v as u32),
        _ => None,
    }
}

fn year(t: Option<&(usize, Token)>) -> Option<i64> {
    match t {
        Some((_, Token::Num(v, 4))) => Some(*v),
        _ => None,
    }
}

fn is_sep(t: Option<&(usize, Token)>) -> bool {
    matches!(t, Some((_, Token::Sep('-' | '/' | '.'))))
}

/// The date starting at token `i`, with the number of tokens it takes.
fn date_at(toks: &[(usize, Token)], i: usize) -> Option<(String, usize)> {
    let t = |k: usize| toks.get(i + k);
    // 2024-06-04, 2024/6/4, 2024.06.04 (and 2024-06-04T08:50:00 after it)
    if let Some(y) = year(t(0)) {
        if is_sep(t(1)) && is_sep(t(3)) {
            if let (Some(m), Some(d)) = (small(t(2)), small(t(4))) {
                return date_of(y, m, d, false).map(|s| (s, 5));
            }
        }
    }
    if let Some(a) = small(t(0)) {
        // 04/06/2024, 4-6-2024: day first; month first only when the day cannot be a month
        if is_sep(t(1)) && is_sep(t(3)) {
            if let (Some(b), Some(y)) = (small(t(2)), year(t(4))) {
                let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
                return date_of(y, m, d, false).map(|s| (s, 5));
            }
        }
        // 4 يونيو 2024, 4 حزيران، 2024, 27 ذو القعدة 1445 هـ, 4 June 2024
        let mut k = 1;
        if matches!(t(k), Some((_, Token::Word(w))) if w == "من" || w == "de") {
            k += 1;
        }
        if let Some((m, hijri, n)) = month_at(toks, i + k) {
            k += n;
            if matches!(t(k), Some((_, Token::Sep(',' | '،' | '-')))) {
                k += 1;
            }
            if let Some(y) = year(t(k)) {
                return date_of(y, m, a, hijri).map(|s| (s, k + 1));
            }
        }
    }
    // June 4, 2024
    if let Some((m, hijri, n)) = month_at(toks, i) {
        if let Some(d) = small(t(n)) {
            let mut k = n + 1;
            if matches!(t(k), Some((_, Token::Sep(',' | '،')))) {
                k += 1;
            }
            if let Some(y) = year(t(k)) {
                return date_of(y, m, d, hijri).map(|s| (s, k + 1));
            }
        }
    }
    None
}

/// The publication date `text` gives, as ISO 8601 (`YYYY-MM-DD`): the first date in it that
/// no "updated" label comes just before, else the first date. `None` when it holds no full date.
pub fn iso(text: &str) -> Option<String> {
    let toks = tokens(text);
    let mut first = None;
    let mut i = 0;
    while i < toks.len() {
        if let Some((date, n)) = date_at(&toks, i) {
            let before = toks[i.saturating_sub(4)..i]
                .iter()
                .any(|(_, t)| matches!(t, Token::Word(w) if UPDATED.iter().any(|u| w.contains(u))));
            if !before {
                return Some(date);
            }
            first.get_or_insert(date);
            i += n;
        } else {
            i += 1;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(iso: &str) -> i64 {
        let p: Vec<i64> = iso.split('-').map(|x| x.parse().unwrap()).collect();
        let (y, m, d) = (p[0], p[1], p[2]);
        let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d
    }

    #[test]
    fn hijri_dates_within_a_day_of_the_official_calendar() {
        // (year, month, day) and the Umm al-Qura calendar's Gregorian date
        for (y, m, d, official) in [
            (1445, 9, 1, "2024-03-11"),
            (1445, 10, 1, "2024-04-10"),
            (1445, 12, 10, "2024-06-16"),
            (1446, 1, 1, "2024-07-07"),
            (1446, 9, 1, "2025-03-01"),
            (1420, 1, 1, "1999-04-17"),
        ] {
            let got = hijri_to_gregorian(y, m, d).unwrap();
            assert!(
                (days(&got) - days(official)).abs() <= 1,
                "{y}-{m}-{d}: {got}, not {official}"
            );
        }
        assert_eq!(hijri_to_gregorian(1, 1, 1), None); // out of the years taken
    }

    #[test]
    fn no_date_in_prayer_times_or_plain_numbers() {
        assert_eq!(iso("الفجر 04:12 الظهر 12:30 العصر 15:48"), None);
        assert_eq!(iso("قتل 25 شخصا في 2024"), None);
        assert_eq!(iso("منذ ساعتين"), None);
    }
}
