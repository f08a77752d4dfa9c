// libpq at the boundary: parameters, error mapping, and no password in any message.
#include "catalog/connection.h"

#include <gtest/gtest.h>

#include "catalog/config.h"
#include "pg_test_env.h"

namespace btstore::catalog {
namespace {

using btstore::testing::connect_test;

TEST(Connection, UnreachableServerIsDatabaseErrorNamingItWithoutThePassword) {
  for (const char* url : {"postgresql://alice:s3cret-pw@127.0.0.1:1/btstore?connect_timeout=2",
                          "postgresql://alice@127.0.0.1:1/btstore?password=s3cret-pw",
                          "host=127.0.0.1 port=1 user=alice password='s3cret-pw' dbname=x"}) {
    auto conn = Connection::open(url);
    ASSERT_FALSE(conn.ok()) << url;
    const std::string& msg = conn.status().message();
    EXPECT_EQ(conn.status().code(), StatusCode::kDatabaseError) << msg;
    EXPECT_NE(msg.find("cannot connect to PostgreSQL"), std::string::npos) << msg;
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("port=1"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("s3cret"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(Connection, MissingSocketIsDatabaseError) {
  auto conn = Connection::open("host=/nonexistent/dir password=s3cret-pw");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(conn.status().message().find("/nonexistent/dir"), std::string::npos);
  EXPECT_EQ(conn.status().message().find("s3cret"), std::string::npos);
}

TEST(Connection, ConfiguredUrlFailureSaysWhereItIsConfigured) {
  StorageOptions options;
  options.database_url = "postgresql://alice:s3cret-pw@127.0.0.1:1/db";
  options.home = "/tmp";
  options.connect_timeout_seconds = 2;
  auto config = resolve_database_config(options);
  ASSERT_TRUE(config.ok());
  auto conn = connect(*config);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(conn.status().message().find("BTSTORE_DATABASE_URL"), std::string::npos);
  EXPECT_EQ(conn.status().message().find("s3cret"), std::string::npos);
}

TEST(Connection, MalformedUrlIsInvalidArgumentWithoutThePassword) {
  for (const char* url : {"postgresql://alice:pa%zzss-word@h/db", "postgresql://h/db?bogus=1",
                          "host=h password='unterminated"}) {
    auto conn = Connection::open(url);
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.status().code(), StatusCode::kInvalidArgument) << conn.status().message();
    EXPECT_NE(conn.status().message().find("not a valid libpq connection string"),
              std::string::npos);
    EXPECT_EQ(conn.status().message().find("zzss"), std::string::npos) << conn.status().message();
    EXPECT_EQ(conn.status().message().find("unterminated"), std::string::npos)
        << conn.status().message();
  }
}

TEST(Connection, SessionIsUtf8AndNamedBtstore) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  auto r = conn.exec(
      "SELECT current_setting('application_name'), "
      "current_setting('client_encoding')");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0][0], "btstore");
  EXPECT_EQ(r->rows[0][1], "UTF8");
}

TEST(Connection, ParametersAndNullsRoundTrip) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  const std::string hostile = "'); DROP TABLE x; -- \\ % _ \" 한글 🚀";
  auto r =
      conn.exec("SELECT $1::text, $2::text IS NULL, length($1::text)", {hostile, std::nullopt});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], hostile);
  EXPECT_EQ(r->rows[0][1], "t");
  auto nulls = conn.exec("SELECT NULL::text");
  ASSERT_TRUE(nulls.ok());
  EXPECT_EQ(nulls->rows[0][0], std::nullopt);
}

TEST(Connection, NulByteInParameterIsRefusedClearly) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  auto r = conn.exec("SELECT $1::text, $2::text", {"ok", std::string("a\0b", 3)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("$2"), std::string::npos);
  EXPECT_NE(r.status().message().find("NUL"), std::string::npos);
}

TEST(Connection, InvalidUtf8ParameterIsDatabaseErrorNotACrash) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  auto r = conn.exec("SELECT $1::text", {std::string("\xff\xfe")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(r.status().message().find("22021"), std::string::npos) << r.status().message();
}

TEST(Connection, UniqueViolationIsAlreadyExistsOtherErrorsCarrySqlstate) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  ASSERT_TRUE(conn.exec_script("CREATE TEMP TABLE t (k int PRIMARY KEY)").ok());
  ASSERT_TRUE(conn.exec("INSERT INTO t VALUES ($1::int)", {"1"}).ok());
  auto dup = conn.exec("INSERT INTO t VALUES ($1::int)", {"1"});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("Key (k)=(1) already exists"), std::string::npos)
      << dup.status().message();
  auto div = conn.exec("SELECT 1 / $1::int", {"0"});
  EXPECT_EQ(div.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(div.status().message().find("22012"), std::string::npos);
  EXPECT_NE(div.status().message().find("division by zero"), std::string::npos);
  auto syntax = conn.exec("SELEC 1");
  EXPECT_EQ(syntax.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(syntax.status().message().find("42601"), std::string::npos);
}

TEST(Connection, AffectedRowsAreCounted) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  ASSERT_TRUE(conn.exec_script("CREATE TEMP TABLE t (k int)").ok());
  auto ins = conn.exec("INSERT INTO t SELECT generate_series(1, $1::int)", {"5"});
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(ins->affected_rows, 5);
}

