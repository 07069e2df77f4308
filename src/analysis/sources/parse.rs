//! Transcripts: turns with their speaker, time and text.
//!
//! - Plain text and markdown: a turn starts with a speaker label at the start of a line —
//!   `NAME:`, `**NAME:**`, optionally after a timestamp (`[00:12:31] NAME:`,
//!   `00:12:31 NAME:`), or with the time after the name (`Speaker 1 (00:01:02):`, and the
//!   Otter style `Dana Whitlock  0:41` alone on its line, the words on the next lines). Text
//!   before the first label has no speaker.
//! - WebVTT: cues with their timings; `<v Name>` voice spans (or a `NAME:` label) give the
//!   speaker; other tags are not words.
//! - SubRip: numbered cues with `-->` timings; a `NAME:` label gives the speaker.
//!
//! A cue or turn without a speaker has none: speakers are never carried over by guess.

use std::ops::Range;

/// One turn (or cue) of a transcript.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Turn {
    /// The speaker label as written ("DANA WHITLOCK", "Ravi Menon", "Speaker 1").
    pub speaker: Option<String>,
    /// The time it starts, as `hh:mm:ss`, when the transcript gives one.
    pub time: Option<String>,
    /// The byte ranges of its words in the file (tags and labels left out).
    pub pieces: Vec<Range<usize>>,
    /// 1-based line where it starts.
    pub line: usize,
}

/// The kind of transcript, from the file name (and the `WEBVTT` header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Labelled,
    Vtt,
    Srt,
}

pub fn kind(name: &str, text: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".vtt") || text.trim_start_matches('\u{feff}').starts_with("WEBVTT") {
        Kind::Vtt
    } else if lower.ends_with(".srt") {
        Kind::Srt
    } else {
        Kind::Labelled
    }
}

/// The turns of a transcript.
pub fn parse(name: &str, text: &str) -> Vec<Turn> {
    match kind(name, text) {
        Kind::Labelled => labelled(text),
        Kind::Vtt | Kind::Srt => cues(text),
    }
}

/// Lines with their byte ranges (without the line break) and 1-based numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
    let mut at = 0;
    let mut n = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        n += 1;
        let rest = &text[at..];
        let len = rest.find('\n').unwrap_or(rest.len());
        let mut end = at + len;
        if end > at && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        let r = at..end;
        at += len + 1;
        Some((n, r))
    })
}

/// `hh:mm:ss`, `h:mm:ss`, `mm:ss` (with `.mmm` or `,mmm`): the length matched and the time as
/// `hh:mm:ss`.
pub fn timestamp(s: &str) -> Option<(usize, String)> {
    let b = s.as_bytes();
    let mut fields: Vec<u32> = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
            i += 1;
        }
        if i == start || i - start > 2 && !fields.is_empty() {
            return None;
        }
        fields.push(s[start..i].parse().ok()?);
        if i < b.len() && b[i] == b':' && fields.len() < 3 {
            i += 1;
            continue;
        }
        break;
    }
    if fields.len() < 2 {
        return None;
    }
    if i < b.len() && (b[i] == b'.' || b[i] == b',') {
        let f = i + 1;
        let mut j = f;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > f {
            i = j;
        }
    }
    if i < b.len() && b[i].is_ascii_alphanumeric() {
        return None;
    }
    let (h, m, sec) = match fields[..] {
        [m, s] => (0, m, s),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    if m >= 60 || sec >= 60 {
        return None;
    }
    Some((i, format!("{h:02}:{m:02}:{sec:02}")))
}

/// A speaker label: a name of one to four words ("DANA WHITLOCK", "Dr. Ravi Menon",
/// "Speaker 1", "Q").
fn is_label(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 48 {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 4 {
        return false;
    }
    let first = words[0].chars().next().unwrap_or(' ');
    if !first.is_uppercase() {
        return false;
    }
    words.iter().enumerate().all(|(k, w)| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
            && w.chars().next().is_some_and(|c| c.is_uppercase())
            || (k > 0 && w.chars().all(|c| c.is_ascii_digit()))
    })
}

