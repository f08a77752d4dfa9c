#include "progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace btstore::cli {

ProgressBar::ProgressBar(std::string what)
    : what_(std::move(what)),
      enabled_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(size_t done, size_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double left =
      done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0;
  const size_t filled = std::min(done, total) * 30 / total;
  fmt::print(stderr, "\r[{}{}] {}/{} {}  {:.0f}s elapsed, {:.0f}s left   ",
             std::string(filled, '#'), std::string(30 - filled, ' '), done, total, what_, elapsed,
             left);
  drawn_ = done < total;
  if (!drawn_) fmt::print(stderr, "\n");
}

std::function<void(size_t, size_t)> ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](size_t done, size_t total) { update(done, total); };
}

void ProgressBar::clear() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  drawn_ = false;
  last_ = {};
}

}  // namespace btstore::cli
