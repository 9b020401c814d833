//! The shared case table (tests/data/normalize.toml), run against the core.

use arclean_core::align::byte_to_char_offsets;
use arclean_core::{Normalizer, Options};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    input: String,
    expected: String,
    #[serde(default = "safe")]
    preset: String,
    #[serde(default)]
    switches: BTreeMap<String, bool>,
    spans: Option<Vec<[usize; 2]>>,
}

fn safe() -> String {
    "safe".into()
}

fn table() -> Table {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/normalize.toml"
    );
    let text = std::fs::read_to_string(path).expect("case table");
    toml::from_str(&text).expect("case table parses")
}

#[test]
fn every_case() {
    let t = table();
    assert!(t.case.len() >= 30);
    for c in &t.case {
        let mut o = Options::preset(&c.preset).unwrap();
        for (k, v) in &c.switches {
            o.set(k, *v).unwrap();
        }
        let n = Normalizer::new(o);
        assert_eq!(n.normalize(&c.input), c.expected, "case {:?}", c.name);
        let (out, a) = n.normalize_aligned(&c.input);
        assert_eq!(out, c.expected, "aligned, case {:?}", c.name);
        assert_eq!(n.normalize(&out), out, "idempotent, case {:?}", c.name);
        if let Some(spans) = &c.spans {
            let got: Vec<[usize; 2]> = a
                .char_spans(&out)
                .iter()
                .map(|s| {
                    let v = byte_to_char_offsets(&c.input, &[s.start, s.end]);
                    [v[0], v[1]]
                })
                .collect();
            assert_eq!(&got, spans, "spans, case {:?}", c.name);
        }
    }
}

#[test]
fn every_switch_has_a_case_of_its_own() {
    let t = table();
    for name in arclean_core::normalize::SWITCHES {
        assert!(
            t.case
                .iter()
                .any(|c| c.preset == "none" && c.switches.get(*name) == Some(&true)),
            "no isolated case for {name}"
        );
    }
}
