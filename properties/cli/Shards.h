#pragma once
// Which share of a campaign this run is: `check --shard I/N`, or the test
// sharding protocols of GoogleTest and Bazel, so any CI that drives those
// drives a sharded campaign unchanged. A shard runs the slices k of the
// campaign with k % N == I (CheckReport.h); `merge` joins the shards' reports.
#include <functional>
#include <optional>
#include <string>

#include "CheckReport.h"

namespace hc::cli {

// Reads one environment variable; nullopt when it is unset or empty.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> environmentVariable(const std::string& name);

// `option` ("I/N", from --shard) when given, else the environment's
// GTEST_SHARD_INDEX / GTEST_TOTAL_SHARDS or TEST_SHARD_INDEX /
// TEST_TOTAL_SHARDS; nullopt: the whole campaign. Throws CommandLineError
// naming the option or variable that is malformed, out of range or
// contradicted by the other protocol.
std::optional<Shard> chooseShard(const std::string& option, const Environment&);

// Creates (or touches) the files TEST_SHARD_STATUS_FILE and
// GTEST_SHARD_STATUS_FILE name, when set: how a test program tells Bazel it
// honours the sharding variables. Throws CommandLineError when it cannot.
void touchShardStatusFiles(const Environment&);

}  // namespace hc::cli
