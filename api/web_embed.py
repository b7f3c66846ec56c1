#!/usr/bin/env python3
"""Embeds the explorer's static files (api/web/) into a C++ source (api/web_files.h).

Usage: web_embed.py OUTPUT.cc FILE...   Each file is served as /web/<its name>; its content
type comes from its extension (an unknown extension fails the build) and its ETag from its
SHA-256, so a browser revalidates cheaply and never keeps a stale copy after an upgrade.
"""
import hashlib
import os
import sys

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

output, files = sys.argv[1], sorted(sys.argv[2:], key=os.path.basename)
arrays, table = [], []
for i, path in enumerate(files):
    name = os.path.basename(path)
    ext = os.path.splitext(name)[1]
    if ext not in TYPES:
        sys.exit(f"web_embed.py: {name}: no content type for '{ext}'")
    with open(path, "rb") as f:
        data = f.read()
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    lines = [", ".join(str(b) for b in data[j:j + 24]) for j in range(0, len(data), 24)]
    # A trailing zero keeps the array non-empty; the size excludes it.
    arrays.append(f"const unsigned char kFile{i}[] = {{\n" + ",\n".join(lines + ["0"]) + "};\n")
    table.append(f'    {{"{name}", "{TYPES[ext]}", R"({etag})", '
                 f"{{reinterpret_cast<const char*>(kFile{i}), {len(data)}}}}},\n")

with open(output, "w", encoding="utf-8") as f:
    f.write("// Generated from api/web/ by api/web_embed.py: do not edit.\n")
    f.write('#include "api/web_files.h"\n\nnamespace carbonledger::api {\nnamespace {\n\n')
    f.write("".join(arrays))
    f.write("\nconst WebFile kFiles[] = {\n" + "".join(table) + "};\n\n}  // namespace\n\n")
    f.write("std::span<const WebFile> WebFiles() { return kFiles; }\n\n")
    f.write("}  // namespace carbonledger::api\n")
