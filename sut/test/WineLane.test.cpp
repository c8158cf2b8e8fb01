// Lanes without Wine: which CPU a worker's claim gets, the prefix copy, and
// which processes stopping a server leaves.
#include "handlecheck/sut/WineLane.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <memory>

#include "handlecheck/sut/WineRunner.h"

namespace hc::sut {
namespace {

namespace fs = std::filesystem;

// A directory of this test's own, removed afterwards.
class Scratch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hc-lane-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ino_t inode(const fs::path& file) {
  struct stat st {};
  EXPECT_EQ(::lstat(file.c_str(), &st), 0) << file;
  return st.st_ino;
}

using LaneClaims = Scratch;
using CopyPrefix = Scratch;

TEST_F(LaneClaims, EachWorkerStartsAtItsOwnCpu) {
  const std::vector<int> cpus = usableCpus();
  ASSERT_FALSE(cpus.empty());
  const fs::path prefix = dir_ / "wineprefix";
  for (int worker = 0; worker < static_cast<int>(cpus.size()); ++worker) {
    const LaneClaim claim(prefix, worker);
    EXPECT_EQ(claim.cpu(), cpus[static_cast<std::size_t>(worker)]);
    EXPECT_FALSE(claim.shared());
    EXPECT_EQ(claim.prefix(), dir_ / ("wineprefix-cpu" + std::to_string(claim.cpu())));
  }
}

TEST_F(LaneClaims, LanesLieBesideThePrefixWhateverItsSpelling) {
  const LaneClaim claim(dir_ / "bin" / ".." / "wineprefix" / "", 0);
  EXPECT_EQ(claim.prefix(), dir_ / ("wineprefix-cpu" + std::to_string(claim.cpu())));
}

TEST_F(LaneClaims, AClaimedLaneIsPassedOverUntilGivenUp) {
  const std::vector<int> cpus = usableCpus();
  const fs::path prefix = dir_ / "wineprefix";
  std::vector<std::unique_ptr<LaneClaim>> claims;
  for (std::size_t i = 0; i < cpus.size(); ++i) {
    claims.push_back(std::make_unique<LaneClaim>(prefix, 0));
    EXPECT_EQ(claims.back()->cpu(), cpus[i]) << "claim " << i << " of worker 0";
    EXPECT_FALSE(claims.back()->shared());
  }
  // Every lane is claimed: worker 0 shares its own.
  const LaneClaim extra(prefix, 0);
  EXPECT_TRUE(extra.shared());
  EXPECT_EQ(extra.cpu(), cpus[0]);
  claims.front().reset();
  const LaneClaim again(prefix, 0);
  EXPECT_FALSE(again.shared());
  EXPECT_EQ(again.cpu(), cpus[0]);
}

TEST_F(CopyPrefix, LinksTheTreeButCopiesTheTopLevelFiles) {
  const fs::path from = dir_ / "wineprefix", to = dir_ / "wineprefix-cpu0";
  write(from / "system.reg", "WINE REGISTRY Version 2\n");
  write(from / "user.reg", "WINE REGISTRY Version 2\n;user\n");
  write(from / "drive_c" / "windows" / "system32" / "kernel32.dll", "MZ");
  fs::create_directories(from / "dosdevices");
  fs::create_directory_symlink("../drive_c", from / "dosdevices" / "c:");

  copyPrefix(from, to);
  EXPECT_EQ(read(to / "system.reg"), read(from / "system.reg"));
  EXPECT_EQ(read(to / "user.reg"), read(from / "user.reg"));
  EXPECT_NE(inode(to / "system.reg"), inode(from / "system.reg"));
  EXPECT_NE(inode(to / "user.reg"), inode(from / "user.reg"));
  const fs::path dll = fs::path("drive_c") / "windows" / "system32" / "kernel32.dll";
  EXPECT_EQ(inode(to / dll), inode(from / dll));
  ASSERT_TRUE(fs::is_symlink(to / "dosdevices" / "c:"));
  EXPECT_EQ(fs::read_symlink(to / "dosdevices" / "c:"), fs::path("../drive_c"));
  EXPECT_FALSE(fs::exists(dir_ / "wineprefix-cpu0.partial"));

  // Made once: a later change of the original does not reach the copy.
  write(from / "system.reg", "changed\n");
  copyPrefix(from, to);
  EXPECT_EQ(read(to / "system.reg"), "WINE REGISTRY Version 2\n");
}

TEST_F(CopyPrefix, AMissingPrefixIsAClearError) {
  try {
    copyPrefix(dir_ / "nowhere", dir_ / "nowhere-cpu0");
    FAIL() << "no error";
  } catch (const WineError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot copy the Wine prefix"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "nowhere-cpu0"));
  EXPECT_FALSE(fs::exists(dir_ / "nowhere-cpu0.partial"));
}

using StopServer = Scratch;

// A process started with `env` as its whole environment, running `exe 30`.
pid_t startWith(const fs::path& exe, const std::string& env) {
  const std::string path = exe.string();
  char arg[] = "30";
  char* const argv[] = {const_cast<char*>(path.c_str()), arg, nullptr};
  char* const envp[] = {const_cast<char*>(env.c_str()), nullptr};
  pid_t pid = 0;
  EXPECT_EQ(::posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv, envp), 0) << path;
  return pid;
}

// Whether `pid` (a child) was killed within 1 s; a child still running is
// killed here.
bool killedBySweep(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFSIGNALED(status);
    ::usleep(10000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return false;
}

// Once its server is stopped, no Wine process of the prefix or of a lane's
// copy of it is left (a process Wine starts on demand can outlive its
// server); a Wine process of another prefix and a process that only has the
// prefix in its environment (a shell, say) are not Wine's to stop.
TEST_F(StopServer, KillsTheWineProcessesLeftInThePrefixAndItsLanes) {
  fs::create_directories(dir_ / "wineprefix-cpu1");
  const fs::path wine = dir_ / "wine64-standin";
  fs::copy_file("/bin/sleep", wine);
  fs::permissions(wine, fs::perms::owner_all);
  WineSetup setup;
  setup.wine = wine;
  setup.wineserver = "/bin/true";
  setup.prefix = dir_ / "wineprefix";
  const pid_t inPrefix = startWith(wine, "WINEPREFIX=" + setup.prefix.string());
  const pid_t inLane = startWith(wine, "WINEPREFIX=" + (dir_ / "wineprefix-cpu1").string());
  const pid_t elsewhere = startWith(wine, "WINEPREFIX=" + (dir_ / "other").string());
  const pid_t notWine = startWith("/bin/sleep", "WINEPREFIX=" + setup.prefix.string());
  ::usleep(100000);  // each has run its exec
  stopServer(setup);
  EXPECT_TRUE(killedBySweep(inPrefix));
  EXPECT_TRUE(killedBySweep(inLane));
  EXPECT_FALSE(killedBySweep(elsewhere));
  EXPECT_FALSE(killedBySweep(notWine));
}

}  // namespace
}  // namespace hc::sut
