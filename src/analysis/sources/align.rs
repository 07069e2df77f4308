//! The best passage of the sources for a quotation, aligned word by word.
//!
//! Candidates come from the word-pair index: each pair of consecutive quotation words votes
//! for where the quotation would start in a source (very common pairs do not vote). The few
//! best-voted places are aligned with a word-level edit distance that lets the quotation
//! start and end anywhere in the source, skips any stretch of the source at an omission
//! (an ellipsis, the break between the parts of a split quotation), lets a `[bracketed]`
//! insertion stand for up to four source words, drops fillers (um, uh) for free, and
//! matches a word written as one (`cooperate`) or two (`co operate`).

use super::words::{Tok, is_filler};
use super::{SourceFile, SourceIndex};
use std::collections::HashMap;
use std::ops::Range;

/// Quotations longer than this many items are not aligned.
pub const MAX_ITEMS: usize = 400;
/// Source words one omission may leave out.
const GAP_SPAN: usize = 250;
/// A word pair with more occurrences than this does not vote.
const COMMON_PAIR: usize = 3000;
/// How many candidate places are aligned.
const CANDIDATES: usize = 4;
/// A bracketed insertion stands for at most this many source words.
const WILD_WORDS: usize = 4;

/// A stretch where the quotation and the source differ: quotation items and source words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Indices into the quotation's items (words only).
    pub quote: Vec<usize>,
    /// Indices into the source file's words.
    pub source: Vec<usize>,
    /// The quotation item just before the run, if any (an insertion goes after it).
    pub after: Option<usize>,
    /// The quotation item just after the run, if any.
    pub before: Option<usize>,
}

/// The best passage for a quotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alignment {
    pub file: usize,
    /// Source words the quotation covers (first to last aligned word).
    pub words: Range<usize>,
    pub cost: u32,
    /// Quotation words matched exactly (or by joining or splitting).
    pub matched: usize,
    /// Quotation words in all.
    pub quote_words: usize,
    pub runs: Vec<Run>,
}

impl Alignment {
    /// Good enough to say "this is the passage": most of the quotation's words are there.
    pub fn found(&self) -> bool {
        self.matched >= 4 && self.matched * 10 >= self.quote_words * 7
    }
}

/// The candidate alignments of `items` in the sources, best first.
pub fn best(index: &SourceIndex, items: &[Tok]) -> Vec<Alignment> {
    if items.len() > MAX_ITEMS {
        return Vec::new();
    }
    let gaps = items.iter().filter(|t| matches!(t, Tok::Gap)).count();
    let words: Vec<(usize, &str)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Tok::Word(w) => Some((i, &*w.key)),
            _ => None,
        })
        .collect();
    let n_words = words.len();
    // Votes: (file, start bucket) → (votes, earliest start).
    let mut votes: HashMap<(u32, i64), (u32, i64)> = HashMap::new();
    let mut qpos = 0i64;
    let mut prev: Option<(usize, &str)> = None;
    for &(i, key) in &words {
        if is_filler(key) {
            continue;
        }
        if let Some((pi, pkey)) = prev
            && items[pi + 1..i].iter().all(|t| matches!(t, Tok::Word(_)))
        {
            let hits = index.pair_hits(pkey, key);
            if hits.len() <= COMMON_PAIR {
                for &(f, p) in hits {
                    let start = p as i64 - (qpos - 1);
                    let e = votes.entry((f, start.div_euclid(8))).or_insert((0, start));
                    e.0 += 1;
                    e.1 = e.1.min(start);
                }
            }
        }
        prev = Some((i, key));
        qpos += 1;
    }
    let mut cands: Vec<((u32, i64), (u32, i64))> = votes.into_iter().collect();
    cands.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let mut out: Vec<Alignment> = Vec::new();
    let mut done: Vec<(u32, usize, usize)> = Vec::new();
    for ((f, _), (_, start)) in cands.into_iter().take(CANDIDATES * 2) {
        if done.len() >= CANDIDATES {
            break;
        }
        let file = index.file(f as usize);
        let back = 8 + if gaps > 0 { GAP_SPAN } else { 0 };
        let lo = (start - back as i64).max(0) as usize;
        let hi =
            (start.max(0) as usize + n_words + 8 + gaps.min(4) * GAP_SPAN).min(file.words.len());
        if lo >= hi || done.iter().any(|&(df, a, b)| df == f && a <= lo && hi <= b) {
            continue;
        }
        done.push((f, lo, hi));
        if let Some(a) = align(file, f as usize, lo..hi, items) {
            out.push(a);
        }
    }
    out.sort_by(|a, b| {
        (a.cost, std::cmp::Reverse(a.matched), a.file, a.words.start).cmp(&(
            b.cost,
            std::cmp::Reverse(b.matched),
            b.file,
            b.words.start,
        ))
    });
    out.dedup_by(|a, b| a.file == b.file && a.words == b.words);
    out
}

