//! The sequence decision over a whole page: where the article starts and ends. A Viterbi decoder
//! over four states — before the article, article body, a gap inside the article (a caption,
//! a credit, a read-also insert), after the article — finds the best-scoring path given each
//! block's body log-odds from the judge. A gap costs something to open and something per block,
//! so a stray line inside the article does not end it, while a far-away prose block (a teaser,
//! a comment policy) is not worth the long gap to reach it; a gap through a marker that ends an
//! article (tags, comments, related, a read-also heading) costs more, so a second article
//! appended after one is not joined to the first. A page where no block is likely body
//! gets no article.

use crate::judge::Costs;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Before,
    Body,
    Gap,
    After,
}

const STATES: [Region; 4] = [Region::Before, Region::Body, Region::Gap, Region::After];

/// log σ(x), stable for large |x|.
fn log_sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// Score of moving from state `a` to state `b`, or `None` where the move is not allowed.
fn transition(a: Region, b: Region, c: &Costs) -> Option<f32> {
    use Region::*;
    match (a, b) {
        (Before, Before | Body | After) => Some(0.0),
        (Body, Body | After) => Some(0.0),
        (Body, Gap) => Some(-c.gap_open - c.gap_block),
        (Gap, Gap) => Some(-c.gap_block),
        (Gap, Body) => Some(0.0),
        (After, After) => Some(0.0),
        _ => None,
    }
}

/// The best region for every block, given each block's body log-odds and whether it is a
/// marker that ends an article or introduces others (a gap through one costs `marker_gap`).
pub fn decode(scores: &[f32], markers: &[bool], costs: &Costs) -> Vec<Region> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let emit = |i: usize, r: Region| match r {
        Region::Body => log_sigmoid(scores[i]),
        Region::Gap if markers.get(i) == Some(&true) => log_sigmoid(-scores[i]) - costs.marker_gap,
        _ => log_sigmoid(-scores[i]),
    };
    // best[i][k]: the best score of a path over blocks 0..=i ending in state k
    let mut best = vec![[f32::NEG_INFINITY; 4]; n];
    let mut back = vec![[0u8; 4]; n];
    for (k, &r) in STATES.iter().enumerate() {
        // the page starts before the article, in it, or (no article) after it
        if r != Region::Gap {
            best[0][k] = emit(0, r);
        }
    }
    for i in 1..n {
        for (k, &r) in STATES.iter().enumerate() {
            let mut top = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for (j, &p) in STATES.iter().enumerate() {
                if let Some(t) = transition(p, r, costs) {
                    let v = best[i - 1][j] + t;
                    if v > top {
                        top = v;
                        arg = j as u8;
                    }
                }
            }
            best[i][k] = top + emit(i, r);
            back[i][k] = arg;
        }
    }
    // a path cannot end inside a gap: the gap would be the article's tail
    let mut k = (0..4)
        .filter(|&k| STATES[k] != Region::Gap)
        .max_by(|&a, &b| best[n - 1][a].total_cmp(&best[n - 1][b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut out = vec![Region::Before; n];
    for i in (0..n).rev() {
        out[i] = STATES[k];
        k = back[i][k] as usize;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Region::*;

    const C: Costs = Costs {
        gap_open: 1.0,
        gap_block: 0.5,
        marker_gap: 5.0,
        cue_cap: 0.0,
    };

    #[test]
    fn one_article_with_a_stray_line_inside() {
        let s = [-3.0, -2.0, 4.0, 3.0, -2.0, 3.0, -4.0, -4.0];
        assert_eq!(
            decode(&s, &[], &C),
            [Before, Before, Body, Body, Gap, Body, After, After]
        );
    }

    #[test]
    fn a_marker_ends_the_article() {
        // a second article after a related marker is not joined to the first
        let s = [3.0, 3.0, -3.0, 1.0, 1.0];
        let m = [false, false, true, false, false];
        assert_eq!(decode(&s, &[], &C)[2], Gap);
        let r = decode(&s, &m, &C);
        assert_eq!(r[2], After);
        assert_eq!(r[0], Body);
    }

    #[test]
    fn a_far_prose_block_is_not_worth_the_gap() {
        let mut s = vec![3.0, 3.0, 3.0];
        s.extend([-3.0; 12]);
        s.push(0.8);
        let r = decode(&s, &[], &C);
        assert_eq!(r[15], After);
        assert_eq!(&r[..3], [Body; 3]);
    }

    #[test]
    fn no_article_and_empty_pages() {
        assert!(decode(&[], &[], &C).is_empty());
        assert!(decode(&[-2.0, -1.0, -5.0], &[], &C)
            .iter()
            .all(|&r| r != Body));
        assert_eq!(decode(&[2.0], &[], &C), [Body]);
    }

    #[test]
    fn log_sigmoid_is_stable() {
        assert!((log_sigmoid(0.0) - 0.5f32.ln()).abs() < 1e-6);
        assert!(log_sigmoid(-200.0).is_finite() && log_sigmoid(200.0) <= 0.0);
    }
}
