#include "common/uuid.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <random>

namespace btstore {
namespace {

constexpr size_t kUuidLength = 36;

bool is_hyphen_position(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Fills `out` from getrandom(); falls back to /dev/urandom (kernels before 3.17)
// and, as a last resort, std::random_device, so the function cannot fail.
void fill_random(uint8_t* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = getrandom(out + done, n - done, 0);
    if (got > 0) {
      done += static_cast<size_t>(got);
    } else if (got < 0 && errno != EINTR) {
      break;
    }
  }
  if (done == n) return;
  if (FILE* f = std::fopen("/dev/urandom", "rb")) {
    done += std::fread(out + done, 1, n - done, f);
    std::fclose(f);
  }
  std::random_device device;
  for (; done < n; ++done) out[done] = static_cast<uint8_t>(device());
}

}  // namespace

bool is_uuid(std::string_view text) {
  if (text.size() != kUuidLength) return false;
  for (size_t i = 0; i < kUuidLength; ++i) {
    if (is_hyphen_position(i) ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

std::string canonical_uuid(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string generate_uuid_v4() {
  uint8_t bytes[16];
  fill_random(bytes, sizeof bytes);
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // variant 10xx (RFC 9562)
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(kUuidLength);
  for (size_t i = 0; i < sizeof bytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

}  // namespace btstore
