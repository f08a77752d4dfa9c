// Which server btstore uses, and the embedded cluster's paths; nothing here starts a server.
#include "catalog/config.h"

#include <gtest/gtest.h>

namespace btstore::catalog {
namespace {

DatabaseEnvironment env_with_home(std::string home) {
  DatabaseEnvironment env;
  env.home = std::move(home);
  return env;
}

TEST(ResolveDatabaseConfig, UrlWinsOverPgVariablesAndEmbedded) {
  StorageOptions options;
  options.database_url = "postgresql://a:pw@db/x";
  DatabaseEnvironment env = env_with_home("/home/alice");
  env.pg_variables = true;
  auto c = resolve_database_config(options, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->source, DatabaseSource::kUrl);
  EXPECT_EQ(c->conninfo, "postgresql://a:pw@db/x");
  EXPECT_EQ(describe_database(*c), "postgresql://a:***@db/x");
}

TEST(ResolveDatabaseConfig, PgVariablesGiveAnEmptyConninfo) {
  DatabaseEnvironment env = env_with_home("/home/alice");
  env.pg_variables = true;
  auto c = resolve_database_config({}, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->source, DatabaseSource::kPgEnvironment);
  EXPECT_EQ(c->conninfo, "");
}

TEST(ResolveDatabaseConfig, OtherwiseTheEmbeddedClusterUnderTheDefaultHome) {
  auto c = resolve_database_config({}, env_with_home("/home/alice"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->source, DatabaseSource::kEmbedded);
  EXPECT_EQ(c->home, "/home/alice/.local/share/btstore");
  EXPECT_EQ(c->root, c->home);
  EXPECT_EQ(c->conninfo,
            "host='/home/alice/.local/share/btstore/pg' port=5432 user='btstore' dbname='btstore'");
  EXPECT_EQ(describe_database(*c), "embedded PostgreSQL in /home/alice/.local/share/btstore/pg");
}

TEST(ResolveDatabaseConfig, RootDefaultsToVarLib) {
  DatabaseEnvironment env = env_with_home("/root");
  env.root = true;
  EXPECT_EQ(resolve_database_config({}, env)->home, "/var/lib/btstore");
  StorageOptions options;
  options.home = "/srv/bt";
  EXPECT_EQ(resolve_database_config(options, env)->home, "/srv/bt");
}

TEST(ResolveDatabaseConfig, XdgDataHomeAndExplicitDirectories) {
  DatabaseEnvironment env = env_with_home("/home/alice");
  env.xdg_data_home = "/data";
  EXPECT_EQ(resolve_database_config({}, env)->home, "/data/btstore");
  env.xdg_data_home = "relative";  // not absolute: ignored, as the XDG spec says
  EXPECT_EQ(resolve_database_config({}, env)->home, "/home/alice/.local/share/btstore");
  StorageOptions options;
  options.home = "/srv/bt/";
  options.root = "/srv/files";
  auto c = resolve_database_config(options, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->home, "/srv/bt");
  EXPECT_EQ(c->root, "/srv/files");
}

TEST(ResolveDatabaseConfig, NoHomeAnywhereIsInvalidArgument) {
  auto c = resolve_database_config({}, DatabaseEnvironment{});
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("BTSTORE_HOME"), std::string::npos);
}

TEST(EmbeddedClusterOpen, TooLongSocketPathSaysToShortenHome) {
  ClusterOptions options;
  options.home = "/tmp/" + std::string(100, 'h');
  auto cluster = EmbeddedCluster::open(options);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cluster.status().message().find("BTSTORE_HOME"), std::string::npos);
  EXPECT_NE(cluster.status().message().find("107"), std::string::npos);
  // The embedded default is refused at resolution time too, before anything is created.
  StorageOptions storage;
  storage.home = options.home.string();
  EXPECT_EQ(resolve_database_config(storage, env_with_home("/h")).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(EmbeddedClusterOpen, SocketPathOfExactly107BytesIsAccepted) {
  // "/pg/.s.PGSQL.5432" is 17 bytes.
  ClusterOptions options;
  options.home = "/" + std::string(89, 'h');
  EXPECT_TRUE(EmbeddedCluster::open(options).ok());
  options.home = "/" + std::string(90, 'h');
  EXPECT_FALSE(EmbeddedCluster::open(options).ok());
}

TEST(EmbeddedClusterOpen, RefusesPathsPgCtlCannotQuote) {
  for (const char* home :
       {"/tmp/it's", "/tmp/a\"b", "/tmp/$HOME", "/tmp/a,b", "/tmp/a\\b", "/tmp/a\nb"}) {
    ClusterOptions options;
    options.home = home;
    EXPECT_EQ(EmbeddedCluster::open(options).status().code(), StatusCode::kInvalidArgument) << home;
  }
  ClusterOptions spaces;
  spaces.home = "/tmp/with space";
  EXPECT_TRUE(EmbeddedCluster::open(spaces).ok());
}

TEST(EmbeddedClusterOpen, UrlPercentEncodesTheSocketDirectory) {
  ClusterOptions options;
  options.home = "/tmp/with space";
  options.port = 6543;
  auto cluster = EmbeddedCluster::open(options);
  ASSERT_TRUE(cluster.ok());
  EXPECT_EQ(cluster->url(),
            "postgresql:///btstore?host=/tmp/with%20space/pg&port=6543&user=btstore");
  EXPECT_EQ(cluster->conninfo(),
            "host='/tmp/with space/pg' port=6543 user='btstore' dbname='btstore'");
}

TEST(EmbeddedClusterOpen, RefusesBadPortsAndEmptyHome) {
  ClusterOptions options;
  EXPECT_EQ(EmbeddedCluster::open(options).status().code(), StatusCode::kInvalidArgument);
  options.home = "/tmp/x";
  options.port = 0;
  EXPECT_EQ(EmbeddedCluster::open(options).status().code(), StatusCode::kInvalidArgument);
  options.port = 70000;
  EXPECT_EQ(EmbeddedCluster::open(options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace btstore::catalog
