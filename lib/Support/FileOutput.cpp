//===- FileOutput.cpp - Writing output files without replacing ------------===//

#include "sxf/Support/FileOutput.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/ToolOutputFile.h"

#include <csignal>

using namespace llvm;

static Error cannotWrite(StringRef path, const Twine &reason) {
  return createStringError(inconvertibleErrorCode(),
                           "cannot write '" + path + "': " + reason);
}

Expected<std::unique_ptr<sxf::OutputFile>>
sxf::OutputFile::create(StringRef path) {
  std::unique_ptr<OutputFile> f(new OutputFile());
  f->userPath = path.str();
  if (path == "-") {
    outs().flush();
    f->stream = std::make_unique<raw_fd_ostream>(1, /*shouldClose=*/false);
    f->canSeek = false;
    return std::move(f);
  }
  SmallString<256> target(path);
  sys::fs::file_status st;
  if (std::error_code ec = sys::fs::status(path, st, /*Follow=*/false);
      !ec && st.type() == sys::fs::file_type::symlink_file) {
    // Write through the link: resolve it, keep it. A link whose target has
    // no path but opens (/dev/stdout -> /proc/self/fd/1 -> pipe:[N]) is
    // written through the link itself, as a device or pipe.
    if (std::error_code rc = sys::fs::real_path(path, target)) {
      sys::fs::file_status through;
      if (sys::fs::status(path, through, /*Follow=*/true) ||
          (through.type() != sys::fs::file_type::character_file &&
           through.type() != sys::fs::file_type::fifo_file))
        return cannotWrite(path, "it is a symbolic link whose target cannot "
                                 "be resolved (" + rc.message() + ")");
      target = path;
    }
  }
  f->target = std::string(target);
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
      f->stream = std::make_unique<raw_fd_ostream>(fd, /*shouldClose=*/true);
      f->canSeek = f->stream->supportsSeeking();
      return std::move(f);
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
  f->tmpPath = std::string(tmp);
  // Interrupted (Ctrl-C, SIGTERM, a file-size limit): no temporary left.
  sys::RemoveFileOnSignal(f->tmpPath);
  f->stream = std::make_unique<raw_fd_ostream>(fd, /*shouldClose=*/true);
  f->canSeek = f->stream->supportsSeeking();
  return std::move(f);
}

raw_fd_ostream &sxf::OutputFile::os() { return *stream; }

/// Removes the temporary file (when there is one) and stops watching it.
static void dropTemporary(const std::string &tmpPath) {
  if (tmpPath.empty())
    return;
  sys::fs::remove(tmpPath);
  sys::DontRemoveFileOnSignal(tmpPath);
}

Error sxf::OutputFile::fail(const Twine &reason) {
  done = true;
  dropTemporary(tmpPath);
  return cannotWrite(userPath, reason);
}

Error sxf::OutputFile::commit() {
  if (done)
    return cannotWrite(userPath, "the file was already committed");
  if (userPath == "-")
    stream->flush();
  else
    stream->close();
  if (stream->has_error()) {
    std::string reason = stream->error().message();
    stream->clear_error();
    return fail(reason);
  }
  done = true;
  if (!tmpPath.empty()) {
    if (std::error_code rc = sys::fs::rename(tmpPath, target)) {
      dropTemporary(tmpPath);
      return cannotWrite(userPath, rc.message());
    }
    sys::DontRemoveFileOnSignal(tmpPath);
  }
  return Error::success();
}

sxf::OutputFile::~OutputFile() {
  if (!stream)
    return;
  if (!done) {
    if (userPath != "-")
      stream->close();
    dropTemporary(tmpPath);
  }
  // A failed write must not abort the process from the stream's destructor.
  stream->clear_error();
}

Error sxf::writeOutputFile(StringRef path,
                           function_ref<void(raw_ostream &)> write) {
  Expected<std::unique_ptr<OutputFile>> f = OutputFile::create(path);
  if (!f)
    return f.takeError();
  write((*f)->os());
  return (*f)->commit();
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

void sxf::reportFileSizeLimitAsError() {
#ifdef SIGXFSZ
  std::signal(SIGXFSZ, SIG_IGN);
#endif
}