/// A line that starts a turn: (speaker, time, where the words start in the line).
fn turn_start(line: &str) -> Option<(Option<String>, Option<String>, usize)> {
    let indent = line.len() - line.trim_start().len();
    let mut at = indent;
    let mut time = None;
    // `[00:12:31]`, `(00:12:31)`, `00:12:31` first.
    let rest = &line[at..];
    let (open, close) = match rest.chars().next() {
        Some('[') => (1, Some(']')),
        Some('(') => (1, Some(')')),
        _ => (0, None),
    };
    if let Some((n, t)) = timestamp(&rest[open..]) {
        let mut end = open + n;
        if let Some(c) = close {
            if !rest[end..].starts_with(c) {
                return None;
            }
            end += 1;
        }
        time = Some(t);
        at += end;
        at += line[at..].len() - line[at..].trim_start().len();
        if line[at..].starts_with(['-', '–']) {
            at += line[at..].chars().next().map_or(0, char::len_utf8);
            at += line[at..].len() - line[at..].trim_start().len();
        }
    }
    let rest = &line[at..];
    let bold = rest.starts_with("**");
    let body = if bold { &rest[2..] } else { rest };
    // `Dana Whitlock  0:41` or `Dana Whitlock (00:00:41)` alone on its line (Otter,
    // Descript): the words follow on the next lines.
    if time.is_none() {
        let trimmed = rest.trim_end();
        if let Some(sp) = trimmed.rfind(char::is_whitespace) {
            let (name, t) = (trimmed[..sp].trim(), trimmed[sp..].trim());
            let t = t
                .strip_prefix(['(', '['])
                .and_then(|t| t.strip_suffix([')', ']']))
                .unwrap_or(t);
            if let Some((n, time)) = timestamp(t)
                && n == t.len()
                && is_label(name)
            {
                return Some((Some(name.to_string()), Some(time), line.len()));
            }
        }
    }
    // `[00:00:12] Dana Whitlock` alone on its line (Trint): the words follow.
    if let Some(t) = &time
        && !rest.trim().is_empty()
        && is_label(rest.trim().trim_matches('*'))
        && rest.split_whitespace().count() <= 3
        && !rest.trim().ends_with(['.', '?', '!'])
    {
        return Some((
            Some(rest.trim().trim_matches('*').trim().to_string()),
            Some(t.clone()),
            line.len(),
        ));
    }
    // `Speaker 1 (00:01:02):` has colons inside its parentheses.
    let colon = match body.find("):").or_else(|| body.find("]:")) {
        Some(k) if body[..k].contains(['(', '[']) => Some(k + 1),
        _ => body.find(':'),
    };
    if let Some(c) = colon {
        let mut name = body[..c].trim_end_matches('*').trim();
        let mut t2 = None;
        // `Speaker 1 (00:01:02):`, `Dana Whitlock [00:01:02]:`
        if let Some(p) = name.rfind(['(', '['])
            && name.ends_with([')', ']'])
            && let Some((_, t)) = timestamp(&name[p + 1..name.len() - 1])
        {
            t2 = Some(t);
            name = name[..p].trim();
        }
        if is_label(name) {
            let mut words = (if bold { 2 } else { 0 }) + c + 1;
            let after = &body[c + 1..];
            let stars = after.len() - after.trim_start_matches('*').len();
            words += stars;
            let tail = &rest[words..];
            words += tail.len() - tail.trim_start().len();
            return Some((Some(name.to_string()), time.or(t2), at + words));
        }
    }
    // A timestamp with words and no label: a turn whose speaker is not given.
    time.map(|t| (None, Some(t), at))
}

