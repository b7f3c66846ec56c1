#include "api/config.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>

namespace carbonledger {

const std::vector<ConfigSetting>& ConfigSettings() {
  static const std::vector<ConfigSetting> s = {
      {"config", "file of 'name = value' lines with any of these settings", ""},
      {"data", "ledger data directory (db/ and keys/)", "data"},
      {"listen", "HOST:PORT to serve on", "127.0.0.1:8620"},
      {"genesis", "signed genesis submission to create the ledger from, if data has none", ""},
      {"tls-cert", "PEM certificate chain; with tls-key, serve HTTPS", ""},
      {"tls-key", "PEM private key for tls-cert", ""},
      {"max-body-bytes", "largest request body accepted (413 beyond)", "163840"},
      {"max-batch-body-bytes", "largest POST /v1/transactions:batch body accepted (413 beyond)",
       "16777216"},
      {"threads", "requests served at once; connections wait for their head without one", "64"},
      {"head-timeout", "seconds a client may take to send a request head (then 408)", "10"},
      {"read-timeout", "seconds a worker reads one request (head and body) in all", "10"},
      {"write-timeout", "seconds a client may take to read a response", "10"},
      {"keep-alive-timeout", "seconds a kept-alive connection may idle between requests", "5"},
      {"max-connections", "open connections in all (then 503 connection.total_limit)", "4096"},
      {"max-connections-per-client",
       "open connections from one address (then 503 connection.limit)", "512"},
      {"log-level", "0 errors only, 1 a line per request and commit, 2 debug", "1"},
      {"witnesses", "file of 'http://HOST:PORT <witness key>' lines: witnesses to cosign", ""},
      {"witness-interval-ms", "milliseconds between sending the checkpoint to the witnesses",
       "1000"},
      {"store-retry-ms", "after a failed store write, milliseconds between attempts to reopen it",
       "1000"},
      {"max-batch-bytes",
       "transaction and attachment bytes per group commit (a larger transaction commits alone)",
       "4194304"},
  };
  return s;
}

std::string DaemonHelp() {
  std::ostringstream out;
  out << "usage: carbonledgerd [--name value ...] [--version] [--help]\n\n"
         "Every setting is also read from CARBONLEDGER_<NAME> in the environment and from\n"
         "'name = value' lines in the --config file; flags win over the environment, which\n"
         "wins over the file.\n\n";
  for (const auto& s : ConfigSettings()) {
    std::string flag = std::string("--") + s.name + " V";
    out << "  " << flag << std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') << s.help;
    if (*s.default_value) out << " (default " << s.default_value << ")";
    out << "\n";
  }
  return out.str();
}

namespace {

bool Known(const std::string& name) {
  const auto& s = ConfigSettings();
  return std::any_of(s.begin(), s.end(), [&](const ConfigSetting& c) { return name == c.name; });
}

std::string EnvName(const std::string& name) {
  std::string e = "CARBONLEDGER_";
  for (char c : name) e.push_back(c == '-' ? '_' : char(std::toupper(c)));
  return e;
}

Result<int> ToInt(const std::string& name, const std::string& v, int lo, int hi) {
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(v) < lo || std::stoi(v) > hi) {
    return Status::InvalidArgument(
        "config." + name,
        name + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return std::stoi(v);
}

Status ReadConfigFile(const std::string& path, std::map<std::string, std::string>* out) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("config.file", "cannot read config file " + path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
      return s;
    };
    line = trim(line);
    if (line.empty()) continue;
    size_t eq = line.find('=');
    std::string name = trim(line.substr(0, eq));
    if (eq == std::string::npos || !Known(name) || name == "config") {
      return Status::InvalidArgument("config.file", path + ":" + std::to_string(n) +
                                                        ": expected 'name = value' with a known "
                                                        "setting name");
    }
    (*out)[name] = trim(line.substr(eq + 1));
  }
  return Status::OK();
}

}  // namespace

