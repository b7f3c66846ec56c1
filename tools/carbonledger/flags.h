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

// Reads a whole file; nullopt (and a message on stderr) when it cannot.
std::optional<std::string> ReadFile(const std::string& path);

}  // namespace carbonledger::cli
