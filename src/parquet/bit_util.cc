#include "parquet/bit_util.h"

#include <array>
#include <utility>

namespace btstore::parquet {
namespace {

// One instantiation per width, so the compiler unrolls each kernel with constant shifts.
template <typename U, size_t... Ws>
constexpr auto make_unpack_table(std::index_sequence<Ws...>) {
  return std::array<void (*)(const uint8_t*, U*), sizeof...(Ws)>{
      &unpack_group<static_cast<int>(Ws), U>...};
}

template <typename U, size_t... Ws>
constexpr auto make_pack_table(std::index_sequence<Ws...>) {
  return std::array<void (*)(const U*, uint8_t*), sizeof...(Ws)>{
      &pack_group<static_cast<int>(Ws), U>...};
}

constexpr auto kUnpack32 = make_unpack_table<uint32_t>(std::make_index_sequence<33>());
constexpr auto kUnpack64 = make_unpack_table<uint64_t>(std::make_index_sequence<65>());
constexpr auto kPack32 = make_pack_table<uint32_t>(std::make_index_sequence<33>());
constexpr auto kPack64 = make_pack_table<uint64_t>(std::make_index_sequence<65>());

}  // namespace

Unpack32Fn unpack32_fn(int width) { return kUnpack32[width]; }
Unpack64Fn unpack64_fn(int width) { return kUnpack64[width]; }
Pack32Fn pack32_fn(int width) { return kPack32[width]; }
Pack64Fn pack64_fn(int width) { return kPack64[width]; }

}  // namespace btstore::parquet
