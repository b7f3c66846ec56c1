#!/usr/bin/env python3
"""The error catalogue (docs/errors.md) against the code.

Every reason the code raises — Status::Code("reason", ...), Status(Code::kX, "reason", ...),
a parser's Error("reason", ...), and the accounting documents' FieldError(kPrefix, "kind", ...)
families ("<prefix>.<kind>") — must have a row in docs/errors.md naming the same Status code(s)
and the HTTP status api/wire/problem.cc's HttpStatus gives those codes; and every row must name a
reason the code still raises. Usage: error_catalogue_test.py SOURCE_DIR
"""
import glob
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")

# HttpStatus: "case Code::kX:" lines up to the next "return N;".
problem = open(os.path.join(root, "api/wire/problem.cc"), encoding="utf-8").read()
body = problem[problem.index("int HttpStatus(") :]
body = body[: body.index("\n}\n")]
http = {}
pending = []
for line in body.splitlines():
    m = re.search(r"case Code::k(\w+):", line)
    if m:
        pending.append(m.group(1))
    m = re.search(r"return (\d+);", line)
    if m:
        for c in pending:
            http[c] = int(m.group(1))
        pending = []

# Reasons raised by the code, with their Status codes.
raised = {}
sources = []
for d in ("crypto", "ledger", "accounting", "api", "tools"):
    sources += glob.glob(os.path.join(root, d, "**", "*.cc"), recursive=True)
    sources += glob.glob(os.path.join(root, d, "**", "*.h"), recursive=True)
reason = r'"([a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*)"'
for path in sources:
    text = open(path, encoding="utf-8").read()
    rel = os.path.relpath(path, root)
    found = [(m.group(1), m.group(2)) for m in re.finditer(r"Status::(\w+)\(\s*" + reason, text)]
    found += [(m.group(1), m.group(2)) for m in re.finditer(r"Status\(\s*Code::k(\w+),\s*" + reason, text)]
    # The strict JSON parser's errors (ledger/canonical_json.cc) and the transaction decoder's
    # field errors (ledger/transaction.cc) are InvalidArgument.
    found += [("InvalidArgument", m.group(1)) for m in re.finditer(r"\bError\(\s*" + reason, text)]
    found += [("InvalidArgument", m.group(1))
              for m in re.finditer(r"\bFieldError\(\s*" + reason, text)]
    # A missing state record (ledger/registry_state.cc RequireRecord) is NotFound.
    found += [("NotFound", m.group(1))
              for m in re.finditer(r"RequireRecord\([^;]*?,\s*" + reason, text)]
    # A new generator's or project's id (ledger/registry/registration.cc): NewIdField(body,
    # "what") raises "what.id", RequireIdFree(state, key, id, "what") "what.exists".
    found += [("InvalidArgument", m.group(1) + ".id")
              for m in re.finditer(r'\bNewIdField\([^;]*?"(\w+)"\)', text)]
    found += [("Conflict", m.group(1) + ".exists")
              for m in re.finditer(r'\bRequireIdFree\([^;]*?"(\w+)"\)', text)]
    prefix = re.search(r'kPrefix = "(\w+)"', text)
    if prefix:
        found += [("InvalidArgument", prefix.group(1) + "." + m.group(1))
                  for m in re.finditer(r'FieldError\(\s*kPrefix,\s*"(\w+)"', text)]
        if "ExpectArray(" in text:
            found.append(("InvalidArgument", prefix.group(1) + ".type"))
    for code, r in found:
        if code in ("Ok", "OK"):
            continue
        raised.setdefault(r, {}).setdefault(code, set()).add(rel)

# The catalogue's rows: | `reason` | Code[ / Code] | HTTP | ... |
doc = open(os.path.join(root, "docs/errors.md"), encoding="utf-8").read()
rows = {}
for m in re.finditer(r"^\| `([^`]+)` \| ([A-Za-z /]+) \| ([0-9 /]+) \|", doc, re.M):
    rows[m.group(1)] = ([c.strip() for c in m.group(2).split("/")],
                        [int(s) for s in m.group(3).split("/")])

failures = []
for r, codes in sorted(raised.items()):
    if r not in rows:
        where = ", ".join(sorted({f for fs in codes.values() for f in fs}))
        failures.append(f"{r}: raised ({'/'.join(sorted(codes))}, {where}) but not in docs/errors.md")
        continue
    doc_codes, doc_http = rows[r]
    if sorted(doc_codes) != sorted(codes):
        failures.append(f"{r}: docs/errors.md says {'/'.join(doc_codes)}, the code raises {'/'.join(sorted(codes))}")
    want_http = sorted({http[c] for c in codes if c in http})
    if sorted(set(doc_http)) != want_http:
        failures.append(f"{r}: docs/errors.md says HTTP {doc_http}, HttpStatus gives {want_http}")
for r in sorted(set(rows) - set(raised)):
    failures.append(f"{r}: in docs/errors.md but raised nowhere")

print(f"{len(raised)} reasons raised, {len(rows)} documented")
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
