// Keeping database passwords out of every message btstore prints.
#pragma once

#include <string>
#include <string_view>

namespace btstore::catalog {

// `text` with every password field replaced by "***": the password of a URI's user:password@,
// a password= URI query parameter, and a password keyword of a keyword string (quoted or not).
// Works on a conninfo and on any message that quotes one.
std::string redact_conninfo(std::string_view text);

// `message` scrubbed of the passwords that `conninfo` holds: the fields above, plus the literal
// password text (as written and percent-decoded) wherever it appears. A literal shorter than
// `min_literal` characters is left alone outside password fields, since replacing a two-letter
// password everywhere would mangle ordinary words ("btstore_ci"); libpq's own connection errors
// never quote the password, only its parse errors do (pass min_literal = 1 for those).
std::string redact_message(std::string_view message, std::string_view conninfo,
                           size_t min_literal = 4);

}  // namespace btstore::catalog
