// btstore's own PostgreSQL cluster: created, started, stopped and found again, here as root
// too (the server then runs as an unprivileged account).
#include "catalog/embedded_cluster.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "btstore/database.h"
#include "catalog/connection.h"
#include "pg_test_env.h"

namespace btstore::catalog {
namespace {

namespace fs = std::filesystem;

// A fresh directory under /tmp that the server's account can enter; removed at the end.
class TempHome {
 public:
  TempHome() {
    char tmpl[] = "/tmp/btstore-ec-XXXXXX";
    path_ = mkdtemp(tmpl);
    fs::permissions(path_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  }
  ~TempHome() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The library's own connections must not carry the test schema's search_path here.
class WithoutPgOptions {
 public:
  WithoutPgOptions() {
    if (const char* v = std::getenv("PGOPTIONS")) saved_ = v;
    unsetenv("PGOPTIONS");
  }
  ~WithoutPgOptions() {
    if (!saved_.empty()) setenv("PGOPTIONS", saved_.c_str(), 1);
  }

 private:
  std::string saved_;
};

std::string scalar(Connection& conn, const std::string& sql) {
  auto r = conn.exec(sql);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() && !r->rows.empty() ? r->rows[0][0].value_or("NULL") : "";
}

TEST(EmbeddedCluster, LifecycleFromConcurrentStartsToStopAndRestart) {
  WithoutPgOptions no_schema;
  TempHome home;
  ClusterOptions options;
  options.home = home.path();
  options.durable = false;

  // Two starts at once, as two btstore processes would: one initdb, both succeed.
  Status results[2];
  std::thread a([&] { results[0] = EmbeddedCluster::open(options)->start(); });
  std::thread b([&] { results[1] = EmbeddedCluster::open(options)->start(); });
  a.join();
  b.join();
  ASSERT_TRUE(results[0].ok()) << results[0].to_string();
  ASSERT_TRUE(results[1].ok()) << results[1].to_string();

  auto cluster = EmbeddedCluster::open(options);
  ASSERT_TRUE(cluster.ok());
  auto st = cluster->status();
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_TRUE(st->initialized);
  EXPECT_TRUE(st->running);
  EXPECT_GT(st->pid, 0);
  EXPECT_EQ(st->data_dir, home.path() / "pg" / "data");
  EXPECT_EQ(st->socket_dir, home.path() / "pg");
  EXPECT_TRUE(fs::exists(home.path() / "pg" / ".s.PGSQL.5432"));
  EXPECT_FALSE(st->data_version.empty());
  EXPECT_EQ(st->server_version.rfind(st->data_version, 0), 0u) << st->server_version;
  EXPECT_FALSE(fs::exists(home.path() / "pg" / "data.initdb"));

  // As root the server runs as an unprivileged account that owns the data directory.
  struct stat data_stat {};
  ASSERT_EQ(stat(st->data_dir.c_str(), &data_stat), 0);
  if (geteuid() == 0) {
    EXPECT_NE(st->run_as, "root");
    struct passwd* pw = getpwnam(st->run_as.c_str());
    ASSERT_NE(pw, nullptr);
    EXPECT_EQ(data_stat.st_uid, pw->pw_uid);
    EXPECT_NE(data_stat.st_uid, 0u);
  } else {
    EXPECT_EQ(data_stat.st_uid, geteuid());
  }

  // Reachable by its URL and by its keyword string; only through the socket.
  EXPECT_EQ(cluster->url(), "postgresql:///btstore?host=" + (home.path() / "pg").string() +
                                "&port=5432&user=btstore");
  for (const std::string& target : {cluster->url(), cluster->conninfo()}) {
    auto conn = Connection::open(target);
    ASSERT_TRUE(conn.ok()) << conn.status().to_string();
    EXPECT_EQ(scalar(*conn, "SELECT current_database()"), "btstore");
    EXPECT_EQ(scalar(*conn, "SELECT current_user"), "btstore");
    EXPECT_EQ(scalar(*conn, "SHOW listen_addresses"), "");
    EXPECT_EQ(scalar(*conn, "SHOW unix_socket_directories"), (home.path() / "pg").string());
    EXPECT_EQ(scalar(*conn, "SHOW server_encoding"), "UTF8");
  }
  {
    auto conn = Connection::open(cluster->conninfo());
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn->exec_script("CREATE TABLE survives (x int)").ok());
  }

  // The public `btstore db` operations see the same cluster.
  StorageOptions storage;
  storage.home = home.path().string();
  auto url = database_url(storage);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, cluster->url());
  auto migrated = migrate_database(storage);
  ASSERT_TRUE(migrated.ok()) << migrated.status().to_string();
  EXPECT_GE(*migrated, 2);
  auto db = database_status(storage);
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(db->running);
  EXPECT_EQ(db->pending_migrations, 0);
  EXPECT_EQ(db->schema_version, *migrated);
  EXPECT_EQ(db->source, DatabaseSource::kEmbedded);

