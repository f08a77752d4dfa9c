#include "catalog/embedded_cluster.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "catalog/connection.h"

namespace btstore::catalog {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxSocketPath = 107;  // sizeof(sockaddr_un::sun_path) less the NUL
// pg_ctl hands -D and -l to /bin/sh in double quotes; postgresql.conf strings are single-quoted
// and unix_socket_directories is a comma-separated list.
constexpr std::string_view kUnquotable = "'\"$`\\,";
constexpr std::string_view kStagingDir = "data.initdb";
constexpr int kPgCtlStatusNotRunning = 3;

bool executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

bool has_server_programs(const fs::path& dir) {
  return executable(dir / "initdb") && executable(dir / "pg_ctl") && executable(dir / "postgres");
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

std::string first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return trim(line);
}

// The last `count` lines of `file`, for error messages about a server that would not start.
std::string last_lines(const fs::path& file, size_t count) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > count) lines.erase(lines.begin());
  }
  std::string out;
  for (const std::string& l : lines) out += "\n  " + l;
  return out;
}

fs::path which(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && executable(fs::path(dir) / program)) return fs::path(dir) / program;
  }
  return {};
}

std::vector<int> installed_majors(const fs::path& root) {
  std::vector<int> majors;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
    std::string name = e.path().filename().string();
    if (!name.empty() && name.size() < 4 &&
        std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        has_server_programs(e.path() / "bin")) {
      majors.push_back(std::stoi(name));
    }
  }
  std::sort(majors.rbegin(), majors.rend());
  return majors;
}

std::string percent_encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string quote_value(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

std::string current_user() {
  struct passwd* pw = getpwuid(geteuid());
  return pw != nullptr ? pw->pw_name : std::to_string(geteuid());
}

Status chown_to(const fs::path& path, const std::optional<RunAs>& run_as) {
  if (!run_as || chown(path.c_str(), run_as->uid, run_as->gid) == 0) return Status::OK();
  return Status::IOError("cannot give " + path.string() + " to user '" + run_as->name +
                         "': " + std::strerror(errno));
}

}  // namespace

Result<fs::path> find_postgres_bin_dir(std::string_view major) {
  const fs::path debian_root = "/usr/lib/postgresql";
  if (!major.empty() && has_server_programs(debian_root / major / "bin")) {
    return debian_root / major / "bin";
  }
  if (std::vector<int> majors = installed_majors(debian_root); !majors.empty()) {
    return debian_root / std::to_string(majors.front()) / "bin";
  }
  if (fs::path pg_config = which("pg_config"); !pg_config.empty()) {
    Result<ProcessResult> out = run_process({pg_config.string(), "--bindir"}, std::nullopt, "/");
    if (out.ok() && out->exit_code == 0 && has_server_programs(trim(out->output))) {
      return fs::path(trim(out->output));
    }
  }
  if (fs::path initdb = which("initdb");
      !initdb.empty() && has_server_programs(initdb.parent_path())) {
    return initdb.parent_path();
  }
  return Status::NotFound(
      "no PostgreSQL server programs (initdb, pg_ctl, postgres) in /usr/lib/postgresql/*/bin, "
      "`pg_config --bindir` or PATH; install them (Debian: apt-get install postgresql) or set "
      "--database-url to a server of your own");
}

Result<EmbeddedCluster> EmbeddedCluster::open(const ClusterOptions& options) {
  if (options.home.empty()) return Status::InvalidArgument("btstore home directory is empty");
  if (options.port < 1 || options.port > 65535) {
    return Status::InvalidArgument("embedded PostgreSQL port " + std::to_string(options.port) +
                                   " is not in 1-65535");
  }
  std::error_code ec;
  fs::path home = fs::absolute(options.home, ec).lexically_normal();
  if (ec) return Status::IOError("cannot resolve " + options.home.string() + ": " + ec.message());
  if (!home.has_filename()) home = home.parent_path();  // "/a/b/" -> "/a/b"
  fs::path pg_dir = home / "pg";
  std::string socket = (pg_dir / (".s.PGSQL." + std::to_string(options.port))).string();
  if (socket.size() > kMaxSocketPath) {
    return Status::InvalidArgument(
        "the embedded PostgreSQL's socket would be " + socket + ", " +
        std::to_string(socket.size()) + " bytes, longer than the " +
        std::to_string(kMaxSocketPath) +
        " a Unix socket path may have; set BTSTORE_HOME (or --home) to a shorter path");
  }
  for (char c : pg_dir.string()) {
    if (kUnquotable.find(c) != std::string_view::npos ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return Status::InvalidArgument(
          "the embedded PostgreSQL cannot live in " + pg_dir.string() +
          ": the path contains a character (one of ' \" $ ` \\ , or a control character) that "
          "pg_ctl and postgresql.conf cannot quote; set BTSTORE_HOME (or --home) to a plainer "
          "path");
    }
  }
  return EmbeddedCluster(options, pg_dir);
}

