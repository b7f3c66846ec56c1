// The carbonledger CLI's subcommands. Each takes the arguments after its name and returns
// the process exit status: 0 success, 1 the check or operation failed, 2 bad usage.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace carbonledger {
struct NamedKey;
}

namespace carbonledger::cli {

using Args = std::vector<std::string>;

int InitCommand(const Args& args);               // init --data DIR [--origin O] [--operator ID]
int KeygenCommand(const Args& args);             // keygen --name ACCOUNT --out FILE
int CheckpointCommand(const Args& args);         // checkpoint --data DIR
int ProofCommand(const Args& args);              // proof inclusion|consistency --data DIR ...
int VerifyLedgerCommand(const Args& args);       // verify-ledger --data DIR [--log-key F]
int VerifyInclusionCommand(const Args& args);    // verify-inclusion --proof F --checkpoint F ...
int VerifyConsistencyCommand(const Args& args);  // verify-consistency --proof F --old F ...
int BenchCommand(const Args& args);              // bench [--entries N] [--quick] ...
int BenchHttpPrepCommand(const Args& args);      // bench-http-prep --server URL ...
int TxCommand(const Args& args);                 // tx TYPE --key F [--server URL] [fields]
int GetCommand(const Args& args);                // get PATH [--server URL] [--key F]
int InventoryCommand(const Args& args);          // inventory compute FILE [--factors F]
int NeutralityCommand(const Args& args);         // neutrality --data DIR --park P ...
int EvaluationCommand(const Args& args);         // evaluation --data DIR --park P --year Y
int VerifyStatementCommand(const Args& args);    // verify-statement --bundle F --log-key F
int DemoCommand(const Args& args);               // demo [--server URL] [--data DIR]
int WitnessCommand(const Args& args);            // witness --key F --logs FILE --data DIR
int WitnessKeyCommand(const Args& args);         // witness-key --key F
int MirrorCommand(const Args& args);             // mirror --from URL --data DIR
int ExportTilesCommand(const Args& args);        // export-tiles --data DIR | --from URL ...
int BenchScaleCommand(const Args& args);         // bench-scale [--entries N] [--rounds R]

// The read commands over the API (health, totals, entries, entry, account, holdings, trace,
// park, statement, bundle): each a GET with its arguments in the path. Readable tables by
// default, `--json` for machine output.
bool IsQueryCommand(const std::string& name);
int QueryCommand(const std::string& name, const Args& args);
std::vector<std::pair<std::string, std::string>> QueryCommandUsages();  // usage, what

// How an API answer is printed: as tables for people, as compact JSON, or byte for byte (file
// formats such as checkpoints, proofs and bundles).
enum class Output { kReadable, kJson, kAsServed };
inline constexpr const char* kDefaultServer = "http://127.0.0.1:8620";

// GETs `target` from `server` (signed as the key's account when a key is given) and prints the
// answer; problems go to stderr. Returns the exit status.
int Fetch(const std::string& server, const std::string& target, const NamedKey* key, Output mode);

}  // namespace carbonledger::cli
