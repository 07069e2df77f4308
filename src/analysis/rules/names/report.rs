//! What the analysis reports: findings with their fixes, and hover.

use super::*;

impl NameAnalysis {
    pub(super) fn findings(&self, doc: &Document, settings: &Settings) -> Vec<Finding> {
        let severity = settings.name_spelling.severity;
        let mut out: Vec<Finding> = Vec::new();
        let mut taken: Vec<Range<usize>> = Vec::new();
        let overlaps = |taken: &[Range<usize>], s: &Range<usize>| {
            taken.iter().any(|t| t.start < s.end && s.start < t.end)
        };

        // House style first.
        for h in &self.prefer_hits {
            if overlaps(&taken, &h.span) {
                continue;
            }
            let all: Vec<Range<usize>> = self
                .prefer_hits
                .iter()
                .filter(|o| o.variant == h.variant)
                .map(|o| o.span.clone())
                .collect();
            let mut f = Finding::new(
                CODE,
                severity,
                h.span.clone(),
                format!("House style spells ‘{}’ as ‘{}’", h.variant, h.preferred),
            );
            if let Some(first) = self
                .forms
                .iter()
                .find(|x| *x.surface == *surface_of(&h.preferred, &(0..h.preferred.len())))
                .and_then(|x| x.occs.first())
            {
                f.related.push(Related {
                    doc: None,
                    span: self.span(first),
                    message: format!("‘{}’ is used here", h.preferred),
                });
            }
            f.fixes = fixes(&h.span, &h.variant, &h.preferred, &all);
            out.push(f);
            taken.push(h.span.clone());
        }

        // Then the document's own variants, longer forms first.
        let mut flags: Vec<&Flag> = self.flags.iter().collect();
        flags.sort_by_key(|f| std::cmp::Reverse(self.forms[f.form].level));
        let mut word_found: Vec<whole::WordFinding> = Vec::new();
        for flag in flags {
            let form = &self.forms[flag.form];
            let canon = &self.forms[flag.canonical];
            let all: Vec<Range<usize>> = form.occs.iter().map(|o| self.span(o)).collect();
            let n = canon.occs.len();
            // Quoted and written back as the document writes them (curly apostrophes).
            let canon_written = self.written(doc.text, canon);
            for o in &form.occs {
                let span = self.span(o);
                if overlaps(&taken, &span) {
                    continue;
                }
                let variant = collapse_space(&doc.text[span.clone()]);
                let house = self.preferred.contains(&flag.canonical);
                let message = if house {
                    format!(
                        "‘{}’ {} ‘{}’ (house style)",
                        variant,
                        flag.diff.phrase(),
                        canon_written
                    )
                } else {
                    format!(
                        "‘{}’ {} ‘{}’, the spelling used {} time{} in this document",
                        variant,
                        flag.diff.phrase(),
                        canon_written,
                        n,
                        if n == 1 { "" } else { "s" }
                    )
                };
                let mut f = Finding::new(CODE, severity, span.clone(), message);
                if let Some(first) = canon.occs.first() {
                    let first = self.span(first);
                    f.related.push(Related {
                        doc: None,
                        message: format!(
                            "‘{}’ first used here (line {})",
                            canon_written,
                            doc.line_number(first.start)
                        ),
                        span: first,
                    });
                }
                f.fixes = fixes(&span, &form.surface, &canon_written, &all);
                if form.level == Level::Word {
                    word_found.push((o.word, flag.diff, house, f));
                } else {
                    out.push(f);
                }
                taken.push(span);
            }
        }
        // Several words of one name: one finding over the whole name.
        whole::merge(self, doc, word_found, &mut out);
        // A middle part left out or added.
        let taken: Vec<Range<usize>> = out.iter().map(|f| f.span.clone()).collect();
        out.extend(parts::findings(self, doc, severity, &taken));
        out.sort_by_key(|f| f.span.start);
        out
    }
}

/// Hyphenated names with as many parts on both sides (`Kwok-hing` / `Kwok-kin`, Cantonese
/// given names) are compared part by part: each part is a short name of its own. Returns the
/// tightest part's match, or `None` when a part is too different.
pub(super) fn by_parts(a: &str, b: &str, whole: similar::EditMatch) -> Option<similar::EditMatch> {
    let pa: Vec<&str> = a.split('-').filter(|p| !p.is_empty()).collect();
    let pb: Vec<&str> = b.split('-').filter(|p| !p.is_empty()).collect();
    if pa.len() < 2 || pa.len() != pb.len() {
        return Some(whole);
    }
    let mut worst: Option<similar::EditMatch> = None;
    for (x, y) in pa.iter().zip(&pb) {
        let (fx, fy) = (similar::fold(x), similar::fold(y));
        if fx == fy {
            continue;
        }
        let m =
            similar::edit_match_with(&fx, &fy, &similar::translit(&fx), &similar::translit(&fy))?;
        let slack = |m: &similar::EditMatch| similar::allowance(m.len, true) - m.cost;
        if worst.is_none_or(|w| slack(&m) < slack(&w)) {
            worst = Some(m);
        }
    }
    Some(worst.unwrap_or(whole))
}

