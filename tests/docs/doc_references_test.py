#!/usr/bin/env python3
"""Doc references in code comments against the docs.

Every "docs/NAME.md" named in a source file (C++, Python, JavaScript, shell, CMake) must exist,
and every "§Section" that follows it in the same line (docs/x.md §A, §B) must be a heading of
that file: the heading's text equals the reference, or the reference continues past it
("§Rounding says ..."), or the reference is cut by the end of the comment line.

Usage: doc_references_test.py SOURCE_DIR     checks the tree
       doc_references_test.py --self-test    checks that planted bad references are found
"""
import os
import re
import sys
import tempfile

import tree_check

SOURCES = ("crypto", "ledger", "accounting", "api", "tools", "tests", ".ci")
EXTENSIONS = (".cc", ".h", ".c", ".py", ".js", ".mjs", ".sh", ".txt", ".cmake", ".lua", ".in")
DOC = re.compile(r"docs/([A-Za-z0-9_.-]+?\.md)")
SECTION = re.compile(r"§\s*([^,;()§\"]+)")


def headings(path):
    out = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            out.append(m.group(1).replace("`", "").strip())
    return out


def matches(ref, heads, cut):
    ref = ref.replace("`", "").strip().rstrip(".:")
    for h in heads:
        if ref == h or ref.startswith(h + " ") or ref.startswith(h + ":"):
            return True
        # A reference cut by the end of the line, or naming a heading's first words.
        if h.startswith(ref) and (cut or len(h) == len(ref) or not h[len(ref)].isalnum()):
            return True
    return False


def check(root):
    problems = []
    cache = {}
    for top in SOURCES:
        for dirpath, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if d not in ("node_modules", "corpus", "fixtures")]
            for f in sorted(files):
                if os.path.samefile(os.path.join(dirpath, f), __file__) or f == "layering_test.py":
                    continue  # their own examples
                if not (f.endswith(EXTENSIONS) or f == "CMakeLists.txt" or "." not in f):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                try:
                    lines = open(path, encoding="utf-8").read().splitlines()
                except (UnicodeDecodeError, IsADirectoryError):
                    continue
                for n, line in enumerate(lines, 1):
                    for m in DOC.finditer(line):
                        name = m.group(1)
                        doc = os.path.join(root, "docs", name)
                        if not os.path.isfile(doc):
                            problems.append(f"{rel}:{n}: docs/{name} does not exist")
                            continue
                        if doc not in cache:
                            cache[doc] = headings(doc)
                        rest = line[m.end():]
                        nxt = DOC.search(rest)
                        if nxt:
                            rest = rest[: nxt.start()]
                        for s in SECTION.finditer(rest):
                            ref = s.group(1).rstrip()
                            cut = s.end() >= len(rest.rstrip())  # runs to the end of the line
                            if ref.endswith("."):
                                ref, cut = ref[:-1], False
                            if not matches(ref, cache[doc], cut):
                                problems.append(f"{rel}:{n}: docs/{name} has no section '{ref}'")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "docs"))
        os.makedirs(os.path.join(root, "ledger"))
        with open(os.path.join(root, "docs", "a.md"), "w", encoding="utf-8") as out:
            out.write("# A\n\n## Entries\n\n### Worked example: the key named\n")
        cases = {
            "// docs/a.md §Entries": True,
            "// (docs/a.md §Entries, §Worked example: the key)": True,
            "// docs/a.md §Worked example: the": True,
            "// docs/a.md §Entries says so.": True,
            "// docs/a.md §Bundle": False,
            "// docs/a.md §Entries, §Nothing": False,
            "// docs/missing.md": False,
            "// docs/a.md §Entrie.": False,
        }
        for i, text in enumerate(cases):
            with open(os.path.join(root, "ledger", f"f{i}.cc"), "w", encoding="utf-8") as out:
                out.write(text + "\n")
        found = {p.split(":")[0] for p in check(root)}
        for i, (text, ok) in enumerate(cases.items()):
            flagged = os.path.join("ledger", f"f{i}.cc") in found
            if flagged == ok:
                print(f"self-test: '{text}' was {'flagged' if flagged else 'passed'}")
                return 1
    print(f"self-test: {len(cases)} planted references judged as expected")
    return 0


if __name__ == "__main__":
    sys.exit(tree_check.run(check, self_test, lambda n: f"{n} doc reference(s) point nowhere",
                            "doc references: every docs/*.md and § named in the code exists"))
