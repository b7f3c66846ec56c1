#include "tools/carbonledger/flags.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace carbonledger::cli {

Flags::Flags(const std::vector<std::string>& args, std::set<std::string> known,
             std::set<std::string> switches) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    if (switches.count(name)) {
      values_[name] = "true";
    } else if (!known.count(name)) {
      error_ = "unknown flag " + a;
      return;
    } else if (i + 1 >= args.size()) {
      error_ = a + " needs a value";
      return;
    } else {
      values_[name] = args[++i];
    }
  }
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Flags::GetOr(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

std::optional<uint64_t> Flags::GetU64(const std::string& name) {
  auto v = Get(name);
  if (!v) return std::nullopt;
  if (v->empty() || v->size() > 19 || v->find_first_not_of("0123456789") != std::string::npos) {
    error_ = "--" + name + " must be a non-negative integer";
    return std::nullopt;
  }
  return std::stoull(*v);
}

int Fail(const std::string& what) {
  std::cerr << "carbonledger: " << what << "\n";
  return 1;
}

int Usage(const std::string& what) {
  std::cerr << "carbonledger: " << what << "\n";
  return 2;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace carbonledger::cli
