#!/usr/bin/env python3
"""A workspace for measuring the source check (issue 15): 100k words of transcripts under
sources/ (WebVTT, SubRip, labelled text) and a 10k-word draft quoting them (verbatim, with
omissions, with changed words, misattributed) and quoting people who were not recorded.

  python3 benches/make_sources_workspace.py DIR
  cd DIR && python3 ../shared/tools/lspc.py --server "copydesk lsp" latency article-10k.md
"""
import pathlib, random, sys

rnd = random.Random(15)
WORDS = ("council budget school road water money plan year week people city board vote "
         "service transit fare teacher repair contract depot driver bus audit report number "
         "million dollar tax rate family street park library hospital nurse police fire "
         "housing rent permit zoning market shop worker union strike meeting session "
         "question answer problem promise deadline spring summer winter autumn morning").split()
GLUE = "the a of to and in that is was we they it for on with as at by this not be have".split()
SPEAKERS = ["Dana Whitlock", "Ravi Menon", "Priya Natarajan", "Tom Okafor", "Lena Brandt",
            "Marcus Hale", "Ines Duarte", "Kofi Mensah"]


def sentence(n=None):
    n = n or rnd.randint(8, 22)
    w = [rnd.choice(WORDS) if rnd.random() < 0.55 else rnd.choice(GLUE) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def main(out):
    out = pathlib.Path(out)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    turns = []  # (file, speaker, text)
    total = 0
    f = 0
    while total < 100_000:
        kind = ["vtt", "srt", "txt"][f % 3]
        lines = ["WEBVTT", ""] if kind == "vtt" else []
        t = 0
        for k in range(120):
            sp = rnd.choice(SPEAKERS)
            text = " ".join(sentence() for _ in range(rnd.randint(1, 3)))
            total += len(text.split())
            turns.append((f"s{f:02}.{kind}", sp, text))
            hh, mm, ss = t // 3600, t // 60 % 60, t % 60
            if kind == "vtt":
                lines += [f"{hh:02}:{mm:02}:{ss:02}.000 --> {hh:02}:{mm:02}:{ss + 5 if ss < 54 else ss:02}.000",
                          f"<v {sp}>{text}", ""]
            elif kind == "srt":
                lines += [str(k + 1), f"{hh:02}:{mm:02}:{ss:02},000 --> {hh:02}:{mm:02}:{ss:02},900",
                          f"{sp.split()[-1].upper()}: {text}", ""]
            else:
                lines.append(f"[{hh:02}:{mm:02}:{ss:02}] {sp.split()[-1].upper()}: {text}")
            t += rnd.randint(5, 40)
        (out / "sources" / f"s{f:02}.{kind}").write_text("\n".join(lines) + "\n")
        f += 1
    paras = ["# A long story quoting the recordings", ""]
    words = 0
    while words < 10_000:
        r = rnd.random()
        if r < 0.3:
            _, sp, text = rnd.choice(turns)
            q = text.split()[: rnd.randint(6, 16)]
            if rnd.random() < 0.3:
                q[rnd.randrange(len(q))] = "changed"
            who = sp.split()[-1] if rnd.random() < 0.85 else rnd.choice(SPEAKERS).split()[-1]
            p = f"{sentence()} “{' '.join(q)},” {who} said."
        elif r < 0.4:
            p = f"“{sentence(12)[:-1]},” said {rnd.choice(['Ana Ruiz', 'Joel Park', 'Mia Chen'])}."
        else:
            p = " ".join(sentence() for _ in range(rnd.randint(2, 5)))
        words += len(p.split())
        paras += [p, ""]
    (out / "article-10k.md").write_text("\n".join(paras))
    print(f"{f} source files, {total} words; draft {words} words")


main(sys.argv[1])
