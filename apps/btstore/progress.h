// A one-line progress bar on stderr for long commands (save of many files, migrate, verify,
// cleanup).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace btstore::cli {

// Drawn only when stderr is a terminal, at most ten times a second, with the time so far and
// an estimate of the time left; the last update (done == total) ends the line.
class ProgressBar {
 public:
  // `what` names the items counted ("files", "results").
  explicit ProgressBar(std::string what);
  void update(size_t done, size_t total);
  // Erases a bar drawn part way, so that a line can be printed in its place; the next update
  // draws it again below that line.
  void clear();
  // A progress callback that updates this bar, or none when the bar is not drawn (a caller
  // may then skip the work of counting).
  std::function<void(size_t done, size_t total)> callback();

 private:
  std::string what_;
  bool enabled_;
  bool drawn_ = false;  // a bar without its line end is on the terminal
  std::chrono::steady_clock::time_point start_, last_{};
};

}  // namespace btstore::cli
