// carbonledger: the command-line client and offline verifier (docs/cli.md).
#include <functional>
#include <iostream>
#include <string>

#include "api/versions.h"
#include "tools/carbonledger/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const carbonledger::cli::Args&);
  const char* help;
};

const Command kCommands[] = {
    {"init", carbonledger::cli::InitCommand,
     "init --data DIR [--origin O] [--operator ID] [--gec-validity-months N] "
     "[--max-tx-validity SECONDS]"},
    {"keygen", carbonledger::cli::KeygenCommand, "keygen --name ACCOUNT --out FILE"},
    {"checkpoint", carbonledger::cli::CheckpointCommand, "checkpoint --data DIR | --server URL"},
    {"proof", carbonledger::cli::ProofCommand,
     "proof inclusion --seq N [--tree-size M] | consistency --from A [--to B]  "
     "(--data DIR | --server URL)"},
    {"verify-ledger", carbonledger::cli::VerifyLedgerCommand,
     "verify-ledger --data DIR [--log-key FILE] [--threads N]"},
    {"verify-inclusion", carbonledger::cli::VerifyInclusionCommand,
     "verify-inclusion --proof F --checkpoint F --log-key F"},
    {"verify-consistency", carbonledger::cli::VerifyConsistencyCommand,
     "verify-consistency --proof F --old F --new F --log-key F"},
    {"tx", carbonledger::cli::TxCommand,
     "tx TYPE --key F [--server URL] [--body JSON|@F] [name=value ...] [name:=json ...] "
     "[--valid-for SECONDS] [--json]"},
    {"get", carbonledger::cli::GetCommand, "get PATH [--server URL] [--key F] [--json]"},
    {"inventory", carbonledger::cli::InventoryCommand,
     "inventory compute FILE [--factors F | --factor-set V] [--json]"},
    {"neutrality", carbonledger::cli::NeutralityCommand,
     "neutrality --data DIR --park P --year Y --profile ID|FILE"},
    {"evaluation", carbonledger::cli::EvaluationCommand, "evaluation --data DIR --park P --year Y"},
    {"verify-statement", carbonledger::cli::VerifyStatementCommand,
     "verify-statement --bundle F --log-key F"},
    {"witness", carbonledger::cli::WitnessCommand,
     "witness --key F --logs FILE --data DIR [--listen HOST:PORT] [--log-level N]"},
    {"witness-key", carbonledger::cli::WitnessKeyCommand, "witness-key --key F"},
    {"mirror", carbonledger::cli::MirrorCommand,
     "mirror --from URL --data DIR [--listen HOST:PORT] [--log-key F] [--witnesses F "
     "[--require-witnesses K]] [--interval-ms N] [--log-level N]"},
    {"export-tiles", carbonledger::cli::ExportTilesCommand,
     "export-tiles (--data DIR | --from URL --log-key F) --out DIR [--follow [--interval-ms N]]"},
    {"demo", carbonledger::cli::DemoCommand, "demo [--server URL] [--data DIR]"},
    {"bench", carbonledger::cli::BenchCommand,
     "bench [--entries N] [--blocks N] [--quick] [--registry-only | --large-only] [--dir DIR]"},
    {"bench-scale", carbonledger::cli::BenchScaleCommand,
     "bench-scale [--entries N] [--rounds R] [--dir DIR]"},
    {"bench-http-prep", carbonledger::cli::BenchHttpPrepCommand,
     "bench-http-prep --server URL --data D --out DIR [--signers N] [--per-signer M]"},
};

void Usage(std::ostream& out) {
  out << "usage: carbonledger <command> [args]\n\ncommands:\n";
  for (const Command& c : kCommands) out << "  " << c.help << "\n";
  out << "  --version\n\nqueries (readable tables; --json for JSON):\n";
  for (const auto& [usage, what] : carbonledger::cli::QueryCommandUsages()) {
    out << "  " << usage << "\n      " << what << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "--help";
  if (cmd == "--version" || cmd == "version") {
    std::cout << carbonledger::VersionString("carbonledger");
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    Usage(std::cout);
    return 0;
  }
  carbonledger::cli::Args args(argv + 2, argv + argc);
  for (const Command& c : kCommands) {
    if (cmd == c.name) return c.run(args);
  }
  if (carbonledger::cli::IsQueryCommand(cmd)) return carbonledger::cli::QueryCommand(cmd, args);
  std::cerr << "carbonledger: unknown command \"" << cmd << "\"\n";
  Usage(std::cerr);
  return 2;
}
