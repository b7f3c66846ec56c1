// Gzip: the "gzip" content coding (RFC 9110 §8.4.1.3, RFC 1952) for what the API sends
// compressed: entry bundles (c2sp.org/tlog-tiles: "Entry bundles SHOULD be compressed at the HTTP
// layer"), served gzip when the client accepts it, and written beside the static export as
// `<bundle>.gz` for servers that serve precompressed files (docs/scale.md §Static tiles). zlib is
// Debian's (zlib1g), the same library nginx's gzip_static and every browser's decoder agree with.
#pragma once

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace carbonledger {

// `data` as one gzip member (default compression level, no file name, mtime 0, so the same
// bytes always compress to the same file).
std::string Gzip(std::string_view data);
// The data of a gzip stream; "gzip.data" (Corruption) when it is not one, or is cut off, or
// would inflate beyond `max_bytes`.
Result<std::string> Gunzip(std::string_view gz, size_t max_bytes = 64 << 20);

// True when an Accept-Encoding header value accepts gzip: it names "gzip" (or "x-gzip", or "*")
// with a q-value above 0 (RFC 9110 §12.5.3).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace carbonledger