TEST(Connection, TransactionGuardRollsBackUnlessCommitted) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  ASSERT_TRUE(conn.exec_script("CREATE TEMP TABLE t (k int)").ok());
  {
    auto tx = Transaction::begin(conn);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(conn.exec("INSERT INTO t VALUES (1)").ok());
    EXPECT_TRUE(conn.in_transaction());
  }
  EXPECT_FALSE(conn.in_transaction());
  {
    auto tx = Transaction::begin(conn);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(conn.exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto rows = conn.exec("SELECT k FROM t");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->rows[0][0], "2");
}

TEST(Connection, LostConnectionIsDatabaseErrorSayingSo) {
  BTSTORE_REQUIRE_PG();
  Connection victim = connect_test();
  auto pid = victim.exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  Connection killer = connect_test();
  ASSERT_TRUE(killer.exec("SELECT pg_terminate_backend($1::int)", {*pid->rows[0][0]}).ok());
  auto r = victim.exec("SELECT 1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(r.status().message().find("connection"), std::string::npos) << r.status().message();
}

// The statements exec_prepared() prepared in this session.
int64_t prepared_count(Connection& conn) {
  auto r = conn.exec("SELECT count(*) FROM pg_prepared_statements");
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? std::stoll(*r->rows[0][0]) : -1;
}

TEST(Connection, PreparedStatementsArePreparedOncePerTextAndGiveExecsRows) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  // Behind a pooler, the session may hold another client's statements: names must not clash.
  ASSERT_TRUE(conn.exec("PREPARE btstore_1 AS SELECT 1").ok());
  const std::string sql = "SELECT $1::int + 1, $2::text IS NULL";
  for (int i = 0; i < 8; ++i) {
    auto r = conn.exec_prepared(sql, {std::to_string(i), std::nullopt});
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    auto plain = conn.exec(sql, {std::to_string(i), std::nullopt});
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(r->rows, plain->rows);
    EXPECT_EQ(r->rows[0][0], std::to_string(i + 1));
  }
  EXPECT_EQ(prepared_count(conn), 2);
  ASSERT_TRUE(conn.exec_prepared("SELECT $1::text", {"x"}).ok());
  EXPECT_EQ(prepared_count(conn), 3);
  // Errors are mapped as exec()'s are.
  auto nul = conn.exec_prepared(sql, {std::string("a\0b", 3), "x"});
  EXPECT_EQ(nul.status().code(), StatusCode::kInvalidArgument);
  auto div = conn.exec_prepared("SELECT 1 / $1::int", {"0"});
  EXPECT_NE(div.status().message().find("22012"), std::string::npos) << div.status().message();
  auto syntax = conn.exec_prepared("SELEC $1::int", {"1"});
  EXPECT_NE(syntax.status().message().find("42601"), std::string::npos);
}

TEST(Connection, PreparedStatementsComeBackAfterDiscardAndReconnect) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  const std::string sql = "SELECT $1::int * 2";
  ASSERT_TRUE(conn.exec_prepared(sql, {"2"}).ok());
  ASSERT_TRUE(conn.exec("DISCARD ALL").ok());  // what a pooler may do between clients
  auto again = conn.exec_prepared(sql, {"3"});
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->rows[0][0], "6");

  auto pid = conn.exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  Connection killer = connect_test();
  ASSERT_TRUE(killer.exec("SELECT pg_terminate_backend($1::int)", {*pid->rows[0][0]}).ok());
  EXPECT_FALSE(conn.exec_prepared(sql, {"4"}).ok());
  ASSERT_TRUE(conn.reconnect().ok());
  auto after = conn.exec_prepared(sql, {"5"});
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  EXPECT_EQ(after->rows[0][0], "10");
  EXPECT_EQ(prepared_count(conn), 1);
}

TEST(Connection, PreparedStatementsStopAtTheirLimitAndRunUnprepared) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  const size_t texts = Connection::kMaxPreparedStatements + 5;
  for (size_t i = 0; i < texts; ++i) {
    auto r = conn.exec_prepared("SELECT $1::int + " + std::to_string(i), {"1"});
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->rows[0][0], std::to_string(i + 1));
  }
  EXPECT_EQ(prepared_count(conn), static_cast<int64_t>(Connection::kMaxPreparedStatements));
}

}  // namespace
}  // namespace btstore::catalog
