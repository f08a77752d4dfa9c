// btstore-bench: the tools of the benchmark suite (docs/performance.md).
#include <cstdio>
#include <string_view>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "usage: btstore-bench COMMAND ...\n"
    "  generate --preset small|100mb|500mb [--seed N] [--symbols N] [--signals N] [--curve N] -o "
    "FILE\n"
    "      write a deterministic BacktestResult JSON document\n"
    "  floor FILE\n"
    "      walk every value of a JSON document with simdjson On-Demand; print the time as JSON\n"
    "  measure [-o FILE] -- COMMAND [ARG...]\n"
    "      run COMMAND; write its wall time, CPU times, peak RSS and exit code as JSON to FILE\n"
    "      (stderr when no -o); exit with COMMAND's exit code\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view command = argv[1];
  btstore::bench::Args args(argv + 2, argv + argc);
  if (command == "generate") return btstore::bench::run_generate(args);
  if (command == "floor") return btstore::bench::run_floor(args);
  if (command == "measure") return btstore::bench::run_measure(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "btstore-bench: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
