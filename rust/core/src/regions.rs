//! The sequence decision over a whole page: where the article starts and ends. A Viterbi decoder
//! over five states — before the article, article body, a gap inside the article (a caption,
//! a credit, a read-also insert), the same gap once it has passed a marker, after the article —
//! finds the best-scoring path given each block's body log-odds from the judge. A gap costs
//! something to open and something per block, so a stray line inside the article does not end
//! it, while a far-away prose block (a teaser, a comment policy) is not worth the long gap to
//! reach it; a gap through a marker that ends an article (tags, comments, related, a read-also
//! heading) costs more, and each gap block past the marker more again, so a second article
//! appended after one, behind a list of other headlines, is not joined to the first; and a gap
//! past a marker has a longest length the article crosses, since a long appended article
//! outweighs any cost per block. A page where no block is likely body gets no article.

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
/// path cannot shed the mark by a one-block return to the body). The marked half counts the
/// sure-junk blocks it has crossed since the marker (`k`), when the costs bound them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Before,
    Body,
    Gap,
    MarkedBody(u16),
    MarkedGap(u16),
    After,
}

impl State {
    fn region(self) -> Region {
        match self {
            State::Before => Region::Before,
            State::Body | State::MarkedBody(_) => Region::Body,
            State::Gap | State::MarkedGap(_) => Region::Gap,
            State::After => Region::After,
        }
    }
}

/// The states for `costs`, in the order ties are broken.
fn states(costs: &Costs) -> Vec<State> {
    use State::*;
    let bound = bound(costs);
    let mut out = vec![Before, Body, Gap];
    out.extend((0..=bound).map(MarkedBody));
    out.extend((0..=bound).map(MarkedGap));
    out.push(After);
    out
}

