// btstore's own PostgreSQL cluster under $BTSTORE_HOME/pg, used when no database is
// configured: created with initdb on first use, reachable only through a Unix socket in that
// directory, started on demand and left running.
//
// Layout of $BTSTORE_HOME/pg (owned by the server's user):
//   data/          the cluster (PGDATA); data/btstore.conf is rewritten at every start
//   server.log     the server's log
//   .s.PGSQL.5432  the socket (only while running)
//   btstore.lock   flock taken by start and stop, so concurrent btstore processes queue
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "btstore/status.h"
#include "catalog/process.h"

namespace btstore::catalog {

inline constexpr std::string_view kEmbeddedDatabase = "btstore";
inline constexpr std::string_view kEmbeddedUser = "btstore";

struct ClusterOptions {
  std::filesystem::path home;  // $BTSTORE_HOME; the cluster lives in home/pg
  int port = 5432;             // only names the socket file: nothing listens on TCP
  // false is for tests only: initdb --no-sync and fsync=off (a crash can lose the cluster).
  bool durable = true;
  // Where initdb, pg_ctl and postgres are; empty finds them: /usr/lib/postgresql/<newest>/bin
  // (the cluster's own major version once it exists), then `pg_config --bindir`, then PATH.
  std::filesystem::path bin_dir = {};
};

struct ClusterStatus {
  bool initialized = false;  // data/PG_VERSION exists
  bool running = false;
  int64_t pid = 0;  // of the postmaster, when running
  std::filesystem::path data_dir;
  std::filesystem::path socket_dir;
  std::filesystem::path log_file;
  std::filesystem::path bin_dir = {};  // empty when no binaries were found
  int port = 0;
  std::string data_version;    // major version of the data directory, e.g. "15"
  std::string server_version;  // SHOW server_version, when running
  std::string run_as;          // the account the server runs as
  std::string url;
};

class EmbeddedCluster {
 public:
  // Resolves the paths; touches nothing. InvalidArgument when the socket path would exceed
  // the Unix limit (107 bytes) or the path holds characters pg_ctl cannot quote.
  static Result<EmbeddedCluster> open(const ClusterOptions& options);

  // Creates and initialises the cluster if needed, starts the server if it is not running and
  // creates the btstore database. Idempotent; safe when several processes call it at once.
  Status start();

  // Stops the server (fast shutdown) if it runs. Idempotent.
  Status stop();

  Result<ClusterStatus> status();

  // postgresql:///btstore?host=<socket dir>&port=<port>&user=btstore
  std::string url() const;
  // The same target as a keyword string: host='...' port=... user=btstore dbname=btstore.
  std::string conninfo(std::string_view dbname = kEmbeddedDatabase) const;

  const std::filesystem::path& pg_dir() const { return pg_dir_; }
  std::filesystem::path data_dir() const { return pg_dir_ / "data"; }
  std::filesystem::path log_file() const { return pg_dir_ / "server.log"; }

 private:
  EmbeddedCluster(ClusterOptions options, std::filesystem::path pg_dir)
      : options_(std::move(options)), pg_dir_(std::move(pg_dir)) {}

  Status prepare_directory(const std::optional<RunAs>& run_as);
  Result<std::filesystem::path> bin_dir();
  Status initdb(const std::filesystem::path& bin, const std::optional<RunAs>& run_as);
  Status write_settings(const std::optional<RunAs>& run_as);
  Result<bool> is_running(const std::filesystem::path& bin, const std::optional<RunAs>& run_as);
  Status ensure_database();
  Result<ProcessResult> pg_tool(const std::filesystem::path& bin, const char* tool,
                                std::vector<std::string> args, const std::optional<RunAs>& run_as);

  ClusterOptions options_;
  std::filesystem::path pg_dir_;
};

// The directory holding initdb, pg_ctl and postgres (see ClusterOptions::bin_dir).
// `major` ("15"), when not empty, asks for that version's directory under /usr/lib/postgresql.
Result<std::filesystem::path> find_postgres_bin_dir(std::string_view major = {});

}  // namespace btstore::catalog
