//===- FileOutput.h - Writing output files without replacing -*- C++ -*-===//
//
// Every file sxf writes (weights containers, .npy results, sparse-opt's -o,
// sparse-sim's report and trace) goes through writeOutputFile, which decides
// once what may happen to what is already at the path:
//
//   - "-" is stdout;
//   - a regular file (or a path that does not exist) is written to a unique
//     temporary file beside it (PATH.tmp-XXXXXX), which is renamed over PATH
//     only when everything was written; on any failure it is removed and
//     PATH is left as it was;
//   - a symbolic link is written through: the rules apply to the file it
//     points to, and the link stays (a dangling link is an error);
//   - a character device or a FIFO (/dev/null, /dev/stdout, a pipe) is
//     written in place, never replaced;
//   - anything else (a directory, a socket, a block device) is an error.
//
// Every failure, including a write that fails late (a full disk, a file-size
// limit), is an error naming the path: "cannot write 'PATH': REASON". A
// process killed while writing (Ctrl-C, SIGTERM) removes its temporaries.
// The tools call reportFileSizeLimitAsError() first, so that `ulimit -f`
// makes a write fail (EFBIG) instead of killing the process with SIGXFSZ.
//
// Usage:
//   if (llvm::Error e = sxf::writeOutputFile(path, [&](llvm::raw_ostream &os) {
//         os << text;
//       }))
//     return e;
//
// A file written piece by piece over a long time (the streaming safetensors
// writer) holds an OutputFile instead: the same rules, but the stream stays
// open until commit(); destroying it uncommitted removes the temporary file.
//
//   llvm::Expected<std::unique_ptr<sxf::OutputFile>> f =
//       sxf::OutputFile::create(path);
//   (*f)->os() << part1;  ...  (*f)->os() << part2;
//   if (llvm::Error e = (*f)->commit()) return e;
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_FILEOUTPUT_H
#define SXF_SUPPORT_FILEOUTPUT_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace llvm {
class ToolOutputFile;
} // namespace llvm

namespace sxf {

/// An output file open for writing under the rules above. os() can seek
/// (pwrite) when seekable() says so: a regular file (its temporary) can, a
/// pipe or stdout cannot.
class OutputFile {
public:
  /// Opens `path` ("-" = stdout). Errors name the path.
  static llvm::Expected<std::unique_ptr<OutputFile>>
  create(llvm::StringRef path);
  ~OutputFile();
  OutputFile(const OutputFile &) = delete;
  OutputFile &operator=(const OutputFile &) = delete;

  llvm::raw_fd_ostream &os();
  bool seekable() const { return canSeek; }
  llvm::StringRef path() const { return userPath; }
  /// Flushes and closes the stream and renames the temporary file over the
  /// target. On any failure (including an earlier write error) the
  /// temporary file is removed and the error names the path.
  llvm::Error commit();

private:
  OutputFile() = default;
  llvm::Error fail(const llvm::Twine &reason);
  std::string userPath;
  std::string target;  // where the temporary is renamed to
  std::string tmpPath; // empty when written in place
  std::unique_ptr<llvm::raw_fd_ostream> stream;
  bool canSeek = false;
  bool done = false;
};

/// Writes what `write` prints to `path` under the rules above.
llvm::Error writeOutputFile(llvm::StringRef path,
                            llvm::function_ref<void(llvm::raw_ostream &)> write);

/// Closes a report opened in place with mlir::openOutputFile (passes that
/// stream text to a file or "-"). On success it is kept. On a write error
/// (a full disk) the stream's error is cleared, so that its destructor does
/// not abort the process with "LLVM ERROR: IO failure", a partial regular
/// file is removed (never a link or a device) and the error names the path.
llvm::Error closeOutput(llvm::ToolOutputFile &file, llvm::StringRef path);

/// Makes a write past the process's file-size limit (`ulimit -f`) fail with
/// EFBIG, reported as "cannot write 'PATH': File too large", instead of
/// killing the process with SIGXFSZ (which would leave a partial output
/// and a crash report). Call it first in a tool's main.
void reportFileSizeLimitAsError();

} // namespace sxf

#endif // SXF_SUPPORT_FILEOUTPUT_H
