// Readable: the CLI's default rendering of API answers for people (`--json` gives the JSON as
// served). Any JSON value renders, so every query command shares one renderer:
//   - an object's scalar members as aligned "name  value" lines, then each nested object or
//     array as an indented section under its name;
//   - an array of objects as a table: one column per member (in order of first appearance),
//     a header, a rule, a row per element; nested values in a cell as compact JSON;
//   - an array of scalars as one comma-separated line.
// Widths count display columns (CJK characters are two wide), so park names line up.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace carbonledger::cli {

std::string Readable(const nlohmann::json& value);

// Display columns of a UTF-8 string: one per code point, two for East Asian wide ones.
size_t DisplayWidth(const std::string& utf8);

}  // namespace carbonledger::cli