/// The most sure-junk blocks the marked half may cross (0: no bound, nothing counted).
fn bound(costs: &Costs) -> u16 {
    costs.marked_gap_max.max(0.0) as u16
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
/// marker and is (`junk`) or is not sure junk, or `None` where the move is not allowed. A gap
/// enters its marked half on a marker; the marked half's count grows by every sure-junk block
/// it crosses (in a gap, or taken into the body to reset nothing) and never goes back.
fn transition(a: State, b: State, marker: bool, junk: bool, c: &Costs) -> Option<f32> {
    use State::*;
    let step = u16::from(junk && c.marked_gap_max > 0.0);
    match (a, b) {
        (Before, Before | Body | After) => Some(0.0),
        (Body, Body | After) => Some(0.0),
        (Body, Gap) if !marker => Some(-c.gap_open - c.gap_block),
        (Body, MarkedGap(k)) if marker && k == step => Some(-c.gap_open - c.gap_block),
        (Gap, Gap) if !marker => Some(-c.gap_block),
        (Gap, MarkedGap(k)) if marker && k == step => Some(-c.gap_block),
        (MarkedGap(j), MarkedGap(k)) if k == j + step => Some(-c.gap_block - c.marker_block),
        (Gap, Body) => Some(0.0),
        (MarkedGap(j) | MarkedBody(j), MarkedBody(k)) if k == j + step => Some(0.0),
        (MarkedBody(_), After) => Some(0.0),
        (MarkedBody(j), MarkedGap(k)) if k == j + step => {
            Some(-c.gap_open - c.gap_block - c.marker_block)
        }
        (After, After) => Some(0.0),
        _ => None,
    }
}

/// The best region for every block, given each block's body log-odds and whether it is a
/// marker that ends an article or introduces others (a gap through one costs `marker_gap`, and
/// each gap block after it `marker_block`; past the marker the article crosses at most
/// `marked_gap_max` blocks of body log-odds below `-sure_junk`).
pub fn decode(scores: &[f32], markers: &[bool], costs: &Costs) -> Vec<Region> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let all = states(costs);
    let k_max = all.len();
    let regions: Vec<Region> = all.iter().map(|s| s.region()).collect();
    // the moves into each state, with their scores, for each kind of block (marker or not,
    // sure junk or not): worked out once a page, so a step only adds and compares
    let moves: Vec<Vec<Vec<(usize, f32)>>> = (0..4)
        .map(|kind| {
            let (marker, junk) = (kind & 1 != 0, kind & 2 != 0);
            all.iter()
                .map(|&b| {
                    (0..k_max)
                        .filter_map(|j| transition(all[j], b, marker, junk, costs).map(|t| (j, t)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let marker = |i: usize| markers.get(i) == Some(&true);
    // a marker is never the article's own text (else a path could take it into the body to
    // leave the gap after it unmarked)
    let emissions = |i: usize| {
        let (body, other) = (log_sigmoid(scores[i]), log_sigmoid(-scores[i]));
        let m = marker(i);
        move |r: Region| match r {
            Region::Body if m => f32::NEG_INFINITY,
            Region::Body => body,
            Region::Gap if m => other - costs.marker_gap,
            _ => other,
        }
    };
    // best[i * k_max + k]: the best score of a path over blocks 0..=i ending in state k
    let mut best = vec![f32::NEG_INFINITY; n * k_max];
    let mut back = vec![0u16; n * k_max];
    let emit = emissions(0);
    for (k, &r) in all.iter().enumerate() {
        // the page starts before the article, in it, or (no article) after it
        if matches!(r, State::Before | State::Body | State::After) {
            best[k] = emit(regions[k]);
        }
    }
    for i in 1..n {
        let (done, row) = best.split_at_mut(i * k_max);
        let prev = &done[(i - 1) * k_max..];
        let kind = usize::from(marker(i)) | usize::from(scores[i] < -costs.sure_junk) << 1;
        let emit = emissions(i);
        for (k, into) in moves[kind].iter().enumerate() {
            let mut top = f32::NEG_INFINITY;
            let mut arg = 0u16;
            for &(j, t) in into {
                let v = prev[j] + t;
                if v > top {
                    top = v;
                    arg = j as u16;
                }
            }
            row[k] = top + emit(regions[k]);
            back[i * k_max + k] = arg;
        }
    }
    // a path cannot end inside a gap: the gap would be the article's tail
    let last = &best[(n - 1) * k_max..];
    let mut k = (0..k_max)
        .filter(|&k| all[k].region() != Region::Gap)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut out = vec![Region::Before; n];
    for i in (0..n).rev() {
        out[i] = all[k].region();
        k = back[i * k_max + k] as usize;
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
        marked_gap_max: 0.0,
        sure_junk: 2.0,
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
    fn a_gap_past_a_marker_is_bounded_however_long_the_prose_after_it() {
        // an article, a read-also marker, a list of 20 headlines, then a second article long
        // enough to pay for any per-block cost of the gap (though less sure than the first)
        let mut s = vec![6.0; 20];
        let mut m = vec![false; 20];
        s.push(-6.0);
        m.push(true);
        s.extend([-4.0; 20]);
        m.extend([false; 20]);
        s.extend([2.5; 30]);
        m.extend([false; 30]);
        let costs = Costs {
            gap_block: 0.1,
            marker_gap: 0.0,
            marker_block: 1.0,
            ..C
        };
        assert_eq!(decode(&s, &m, &costs)[50], Body, "unbounded, it joins");
        let bounded = Costs {
            marked_gap_max: 10.0,
            ..costs
        };
        let r = decode(&s, &m, &bounded);
        assert_eq!(&r[..20], [Body; 20]);
        assert!(r[20..].iter().all(|&x| x == After), "{r:?}");
        // an insert within the bound is crossed, and the bound holds for the next gap too
        let mut s2 = vec![6.0; 6];
        s2.extend([-6.0, -4.0, -4.0, -4.0]);
        s2.extend([4.0; 6]);
        s2.extend([-4.0; 12]);
        s2.extend([1.0; 30]);
        let mut m2 = vec![false; s2.len()];
        m2[6] = true;
        let r2 = decode(&s2, &m2, &bounded);
        assert_eq!(&r2[10..16], [Body; 6], "{r2:?}");
        assert_eq!(r2[7], Gap);
        assert!(r2[16..].iter().all(|&x| x == After), "{r2:?}");
        // unbounded again, the same page is one article
        assert_eq!(decode(&s2, &m2, &costs)[40], Body);
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
