use super::*;
use crate::lexicon::Lexicon;

fn rows(lines: &[&str]) -> Vec<Row> {
    let lex = Lexicon::new(&[], &[]).unwrap();
    let feats: Vec<Features> = lines.iter().map(|l| Features::new(l, &lex)).collect();
    let cues: Vec<Cue> = feats.iter().map(|f| f.cue(true)).collect();
    measure(
        &PageInput {
            texts: lines,
            feats: &feats,
            cues: &cues,
            markup: None,
            title: None,
            repetition: true,
            template: None,
        },
        lex.keyer(),
    )
}

#[test]
fn a_headline_repeats_the_title_and_a_paragraph_like_it_does_not() {
    let page = [
        "غريب: القملة بـ14 درهما في دبي! - الشروق",
        "غريب: القملة بـ14 درهما في دبي!",
        "غريب: القملة بـ14 درهما في دبي، وفق ما نقلته وسائل إعلام محلية.",
        "القملة",
    ];
    let lex = Lexicon::new(&[], &[]).unwrap();
    let r = rows(&page);
    let f = |i: usize| Features::new(page[i], &lex);
    assert!(repeats_title(&r[1], &f(1)));
    assert!(
        !repeats_title(&r[2], &f(2)),
        "a sentence ending in a full stop"
    );
    assert!(!repeats_title(&r[3], &f(3)), "too short to be a headline");
}

#[test]
fn names_match_the_rows() {
    assert_eq!(NAMES.len(), DOCS.len());
    assert_eq!(NAMES[E::Heading as usize], "heading");
    assert_eq!(
        KIND_ROWS.len() + 1,
        Markup::ALL.len(),
        "all kinds but link lists"
    );
    for (k, (m, _)) in KIND_ROWS.iter().enumerate() {
        assert_eq!(Markup::ALL[k], *m);
    }
}

#[test]
fn measurements_of_prose_and_furniture() {
    let page = [
        "الحكومة تقر موازنة العام المقبل",
        "الرئيسية | أخبار | رياضة",
        "قال الوزير إن الحكومة ستبدأ في تنفيذ الخطة خلال الشهر المقبل. وأضاف أن التمويل متوفر.",
        "مقالات ذات صلة",
        "البنك المركزي يرفع الفائدة",
        "الحكومة تقر موازنة العام المقبل",
    ];
    let r = rows(&page);
    let g = |i: usize, e: E| r[i][e as usize];
    assert_eq!(g(1, E::Separators), 1.0);
    assert_eq!(g(2, E::Sentences), (2f32).ln_1p());
    assert!(g(2, E::FunctionWords) > 0.2, "{}", g(2, E::FunctionWords));
    assert_eq!(g(1, E::FunctionWords), 0.0);
    assert_eq!(g(3, E::CueRelated), 1.0);
    assert_eq!(g(4, E::TeaserList), 1.0);
    assert_eq!(g(4, E::AfterClose), 1.0);
    assert_eq!(g(2, E::AfterClose), 0.0);
    assert_eq!((g(0, E::Duplicate), g(5, E::Duplicate)), (0.0, 1.0));
    assert_eq!(g(0, E::Repeated), 1.0);
    assert_eq!(g(5, E::TitleOverlap), 1.0);
    assert_eq!(g(2, E::PrevProse), 0.0);
    assert_eq!(g(3, E::PrevProse), 1.0);
    assert_eq!(g(0, E::Position), 0.0);
    assert_eq!(g(5, E::Position), 1.0);
}

#[test]
fn context_of_a_block_inside_and_outside_the_article() {
    let scores = [-5.0, -5.0, 4.0, -1.0, 4.0, -5.0, -5.0];
    let words = [2, 2, 40, 5, 40, 2, 2];
    let c = context(&scores, &words);
    assert_eq!(CONTEXT_NAMES.len(), NC);
    let inside = CONTEXT_NAMES
        .iter()
        .position(|&n| n == "ctx_inside")
        .unwrap();
    assert!(c[3][inside] > 0.9, "{:?}", c[3]);
    assert!(c[0][inside] < 0.1 && c[6][inside] < 0.1);
    assert_eq!(c[3][1], 4.0);
    assert_eq!(c[0][1], -SCORE_CLAMP);
    assert!(context(&[], &[]).is_empty());
}

#[test]
fn stops_are_counted_where_a_sentence_ends() {
    assert_eq!(stops_and_commas("بلغ 3.5 بالمئة. ثم").0, 1);
    assert_eq!(stops_and_commas("هل؟ نعم!").0, 2);
    assert_eq!(stops_and_commas("www.example.com").0, 0);
    assert_eq!(stops_and_commas("قال، ثم أضاف, وانتهى").1, 2);
}
