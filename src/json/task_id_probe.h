// Whether a BacktestResult document carries its own task_id. parse_result()
// generates one when it is missing; the legacy migration needs to know, to
// take the task_id from the file name instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace btstore::json {

// The top-level "task_id" string of `document` as written, or nullopt when it
// is absent, null, not a string, or the document is not a JSON object.
std::optional<std::string> probe_task_id(std::string_view document);

}  // namespace btstore::json