fn labelled(text: &str) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    let mut cur = Turn {
        speaker: None,
        time: None,
        pieces: Vec::new(),
        line: 1,
    };
    let mut in_front_matter = false;
    for (n, r) in lines(text) {
        let line = &text[r.clone()];
        if n == 1 && line.trim() == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            if line.trim() == "---" {
                in_front_matter = false;
            }
            continue;
        }
        if line.trim_start().starts_with('#') {
            // A markdown heading ends a turn; it is nobody's words.
            if !cur.pieces.is_empty() {
                turns.push(std::mem::replace(
                    &mut cur,
                    Turn {
                        speaker: None,
                        time: None,
                        pieces: Vec::new(),
                        line: n + 1,
                    },
                ));
            }
            continue;
        }
        if let Some((speaker, time, words)) = turn_start(line) {
            if !cur.pieces.is_empty() || cur.speaker.is_some() {
                turns.push(std::mem::take(&mut cur));
            }
            cur = Turn {
                speaker,
                time,
                pieces: Vec::new(),
                line: n,
            };
            if words < line.len() {
                cur.pieces.push(r.start + words..r.end);
            }
        } else if !line.trim().is_empty() {
            cur.pieces.push(r);
        }
    }
    if !cur.pieces.is_empty() {
        turns.push(cur);
    }
    turns
}

/// WebVTT and SubRip: blocks separated by blank lines, each with a `-->` timing line.
fn cues(text: &str) -> Vec<Turn> {
    let mut turns = Vec::new();
    let mut block: Vec<(usize, Range<usize>)> = Vec::new();
    let all: Vec<(usize, Range<usize>)> = lines(text).collect();
    for (k, item) in all.iter().enumerate() {
        let blank = text[item.1.clone()].trim().is_empty();
        if !blank {
            block.push(item.clone());
        }
        if (blank || k + 1 == all.len()) && !block.is_empty() {
            cue(text, &block, &mut turns);
            block.clear();
        }
    }
    turns
}

