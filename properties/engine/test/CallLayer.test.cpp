// Excerpts of the Win32 call layer for straight-line reproducers: exactly
// the definitions asked for and what they use, nothing of the rest.
#include "../src/CallLayer.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hc::engine::detail {
namespace {

TEST(CallLayer, ExcerptHoldsTheFunctionAndWhatItUses) {
  const std::string text = callLayerExcerpt({"hc_create_mailslot"});
  EXPECT_NE(
      text.find("void hc_create_mailslot(struct hc_call *c, BOOL inherit, const WCHAR *name)\n{"),
      std::string::npos);
  EXPECT_NE(text.find("CreateMailslotW("), std::string::npos);
  for (const char* used :
       {"WCHAR *hc_mailslot_path(", "void hc_settle_handle(", "void hc_settle(",
        "SECURITY_ATTRIBUTES *hc_security_attributes(", "struct hc_call\n{", "#define HC_POISON"})
    EXPECT_NE(text.find(used), std::string::npos) << used;
  // Nothing it does not use: no other call, no prototypes, no observation.
  for (const char* unused : {"hc_create_event", "CreateFileMappingW", "hc_observe", "hc_spawn",
                             "void hc_settle(struct hc_call *c, BOOL succeeded);", "#include"})
    EXPECT_EQ(text.find(unused), std::string::npos) << unused;
}

TEST(CallLayer, DefinitionsComeBeforeTheirUse) {
  const std::string text = callLayerExcerpt({"hc_observe", "hc_open_mailslot"});
  EXPECT_LT(text.find("void hc_settle("), text.find("void hc_settle_handle("));
  EXPECT_LT(text.find("hc_get_proc("), text.find("void hc_observe("));
  EXPECT_LT(text.find("struct hc_observation\n{"), text.find("void hc_observe("));
  EXPECT_NE(text.find("typedef LONG (WINAPI *hc_NtQueryObject)"), std::string::npos);
  // One typedef or #define per item: only those hc_observe names come along.
  EXPECT_EQ(text.find("hc_NtQuerySystemInformation"), std::string::npos);
  EXPECT_EQ(text.find("HC_SYSTEM_EXTENDED_HANDLE_INFORMATION"), std::string::npos);
}

TEST(CallLayer, UnknownRootIsAnError) {
  EXPECT_THROW(callLayerExcerpt({"hc_no_such_call"}), std::logic_error);
}

}  // namespace
}  // namespace hc::engine::detail
