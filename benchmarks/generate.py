#!/usr/bin/env python3
"""Deterministic benchmark corpora for Hieros (seeded, no network, standard library only).

  generate.py big  --mb 200 --seed 7 OUT.txt        one large document of corporate prose
  generate.py posts --count 100000 --seed 7 OUT.jsonl  short posts, the classify --jsonl input
  generate.py tree --files 5000 --seed 7 OUT_DIR     a tree of many small files
  generate.py rules --count 100 --seed 7 OUT.yaml    a synthetic policy of N rules with keywords

About one paragraph in fifty carries a sensitive item (a codename form, an employee id, a
marking, a preliminary figure, a card number...), the rest is ordinary prose, so that the
prefilter faces realistic keyword noise ("plan", "project", "team" occur everywhere).
"""
import json
import os
import random
import sys

WORDS = ("network fibre customer care quarter results team plan project roll-out mobile broadband "
         "coverage partner service price offer subscriber churn revenue margin growth strategy board "
         "meeting agenda update review support ticket deploy release feature office training hiring "
         "community event conference keynote innovation cloud security platform data analytics "
         "deal transaction programme initiative workstream pilot deck budget timeline").split()
FRENCH = ("réseau client équipe projet offre tarif abonné marge résultats réunion conseil stratégie "
          "déploiement fibre couverture partenaire chiffre d'affaires prévision calendrier").split()
SENSITIVE = [
    "Kick-off of Project Kestrel next week.",
    "Ping MT{d6} for the deck.",
    "MERIDIAN INTERNAL - do not forward.",
    "Preliminary Q3 EBITDA at €{d1}.{d2}bn, above consensus.",
    "Card on file: 4111 1111 1111 1111.",
    "Ticket INC{d7} is still open.",
    "The Magpie workstream meets on Friday.",
    "Les chiffres provisoires font ressortir une marge de {d2},{d1} %.",
    "Sandbox key mrd_test_{b32}.",
    "#Kestrel #birding",
]
BENIGN_TRAPS = [
    "Spotted a kestrel over the car park this morning.",
    "Project Kuiper launches another batch of satellites.",
    "Flash sale: 30% off all plans.",
    "A cascade of notifications hit the on-call phone.",
    "Send your CV to careers@meridian-telecom.com.",
]
BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def fill(template, rng):
    return template.format(d1=rng.randint(1, 9), d2=rng.randint(10, 99), d6=rng.randint(100000, 999999),
                           d7=rng.randint(1000000, 9999999), b32="".join(rng.choice(BASE62) for _ in range(32)))


def paragraph(rng):
    vocabulary = FRENCH if rng.random() < 0.15 else WORDS
    sentences = []
    for _ in range(rng.randint(2, 6)):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(6, 18))]
        sentences.append(" ".join(words).capitalize() + ".")
    roll = rng.random()
    if roll < 0.02:
        sentences.insert(rng.randint(0, len(sentences)), fill(rng.choice(SENSITIVE), rng))
    elif roll < 0.05:
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(BENIGN_TRAPS))
    return " ".join(sentences)


def big(out, megabytes, rng):
    target = megabytes * 1024 * 1024
    written = 0
    with open(out, "w", encoding="utf-8") as handle:
        while written < target:
            text = paragraph(rng) + "\n\n"
            handle.write(text)
            written += len(text.encode("utf-8"))


def posts(out, count, rng):
    channels = ["linkedin", "x", "hive", "intranet", "press"]
    with open(out, "w", encoding="utf-8") as handle:
        for index in range(count):
            text = paragraph(rng)[:280]
            handle.write(json.dumps({"id": index, "text": text, "channel": rng.choice(channels)}, ensure_ascii=False) + "\n")


def tree(out, files, rng):
    for index in range(files):
        folder = os.path.join(out, f"team-{index % 37:02d}", f"year-{2020 + index % 6}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"note-{index:05d}.md"), "w", encoding="utf-8") as handle:
            handle.write("\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 8))) + "\n")


def rules(out, count, rng):
    lines = ["version: 1", "rules:"]
    for index in range(count):
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
        lines += [f"  - id: synthetic.rule-{index:04d}", "    level: internal", "    description: Synthetic rule.",
                  "    message: Synthetic finding.", f"    keywords: [{word}]",
                  f"    pattern: '(?<![A-Za-z0-9]){word}[-_ ]?\\d{{2,6}}(?![A-Za-z0-9])'",
                  f"    examples: {{match: ['{word}-42'], no_match: ['{word}']}}"]
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    kind, out = argv[1], argv[-1]
    options = dict(zip(argv[2:-1:2], argv[3:-1:2]))
    rng = random.Random(int(options.get("--seed", "7")))
    if kind == "big":
        big(out, int(options.get("--mb", "200")), rng)
    elif kind == "posts":
        posts(out, int(options.get("--count", "100000")), rng)
    elif kind == "tree":
        tree(out, int(options.get("--files", "5000")), rng)
    elif kind == "rules":
        rules(out, int(options.get("--count", "100")), rng)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
