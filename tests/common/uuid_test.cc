#include "common/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace btstore {
namespace {

TEST(IsUuid, AcceptsHexOfEitherCase) {
  EXPECT_TRUE(is_uuid("550e8400-e29b-41d4-a716-446655440000"));
  EXPECT_TRUE(is_uuid("550E8400-E29B-41D4-A716-446655440000"));
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
}

TEST(IsUuid, RejectsOtherForms) {
  for (const char* text :
       {"", "550e8400e29b41d4a716446655440000", "{550e8400-e29b-41d4-a716-446655440000}",
        "urn:uuid:550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-44665544000",
        "550e8400-e29b-41d4-a716-4466554400000", "550e8400-e29b-41d4-a716_446655440000",
        "g50e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-44665544000 ",
        "550e840-0e29b-41d4-a716-446655440000"}) {
    EXPECT_FALSE(is_uuid(text)) << text;
  }
}

TEST(CanonicalUuid, LowerCases) {
  EXPECT_EQ(canonical_uuid("550E8400-E29B-41D4-A716-44665544ABCD"),
            "550e8400-e29b-41d4-a716-44665544abcd");
}

TEST(GenerateUuidV4, HasVersionAndVariantBits) {
  for (int i = 0; i < 200; ++i) {
    const std::string id = generate_uuid_v4();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id, canonical_uuid(id));
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  }
}

TEST(GenerateUuidV4, IsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) EXPECT_TRUE(seen.insert(generate_uuid_v4()).second);
}

}  // namespace
}  // namespace btstore