std::string EmbeddedCluster::url() const {
  return "postgresql:///" + std::string(kEmbeddedDatabase) +
         "?host=" + percent_encode(pg_dir_.string()) + "&port=" + std::to_string(options_.port) +
         "&user=" + std::string(kEmbeddedUser);
}

std::string EmbeddedCluster::conninfo(std::string_view dbname) const {
  return "host=" + quote_value(pg_dir_.string()) + " port=" + std::to_string(options_.port) +
         " user=" + quote_value(kEmbeddedUser) + " dbname=" + quote_value(dbname);
}

Result<ProcessResult> EmbeddedCluster::pg_tool(const fs::path& bin, const char* tool,
                                               std::vector<std::string> args,
                                               const std::optional<RunAs>& run_as) {
  args.insert(args.begin(), (bin / tool).string());
  return run_process(args, run_as, pg_dir_);
}

Status EmbeddedCluster::prepare_directory(const std::optional<RunAs>& run_as) {
  fs::path home = pg_dir_.parent_path();
  std::error_code ec;
  fs::create_directories(home, ec);
  if (ec) return Status::IOError("cannot create " + home.string() + ": " + ec.message());
  // Before making anything for the server's account, make sure that account can get there.
  if (run_as) BTSTORE_RETURN_IF_ERROR(check_reachable(*run_as, home, /*need_write=*/false));
  if (fs::create_directory(pg_dir_, ec)) fs::permissions(pg_dir_, fs::perms::owner_all, ec);
  if (ec) return Status::IOError("cannot create " + pg_dir_.string() + ": " + ec.message());
  if (!run_as) return Status::OK();
  BTSTORE_RETURN_IF_ERROR(chown_to(pg_dir_, run_as));
  return check_reachable(*run_as, pg_dir_, /*need_write=*/true);
}

Result<fs::path> EmbeddedCluster::bin_dir() {
  if (options_.bin_dir.empty()) return find_postgres_bin_dir(first_line(data_dir() / "PG_VERSION"));
  if (has_server_programs(options_.bin_dir)) return options_.bin_dir;
  return Status::InvalidArgument(options_.bin_dir.string() +
                                 " does not hold the PostgreSQL programs initdb, pg_ctl, postgres");
}

Status EmbeddedCluster::initdb(const fs::path& bin, const std::optional<RunAs>& run_as) {
  std::error_code ec;
  if (fs::exists(data_dir(), ec)) {
    return Status::Corruption(data_dir().string() +
                              " exists but is not a PostgreSQL data directory (no PG_VERSION); "
                              "move it away, and btstore will create a new cluster");
  }
  // initdb writes into a staging directory that becomes data/ by one rename, so an interrupted
  // initdb never leaves a half-made cluster where start() would take it for a real one.
  fs::path staging = pg_dir_ / kStagingDir;
  fs::remove_all(staging, ec);
  std::vector<std::string> args = {"-D",
                                   staging.string(),
                                   "-U",
                                   std::string(kEmbeddedUser),
                                   "-E",
                                   "UTF8",
                                   "--locale=C",
                                   "--auth-local=trust",
                                   "--auth-host=reject"};
  if (!options_.durable) args.emplace_back("--no-sync");
  BTSTORE_ASSIGN_OR_RETURN(ProcessResult out, pg_tool(bin, "initdb", args, run_as));
  if (out.exit_code != 0) {
    return Status::DatabaseError("initdb " + staging.string() + " failed (exit " +
                                 std::to_string(out.exit_code) + "): " + trim(out.output));
  }
  std::ofstream conf(staging / "postgresql.conf", std::ios::app);
  conf << "\n# Added by btstore: the socket and durability settings it rewrites at every start.\n"
          "include_if_exists = 'btstore.conf'\n";
  conf.close();
  if (!conf) return Status::IOError("cannot append to " + (staging / "postgresql.conf").string());
  fs::rename(staging, data_dir(), ec);
  if (ec) return Status::IOError("cannot rename " + staging.string() + ": " + ec.message());
  return Status::OK();
}

Status EmbeddedCluster::write_settings(const std::optional<RunAs>& run_as) {
  fs::path file = data_dir() / "btstore.conf";
  std::ofstream out(file, std::ios::trunc);
  out << "# Written by btstore at every start of the embedded server; edits here are lost.\n"
         "# Only the Unix socket below accepts connections.\n"
         "listen_addresses = ''\n"
      << "unix_socket_directories = '" << pg_dir_.string() << "'\n"
      << "port = " << options_.port << "\n";
  if (!options_.durable) out << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  out.close();
  if (!out) return Status::IOError("cannot write " + file.string());
  return chown_to(file, run_as);
}

