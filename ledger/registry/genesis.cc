#include "ledger/registry/genesis.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "crypto/encoding.h"
#include "ledger/log/ledger.h"
#include "ledger/log/tx_types.h"
#include "ledger/registry/transaction_types.h"

namespace carbonledger {

std::string OperatorKeyPath(const std::string& data_dir) { return data_dir + "/keys/operator.key"; }
std::string LogPublicKeyPath(const std::string& data_dir) { return data_dir + "/keys/log.pub"; }

bool LedgerExists(const std::string& data_dir) {
  return std::filesystem::exists(LedgerDbPath(data_dir) + "/CURRENT");
}

Result<SignedTransaction> MakeGenesis(const GenesisOptions& o, const SigningKey& operator_key,
                                      const PublicKey& log_key) {
  if (!IsValidKeyName(o.origin)) {
    return Status::InvalidArgument("genesis.origin",
                                   "origin must be printable ASCII without spaces or '+'");
  }
  nlohmann::json body = {{"origin", o.origin},
                         {"operator",
                          {{"account", o.operator_account},
                           {"public_key", Base64Encode(AsBytes(operator_key.public_key()))}}},
                         {"log_key", FormatPublicKey(o.origin, log_key)},
                         {"gec_validity_months", o.gec_validity_months},
                         {"format", kLedgerFormat},
                         {"max_tx_validity_s", o.max_tx_validity_s}};
  if (o.not_after_ms != 0) {
    return SignTransaction("genesis", o.origin, o.operator_account, 1, body, operator_key,
                           o.not_after_ms);
  }
  return SignTransaction("genesis", o.origin, o.operator_account, 1, body, operator_key);
}

Status InitLedger(const std::string& data_dir, const GenesisOptions& o) {
  if (LedgerExists(data_dir)) {
    return Status::Conflict("ledger.exists", "a ledger already exists in " + data_dir);
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir + "/keys", ec);
  if (ec) return Status::IOError("init.keys", "cannot create " + data_dir + "/keys");
  ::chmod((data_dir + "/keys").c_str(), 0700);
  SigningKey op = SigningKey::Generate();
  SigningKey log = SigningKey::Generate();
  if (Status s = WritePrivateKeyFile(OperatorKeyPath(data_dir), o.operator_account, op); !s.ok()) {
    return s;
  }
  if (Status s = WritePrivateKeyFile(LogKeyPath(data_dir), o.origin, log); !s.ok()) return s;
  {
    std::ofstream pub(LogPublicKeyPath(data_dir));
    pub << FormatPublicKey(o.origin, log.public_key()) << "\n";
    if (!pub) return Status::IOError("init.keys", "cannot write " + LogPublicKeyPath(data_dir));
  }
  auto genesis = MakeGenesis(o, op, log.public_key());
  if (!genesis.ok()) return genesis.status();
  return Ledger::Create(data_dir, *genesis, RegistryTable());
}

}  // namespace carbonledger
