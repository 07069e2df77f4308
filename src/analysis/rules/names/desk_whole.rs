//! Whole names on the desk: when several words of one name mention in the draft are each
//! spelled the way the desk does not ("Svetlana Tikhanovskaya" where the desk's stories write
//! "Sviatlana Tsikhanouskaya"), they become one finding over the whole name, with one fix to
//! the desk's full form — as the draft's own check does (`whole.rs`).

use super::desk::DraftName;
use super::similar;
use crate::analysis::{Edit, Finding, Fix};

/// A word-level desk finding with what it was made from.
pub(super) struct Hit {
    pub finding: Finding,
    /// Index of the draft's spelling in `own`.
    pub own: usize,
    /// The desk's spelling, as the desk writes it.
    pub written: String,
    pub count: u32,
    pub files: usize,
}

/// Are two flagged words consecutive words of one name mention? They come together in the
/// draft (partners) and only a space or a line break stands between them.
fn consecutive(a: &Hit, b: &Hit, own: &[DraftName]) -> bool {
    let (sa, sb) = (&a.finding.span, &b.finding.span);
    let fold_b = similar::fold(&own[b.own].surface);
    sb.start > sa.end
        && sb.start - sa.end <= 2
        && a.own != b.own
        && own[a.own].partners.contains(&fold_b)
}

/// The findings, with the words of one name merged into one finding over the whole name.
pub(super) fn merge(mut hits: Vec<Hit>, own: &[DraftName]) -> Vec<Finding> {
    hits.sort_by_key(|h| h.finding.span.start);
    let mut groups: Vec<Vec<Hit>> = Vec::new();
    for h in hits {
        match groups.last_mut() {
            Some(g) if consecutive(g.last().expect("groups are never empty"), &h, own) => g.push(h),
            _ => groups.push(vec![h]),
        }
    }
    groups
        .into_iter()
        .map(|g| {
            if g.len() == 1 {
                return g.into_iter().next().expect("one hit").finding;
            }
            whole(g, own)
        })
        .collect()
}

/// One finding over the words of `g` (two or more, in order).
fn whole(g: Vec<Hit>, own: &[DraftName]) -> Finding {
    let variant: Vec<&str> = g.iter().map(|h| own[h.own].written.as_str()).collect();
    let desk: Vec<&str> = g.iter().map(|h| h.written.as_str()).collect();
    let (variant, desk) = (variant.join(" "), desk.join(" "));
    // The full name is used as often as its least used word.
    let least = g.iter().min_by_key(|h| h.count).expect("two or more hits");
    let (count, files) = (least.count, least.files);
    let mut f = Finding::new(
        least.finding.rule,
        least.finding.severity,
        g[0].finding.span.start..g[g.len() - 1].finding.span.end,
        format!(
            "‘{variant}’: the desk's other stories spell it ‘{desk}’ ({count} time{} in {files} file{})",
            if count == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        ),
    );
    f.related = least.finding.related.clone();
    // One change of every word (what lies between them is kept), then each word's "accept".
    f.fixes.push(
        Fix::new(
            format!("Change to ‘{desk}’"),
            g.iter()
                .map(|h| Edit {
                    span: h.finding.span.clone(),
                    replacement: h.written.clone(),
                })
                .collect(),
        )
        .preferred(),
    );
    // Every use of those words in the draft (the name whole, or a word alone).
    let mut all: Vec<Edit> = g
        .iter()
        .flat_map(|h| {
            own[h.own].spans.iter().map(|s| Edit {
                span: s.clone(),
                replacement: h.written.clone(),
            })
        })
        .collect();
    all.sort_by_key(|e| e.span.start);
    all.dedup_by(|a, b| a.span == b.span);
    if all.len() > g.len() {
        let words: Vec<String> = g
            .iter()
            .map(|h| format!("‘{}’", own[h.own].written))
            .collect();
        let (last, rest) = words.split_last().expect("two or more hits");
        f.fixes.push(Fix::new(
            format!(
                "Change all {} uses of {} and {last} in this draft to the desk's spelling",
                all.len(),
                rest.join(", ")
            ),
            all,
        ));
    }
    for h in &g {
        if let Some(accept) = h.finding.fixes.iter().find(|x| x.settings_change.is_some()) {
            f.fixes.push(accept.clone());
        }
    }
    f
}
