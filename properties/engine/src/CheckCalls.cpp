#include "CheckCalls.h"

#include "CString.h"

namespace hc::engine::detail {
namespace {

using K = scenario::Expect::Kind;

std::string hexDigits(std::uint32_t v) {
  return proto::hex(v).substr(2);
}

}  // namespace

std::string callCheck(const scenario::Expect& e) {
  switch (e.kind) {
    case K::Ok:
      return "    expect_ok(&c);\n";
    case K::Error:
      return "    expect_error(&c, " + std::to_string(e.number) + ", " +
             cString(e.text.empty() ? std::to_string(e.number) : e.text) + ");\n";
    case K::AlreadyExists:
      return "    expect_already_exists(&c);\n";
    case K::Data:
      return "    expect_data(&c, " + cString(e.text) + ");\n";
    case K::ExitCode:
      return "    expect_exit_code(&c, " + std::to_string(e.number) + ");\n";
    case K::Avail:
      return "    expect_avail(&c, " + std::to_string(e.number) + ");\n";
    case K::Instances:
      return "    expect_instances(&c, " + std::to_string(e.number) + ");\n";
    case K::AttributeListSize:
      return "    expect_attribute_list_size(&c, " + std::to_string(e.number) + ");\n";
    default:
      return {};
  }
}

std::string valueCheck(const scenario::Expect& e, const std::string& want) {
  return "    expect_value(&c, " + want + ", " + cString(e.text) + ");\n";
}

std::string handleCheck(const scenario::Expect& e, const std::string& subject) {
  switch (e.kind) {
    case K::Valid:
      return "    expect_valid(" + subject + ");\n";
    case K::Invalid:
      return "    expect_invalid(" + subject + ");\n";
    case K::Inherit:
    case K::NoInherit:
      return "    expect_flag(" + subject + ", HANDLE_FLAG_INHERIT, " +
             cBool(e.kind == K::Inherit) + ", \"inherit\");\n";
    case K::Protect:
    case K::NoProtect:
      return "    expect_flag(" + subject + ", HANDLE_FLAG_PROTECT_FROM_CLOSE, " +
             cBool(e.kind == K::Protect) + ", \"protect\");\n";
    case K::Count:
    case K::CountAtLeast:
      return "    expect_count(" + subject + ", " + std::to_string(e.number) + ", " +
             cBool(e.kind == K::CountAtLeast) + ");\n";
    case K::Type:
      return "    expect_type(" + subject + ", " + cString(e.text) + ");\n";
    case K::Messages:
      return "    expect_messages(" + subject + ", " + std::to_string(e.number) + ");\n";
    case K::Access:
      return "    expect_access(" + subject + ", 0x" + hexDigits(e.number) + ");\n";
    default:
      return {};
  }
}

}  // namespace hc::engine::detail
