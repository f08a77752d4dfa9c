// The subcommands of btstore-bench; each takes the arguments after its name
// and returns the process exit code (0 ok, 1 failure, 2 usage error).
#pragma once

#include <string>
#include <vector>

namespace btstore::bench {

using Args = std::vector<std::string>;

int run_generate(const Args& args);
int run_floor(const Args& args);
int run_measure(const Args& args);

}  // namespace btstore::bench