// Costs: a word added or left out; a word replaced by a similar one (`million` for
// `billion`, `forty` for `fourteen`) or by another. A quotation's first or last word that
// is not in the source is then an added word, unless it looks like the source's.
const ADD_COST: u32 = 3;
const SUB_SIMILAR: u32 = 2;
const SUB_OTHER: u32 = 4;

const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "trillion",
    "dozen",
    "half",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "percent",
];

fn numeric(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_digit()) || NUMBER_WORDS.iter().any(|n| w.starts_with(n))
}

/// Words a slip of the ear or the keyboard turns into each other.
fn similar(a: &str, b: &str) -> bool {
    (numeric(a) && numeric(b))
        || a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count() >= 3
        || strsim::normalized_levenshtein(a, b) >= 0.5
}

// Back-pointers.
const START: u8 = 0;
const MATCH: u8 = 1;
const SUB: u8 = 2;
/// A quotation word the source does not have.
const ADDED: u8 = 3;
/// A source word the quotation leaves out.
const DROPPED: u8 = 4;
const FILLER: u8 = 5;
/// One quotation word for two source words.
const JOIN_SOURCE: u8 = 6;
/// Two quotation words for one source word.
const JOIN_QUOTE: u8 = 7;
/// An omission or split: the item consumes nothing, or a source word is skipped for free.
const GAP_ENTER: u8 = 8;
const GAP_SKIP: u8 = 9;
/// A bracketed insertion standing for `k` source words: `WILD + k`.
const WILD: u8 = 10;

