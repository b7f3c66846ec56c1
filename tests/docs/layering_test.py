#!/usr/bin/env python3
"""The layering of the libraries (docs/architecture.md §Libraries) against the includes.

Each library may include its own headers and those of the libraries below it, never one above
or beside it, and never another library's private headers (anything under an `internal/`
folder). The tools on top may include any library's public headers. Tests may include
anything (they test internals beside what they test).

Usage: layering_test.py SOURCE_DIR      checks the tree, lists every violation
       layering_test.py --self-test     checks that the checker finds planted violations
"""
import os
import re
import sys
import tempfile

import tree_check

# (name, folder, the libraries it may include besides itself), bottom to top. A file belongs to
# the library with the longest folder that prefixes its path.
LAYERS = [
    ("crypto", "crypto", []),
    ("accounting", "accounting", ["crypto"]),
    ("log", "ledger/log", ["crypto"]),
    ("registry", "ledger/registry", ["crypto", "log"]),
    ("certification", "ledger/certification", ["crypto", "log", "registry", "accounting"]),
    ("wire", "api/wire", ["crypto"]),
    ("client", "api/client", ["crypto", "log", "wire"]),
    ("api", "api", ["crypto", "log", "registry", "certification", "accounting", "wire"]),
    ("tools", "tools",
     ["crypto", "log", "registry", "certification", "accounting", "wire", "client", "api"]),
]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    best = None
    for name, folder, deps in LAYERS:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best[1]):
                best = (name, folder, deps)
    return best


def check(root):
    problems = []
    for _, folder, _ in LAYERS:
        base = os.path.join(root, folder)
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                if not f.endswith((".cc", ".h", ".c")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")
                own = layer_of(rel)
                if own is None or own[1] != folder:
                    continue  # belongs to a deeper layer, checked there
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                for inc in INCLUDE.findall(text):
                    target = layer_of(inc)
                    if target is None:
                        if not inc.startswith(("tests/",)) and "/" in inc:
                            continue  # generated or system-relative headers
                        if inc.startswith("tests/"):
                            problems.append(f"{rel}: includes test code {inc}")
                        continue
                    if target[0] != own[0] and target[0] not in own[2]:
                        problems.append(
                            f"{rel}: library '{own[0]}' includes {inc} of '{target[0]}', "
                            f"which is not below it")
                    elif target[0] != own[0] and "/internal/" in "/" + inc:
                        problems.append(
                            f"{rel}: includes {inc}, a private header of '{target[0]}'")
    return problems


def self_test():
    planted = {
        "crypto/bad.cc": '#include "ledger/log/ledger.h"\n',
        "ledger/log/bad.cc": '#include "ledger/registry/accounts.h"\n',
        "ledger/registry/bad.cc": '#include "ledger/log/internal/store.h"\n',
        "accounting/bad.cc": '#include "ledger/log/state.h"\n',
        "api/bad.cc": '#include "accounting/internal/json_reader.h"\n',
        "tools/x/bad.cc": '#include "ledger/certification/internal/keys.h"\n',
        "ledger/registry/good.cc": '#include "ledger/registry/internal/records.h"\n'
        '#include "ledger/log/state.h"\n#include "crypto/status.h"\n',
        "tools/x/good.cc": '#include "api/server.h"\n#include "ledger/log/ledger.h"\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for path, text in planted.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as out:
                out.write(text)
        found = check(root)
        bad = sorted(p for p in planted if "bad" in p)
        hit = sorted({p.split(":")[0] for p in found})
        if hit != bad:
            print("self-test: expected violations in", bad, "found", found)
            return 1
    print(f"self-test: {len(bad)} planted violations found, clean files pass")
    return 0


if __name__ == "__main__":
    sys.exit(tree_check.run(check, self_test, lambda n: f"{n} include(s) break the layering (docs/architecture.md §Libraries)",
                            "layering: every include goes down the layers, no private header is shared"))
