//! Gender of the people a document names, learned from the document itself, so that "she"
//! resolves to a woman and "he" to a man (issue 12, item 1). Three signals, per paragraph:
//!
//! - an honorific or a relation in apposition just before a name: `Mr Hale`, `Ms Pike`,
//!   `her son, Alasdair`, `his widow, Nadia Haddad`;
//! - a name followed in its own sentence by the subject pronoun he or she, with no other
//!   capitalised word between (words right after a preposition or determiner, such as places,
//!   do not count): `Lindqvist said she was proud`;
//! - the only person named in a sentence, as its subject, when the next sentence's first
//!   subject pronoun comes before anyone else is named:
//!   `Grace Obi took over the library in September. She spoke to us …`.
//!
//! Text inside quotation marks is skipped. A name seen with both genders is unknown.
//! [`facts`] is a pure function of the paragraph's prose; [`Genders`] merges them.

use super::lexicon;
use super::lists::WordList;
use std::collections::HashMap;

static HE: WordList = WordList::new(include_str!("words/gender_he.txt"));
static SHE: WordList = WordList::new(include_str!("words/gender_she.txt"));
static PLACE_BEFORE: WordList = WordList::new(include_str!("words/gender_place_before.txt"));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    He,
    She,
}

/// The gender a pronoun refers to (`he`, `him`, `his`, `she`, `her`, …), lowercase.
pub fn of_pronoun(w: &str) -> Option<Gender> {
    match w {
        "he" | "him" | "his" | "himself" => Some(Gender::He),
        "she" | "her" | "hers" | "herself" => Some(Gender::She),
        _ => None,
    }
}

/// One paragraph's evidence: (key of a name's lowercase word, gender), in text order.
pub fn facts(prose: &str) -> Vec<(u64, Gender)> {
    let words = words(prose);
    let mut out = Vec::new();
    let mut s = 0;
    // (The one person of the sentence before, when there was exactly one.)
    let mut lone_before: Option<Vec<u64>> = None;
    while s < words.len() {
        let mut e = s;
        while e < words.len() && !words[e].end_sentence {
            e += 1;
        }
        let e = (e + 1).min(words.len());
        let sent = &words[s..e];
        // Its first subject pronoun, before anyone else is named ("She spoke to us", "The
        // public, he said, …").
        if let Some(keys) = &lone_before
            && let Some(g) = sent
                .iter()
                .enumerate()
                .take_while(|(i, w)| !w.name_like(*i == 0))
                .find_map(|(_, w)| matches!(&*w.lower, "he" | "she").then(|| of_pronoun(&w.lower)))
                .flatten()
        {
            out.extend(keys.iter().map(|&k| (k, g)));
        }
        lone_before = sentence(sent, &mut out);
        s = e;
    }
    out
}

/// Reads one sentence; returns the keys of its one person, if it names exactly one.
fn sentence(sent: &[W], out: &mut Vec<(u64, Gender)>) -> Option<Vec<u64>> {
    // Runs of capitalised words, with whether they follow "in", "the", "from" … (a place or
    // an organisation, not a person).
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while i < sent.len() {
        if !sent[i].name_like(i == 0) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        // ("Leandro Silva de Souza": a particle inside a name.)
        while i < sent.len()
            && !sent[i].comma_before
            && (sent[i].name_like(false)
                || lexicon::is_name_particle(&sent[i].lower)
                    && sent.get(i + 1).is_some_and(|n| n.name_like(false)))
        {
            i += 1;
        }
        let place = start > 0 && PLACE_BEFORE.contains(&sent[start - 1].lower);
        runs.push((start, i, place));
    }
    for (r, &(a, b, place)) in runs.iter().enumerate() {
        if place {
            continue;
        }
        let keys: Vec<u64> = sent[a..b]
            .iter()
            .filter(|w| w.capital)
            .map(|w| lexicon::key(&w.lower))
            .collect();
        // An honorific or a relation just before: "Mr Hale", "her son, Alasdair".
        if a > 0 {
            let w = &sent[a - 1].lower;
            let g = if HE.contains(w) {
                Some(Gender::He)
            } else if SHE.contains(w) {
                Some(Gender::She)
            } else {
                None
            };
            if let Some(g) = g {
                out.extend(keys.iter().map(|&k| (k, g)));
                continue;
            }
        }
        // The next pronoun in the sentence, before any other name.
        let stop = runs[r + 1..]
            .iter()
            .find(|n| !n.2)
            .map_or(sent.len(), |n| n.0);
        // (Only a subject: "Pryce thanked him", "praised his work" are someone else.)
        if let Some(g) = sent[b..stop]
            .iter()
            .find_map(|w| matches!(&*w.lower, "he" | "she").then(|| of_pronoun(&w.lower)))
            .flatten()
        {
            out.extend(keys.iter().map(|&k| (k, g)));
        }
    }
    // (Only a subject: at the start, or in apposition after a comma near it — "Sun Tzu" in
    // "he quotes Sun Tzu. When he was young …" is not who "he" is.)
    let mut people = runs.iter().filter(|r| !r.2);
    match (people.next(), people.next()) {
        (Some(&(a, b, _)), None) if a == 0 || a <= 4 && sent[a].comma_before => Some(
            sent[a..b]
                .iter()
                .filter(|w| w.capital)
                .map(|w| lexicon::key(&w.lower))
                .collect(),
        ),
        _ => None,
    }
}

