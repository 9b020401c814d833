use super::*;

fn split(text: &str) -> Vec<&str> {
    Segmenter::default()
        .sentences(text)
        .into_iter()
        .map(|s| &text[s.start..s.end])
        .collect()
}

#[test]
fn stops_and_runs() {
    assert_eq!(
        split("جاء. ذهب! لماذا؟ حقاً?! نعم"),
        ["جاء.", "ذهب!", "لماذا؟", "حقاً?!", "نعم"]
    );
    assert_eq!(split("ماذا حدث؟!! لا أعرف."), ["ماذا حدث؟!!", "لا أعرف."]);
}

#[test]
fn closers_after_the_stop() {
    assert_eq!(
        split("قال: «انتهى الأمر.» ثم خرج. وكتب: \"لن أعود\". وصمت."),
        [
            "قال: «انتهى الأمر.»",
            "ثم خرج.",
            "وكتب: \"لن أعود\".",
            "وصمت."
        ]
    );
    assert_eq!(
        split("(انظر الجدول.) ثم تابع."),
        ["(انظر الجدول.)", "ثم تابع."]
    );
}

#[test]
fn numbers_dates_times_links() {
    for s in [
        "ارتفع المؤشر 3.5 بالمئة إلى ٣٫٥ نقطة وبلغ 2,500 سهم.",
        "وصل في 21.04.2025 عند الساعة 8:50 مساء.",
        "راجع الموقع www.example.com أو https://example.org/a.b?x=1 للمزيد.",
        "راسلنا على info@example.com يوميا.",
    ] {
        assert_eq!(split(s), [s]);
    }
    assert_eq!(
        split("زوروا example.com. وشكرا."),
        ["زوروا example.com.", "وشكرا."]
    );
}

#[test]
fn abbreviations() {
    for s in [
        "قال د. أحمد إن الوضع مستقر.",
        "حاضر أ.د. سامي في الجامعة.",
        "وصل م. خالد صباحاً.",
        "انظر ص. 45 من التقرير.",
        "اتصل على ت. 0123456 اليوم.",
        "The U.S. economy grew.",
        "Mr. Smith and Dr. Jones met.",
        "بين عامي 500 ق.م، و300 ق.م, وقعت حروب.",
    ] {
        assert_eq!(split(s), [s], "{s}");
    }
    assert_eq!(
        split("ولد في عام 1990 م. ثم انتقل إلى القاهرة."),
        ["ولد في عام 1990 م.", "ثم انتقل إلى القاهرة."]
    );
    let seg = Segmenter::new(SegmentOptions {
        abbreviations: vec!["Corp.".into()],
        ..Default::default()
    });
    let t = "وقالت شركة Acme Corp. Holdings إنها ستوسع أعمالها.";
    assert_eq!(seg.sentences(t).len(), 1);
    assert_eq!(split(t).len(), 2, "not listed: a word and a stop");
}

#[test]
fn ellipses_and_pauses() {
    assert_eq!(split("كان ينتظر... لكنه رحل."), ["كان ينتظر... لكنه رحل."]);
    assert_eq!(split("كان ينتظر … لكنه رحل."), ["كان ينتظر … لكنه رحل."]);
    assert_eq!(
        split("تريليون دولار على المحك.. الولايات تستعد"),
        ["تريليون دولار على المحك.. الولايات تستعد"]
    );
    assert_eq!(
        split("قال: «ربما...» ثم سكت."),
        ["قال: «ربما...»", "ثم سكت."]
    );
    assert_eq!(split("وانتظرنا..."), ["وانتظرنا..."]);
}

#[test]
fn glued_sentences_and_lines() {
    assert_eq!(
        split("انتهى الاجتماع.وقال الوزير كلمته."),
        ["انتهى الاجتماع.", "وقال الوزير كلمته."]
    );
    assert_eq!(split("هل حضرت؟قال نعم"), ["هل حضرت؟", "قال نعم"]);
    assert_eq!(
        split("عنوان بلا نقطة\nنص الخبر هنا. وتابع"),
        ["عنوان بلا نقطة", "نص الخبر هنا.", "وتابع"]
    );
    assert_eq!(
        split("1. البند الأول\n2. البند الثاني"),
        ["1. البند الأول", "2. البند الثاني"]
    );
    assert_eq!(split("He said no. then left."), ["He said no. then left."]);
}

#[test]
fn semicolon_only_when_asked() {
    let t = "جاء الوفد؛ وبدأ الاجتماع.";
    assert_eq!(split(t), [t]);
    let seg = Segmenter::new(SegmentOptions {
        semicolon: true,
        ..Default::default()
    });
    assert_eq!(seg.sentences(t).len(), 2);
}

#[test]
fn empty_and_blank() {
    assert!(split("").is_empty());
    assert!(split(" \n\t \n").is_empty());
    assert_eq!(split("..."), ["..."]);
    assert_eq!(split(" نص بلا توقف "), ["نص بلا توقف"]);
}

#[test]
fn paragraph_spans() {
    let t = "\n  الفقرة الأولى.\nسطر ثان.\n\n \nالفقرة الثانية  \n";
    let p: Vec<&str> = paragraphs(t).iter().map(|s| &t[s.start..s.end]).collect();
    assert_eq!(p, ["الفقرة الأولى.\nسطر ثان.", "الفقرة الثانية"]);
    assert!(paragraphs("").is_empty());
}
