// DaemonConfig: carbonledgerd's settings. Each setting has one name used three ways, in
// increasing precedence: a line "name = value" in the --config file, the environment
// variable CARBONLEDGER_<NAME> (upper case, '-' as '_'), and the flag --name value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/server.h"
#include "crypto/status.h"

namespace carbonledger {

struct DaemonConfig {
  std::string data = "data";
  std::string genesis;        // a signed genesis submission, used only when data holds no ledger
  int store_retry_ms = 1000;  // after a failed store write, between attempts to reopen it
  int max_batch_bytes = 4 << 20;  // LedgerOptions::max_batch_bytes
  ServerOptions server;
  bool show_help = false;
  bool show_version = false;
};

struct ConfigSetting {
  const char* name;
  const char* help;
  const char* default_value;
};
const std::vector<ConfigSetting>& ConfigSettings();

// Parses argv (without argv[0]) and the environment (`env`, name -> value).
Result<DaemonConfig> ParseDaemonConfig(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& env);
std::string DaemonHelp();

}  // namespace carbonledger