fn cue(text: &str, block: &[(usize, Range<usize>)], out: &mut Vec<Turn>) {
    let Some(t) = block
        .iter()
        .position(|(_, r)| text[r.clone()].contains("-->"))
    else {
        return; // WEBVTT header, NOTE, STYLE, REGION
    };
    let timing = text[block[t].1.clone()].trim();
    let time = timestamp(timing).map(|(_, t)| t);
    let mut speaker: Option<String> = None;
    let mut pieces = Vec::new();
    for (_, r) in &block[t + 1..] {
        let line = &text[r.clone()];
        // Tags (`<v Name>`, `<i>`, `</v>`, `<00:00:01.000>`) are not words.
        let mut at = 0;
        let mut first = true;
        while at < line.len() {
            let next_tag = line[at..].find('<').map(|k| at + k);
            let end = next_tag.unwrap_or(line.len());
            let mut s = at;
            if first && speaker.is_none() && next_tag != Some(at) {
                // `- NAME: words` or `NAME: words`
                let body = line[at..end].trim_start_matches(['-', ' ']);
                let skip = end - at - body.len();
                if let Some(c) = body.find(':')
                    && is_label(&body[..c])
                {
                    speaker = Some(body[..c].trim().to_string());
                    s = at + skip + c + 1;
                }
            }
            if end > s && !line[s..end].trim().is_empty() {
                pieces.push(r.start + s..r.start + end);
                first = false;
            }
            let Some(tag) = next_tag else { break };
            let (inner, close) = match line[tag..].find('>') {
                Some(k) => (&line[tag + 1..tag + k], tag + k + 1),
                None => (&line[tag + 1..], line.len()),
            };
            if let Some(v) = inner.strip_prefix('v') {
                // `<v Dana Whitlock>`, `<v.loud Dana Whitlock>`
                let name = v.split_once(' ').map_or("", |x| x.1).trim();
                if !name.is_empty() {
                    speaker = Some(name.to_string());
                }
            }
            at = close;
        }
    }
    if !pieces.is_empty() {
        out.push(Turn {
            speaker,
            time,
            pieces,
            line: block[t].0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(name: &str, text: &str) -> Vec<(Option<String>, Option<String>, String)> {
        parse(name, text)
            .into_iter()
            .map(|t| {
                let words: Vec<&str> = t.pieces.iter().map(|p| text[p.clone()].trim()).collect();
                (t.speaker, t.time, words.join(" "))
            })
            .collect()
    }

    fn t(s: Option<&str>, time: Option<&str>, w: &str) -> (Option<String>, Option<String>, String) {
        (s.map(String::from), time.map(String::from), w.to_string())
    }

    #[test]
    fn labels_with_and_without_timestamps() {
        let text = "# Interview, 3 May\n\n[00:03:12] MENON: We had no warning at all.\nNone.\n\n00:03:40 INTERVIEWER: Really?\nSpeaker 1 (00:04:02): It was a shock.\n**Dana Whitlock:** Not to me.\nJust words here.\n";
        assert_eq!(
            turns("i.md", text),
            vec![
                t(
                    Some("MENON"),
                    Some("00:03:12"),
                    "We had no warning at all. None."
                ),
                t(Some("INTERVIEWER"), Some("00:03:40"), "Really?"),
                t(Some("Speaker 1"), Some("00:04:02"), "It was a shock."),
                t(Some("Dana Whitlock"), None, "Not to me. Just words here."),
            ]
        );
    }

    #[test]
    fn otter_style_name_and_time_on_their_own_line() {
        let text = "Ravi Menon  0:41\nThe plant closes in June.\n\nDana Whitlock  1:02\nWe knew.\n";
        assert_eq!(
            turns("otter.txt", text),
            vec![
                t(
                    Some("Ravi Menon"),
                    Some("00:00:41"),
                    "The plant closes in June."
                ),
                t(Some("Dana Whitlock"), Some("00:01:02"), "We knew."),
            ]
        );
    }

    #[test]
    fn descript_and_trint_styles() {
        let text = "Dana Whitlock (00:00:41)\nThe plant closes in June.\n\n[00:01:02] Ravi Menon\nWe knew.\n\nDana Whitlock [00:01:30]: Fine.\n";
        assert_eq!(
            turns("d.txt", text),
            vec![
                t(
                    Some("Dana Whitlock"),
                    Some("00:00:41"),
                    "The plant closes in June."
                ),
                t(Some("Ravi Menon"), Some("00:01:02"), "We knew."),
                t(Some("Dana Whitlock"), Some("00:01:30"), "Fine."),
            ]
        );
    }

    #[test]
    fn sentences_with_colons_are_not_labels() {
        let text = "The rule is simple: nobody leaves early.\n";
        assert_eq!(
            turns("n.txt", text),
            vec![t(None, None, "The rule is simple: nobody leaves early.")]
        );
    }

    #[test]
    fn webvtt_voices_and_timings() {
        let text = "WEBVTT\n\nNOTE recorded at the council\n\n1\n00:41:07.000 --> 00:41:10.000\n<v Dana Whitlock>We found a billion\ndollars in savings.</v>\n\n00:41:10.000 --> 00:41:12.500\n<v.loud Ravi Menon><i>That</i> is not true.\n\n00:41:13.000 --> 00:41:14.000\nno voice here\n";
        assert_eq!(
            turns("council.vtt", text),
            vec![
                t(
                    Some("Dana Whitlock"),
                    Some("00:41:07"),
                    "We found a billion dollars in savings."
                ),
                t(Some("Ravi Menon"), Some("00:41:10"), "That is not true."),
                t(None, Some("00:41:13"), "no voice here"),
            ]
        );
    }

    #[test]
    fn subrip_cues_with_labels() {
        let text = "1\n00:00:05,000 --> 00:00:08,000\nMENON: The plant closes\nin June.\n\n2\n00:00:09,000 --> 00:00:10,000\n- WHITLOCK: No.\n";
        assert_eq!(
            turns("a.srt", text),
            vec![
                t(Some("MENON"), Some("00:00:05"), "The plant closes in June."),
                t(Some("WHITLOCK"), Some("00:00:09"), "No."),
            ]
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            timestamp("00:41:07.000 -->").map(|x| x.1).as_deref(),
            Some("00:41:07")
        );
        assert_eq!(timestamp("1:02").map(|x| x.1).as_deref(), Some("00:01:02"));
        assert_eq!(timestamp("12 May"), None);
        assert_eq!(timestamp("10:75"), None);
    }
}
