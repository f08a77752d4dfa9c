// The PostgreSQL server of the integration tests, shared by every test of the binary.
//
// Server: $BTSTORE_TEST_DATABASE_URL when set (CI starts one); otherwise an embedded cluster of
// btstore's own in /tmp/btstore-test-<uid>, created once (initdb takes a few seconds), shared by
// every test process (ctest runs each test as its own process, several at once) and left
// running for the next run; `btstore db stop --home /tmp/btstore-test-<uid>` stops it.
//
// Isolation: each test process gets a schema of its own (PGOPTIONS=-c search_path=<schema>, so
// every libpq connection the process opens uses it), migrated once and dropped at the end.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <string>

#include "catalog/connection.h"
#include "catalog/embedded_cluster.h"
#include "catalog/migrations.h"

namespace btstore::testing {

struct PgTestServer {
  std::string conninfo;  // the server and database, without the schema
  std::string schema;    // this process's schema (already in PGOPTIONS)
  std::string error;     // why there is no server, when there is none
};

inline PgTestServer& pg_test_server() {
  static PgTestServer server;
  return server;
}

// The conninfo of the test database; tests skip when the environment could not provide one.
inline const std::string& test_conninfo() { return pg_test_server().conninfo; }

// A new connection to this process's schema, or a test failure.
inline catalog::Connection connect_test() {
  auto conn = catalog::Connection::open(test_conninfo());
  if (!conn.ok()) {
    ADD_FAILURE() << conn.status().to_string();
    std::abort();
  }
  return std::move(conn).value();
}

inline std::string shared_cluster_home() { return "/tmp/btstore-test-" + std::to_string(getuid()); }

class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    PgTestServer& s = pg_test_server();
    const char* url = std::getenv("BTSTORE_TEST_DATABASE_URL");
    if (url != nullptr && *url != '\0') {
      s.conninfo = url;
    } else if (!start_shared_cluster(s)) {
      return;
    }
    std::random_device rd;
    s.schema = "btstore_test_" + std::to_string(getpid()) + "_" + std::to_string(rd() % 1000000);
    auto admin = catalog::Connection::open(s.conninfo);
    if (!admin.ok()) {
      s.error = admin.status().to_string();
      return;
    }
    if (Status st = admin->exec_script("CREATE SCHEMA " + s.schema); !st.ok()) {
      s.error = st.to_string();
      return;
    }
    setenv("PGOPTIONS", ("-c search_path=" + s.schema).c_str(), 1);
    auto conn = catalog::Connection::open(s.conninfo);
    if (!conn.ok() || !catalog::migrate(*conn).ok()) s.error = "cannot migrate " + s.schema;
  }

  void TearDown() override {
    PgTestServer& s = pg_test_server();
    if (s.schema.empty() || !s.error.empty()) return;
    auto admin = catalog::Connection::open(s.conninfo);
    if (!admin.ok()) return;
    // This process's schema and the scratch schemas its tests named after it.
    auto names = admin->exec(
        "SELECT nspname FROM pg_namespace WHERE nspname = $1 OR "
        "starts_with(nspname, $1 || '_')",
        {s.schema});
    if (!names.ok()) return;
    for (const catalog::Row& row : names->rows) {
      (void)admin->exec_script("DROP SCHEMA " + row[0].value_or("") + " CASCADE");
    }
  }

 private:
  static bool start_shared_cluster(PgTestServer& s) {
    catalog::ClusterOptions options;
    options.home = shared_cluster_home();
    options.durable = false;  // tests only: no fsync
    auto cluster = catalog::EmbeddedCluster::open(options);
    Status st = cluster.ok() ? cluster->start() : cluster.status();
    if (!st.ok()) {
      s.error = st.to_string();
      return false;
    }
    s.conninfo = cluster->conninfo();
    return true;
  }
};

inline ::testing::Environment* const kPgEnvironment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment);

// Fails the test (and returns) when the shared server is unavailable.
#define BTSTORE_REQUIRE_PG()                                   \
  do {                                                         \
    if (!::btstore::testing::pg_test_server().error.empty() || \
        ::btstore::testing::test_conninfo().empty()) {         \
      FAIL() << "no PostgreSQL for the integration tests: "    \
             << ::btstore::testing::pg_test_server().error;    \
    }                                                          \
  } while (false)

}  // namespace btstore::testing
