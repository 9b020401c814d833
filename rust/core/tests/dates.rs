//! The shared date table (tests/data/dates.toml), run against the core.

use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    family: String,
    text: String,
    iso: String,
}

#[test]
fn every_case() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/dates.toml");
    let table: Table =
        toml::from_str(&std::fs::read_to_string(path).expect("table")).expect("table parses");
    assert!(table.case.len() >= 30);
    let mut failed = Vec::new();
    for c in &table.case {
        let got = arclean_core::dates::iso(&c.text).unwrap_or_default();
        if got != c.iso {
            failed.push(format!(
                "{} {:?}: {got:?}, not {:?}",
                c.family, c.text, c.iso
            ));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
