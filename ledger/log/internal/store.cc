#include "ledger/log/internal/store.h"

namespace carbonledger {

Status StoreClosed() {
  return Status::Unavailable("store.unavailable",
                             "the store is closed: reopening it after a failed write has not "
                             "succeeded yet");
}

}  // namespace carbonledger
