// UUID text helpers for task ids (RFC 9562 textual form, 8-4-4-4-12 hex digits).
#pragma once

#include <string>
#include <string_view>

namespace btstore {

// True for "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" with hex digits of either case.
// Braces, "urn:uuid:" and missing hyphens are not accepted. Any version is accepted.
bool is_uuid(std::string_view text);

// The lower-case form. REQUIRES: is_uuid(text).
std::string canonical_uuid(std::string_view text);

// A random (version 4) UUID in canonical form, from the kernel CSPRNG (getrandom).
std::string generate_uuid_v4();

}  // namespace btstore
