// Processes: the real carbonledgerd and carbonledger binaries started with posix_spawn, their
// output captured through pipes. Shared by the end-to-end tests and the harnesses
// (crash trials, soak).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

extern char** environ;

namespace carbonledger::process {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr, interleaved
};

// Runs a binary to completion.
inline ProcessResult Run(const std::string& binary, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  std::vector<std::string> all = {binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, binary.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  ProcessResult r;
  if (rc != 0) {
    close(fds[0]);
    return r;
  }
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.out.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// A running carbonledgerd on an ephemeral loopback port (or another serving command of ours,
// e.g. `carbonledger witness`, whose `subcommand` comes before the flags).
class Daemon {
 public:
  explicit Daemon(std::string binary, std::vector<std::string> subcommand = {})
      : binary_(std::move(binary)), subcommand_(std::move(subcommand)) {}
  // "NAME=value" entries added to (or replacing those in) this process's environment for the
  // daemons started from now on.
  void set_env(std::vector<std::string> extra) { extra_env_ = std::move(extra); }
  // Starts it with `--listen 127.0.0.1:0` plus `args` and waits for its "serving" line.
  // False when it exited first (log() says why).
  bool Start(const std::vector<std::string>& args) {
    log_.clear();
    int fds[2];
    if (pipe(fds) != 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> all = {binary_};
    all.insert(all.end(), subcommand_.begin(), subcommand_.end());
    all.insert(all.end(), {"--listen", "127.0.0.1:0", "--log-level", "0"});
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = Environment();
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    int rc = posix_spawn(&pid_, all[0].c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) return false;
    err_fd_ = fds[0];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{err_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[1024];
      ssize_t n = read(err_fd_, buf, sizeof buf);
      if (n <= 0) return false;  // exited before serving
      log_.append(buf, size_t(n));
      size_t at = log_.find(" on 127.0.0.1:");
      if (at != std::string::npos && log_.find(' ', at + 14) != std::string::npos) {
        port_ = std::stoi(log_.substr(at + 14));
        return true;
      }
    }
    return false;
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& log() const { return log_; }
  // Appends what the daemon wrote to stderr since the last call to log(), without blocking.
  // A long run calls it now and then, so that a full pipe never stalls the daemon.
  void DrainLog() {
    if (err_fd_ < 0) return;
    fcntl(err_fd_, F_SETFL, O_NONBLOCK);
    char buf[4096];
    for (ssize_t n; (n = read(err_fd_, buf, sizeof buf)) > 0;) log_.append(buf, size_t(n));
  }

  // Starts it without waiting for it to serve (for crashing it during startup).
  bool Spawn(const std::vector<std::string>& args) {
    std::vector<std::string> all = {binary_};
    all.insert(all.end(), subcommand_.begin(), subcommand_.end());
    all.insert(all.end(), {"--listen", "127.0.0.1:0", "--log-level", "0"});
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    if (pipe(fds) != 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> env = Environment();
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    int rc = posix_spawn(&pid_, all[0].c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    err_fd_ = fds[0];
    return rc == 0;
  }
  bool running() const { return pid_ > 0; }

  // Sends `sig` and waits; returns the exit code (128+signal if killed by it).
  int Stop(int sig = SIGTERM) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    char buf[4096];
    fcntl(err_fd_, F_SETFL, O_NONBLOCK);
    for (ssize_t n; (n = read(err_fd_, buf, sizeof buf)) > 0;) log_.append(buf, size_t(n));
    close(err_fd_);
    err_fd_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  ~Daemon() {
    if (pid_ > 0) Stop(SIGKILL);
  }

 private:
  std::vector<std::string> Environment() const {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      bool replaced = false;
      for (const auto& x : extra_env_) {
        replaced = replaced || kv.substr(0, kv.find('=') + 1) == x.substr(0, x.find('=') + 1);
      }
      if (!replaced) env.push_back(kv);
    }
    env.insert(env.end(), extra_env_.begin(), extra_env_.end());
    return env;
  }

  std::string binary_;
  std::vector<std::string> subcommand_;
  std::vector<std::string> extra_env_;
  pid_t pid_ = -1;
  int err_fd_ = -1;
  int port_ = 0;
  std::string log_;
};

}  // namespace carbonledger::process
