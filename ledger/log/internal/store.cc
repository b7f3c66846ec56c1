#include "ledger/log/internal/store.h"

namespace carbonledger {

Hash HashFromBytes(std::string_view b) {
  Hash h{};
  std::copy_n(b.begin(), 32, h.begin());
  return h;
}

Status StoreClosed() {
  return Status::Unavailable("store.unavailable",
                             "the store is closed: reopening it after a failed write has not "
                             "succeeded yet");
}

}  // namespace carbonledger