fn align(file: &SourceFile, f: usize, window: Range<usize>, items: &[Tok]) -> Option<Alignment> {
    let src = &file.words[window.clone()];
    let (n, m) = (items.len(), src.len());
    let w = m + 1;
    let inf = u32::MAX / 4;
    let mut dp = vec![inf; (n + 1) * w];
    let mut bp = vec![START; (n + 1) * w];
    dp[..=m].fill(0);
    let key = |j: usize| &*src[j].word.key;
    for i in 1..=n {
        let row = i * w;
        let up = (i - 1) * w;
        for j in 0..=m {
            let mut best = inf;
            let mut how = START;
            let mut take = |c: u32, h: u8| {
                if c < best {
                    best = c;
                    how = h;
                }
            };
            match &items[i - 1] {
                Tok::Word(qw) => {
                    // A word next to an omission that is not in the source: rather a word
                    // the omission left in than one the quotation added.
                    // The same at the quotation's first and last word.
                    let edge = i == 1
                        || i == n
                        || (i >= 2 && matches!(items[i - 2], Tok::Gap))
                        || matches!(items.get(i), Some(Tok::Gap));
                    take(dp[up + j] + ADD_COST + u32::from(edge), ADDED);
                    if j >= 1 {
                        let same = *qw.key == *key(j - 1);
                        let cost = if same {
                            0
                        } else if similar(&qw.key, key(j - 1)) {
                            SUB_SIMILAR
                        } else {
                            SUB_OTHER
                        };
                        take(dp[up + j - 1] + cost, if same { MATCH } else { SUB });
                        if j >= 2 && joins(&qw.key, key(j - 2), key(j - 1)) {
                            take(dp[up + j - 2], JOIN_SOURCE);
                        }
                        if i >= 2
                            && let Tok::Word(pw) = &items[i - 2]
                            && joins(key(j - 1), &pw.key, &qw.key)
                        {
                            take(dp[(i - 2) * w + j - 1], JOIN_QUOTE);
                        }
                    }
                }
                Tok::Gap => {
                    take(dp[up + j], GAP_ENTER);
                    if j >= 1 {
                        take(dp[row + j - 1], GAP_SKIP);
                    }
                }
                Tok::Wild(_) => {
                    for k in 0..=WILD_WORDS.min(j) {
                        take(dp[up + j - k], WILD + k as u8);
                    }
                }
            }
            if j >= 1 && !matches!(items[i - 1], Tok::Gap) {
                let filler = is_filler(key(j - 1));
                take(
                    dp[row + j - 1] + if filler { 0 } else { ADD_COST },
                    if filler { FILLER } else { DROPPED },
                );
            }
            dp[row + j] = best;
            bp[row + j] = how;
        }
    }
    // Free end: the best cell of the last row.
    let last = n * w;
    let end = (0..=m).min_by_key(|&j| (dp[last + j], j))?;
    let cost = dp[last + end];
    // Trace back.
    let mut ops: Vec<(u8, usize, usize)> = Vec::new(); // (op, item, source word) 0-based
    let (mut i, mut j) = (n, end);
    while i > 0 {
        let h = bp[i * w + j];
        match h {
            MATCH | SUB => {
                ops.push((h, i - 1, j - 1));
                i -= 1;
                j -= 1;
            }
            ADDED => {
                ops.push((h, i - 1, usize::MAX));
                i -= 1;
            }
            DROPPED | FILLER | GAP_SKIP => {
                ops.push((h, i - 1, j - 1));
                j -= 1;
            }
            JOIN_SOURCE => {
                ops.push((MATCH, i - 1, j - 1));
                ops.push((MATCH, i - 1, j - 2));
                i -= 1;
                j -= 2;
            }
            JOIN_QUOTE => {
                ops.push((MATCH, i - 1, j - 1));
                ops.push((MATCH, i - 2, j - 1));
                i -= 2;
                j -= 1;
            }
            GAP_ENTER => {
                ops.push((h, i - 1, usize::MAX));
                i -= 1;
            }
            k if k >= WILD => {
                let k = (k - WILD) as usize;
                for s in 0..k {
                    ops.push((GAP_SKIP, i - 1, j - 1 - s));
                }
                ops.push((GAP_ENTER, i - 1, usize::MAX));
                i -= 1;
                j -= k;
            }
            _ => return None,
        }
    }
    ops.reverse();
    let quote_words = items.iter().filter(|t| matches!(t, Tok::Word(_))).count();
    let mut matched = 0;
    let mut first_src = None;
    let mut last_src = 0;
    let mut runs: Vec<Run> = Vec::new();
    let mut open: Option<Run> = None;
    let mut last_item: Option<usize> = None;
    let mut seen_items = std::collections::HashSet::new();
    for &(op, item, s) in &ops {
        let abs = if s == usize::MAX {
            None
        } else {
            Some(window.start + s)
        };
        if let Some(a) = abs
            && (matches!(op, MATCH | SUB) || first_src.is_some())
        {
            first_src.get_or_insert(a);
            last_src = last_src.max(a + 1);
        }
        match op {
            MATCH | FILLER | GAP_SKIP | GAP_ENTER => {
                if op == MATCH && seen_items.insert(item) {
                    matched += 1;
                }
                if let Some(mut r) = open.take() {
                    r.before = Some(item);
                    runs.push(r);
                }
                if op != FILLER && op != GAP_SKIP {
                    last_item = Some(item);
                }
            }
            SUB | ADDED | DROPPED => {
                let r = open.get_or_insert_with(|| Run {
                    quote: Vec::new(),
                    source: Vec::new(),
                    after: last_item,
                    before: None,
                });
                if op != DROPPED {
                    r.quote.push(item);
                    last_item = Some(item);
                }
                if let Some(a) = abs
                    && op != ADDED
                {
                    r.source.push(a);
                }
            }
            _ => {}
        }
    }
    if let Some(r) = open.take() {
        runs.push(r);
    }
    // A run of dropped source words at the very end is not part of the quotation.
    runs.retain(|r| !(r.quote.is_empty() && r.before.is_none()));
    let first_src = first_src?;
    Some(Alignment {
        file: f,
        words: first_src..last_src.max(first_src + 1),
        cost,
        matched,
        quote_words,
        runs,
    })
}

