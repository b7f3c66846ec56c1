// Early-return helpers for Status and Result inside cl_accounting (private).
#pragma once

#include "crypto/status.h"

#define CL_RETURN_IF_ERROR(expr)         \
  do {                                   \
    ::carbonledger::Status _st = (expr); \
    if (!_st.ok()) return _st;           \
  } while (0)

#define CL_CONCAT_INNER(a, b) a##b
#define CL_CONCAT(a, b) CL_CONCAT_INNER(a, b)
#define CL_ASSIGN_OR_RETURN(lhs, expr)             \
  auto CL_CONCAT(_result_, __LINE__) = (expr);     \
  if (!CL_CONCAT(_result_, __LINE__).ok()) {       \
    return CL_CONCAT(_result_, __LINE__).status(); \
  }                                                \
  lhs = std::move(*CL_CONCAT(_result_, __LINE__))
