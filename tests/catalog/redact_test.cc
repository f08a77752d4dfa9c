#include "catalog/redact.h"

#include <gtest/gtest.h>

namespace btstore::catalog {
namespace {

TEST(RedactConninfo, HidesTheUserinfoPasswordOfAUri) {
  EXPECT_EQ(redact_conninfo("postgresql://alice:s3cret@db:5432/x"),
            "postgresql://alice:***@db:5432/x");
  EXPECT_EQ(redact_conninfo("postgres://alice:p%40ss@h1,h2/x"), "postgres://alice:***@h1,h2/x");
  // The last @ ends the userinfo: a password may contain @ when percent-encoding is forgotten.
  EXPECT_EQ(redact_conninfo("postgresql://alice:a@b@db/x"), "postgresql://alice:***@db/x");
}

TEST(RedactConninfo, LeavesUrisWithoutPasswordsAlone) {
  for (const char* s : {"postgresql://alice@db/x", "postgresql:///btstore?host=/tmp/pg&port=5432",
                        "postgresql://db:5432/x", "host=/tmp port=5432 dbname=x", ""}) {
    EXPECT_EQ(redact_conninfo(s), s);
  }
}

TEST(RedactConninfo, HidesThePasswordQueryParameter) {
  EXPECT_EQ(redact_conninfo("postgresql://db/x?user=a&password=s3cret&sslmode=require"),
            "postgresql://db/x?user=a&password=***&sslmode=require");
  EXPECT_EQ(redact_conninfo("postgresql://db/x?password=s3cret"), "postgresql://db/x?password=***");
}

TEST(RedactConninfo, HidesTheKeywordPasswordQuotedOrNot) {
  EXPECT_EQ(redact_conninfo("host=db password=s3cret dbname=x"), "host=db password=*** dbname=x");
  EXPECT_EQ(redact_conninfo("host=db password = 's3 cr\\'et' dbname=x"),
            "host=db password = *** dbname=x");
  EXPECT_EQ(redact_conninfo("host=db PASSWORD=a&b"), "host=db PASSWORD=***");
  EXPECT_EQ(redact_conninfo("password='unterminated"), "password=***");
  EXPECT_EQ(redact_conninfo("passwordfile=/x host=db"), "passwordfile=/x host=db");
}

TEST(RedactMessage, RemovesTheLiteralPasswordWhereverItAppears) {
  std::string conninfo = "postgresql://alice:pa%zzss-word@db/x";
  EXPECT_EQ(redact_message("invalid percent-encoded token: \"pa%zzss-word\"", conninfo, 1),
            "invalid percent-encoded token: \"***\"");
  EXPECT_EQ(redact_message("x p%40ss-word y", "postgresql://a:p%40ss-word@h/x"), "x *** y");
  EXPECT_EQ(redact_message("x p@ss-word y", "postgresql://a:p%40ss-word@h/x"), "x *** y");
  EXPECT_EQ(redact_message("said 's3 cret'", "host=h password='s3 cret'"), "said ***");
}

TEST(RedactMessage, ShortPasswordsAreOnlyRedactedAsFields) {
  std::string conninfo = "postgresql://btstore_ci:ci@localhost/btstore_ci";
  EXPECT_EQ(redact_message("password authentication failed for user \"btstore_ci\"", conninfo),
            "password authentication failed for user \"btstore_ci\"");
  EXPECT_EQ(redact_message("cannot use postgresql://btstore_ci:ci@localhost/x", conninfo),
            "cannot use postgresql://btstore_ci:***@localhost/x");
}

}  // namespace
}  // namespace btstore::catalog
