#include "convert/parallel.h"

#include <algorithm>

namespace btstore::convert {

size_t thread_count(const ConvertOptions& options, size_t tasks) {
  return threads_for(static_cast<size_t>(std::max(0, options.threads)), tasks);
}

}  // namespace btstore::convert
