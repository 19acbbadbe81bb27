//===- sxf_rt/names.h - The one rule for user-given tensor names -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). Names that a user writes into a model (`sxf.weight` names, the
// `sxf.name` of entry arguments and results) end up as file names
// (`<output-dir>/<name>.npy`), as keys of weights containers
// (`<weight>/values`), and as tokens of the text spec baked into generated
// programs. One rule keeps all of those safe, and every stage calls this
// function: the dialect verifier where a name enters the IR, and sparse-run,
// the EmitC lowering and generated programs where it becomes a file name or a
// token.
//
// A valid name is 1 to 240 bytes of [A-Za-z0-9_.+-], starting with a letter,
// a digit or '_' ('+' joins the names of weights that sxf-fuse
// concatenates). So it holds no path separator, no "..", no space, no ';',
// no quote and no control character, and cannot begin with '-' (an option)
// or '.' (a hidden file or "..").
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_NAMES_H
#define SXF_RT_NAMES_H

#include <filesystem>
#include <string>

namespace sxf_rt {

/// Longest valid tensor name, in bytes (a file name limit on common file
/// systems, with room for ".npy").
constexpr size_t kMaxTensorNameLength = 240;

/// Why `name` is not a valid tensor name, or "" when it is (see the file
/// comment for the rule). The reason is a sentence fragment such as
/// "contains ';' (byte 3)".
inline std::string tensorNameProblem(const std::string &name) {
  if (name.empty())
    return "is empty";
  if (name.size() > kMaxTensorNameLength)
    return "is " + std::to_string(name.size()) + " bytes long (at most " +
           std::to_string(kMaxTensorNameLength) + ")";
  auto isAlnum = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  };
  unsigned char first = static_cast<unsigned char>(name[0]);
  if (!isAlnum(first) && first != '_')
    return std::string("starts with '") + name[0] +
           "' (a name starts with a letter, a digit or '_')";
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (isAlnum(c) || c == '_' || c == '.' || c == '-' || c == '+')
      continue;
    std::string shown;
    if (c >= 0x20 && c < 0x7f) {
      shown = std::string("'") + char(c) + "'";
    } else {
      const char *hex = "0123456789abcdef";
      shown = std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
    }
    return "contains " + shown + " at offset " + std::to_string(i) +
           " (allowed: letters, digits, '_', '.', '+', '-')";
  }
  return "";
}

/// Whether `name` is a valid tensor name.
inline bool isValidTensorName(const std::string &name) {
  return tensorNameProblem(name).empty();
}

/// DIR/<name>.npy for an output named `name`, or false with `*error` set
/// ("output name 'N' <problem>") when the name breaks the rule or the file
/// would not be a plain file directly inside DIR. Every tool that writes
/// results by name (sparse-run, sparse-sim, generated programs) goes through
/// this.
inline bool npyOutputPath(const std::string &dir, const std::string &name,
                          std::string &path, std::string *error) {
  std::string problem = tensorNameProblem(name);
  std::filesystem::path leaf(name + ".npy");
  if (problem.empty() && (leaf.has_parent_path() || leaf.is_absolute() ||
                          leaf.filename() != leaf))
    problem = "leaves the output directory";
  if (!problem.empty()) {
    if (error)
      *error = "output name '" + name + "' " + problem;
    return false;
  }
  path = dir.empty() ? name + ".npy" : dir + "/" + name + ".npy";
  return true;
}

} // namespace sxf_rt

#endif // SXF_RT_NAMES_H
