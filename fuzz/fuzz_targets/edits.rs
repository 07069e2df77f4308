//! Edit application: arbitrary incremental edits on `Text` (any positions, any encoding)
//! leave it equal to the simple model in tests/reliability_support/model.rs.
#![no_main]

#[path = "../../tests/reliability_support/model.rs"]
mod model;

use copydesk::text::{Encoding, Pos, Text};
use libfuzzer_sys::fuzz_target;
use model::Enc;

fuzz_target!(|data: &[u8]| {
    // Layout: [encoding] [initial text length] initial text, then edits of
    // [line][col][line][col][len] text.
    let Some((&e, rest)) = data.split_first() else {
        return;
    };
    let (enc, e) = match e % 3 {
        0 => (Encoding::Utf8, Enc::Utf8),
        1 => (Encoding::Utf16, Enc::Utf16),
        _ => (Encoding::Utf32, Enc::Utf32),
    };
    let Some((&n, rest)) = rest.split_first() else {
        return;
    };
    let n = (n as usize).min(rest.len());
    let initial = String::from_utf8_lossy(&rest[..n]).into_owned();
    let mut rest = &rest[n..];
    let mut text = Text::new(&initial);
    let mut m = initial;
    while rest.len() >= 5 {
        let (h, tail) = rest.split_at(5);
        let len = (h[4] as usize % 8).min(tail.len());
        let new = String::from_utf8_lossy(&tail[..len]).into_owned();
        rest = &tail[len..];
        // Small numbers mostly; 255 means "far past the end".
        let num = |b: u8| if b == 255 { u32::MAX } else { b as u32 % 40 };
        let (a, b) = ((num(h[0]), num(h[1])), (num(h[2]), num(h[3])));
        text.edit(Pos::new(a.0, a.1), Pos::new(b.0, b.1), &new, enc);
        model::edit(&mut m, a, b, &new, e);
        assert_eq!(text.to_string_lossless(), m);
        assert_eq!(text.len_lines(), model::lines(&m).len());
    }
    for b in 0..=m.len() {
        if model::addressable(&m, b) {
            let p = text.position(b, enc);
            assert_eq!((p.line, p.character), model::position(&m, b, e));
            assert_eq!(text.offset(p, enc).0, b);
        }
    }
});
