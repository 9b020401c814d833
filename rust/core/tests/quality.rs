//! The shared quality table (tests/data/quality.toml): each document's paragraphs measured as a
//! body, every bound checked.

use arclean_core::features::Features;
use arclean_core::lexicon::Lexicon;
use arclean_core::quality::{measure, Quality};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    expect: BTreeMap<String, [f32; 2]>,
}

fn table() -> Table {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/quality.toml");
    toml::from_str(&std::fs::read_to_string(path).expect("quality table")).expect("parses")
}

fn function_words(lex: &Lexicon) -> HashSet<String> {
    include_str!("../src/stopwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|w| lex.keyer().key(w).as_str().to_string())
        .collect()
}

fn measured(text: &str, lex: &Lexicon, fw: &HashSet<String>) -> Quality {
    let paras: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let feats: Vec<Features> = paras.iter().map(|p| Features::new(p, lex)).collect();
    let blocks: Vec<(&str, &Features)> = paras.iter().copied().zip(feats.iter()).collect();
    measure(&blocks, fw, 0.9)
}

#[test]
fn every_case() {
    let lex = Lexicon::new(&[], &[]).unwrap();
    let fw = function_words(&lex);
    let mut failures = Vec::new();
    for c in table().case {
        let q = measured(&c.text, &lex, &fw);
        for (name, [lo, hi]) in &c.expect {
            let v = q
                .get(name)
                .unwrap_or_else(|| panic!("{}: no measure {name}", c.name));
            if !(*lo - 1e-6..=*hi + 1e-6).contains(&v) {
                failures.push(format!("{}: {name} = {v}, not in [{lo}, {hi}]", c.name));
            }
        }
        // every measure is a share in 0..=1, but for the word count and length
        for (name, v) in Quality::NAMES.iter().zip(q.values()) {
            if !matches!(*name, "words" | "mean_word_length") {
                assert!((0.0..=1.0).contains(&v), "{}: {name} = {v}", c.name);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_empty_body_measures_nothing_but_its_confidence() {
    let lex = Lexicon::new(&[], &[]).unwrap();
    let q = measure(&[], &function_words(&lex), 0.0);
    assert_eq!(q, Quality::default());
}
