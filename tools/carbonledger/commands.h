// The carbonledger CLI's subcommands. Each takes the arguments after its name and returns
// the process exit status: 0 success, 1 the check or operation failed, 2 bad usage.
#pragma once

#include <string>
#include <vector>

namespace carbonledger::cli {

using Args = std::vector<std::string>;

int InitCommand(const Args& args);               // init --data DIR [--origin O] [--operator ID]
int KeygenCommand(const Args& args);             // keygen --name ACCOUNT --out FILE
int CheckpointCommand(const Args& args);         // checkpoint --data DIR
int ProofCommand(const Args& args);              // proof inclusion|consistency --data DIR ...
int VerifyLedgerCommand(const Args& args);       // verify-ledger --data DIR [--log-key F]
int VerifyInclusionCommand(const Args& args);    // verify-inclusion --proof F --checkpoint F ...
int VerifyConsistencyCommand(const Args& args);  // verify-consistency --proof F --old F ...
int BenchCommand(const Args& args);
int BenchHttpPrepCommand(const Args& args);
int TxCommand(const Args& args);   // tx TYPE --key F [--server URL] [name=value ...]
int GetCommand(const Args& args);  // get PATH [--server URL] [--key F]              // bench
                                   // [--entries N] [--quick]
int InventoryCommand(const Args& args);
int NeutralityCommand(const Args& args);  // neutrality --data DIR --park P --year Y --profile X
int EvaluationCommand(const Args& args);  // evaluation --data DIR --park P --year Y
int VerifyStatementCommand(const Args& args);
int DemoCommand(
    const Args& args);  // demo [--server URL] [--data DIR]   // verify-statement --bundle F
                        // --log-key F  // inventory compute FILE [--factors F]

}  // namespace carbonledger::cli
