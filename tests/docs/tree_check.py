"""The command line the tree checkers share: CHECKER SOURCE_DIR checks the tree and lists every
problem; CHECKER --self-test runs the checker against planted mistakes."""
import os
import sys


def run(check, self_test, failed, passed):
    """check(root) -> problems; self_test() -> exit code; failed(n), passed: the summaries."""
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(failed(len(problems)))
        return 1
    print(passed)
    return 0