/// A word of prose outside quotation marks.
struct W {
    lower: String,
    capital: bool,
    /// A comma (or other clause mark) right before it.
    comma_before: bool,
    /// It ends a sentence (. ! ? after it, or a quotation follows that ends one).
    end_sentence: bool,
}

impl W {
    fn name_like(&self, first: bool) -> bool {
        self.capital
            && !(first
                && (lexicon::is_function_word(&self.lower) || lexicon::is_pronoun(&self.lower)))
            && !lexicon::is_stop_capital(&self.lower)
            && of_pronoun(&self.lower).is_none()
            && !HE.contains(&self.lower)
            && !SHE.contains(&self.lower)
            && !lexicon::is_title(&self.lower)
    }
}

fn words(prose: &str) -> Vec<W> {
    // Quotations become one placeholder word (ending a sentence when their text does).
    let mut text = String::with_capacity(prose.len());
    let mut at = 0;
    for q in super::marks::top_level(prose, 0) {
        let end = q.close.as_ref().map_or(prose.len(), |c| c.end);
        if q.open.start < at || end > prose.len() {
            continue;
        }
        text.push_str(&prose[at..q.open.start]);
        let inner = prose[q.open.end..q.close.as_ref().map_or(end, |c| c.start)].trim_end();
        text.push_str(if inner.ends_with(['.', '?', '!']) {
            " quote. "
        } else {
            " quote "
        });
        at = end;
    }
    text.push_str(&prose[at..]);
    let mut out: Vec<W> = Vec::new();
    let mut comma = false;
    for raw in text.split_whitespace() {
        let core = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let core = core
            .strip_suffix("’s")
            .or_else(|| core.strip_suffix("'s"))
            .unwrap_or(core);
        let last = raw.trim_end_matches(['”', '"', '’', ')', '\'']);
        if core.is_empty() {
            if last.ends_with(['.', '?', '!'])
                && let Some(l) = out.last_mut()
            {
                l.end_sentence = true;
            }
            continue;
        }
        let lower = core.to_lowercase();
        out.push(W {
            capital: core.chars().next().is_some_and(char::is_uppercase),
            comma_before: comma,
            end_sentence: last.ends_with(['.', '?', '!']) && !lexicon::is_abbreviation(&lower),
            lower,
        });
        comma = last.ends_with([',', ';', ':', '–', '—']) || raw.contains(['(', ')']);
    }
    out
}

/// The document's genders: merged paragraph facts, a name seen both ways unknown.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct Genders(HashMap<u64, Option<Gender>, std::hash::BuildHasherDefault<lexicon::KeyHasher>>);

impl Genders {
    pub fn add(&mut self, facts: &[(u64, Gender)]) {
        for &(k, g) in facts {
            let e = self.0.entry(k).or_insert(Some(g));
            if *e != Some(g) {
                *e = None;
            }
        }
    }
    /// The gender of a name by its (lowercase) word key, if the document shows it.
    pub fn get(&self, k: u64) -> Option<Gender> {
        self.0.get(&k).copied().flatten()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(prose: &str, name: &str) -> Option<Gender> {
        let mut d = Genders::default();
        d.add(&facts(prose));
        d.get(lexicon::key(&name.to_lowercase()))
    }

    #[test]
    fn honorifics_and_relations() {
        assert_eq!(
            g("Mr Hale told analysts the plan.", "Hale"),
            Some(Gender::He)
        );
        assert_eq!(
            g("Ms Pike said members were angry.", "Pike"),
            Some(Gender::She)
        );
        assert_eq!(
            g("Her son, Alasdair, said she sang.", "Alasdair"),
            Some(Gender::He)
        );
        assert_eq!(
            g("His daughter, Morag, was there.", "Morag"),
            Some(Gender::She)
        );
    }

    #[test]
    fn pronoun_after_name_in_its_sentence() {
        let p = "The Rovers manager, Sofia Lindqvist, said she was proud of the side.";
        assert_eq!(g(p, "Lindqvist"), Some(Gender::She));
        let p = "Haddad, 58, said that in Beirut in 1991 she had no money.";
        assert_eq!(g(p, "Haddad"), Some(Gender::She));
        // An object or a possessive may be someone else.
        let p = "Pryce thanked him and praised his team.";
        assert_eq!(g(p, "Pryce"), None);
        // Another name between: nothing learned about the first.
        let p = "Batista, who worked with Anitta while she was an intern, said so.";
        assert_eq!(g(p, "Batista"), None);
        assert_eq!(g(p, "Anitta"), Some(Gender::She));
    }

    #[test]
    fn lone_person_then_pronoun() {
        let p = "Grace Obi took over the Central Library in September. She spoke to us.";
        assert_eq!(g(p, "Obi"), Some(Gender::She));
        let p = "Silva said it lay with producers. The public, he said, proved it.";
        assert_eq!(g(p, "Silva"), Some(Gender::He));
        let p = "He quotes Sun Tzu and the Art of War. When he was young, he read it.";
        assert_eq!(g(p, "Tzu"), None);
        let p = "Raman met Whitcombe in May. He said nothing.";
        assert_eq!(g(p, "Raman"), None);
    }

    #[test]
    fn quotations_are_skipped_and_conflicts_unknown() {
        let p = "“Hale is wrong, and she knows it,” Pike said.";
        assert_eq!(g(p, "Hale"), None);
        let p = "Mr Haddad built the oven. Haddad said she came later.";
        assert_eq!(g(p, "Haddad"), None);
    }
}
