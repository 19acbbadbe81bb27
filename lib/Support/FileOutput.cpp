//===- FileOutput.cpp - Writing output files without replacing ------------===//

#include "sxf/Support/FileOutput.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

static Error cannotWrite(StringRef path, const Twine &reason) {
  return createStringError(inconvertibleErrorCode(),
                           "cannot write '" + path + "': " + reason);
}

/// Writes to an open descriptor and closes it; the stream's error, if any,
/// is returned (and cleared, so that the stream does not abort the process).
static Error writeFd(int fd, StringRef path,
                     function_ref<void(raw_ostream &)> write) {
  raw_fd_ostream os(fd, /*shouldClose=*/true);
  write(os);
  os.close();
  if (os.has_error()) {
    std::string reason = os.error().message();
    os.clear_error();
    return cannotWrite(path, reason);
  }
  return Error::success();
}

Error sxf::writeOutputFile(StringRef path,
                           function_ref<void(raw_ostream &)> write) {
  if (path == "-") {
    outs().flush();
    write(outs());
    outs().flush();
    if (outs().has_error()) {
      std::string reason = outs().error().message();
      outs().clear_error();
      return cannotWrite("-", reason);
    }
    return Error::success();
  }
  SmallString<256> target(path);
  sys::fs::file_status st;
  if (std::error_code ec = sys::fs::status(path, st, /*Follow=*/false);
      !ec && st.type() == sys::fs::file_type::symlink_file) {
    // Write through the link: resolve it, keep it.
    if (std::error_code rc = sys::fs::real_path(path, target))
      return cannotWrite(path, "it is a symbolic link whose target cannot be "
                               "resolved (" + rc.message() + ")");
  }
  std::error_code ec = sys::fs::status(target, st, /*Follow=*/true);
  if (!ec) {
    switch (st.type()) {
    case sys::fs::file_type::regular_file:
      break;
    case sys::fs::file_type::character_file:
    case sys::fs::file_type::fifo_file: {
      // /dev/null, /dev/stdout, a pipe: written in place, never replaced.
      int fd;
      if (std::error_code oc = sys::fs::openFileForWrite(
              target, fd, sys::fs::CD_OpenExisting, sys::fs::OF_None))
        return cannotWrite(path, oc.message());
      return writeFd(fd, path, write);
    }
    default:
      return cannotWrite(path, "it exists and is not a regular file");
    }
  } else if (ec != std::errc::no_such_file_or_directory) {
    return cannotWrite(path, ec.message());
  }
  // A regular file or a new one: a unique temporary file beside it, renamed
  // over it once complete.
  SmallString<256> model(target);
  model += ".tmp-%%%%%%";
  SmallString<256> tmp;
  int fd;
  if (std::error_code cc = sys::fs::createUniqueFile(model, fd, tmp))
    return cannotWrite(path, cc.message());
  if (Error e = writeFd(fd, path, write)) {
    sys::fs::remove(tmp);
    return e;
  }
  if (std::error_code rc = sys::fs::rename(tmp, target)) {
    sys::fs::remove(tmp);
    return cannotWrite(path, rc.message());
  }
  return Error::success();
}

Error sxf::closeOutput(ToolOutputFile &file, StringRef path) {
  raw_fd_ostream &os = file.os();
  if (path == "-")
    os.flush();
  else
    os.close();
  if (!os.has_error()) {
    file.keep();
    return Error::success();
  }
  std::string reason = os.error().message();
  os.clear_error();
  sys::fs::file_status st;
  if (path == "-" || sys::fs::status(path, st, /*Follow=*/false) ||
      st.type() != sys::fs::file_type::regular_file)
    file.keep(); // not ours to remove
  return cannotWrite(path, reason);
}
