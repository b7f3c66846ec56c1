#!/usr/bin/env python3
"""Converts docs/openapi.yaml to JSON and writes it as a C++ source (api/openapi.h)."""
import json
import sys

import yaml

source, output = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
with open(output, "w", encoding="utf-8") as f:
    f.write("// Generated from docs/openapi.yaml by api/openapi_embed.py: do not edit.\n")
    f.write('#include "api/openapi.h"\n\nnamespace carbonledger {\n\n')
    f.write("std::string_view OpenApiJson() {\n  static const char kText[] = ")
    # Raw string chunks keep the file readable and below compiler string limits.
    for i in range(0, len(text), 2000):
        f.write('R"OPENAPI(' + text[i:i + 2000] + ')OPENAPI"\n      ')
    f.write(";\n  return {kText, sizeof(kText) - 1};\n}\n\n}  // namespace carbonledger\n")
