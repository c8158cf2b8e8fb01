// Lanes without Wine: which CPU a worker's claim gets, and the prefix copy.
#include "handlecheck/sut/WineLane.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>

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

}  // namespace
}  // namespace hc::sut
