//! The sequence decision over a whole page: where the article starts and ends. A Viterbi decoder
//! over five states — before the article, article body, a gap inside the article (a caption,
//! a credit, a read-also insert), the same gap once it has passed a marker, after the article —
//! finds the best-scoring path given each block's body log-odds from the judge. A gap costs
//! something to open and something per block, so a stray line inside the article does not end
//! it, while a far-away prose block (a teaser, a comment policy) is not worth the long gap to
//! reach it; a gap through a marker that ends an article (tags, comments, related, a read-also
//! heading) costs more, and each gap block past the marker more again, so a second article
//! appended after one, behind a list of other headlines, is not joined to the first. A page
//! where no block is likely body gets no article.

use crate::judge::Costs;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Before,
    Body,
    Gap,
    After,
}

/// The decoder's states: the regions, with the body and its gaps each split in two: before and
/// after the article has passed a marker (once passed, every later gap block costs more, so a
/// path cannot shed the mark by a one-block return to the body).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Before,
    Body,
    Gap,
    MarkedBody,
    MarkedGap,
    After,
}

const STATES: [State; 6] = [
    State::Before,
    State::Body,
    State::Gap,
    State::MarkedBody,
    State::MarkedGap,
    State::After,
];

impl State {
    fn region(self) -> Region {
        match self {
            State::Before => Region::Before,
            State::Body | State::MarkedBody => Region::Body,
            State::Gap | State::MarkedGap => Region::Gap,
            State::After => Region::After,
        }
    }
}

/// log σ(x), stable for large |x|.
fn log_sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// Score of moving from state `a` to state `b` onto a block that is (`marker`) or is not a
/// marker, or `None` where the move is not allowed. A gap enters its marked half on a marker.
fn transition(a: State, b: State, marker: bool, c: &Costs) -> Option<f32> {
    use State::*;
    match (a, b) {
        (Before, Before | Body | After) => Some(0.0),
        (Body, Body | After) => Some(0.0),
        (Body, Gap) if !marker => Some(-c.gap_open - c.gap_block),
        (Body, MarkedGap) if marker => Some(-c.gap_open - c.gap_block),
        (Gap, Gap) if !marker => Some(-c.gap_block),
        (Gap, MarkedGap) if marker => Some(-c.gap_block),
        (MarkedGap, MarkedGap) => Some(-c.gap_block - c.marker_block),
        (Gap, Body) | (MarkedGap, MarkedBody) => Some(0.0),
        (MarkedBody, MarkedBody | After) => Some(0.0),
        (MarkedBody, MarkedGap) => Some(-c.gap_open - c.gap_block - c.marker_block),
        (After, After) => Some(0.0),
        _ => None,
    }
}

/// The best region for every block, given each block's body log-odds and whether it is a
/// marker that ends an article or introduces others (a gap through one costs `marker_gap`, and
/// each gap block after it `marker_block`).
pub fn decode(scores: &[f32], markers: &[bool], costs: &Costs) -> Vec<Region> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let marker = |i: usize| markers.get(i) == Some(&true);
    // a marker is never the article's own text (else a path could take it into the body to
    // leave the gap after it unmarked)
    let emit = |i: usize, r: State| match r {
        State::Body | State::MarkedBody if marker(i) => f32::NEG_INFINITY,
        State::Body | State::MarkedBody => log_sigmoid(scores[i]),
        State::Gap | State::MarkedGap if marker(i) => log_sigmoid(-scores[i]) - costs.marker_gap,
        _ => log_sigmoid(-scores[i]),
    };
    const K: usize = STATES.len();
    // best[i][k]: the best score of a path over blocks 0..=i ending in state k
    let mut best = vec![[f32::NEG_INFINITY; K]; n];
    let mut back = vec![[0u8; K]; n];
    for (k, &r) in STATES.iter().enumerate() {
        // the page starts before the article, in it, or (no article) after it
        if matches!(r, State::Before | State::Body | State::After) {
            best[0][k] = emit(0, r);
        }
    }
    for i in 1..n {
        for (k, &r) in STATES.iter().enumerate() {
            let mut top = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for (j, &p) in STATES.iter().enumerate() {
                if let Some(t) = transition(p, r, marker(i), costs) {
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
    let mut k = (0..K)
        .filter(|&k| STATES[k].region() != Region::Gap)
        .max_by(|&a, &b| best[n - 1][a].total_cmp(&best[n - 1][b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut out = vec![Region::Before; n];
    for i in (0..n).rev() {
        out[i] = STATES[k].region();
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
        marker_block: 0.0,
        cue_cap: 0.0,
    };

    #[test]
    fn a_long_gap_past_a_marker_ends_the_article() {
        // an article, a read-also marker, a long list, then a second article of many blocks
        let mut s = vec![4.0; 6];
        let mut m = vec![false; 6];
        s.push(-6.0);
        m.push(true);
        s.extend([-5.0; 15]);
        m.extend([false; 15]);
        s.extend([1.5; 12]);
        m.extend([false; 12]);
        let low = Costs {
            marker_gap: 1.0,
            ..C
        };
        let joined = decode(
            &s,
            &m,
            &Costs {
                gap_block: 0.1,
                ..low
            },
        );
        assert_eq!(
            joined[25], Body,
            "without a cost per block past the marker, it joins"
        );
        let r = decode(
            &s,
            &m,
            &Costs {
                gap_block: 0.1,
                marker_block: 1.0,
                ..low
            },
        );
        assert_eq!(&r[..6], [Body; 6]);
        assert!(r[6..].iter().all(|&x| x == After), "{r:?}");
        // a short read-also insert inside an article is still crossed
        let mut s2 = vec![4.0; 6];
        s2.extend([-6.0, -4.0, -4.0]);
        s2.extend([4.0; 6]);
        let mut m2 = vec![false; 15];
        m2[6] = true;
        let r2 = decode(
            &s2,
            &m2,
            &Costs {
                gap_block: 0.1,
                marker_block: 1.0,
                ..low
            },
        );
        assert_eq!(r2[14], Body);
        assert_eq!(r2[7], Gap);
    }

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
