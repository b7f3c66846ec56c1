// Flags: the CLI's argument parser. "--name value" pairs, "--switch" booleans declared up
// front, and positional arguments; an unknown flag is an error naming it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace carbonledger::cli {

class Flags {
 public:
  // `switches` take no value; every other "--x" takes the next argument.
  Flags(const std::vector<std::string>& args, std::set<std::string> known,
        std::set<std::string> switches = {});

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }
  // Parses an unsigned integer flag; sets error() when it is not one.
  std::optional<uint64_t> GetU64(const std::string& name);

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::string error_;
};

// Report on stderr as "carbonledger: <what>" and give the exit status: 1 for a failed
// operation or check, 2 for bad usage.
int Fail(const std::string& what);
int Usage(const std::string& what);

// The witness requirement of the offline verifiers (docs/witness.md §Requiring witnesses):
// `--witnesses FILE` (cosigner keys, one per line) and `--require-witnesses K` (default: all).
// CheckWitnesses returns 0 with nothing to do when --witnesses is absent, 2 on bad usage, 1
// when the checkpoint note lacks the required cosignatures (a "FAILED:" line on stderr); on
// success `*witnessed` is the line to print after the verifier's OK ("  witnessed by …").
// Verifiers run it before printing OK, so a FAILED is never preceded by an OK.
inline const char* const kWitnessFlags[] = {"witnesses", "require-witnesses"};
int CheckWitnesses(Flags& flags, const std::string& checkpoint_note, std::string* witnessed);

// Reads a whole file; nullopt (and a message on stderr) when it cannot.
std::optional<std::string> ReadFile(const std::string& path);

}  // namespace carbonledger::cli