/// `whole` is `a` and `b` written as one word.
fn joins(whole: &str, a: &str, b: &str) -> bool {
    whole.len() == a.len() + b.len() && whole.starts_with(a) && whole.ends_with(b)
}

#[cfg(test)]
mod tests {
    use super::super::words::tokens;
    use super::*;

    fn index(text: &str) -> SourceIndex {
        SourceIndex::new(
            [("k".to_string(), "a.txt".to_string(), text.to_string())],
            1,
        )
    }

    fn items(q: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        tokens(q, 0, true, &mut out);
        out
    }

    /// (quotation words, source words) of each run.
    fn diffs(ix: &SourceIndex, q: &str) -> Option<Vec<(String, String)>> {
        let it = items(q);
        let a = best(ix, &it).into_iter().next()?;
        if !a.found() {
            return None;
        }
        let f = ix.file(a.file);
        Some(
            a.runs
                .iter()
                .map(|r| {
                    let qs: Vec<String> = r
                        .quote
                        .iter()
                        .map(|&i| match &it[i] {
                            Tok::Word(w) => q[w.span.clone()].to_string(),
                            _ => String::new(),
                        })
                        .collect();
                    let ss: Vec<&str> = r
                        .source
                        .iter()
                        .map(|&s| &f.text[f.words[s].word.span.clone()])
                        .collect();
                    (qs.join(" "), ss.join(" "))
                })
                .collect(),
        )
    }

    const SRC: &str = "WHITLOCK: Um, we found, uh, a billion dollars in savings across the departments, and we did not cut a single teacher. The co-operation of the unions was essential.\nMENON: That is simply not what the auditors found.\n";

    #[test]
    fn verbatim_with_fillers_case_and_punctuation_dropped() {
        let ix = index(SRC);
        assert_eq!(
            diffs(
                &ix,
                "We found a billion dollars in savings across the departments"
            ),
            Some(vec![])
        );
        assert_eq!(
            diffs(&ix, "the cooperation of the Unions was essential"),
            Some(vec![])
        );
    }

    #[test]
    fn a_changed_word_an_added_and_a_dropped_not() {
        let ix = index(SRC);
        assert_eq!(
            diffs(
                &ix,
                "we found a million dollars in savings across the departments"
            ),
            Some(vec![("million".into(), "billion".into())])
        );
        assert_eq!(
            diffs(&ix, "That is simply what the auditors found"),
            Some(vec![(String::new(), "not".into())])
        );
        assert_eq!(
            diffs(
                &ix,
                "across the departments, and we did not cut a single teacher"
            ),
            Some(vec![])
        );
        assert_eq!(
            diffs(&ix, "the unions was not essential to us"),
            None,
            "too little of it is in the source"
        );
        assert_eq!(
            diffs(&ix, "The co-operation of the unions was not essential"),
            Some(vec![("not".into(), String::new())])
        );
    }

    #[test]
    fn omissions_and_brackets() {
        let ix = index(SRC);
        assert_eq!(
            diffs(
                &ix,
                "We found a billion dollars … and we did not cut a single teacher"
            ),
            Some(vec![])
        );
        assert_eq!(
            diffs(
                &ix,
                "[The council] found a billion dollars in savings across the departments"
            ),
            Some(vec![])
        );
    }

    #[test]
    fn nothing_like_it() {
        let ix = index(SRC);
        assert_eq!(
            diffs(&ix, "The weather was lovely all week in the hills"),
            None
        );
    }
}