Result<bool> EmbeddedCluster::is_running(const fs::path& bin, const std::optional<RunAs>& run_as) {
  BTSTORE_ASSIGN_OR_RETURN(ProcessResult out,
                           pg_tool(bin, "pg_ctl", {"status", "-D", data_dir().string()}, run_as));
  if (out.exit_code == 0) return true;
  if (out.exit_code == kPgCtlStatusNotRunning) return false;
  return Status::DatabaseError("pg_ctl status -D " + data_dir().string() +
                               " failed: " + trim(out.output));
}

Status EmbeddedCluster::ensure_database() {
  BTSTORE_ASSIGN_OR_RETURN(Connection conn, Connection::open(conninfo("postgres")));
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult found,
      conn.exec("SELECT 1 FROM pg_database WHERE datname = $1", {std::string(kEmbeddedDatabase)}));
  if (!found.rows.empty()) return Status::OK();
  // An identifier cannot be a bound parameter; this one is a constant of the program.
  return conn.exec_script("CREATE DATABASE " + std::string(kEmbeddedDatabase));
}

Status EmbeddedCluster::start() {
  BTSTORE_ASSIGN_OR_RETURN(std::optional<RunAs> run_as, server_account());
  BTSTORE_RETURN_IF_ERROR(prepare_directory(run_as));
  BTSTORE_ASSIGN_OR_RETURN(FileLock lock, FileLock::acquire(pg_dir_ / "btstore.lock"));
  BTSTORE_ASSIGN_OR_RETURN(fs::path bin, bin_dir());
  std::error_code ec;
  if (!fs::exists(data_dir() / "PG_VERSION", ec)) BTSTORE_RETURN_IF_ERROR(initdb(bin, run_as));
  BTSTORE_ASSIGN_OR_RETURN(bool running, is_running(bin, run_as));
  if (!running) {
    BTSTORE_RETURN_IF_ERROR(write_settings(run_as));
    BTSTORE_ASSIGN_OR_RETURN(ProcessResult out,
                             pg_tool(bin, "pg_ctl",
                                     {"start", "-D", data_dir().string(), "-l", log_file().string(),
                                      "-w", "-t", "60", "-s"},
                                     run_as));
    if (out.exit_code != 0) {
      return Status::DatabaseError("cannot start the embedded PostgreSQL in " +
                                   data_dir().string() + ": " + trim(out.output) + "; the end of " +
                                   log_file().string() + ":" + last_lines(log_file(), 10));
    }
  }
  return ensure_database().with_context("embedded PostgreSQL in " + pg_dir_.string());
}

Status EmbeddedCluster::stop() {
  std::error_code ec;
  if (!fs::exists(data_dir() / "PG_VERSION", ec)) return Status::OK();  // never created
  BTSTORE_ASSIGN_OR_RETURN(std::optional<RunAs> run_as, server_account());
  BTSTORE_ASSIGN_OR_RETURN(FileLock lock, FileLock::acquire(pg_dir_ / "btstore.lock"));
  BTSTORE_ASSIGN_OR_RETURN(fs::path bin, bin_dir());
  BTSTORE_ASSIGN_OR_RETURN(bool running, is_running(bin, run_as));
  if (!running) return Status::OK();
  BTSTORE_ASSIGN_OR_RETURN(
      ProcessResult out,
      pg_tool(bin, "pg_ctl",
              {"stop", "-D", data_dir().string(), "-m", "fast", "-w", "-t", "60", "-s"}, run_as));
  if (out.exit_code != 0) {
    return Status::DatabaseError("cannot stop the embedded PostgreSQL in " + data_dir().string() +
                                 ": " + trim(out.output));
  }
  return Status::OK();
}

Result<ClusterStatus> EmbeddedCluster::status() {
  ClusterStatus st;
  st.data_dir = data_dir();
  st.socket_dir = pg_dir_;
  st.log_file = log_file();
  st.port = options_.port;
  st.url = url();
  BTSTORE_ASSIGN_OR_RETURN(std::optional<RunAs> run_as, server_account());
  st.run_as = run_as ? run_as->name : current_user();
  st.data_version = first_line(data_dir() / "PG_VERSION");
  st.initialized = !st.data_version.empty();
  if (Result<fs::path> bin = bin_dir(); bin.ok()) st.bin_dir = *bin;
  if (!st.initialized) return st;
  // Readiness as a client sees it: the socket answers. PQping never authenticates.
  PGPing ping = PQping(conninfo("postgres").c_str());
  st.running = ping == PQPING_OK || ping == PQPING_REJECT;
  if (!st.running) return st;
  st.pid = std::atoll(first_line(data_dir() / "postmaster.pid").c_str());
  if (Result<Connection> conn = Connection::open(conninfo("postgres")); conn.ok()) {
    Result<QueryResult> v = conn->exec("SHOW server_version");
    if (v.ok() && !v->rows.empty()) st.server_version = v->rows[0][0].value_or("");
  }
  return st;
}

}  // namespace btstore::catalog
