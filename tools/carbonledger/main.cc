// carbonledger: the command-line client and offline verifier.
#include <iostream>
#include <string>

#include "api/versions.h"

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "--help";
  if (cmd == "--version" || cmd == "version") {
    std::cout << carbonledger::VersionString("carbonledger");
    return 0;
  }
  std::cout << "usage: carbonledger <command> [args]\n"
               "  --version   print versions and exit\n";
  return cmd == "--help" || cmd == "-h" ? 0 : 2;
}
