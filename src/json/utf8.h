// The UTF-8 checks live in common/utf8.h (the catalog uses them too); the JSON code names them
// as its own.
#pragma once

#include "common/utf8.h"

namespace btstore::json {

using btstore::count_code_points;
using btstore::first_invalid_utf8;
using btstore::utf8_sequence_length;

}  // namespace btstore::json
