// The explorer's static files (api/web/: HTML, CSS and ES modules, no build step), embedded at
// build time by api/web_embed.py so that carbonledgerd serves them without a directory
// (docs/explorer.md). Private to api/.
#pragma once

#include <span>
#include <string_view>

namespace carbonledger::api {

struct WebFile {
  std::string_view name;          // served as /web/<name>; index.html also as /
  std::string_view content_type;  // from the extension
  std::string_view etag;          // quoted, from the content's SHA-256
  std::string_view body;
};

std::span<const WebFile> WebFiles();

}  // namespace carbonledger::api
