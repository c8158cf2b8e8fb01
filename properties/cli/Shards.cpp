// The sharding protocols. GoogleTest ("Distributing Test Functions to
// Multiple Machines", docs/advanced.md): the runner sets GTEST_TOTAL_SHARDS
// (the same on every shard) and GTEST_SHARD_INDEX (distinct, in
// [0, GTEST_TOTAL_SHARDS - 1]); GoogleTest itself refuses a malformed value or
// one variable without the other, and touches GTEST_SHARD_STATUS_FILE.
// Bazel (Test Encyclopedia, "Initial conditions" and "Test sharding"):
// TEST_TOTAL_SHARDS and TEST_SHARD_INDEX likewise, and a sharded test must
// touch the file TEST_SHARD_STATUS_FILE names, or Bazel fails it ("Sharding
// requested, but the test runner did not advertise support for it by
// touching TEST_SHARD_STATUS_FILE"). Bazel's test wrapper may set both
// pairs; they must then agree.
#include "Shards.h"

#include <cstdlib>
#include <fstream>

#include "Commands.h"

namespace hc::cli {
namespace {

// A whole number 0..1000000 written with digits only; nullopt otherwise.
std::optional<int> wholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 7 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const int n = std::stoi(text);
  return n <= 1'000'000 ? std::optional<int>(n) : std::nullopt;
}

std::optional<Shard> fromVariables(const Environment& env, const std::string& indexName,
                                   const std::string& totalName) {
  const auto index = env(indexName), total = env(totalName);
  if (!index && !total) return std::nullopt;
  if (!index || !total)
    throw CommandLineError((index ? indexName : totalName) + " is set but " +
                           (index ? totalName : indexName) + " is not");
  const auto i = wholeNumber(*index), n = wholeNumber(*total);
  if (!n || *n < 1)
    throw CommandLineError(totalName + "=`" + *total + "`: wants a whole number of shards >= 1");
  if (!i || *i >= *n)
    throw CommandLineError(indexName + "=`" + *index + "`: wants a whole number below " +
                           totalName + "=" + *total);
  return Shard{*i, *n};
}

}  // namespace

std::optional<std::string> environmentVariable(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

std::optional<Shard> chooseShard(const std::string& option, const Environment& env) {
  if (!option.empty()) {
    const std::size_t slash = option.find('/');
    const auto i = wholeNumber(option.substr(0, slash));
    const auto n =
        slash == std::string::npos ? std::nullopt : wholeNumber(option.substr(slash + 1));
    if (!i || !n)
      throw CommandLineError("--shard `" + option +
                             "`: wants I/N, this shard's index and the number of shards, "
                             "0 <= I < N (e.g. 0/4)");
    if (*n < 1) throw CommandLineError("--shard " + option + ": the number of shards must be >= 1");
    if (*i >= *n)
      throw CommandLineError("--shard " + option +
                             ": the index must be below the number of shards (0.." +
                             std::to_string(*n - 1) + ")");
    return Shard{*i, *n};
  }
  const auto gtest = fromVariables(env, "GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS");
  const auto bazel = fromVariables(env, "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS");
  if (gtest && bazel && (gtest->index != bazel->index || gtest->count != bazel->count))
    throw CommandLineError("GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS say shard " +
                           std::to_string(gtest->index) + "/" + std::to_string(gtest->count) +
                           ", TEST_SHARD_INDEX/TEST_TOTAL_SHARDS say " +
                           std::to_string(bazel->index) + "/" + std::to_string(bazel->count));
  return gtest ? gtest : bazel;
}

void touchShardStatusFiles(const Environment& env) {
  for (const char* name : {"TEST_SHARD_STATUS_FILE", "GTEST_SHARD_STATUS_FILE"})
    if (const auto file = env(name); file && !std::ofstream(*file, std::ios::app))
      throw CommandLineError(std::string("cannot touch ") + name + "=" + *file);
}

}  // namespace hc::cli