  ASSERT_TRUE(cluster->stop().ok());
  EXPECT_FALSE(fs::exists(home.path() / "pg" / ".s.PGSQL.5432"));
  st = cluster->status();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->initialized);
  EXPECT_FALSE(st->running);
  EXPECT_TRUE(cluster->stop().ok());  // idempotent
  EXPECT_FALSE(Connection::open(cluster->conninfo()).ok());

  ASSERT_TRUE(cluster->start().ok());  // no second initdb: the data is still there
  auto conn = Connection::open(cluster->conninfo());
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(scalar(*conn, "SELECT to_regclass('survives') IS NOT NULL"), "t");
  ASSERT_TRUE(cluster->stop().ok());
}

TEST(EmbeddedCluster, StatusOfANeverCreatedClusterChangesNothing) {
  TempHome home;
  ClusterOptions options;
  options.home = home.path() / "never";
  auto cluster = EmbeddedCluster::open(options);
  ASSERT_TRUE(cluster.ok());
  auto st = cluster->status();
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->initialized);
  EXPECT_FALSE(st->running);
  EXPECT_TRUE(cluster->stop().ok());
  EXPECT_FALSE(fs::exists(home.path() / "never"));
}

TEST(EmbeddedCluster, HomeTheServerAccountCannotEnterIsAClearError) {
  if (geteuid() != 0) GTEST_SKIP() << "only root hands the server to another account";
  TempHome home;
  fs::path locked = home.path() / "locked";
  fs::create_directories(locked / "inner");
  fs::permissions(locked, fs::perms::owner_all);  // 0700 root: like /root
  ClusterOptions options;
  options.home = locked / "inner";
  auto cluster = EmbeddedCluster::open(options);
  ASSERT_TRUE(cluster.ok());
  Status st = cluster->start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot enter " + locked.string()), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("BTSTORE_HOME"), std::string::npos);
  EXPECT_FALSE(fs::exists(locked / "inner" / "pg"));  // nothing made for an unreachable home
}

TEST(EmbeddedCluster, FindsDebiansServerPrograms) {
  auto bin = find_postgres_bin_dir();
  ASSERT_TRUE(bin.ok()) << bin.status().to_string();
  EXPECT_TRUE(fs::exists(*bin / "initdb"));
  EXPECT_TRUE(fs::exists(*bin / "pg_ctl"));
  EXPECT_TRUE(fs::exists(*bin / "postgres"));
}

TEST(DatabaseAdmin, StartAndStopRefuseWhenAUrlIsConfigured) {
  StorageOptions options;
  options.database_url = "postgresql://alice:s3cret-pw@db.example/x";
  options.home = "/tmp";
  Status st = start_embedded_database(options);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("embedded"), std::string::npos);
  EXPECT_EQ(st.message().find("s3cret"), std::string::npos);
  EXPECT_EQ(stop_embedded_database(options).code(), StatusCode::kInvalidArgument);
  auto url = database_url(options);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, "postgresql://alice:***@db.example/x");
}

TEST(DatabaseAdmin, StatusOfTheTestServerByUrl) {
  BTSTORE_REQUIRE_PG();
  StorageOptions options;
  options.database_url = btstore::testing::test_conninfo();
  options.home = "/tmp";
  auto st = database_status(options);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->source, DatabaseSource::kUrl);
  EXPECT_TRUE(st->running) << st->error;
  EXPECT_FALSE(st->server_version.empty());
  EXPECT_EQ(st->pending_migrations, 0);
}

TEST(DatabaseAdmin, StatusOfAnUnreachableUrlReportsTheErrorWithoutPassword) {
  StorageOptions options;
  options.database_url = "postgresql://alice:s3cret-pw@127.0.0.1:1/x";
  options.home = "/tmp";
  options.connect_timeout_seconds = 2;
  auto st = database_status(options);
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->running);
  EXPECT_NE(st->error.find("cannot connect"), std::string::npos);
  EXPECT_EQ(st->error.find("s3cret"), std::string::npos);
  EXPECT_EQ(st->target.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace btstore::catalog
