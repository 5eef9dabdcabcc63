#!/usr/bin/env python3
"""Turns `hieros policy export --patterns` output into what ripgrep's engines accept:
  portable-patterns.py pcre2 < in > out   drop PCRE2 start-of-pattern verbs such as (*UCP),
                                           which rg -P rejects once it joins the patterns
  portable-patterns.py rust  < in > out   also drop lookarounds and \\p{..} classes, which Rust's
                                           regex lacks: an approximation of the same matching work
                                           (a superset of the matches), for rg --no-unicode
"""
import re
import sys


def strip_lookarounds(pattern):
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i:i + 2]); i += 2; continue
        if pattern.startswith(("(?<!", "(?<=", "(?!", "(?="), i):
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\": j += 2; continue
                if pattern[j] == "(": depth += 1
                elif pattern[j] == ")":
                    depth -= 1
                    if depth == 0: break
                j += 1
            i = j + 1
            continue
        out.append(pattern[i]); i += 1
    return "".join(out)


def main():
    flavour = sys.argv[1] if len(sys.argv) > 1 else "pcre2"
    for line in sys.stdin:
        pattern = re.sub(r"^\(\*[A-Z_]+\)", "", line.rstrip("\n"))
        if flavour == "rust":
            pattern = strip_lookarounds(pattern)
            pattern = pattern.replace(r"\p{L}", "a-zA-Z").replace(r"\p{N}", "0-9").replace("(?>", "(?:")
            pattern = re.sub(r"([*+?}])\+", r"\1", pattern)  # possessive quantifiers
        print(pattern)


main()