Result<DaemonConfig> ParseDaemonConfig(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& env) {
  DaemonConfig c;
  std::map<std::string, std::string> flags, values;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      c.show_help = true;
      continue;
    }
    if (a == "--version") {
      c.show_version = true;
      continue;
    }
    if (a.rfind("--", 0) != 0 || !Known(a.substr(2))) {
      return Status::InvalidArgument("config.flag", "unknown flag " + a + " (see --help)");
    }
    if (i + 1 >= args.size()) return Status::InvalidArgument("config.flag", a + " needs a value");
    flags[a.substr(2)] = args[++i];
  }
  std::string config_file = flags.count("config") ? flags["config"] : "";
  if (config_file.empty() && env.count("CARBONLEDGER_CONFIG"))
    config_file = env.at("CARBONLEDGER_CONFIG");
  if (!config_file.empty()) {
    if (Status s = ReadConfigFile(config_file, &values); !s.ok()) return s;
  }
  for (const auto& s : ConfigSettings()) {
    auto e = env.find(EnvName(s.name));
    if (e != env.end()) values[s.name] = e->second;
  }
  for (auto& [k, v] : flags) values[k] = v;

  auto get = [&](const char* name) {
    auto it = values.find(name);
    if (it != values.end()) return it->second;
    for (const auto& s : ConfigSettings()) {
      if (std::string(name) == s.name) return std::string(s.default_value);
    }
    return std::string();
  };
  c.data = get("data");
  c.genesis = get("genesis");
  c.server.tls_cert_file = get("tls-cert");
  c.server.tls_key_file = get("tls-key");
  std::string listen = get("listen");
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("config.listen", "listen must be HOST:PORT");
  }
  auto port = ToInt("listen", listen.substr(colon + 1), 0, 65535);
  if (!port.ok()) return Status::InvalidArgument("config.listen", "listen port must be 0..65535");
  c.server.host = listen.substr(0, colon);
  if (c.server.host.size() > 2 && c.server.host.front() == '[' && c.server.host.back() == ']') {
    c.server.host = c.server.host.substr(1, c.server.host.size() - 2);  // [::1]:8620
  }
  c.server.port = *port;
  if (std::string file = get("witnesses"); !file.empty()) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Status::InvalidArgument("config.witnesses", "cannot read " + file);
    auto witnesses = ParseWitnessEndpoints(text.str());
    if (!witnesses.ok()) return witnesses.status();
    c.server.witnesses = std::move(*witnesses);
  }
  struct IntSetting {
    const char* name;
    int lo, hi;
    std::function<void(int)> set;
  };
  const IntSetting ints[] = {
      {"max-body-bytes", 1024, 64 << 20, [&](int v) { c.server.max_body_bytes = size_t(v); }},
      {"max-batch-body-bytes", 1024, 1 << 30,
       [&](int v) { c.server.max_batch_body_bytes = size_t(v); }},
      {"threads", 1, 4096, [&](int v) { c.server.threads = v; }},
      {"head-timeout", 1, 3600, [&](int v) { c.server.head_timeout_s = v; }},
      {"read-timeout", 1, 3600, [&](int v) { c.server.read_timeout_s = v; }},
      {"write-timeout", 1, 3600, [&](int v) { c.server.write_timeout_s = v; }},
      {"keep-alive-timeout", 1, 3600, [&](int v) { c.server.keep_alive_timeout_s = v; }},
      {"max-connections", 16, 1000000, [&](int v) { c.server.max_connections = v; }},
      {"max-connections-per-client", 1, 1000000,
       [&](int v) { c.server.max_connections_per_client = v; }},
      {"log-level", 0, 2, [&](int v) { c.server.log_level = v; }},
      {"store-retry-ms", 10, 3600000, [&](int v) { c.store_retry_ms = v; }},
      {"max-batch-bytes", 1024, 1 << 30, [&](int v) { c.max_batch_bytes = v; }},
      {"witness-interval-ms", 100, 3600000, [&](int v) { c.server.witness_interval_ms = v; }},
  };
  for (const auto& s : ints) {
    auto v = ToInt(s.name, get(s.name), s.lo, s.hi);
    if (!v.ok()) return v.status();
    s.set(*v);
  }
  return c;
}

}  // namespace carbonledger
