// The API's OpenAPI 3 description: docs/openapi.yaml, converted to JSON at build time and
// served at /v1/openapi.json.
#pragma once

#include <string_view>

namespace carbonledger {

std::string_view OpenApiJson();

}  // namespace carbonledger
