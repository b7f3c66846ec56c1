// Hex and base64 (RFC 4648 §4, standard alphabet, padded) for hashes, keys and signatures.
// Decoders are strict: any character outside the alphabet, bad padding or odd length fails.
#pragma once

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace carbonledger {

std::string HexEncode(std::string_view bytes);
Result<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view b64);

}  // namespace carbonledger