/// The three quick fixes of a finding.
pub(super) fn fixes(
    span: &Range<usize>,
    variant: &str,
    canonical: &str,
    all: &[Range<usize>],
) -> Vec<Fix> {
    let mut out = vec![
        Fix::new(
            format!("Change to ‘{canonical}’"),
            vec![Edit {
                span: span.clone(),
                replacement: canonical.to_string(),
            }],
        )
        .preferred(),
    ];
    if all.len() > 1 {
        out.push(Fix::new(
            format!("Change all {} ‘{variant}’ to ‘{canonical}’", all.len()),
            all.iter()
                .map(|s| Edit {
                    span: s.clone(),
                    replacement: canonical.to_string(),
                })
                .collect(),
        ));
    }
    let mut accept = Fix::new(
        format!("Accept ‘{variant}’ as a different name"),
        Vec::new(),
    );
    accept.settings_change = Some(SettingsChange::AcceptName(variant.to_string()));
    out.push(accept);
    out
}

/// One spelling of a name, for hover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spelling {
    pub text: String,
    pub count: usize,
    /// Byte offsets of each occurrence.
    pub offsets: Vec<usize>,
    /// 1-based line of each occurrence.
    pub lines: Vec<usize>,
    pub canonical: bool,
}

/// What hover shows for a name mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameHover {
    /// The hovered spelling's span.
    pub span: Range<usize>,
    /// The full name the mention belongs to (`Chuck Hagel` for `Hagel`).
    pub name: String,
    pub canonical: String,
    /// The canonical spelling comes from the house style sheet.
    pub house_style: bool,
    /// Canonical first, then by count.
    pub spellings: Vec<Spelling>,
}

/// Hover for the name mention at `offset`, if there is one.
pub fn hover(doc: &Document, settings: &Settings, offset: usize) -> Option<NameHover> {
    let a = NameAnalysis::new(doc, settings);
    let contains = |o: &Occ| {
        let s = a.span(o);
        s.start <= offset && offset < s.end.max(s.start + 1)
    };
    // House-style variant under the cursor.
    if let Some(h) = a
        .prefer_hits
        .iter()
        .find(|h| h.span.start <= offset && offset < h.span.end)
    {
        let mut spellings = Vec::new();
        let pref = surface_of(&h.preferred, &(0..h.preferred.len()));
        if let Some(f) = a.forms.iter().find(|f| *f.surface == *pref) {
            spellings.push(spelling(doc, &a, f, true));
        } else {
            spellings.push(Spelling {
                text: pref.clone(),
                count: 0,
                offsets: vec![],
                lines: vec![],
                canonical: true,
            });
        }
        let occ: Vec<&PreferHit> = a
            .prefer_hits
            .iter()
            .filter(|o| o.variant == h.variant)
            .collect();
        spellings.push(Spelling {
            text: h.variant.clone(),
            count: occ.len(),
            offsets: occ.iter().map(|o| o.span.start).collect(),
            lines: occ.iter().map(|o| doc.line_number(o.span.start)).collect(),
            canonical: false,
        });
        return Some(NameHover {
            span: h.span.clone(),
            name: pref.clone(),
            canonical: pref,
            house_style: true,
            spellings,
        });
    }
    // A grouped multi-word form first, else the word.
    let in_group = |i: usize| a.root[i] != i || a.flags.iter().any(|f| f.canonical == i);
    let hit = a
        .forms
        .iter()
        .enumerate()
        .filter(|(i, f)| f.occs.iter().any(contains) && (f.level == Level::Word || in_group(*i)))
        .max_by_key(|(i, f)| (in_group(*i), f.level))?;
    let (fi, form) = hit;
    if form.ordinary {
        return None;
    }
    let occ = form.occs.iter().find(|o| contains(o))?;
    let root = a.root[fi];
    let mut members: Vec<usize> = vec![root];
    members.extend(
        a.flags
            .iter()
            .filter(|f| f.canonical == root)
            .map(|f| f.form),
    );
    let mut spellings: Vec<Spelling> = members
        .iter()
        .map(|&m| spelling(doc, &a, &a.forms[m], m == root))
        .collect();
    spellings[1..].sort_by_key(|s| (std::cmp::Reverse(s.count), s.offsets.first().copied()));
    let canonical = a.forms[root].surface.to_string();
    let name = a
        .full_name(doc.text, &members)
        .unwrap_or_else(|| canonical.clone());
    Some(NameHover {
        span: a.span(occ),
        name,
        canonical,
        house_style: a.preferred.contains(&root),
        spellings,
    })
}

pub(super) fn spelling(doc: &Document, a: &NameAnalysis, f: &Form, canonical: bool) -> Spelling {
    Spelling {
        text: f.surface.to_string(),
        count: f.occs.len(),
        offsets: f.occs.iter().map(|o| a.span(o).start).collect(),
        lines: f
            .occs
            .iter()
            .map(|o| doc.line_number(a.span(o).start))
            .collect(),
        canonical,
    }
}

impl NameAnalysis {
    /// The most frequent multi-word name that ends in one of these word forms (surname-only
    /// mentions belong to the full name).
    pub(super) fn full_name(&self, text: &str, members: &[usize]) -> Option<String> {
        let mut counts: HashMap<String, (usize, usize)> = HashMap::default();
        for &m in members {
            let f = &self.forms[m];
            if f.level != Level::Word {
                continue;
            }
            for o in &f.occs {
                let Some(mi) = self.mention_of[o.word] else {
                    continue;
                };
                let r = self.mentions[mi].words.clone();
                // From the first name word of the segment to this word.
                let mut start = r.start;
                for i in r.start..o.word {
                    if self.words[i].possessive {
                        start = i + 1;
                    }
                }
                while start < o.word && self.words[start].kind != Kind::Name {
                    start += 1;
                }
                if start == o.word {
                    continue;
                }
                let span = self.span(o);
                let s = surface_of(text, &(self.words[start].span.start..span.end));
                let e = counts.entry(s).or_insert((0, span.start));
                e.0 += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
            .map(|(s, _)| s)
    }
}
