// CERT_ASSIGN(var, expr): the one error-propagation shape of certification's code. `expr` gives
// a Result; on failure its Status is returned from the enclosing function, otherwise `var` is
// bound to the value. Private to ledger/certification.
#pragma once

#define CERT_ASSIGN(var, expr)                          \
  auto var##_result = (expr);                           \
  if (!var##_result.ok()) return var##_result.status(); \
  auto& var = *var##_result
