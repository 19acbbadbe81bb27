//===- EnumOption.h - Enum-typed command-line and pass options --*- C++ -*-===//
//
// One spelling table per enum, kept beside the enum, serves every option of
// that type: pass options (`--sxf-prune="method=nm"`), `sxf-pipeline`
// options and tool flags. A value outside the table is refused by the option
// parser itself, naming the option and listing the valid spellings:
//
//   sparse-opt: error: for the --method option: 'random' is not one of
//   none, magnitude, block, nm, wanda, sparsegpt
//
// To make an enum usable as an option type:
//
//   namespace sxf { enum class Colour { Red, Green }; }
//   template <> struct sxf::EnumSpellings<sxf::Colour> {
//     static constexpr std::pair<sxf::Colour, const char *> table[] = {
//         {sxf::Colour::Red, "red"}, {sxf::Colour::Green, "green"}};
//   };
//   SXF_ENUM_OPTION(sxf::Colour)   // at global scope
//
// then `Option<"colour", "colour", "::sxf::Colour", "::sxf::Colour::Red",
// "...">` in a Passes.td, or `llvm::cl::opt<sxf::Colour>` in a tool.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_ENUMOPTION_H
#define SXF_SUPPORT_ENUMOPTION_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <utility>

namespace sxf {

/// Specialise with `static constexpr std::pair<E, const char *> table[]`:
/// every value of E with its one spelling.
template <typename E> struct EnumSpellings;

/// The spelling of `value` ("" for a value outside the table).
template <typename E> llvm::StringRef spellingOf(E value) {
  for (const auto &[v, s] : EnumSpellings<E>::table)
    if (v == value)
      return s;
  return "";
}

/// The value spelt `s`, if any.
template <typename E> std::optional<E> enumFromSpelling(llvm::StringRef s) {
  for (const auto &[v, name] : EnumSpellings<E>::table)
    if (s == name)
      return v;
  return std::nullopt;
}

/// "a, b, c": every spelling, in table order.
template <typename E> std::string allSpellings() {
  std::string out;
  for (const auto &[v, s] : EnumSpellings<E>::table) {
    (void)v;
    out += (out.empty() ? "" : ", ") + std::string(s);
  }
  return out;
}

/// The llvm::cl parser of an enum with a spelling table (what
/// SXF_ENUM_OPTION installs as llvm::cl::parser<E>).
template <typename E>
class EnumOptionParser : public llvm::cl::basic_parser<E> {
public:
  using llvm::cl::basic_parser<E>::basic_parser;

  bool parse(llvm::cl::Option &o, llvm::StringRef, llvm::StringRef arg,
             E &value) {
    if (std::optional<E> v = enumFromSpelling<E>(arg)) {
      value = *v;
      return false;
    }
    return o.error("'" + arg + "' is not one of " + allSpellings<E>());
  }
  llvm::StringRef getValueName() const override { return "value"; }
  static void print(llvm::raw_ostream &os, const E &value) {
    os << spellingOf(value);
  }
  void printOptionDiff(const llvm::cl::Option &o, E value,
                       const llvm::cl::OptionValue<E> &defaultValue,
                       size_t globalWidth) const {
    this->printOptionName(o, globalWidth);
    llvm::outs() << "= " << spellingOf(value);
    if (defaultValue.hasValue())
      llvm::outs() << " (default: " << spellingOf(defaultValue.getValue())
                   << ")";
    llvm::outs() << "\n";
  }
};

} // namespace sxf

/// Installs EnumOptionParser as the llvm::cl parser of enum E (global scope).
#define SXF_ENUM_OPTION(E)                                                     \
  template <>                                                                  \
  class llvm::cl::parser<E> : public ::sxf::EnumOptionParser<E> {              \
  public:                                                                      \
    using ::sxf::EnumOptionParser<E>::EnumOptionParser;                        \
  };

#endif // SXF_SUPPORT_ENUMOPTION_H
