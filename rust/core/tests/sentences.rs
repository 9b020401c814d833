//! The shared sentence table (tests/data/sentences.toml), run against the core.

use arclean_core::{SegmentOptions, Segmenter};
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    rule: String,
    text: String,
    sentences: Vec<String>,
    #[serde(default)]
    semicolon: bool,
}

#[test]
fn every_case() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/sentences.toml"
    );
    let table: Table =
        toml::from_str(&std::fs::read_to_string(path).expect("table")).expect("table parses");
    assert!(table.case.len() >= 30);
    let mut failed = Vec::new();
    for c in &table.case {
        let seg = Segmenter::new(SegmentOptions {
            semicolon: c.semicolon,
            ..SegmentOptions::default()
        });
        let got: Vec<&str> = seg
            .sentences(&c.text)
            .iter()
            .map(|s| &c.text[s.start..s.end])
            .collect();
        if got != c.sentences {
            failed.push(format!("{}: {:?}", c.rule, got));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
