//! What language a text is written in, told by its letters: Arabic, or Persian and Urdu by the
//! letters only they use. A page's template may declare `en-US` around an Arabic article; the
//! text says what it is.

/// Letters a text needs before its language is told.
const MIN_LETTERS: usize = 20;
/// Share of the Arabic-script letters that Persian-only (پ چ ژ گ) or Urdu-only (ٹ ڈ ڑ ں ے)
/// letters must reach; Arabic text holds them only in a foreign name now and then.
const OWN_LETTERS: f64 = 0.005;

/// `ar`, `fa` or `ur` when Arabic-script letters are most of the letters of the text (given in
/// parts, such as paragraphs); `None` when they are not (another script: the declared language
/// stands) or the text is too short.
pub fn of<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let (mut arabic, mut other, mut persian, mut urdu) = (0usize, 0usize, 0usize, 0usize);
    for c in parts.into_iter().flat_map(str::chars) {
        if !crate::script::is_alphabetic(c) {
            continue;
        }
        match c {
            'پ' | 'چ' | 'ژ' | 'گ' => persian += 1,
            'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' => urdu += 1,
            _ => {}
        }
        match c {
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => arabic += 1,
            _ => other += 1,
        }
    }
    if arabic + other < MIN_LETTERS || arabic <= other {
        return None;
    }
    let share = |n: usize| n as f64 / arabic as f64;
    Some(if share(urdu) >= OWN_LETTERS {
        "ur"
    } else if share(persian) >= OWN_LETTERS {
        "fa"
    } else {
        "ar"
    })
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn languages_by_their_letters() {
        assert_eq!(
            of(["قال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام"]),
            Some("ar")
        );
        assert_eq!(
            of(["گفت که دولت برنامه جدید خود را برای حمل و نقل عمومی اعلام می‌کند"]),
            Some("fa")
        );
        assert_eq!(
            of(["انہوں نے کہا کہ حکومت اگلے ہفتے نئے منصوبے کا اعلان کرے گی"]),
            Some("ur")
        );
        assert_eq!(
            of(["The minister said the government will announce its plan"]),
            None
        );
        assert_eq!(of(["قال"]), None);
        // an Arabic article quoting one Persian name stays Arabic
        let mut long =
            "قال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام خلال الأسبوع المقبل. ".repeat(6);
        long.push_str("وأضاف بزشكيان ");
        assert_eq!(of([long.as_str()]), Some("ar"));
    }
}
