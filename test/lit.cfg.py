# -*- Python -*-
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SXF"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sxf_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%sxf_src_root", config.sxf_src_root))
config.substitutions.append(("%host_cxx", config.host_cxx))
config.substitutions.append(("%sxf_bin", config.sxf_tools_dir))
# MLIR's runner libraries (for the upstream-sparsifier exit test).
config.substitutions.append(("%mlir_lib_dir",
                             os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")))
config.substitutions.append(("%shlibext", ".so"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.sxf_tools_dir, config.llvm_tools_dir]
tools = ["sparse-opt", "sparse-run", "sparse-sim", "sparse-gen", "sparse-import",
         "sparse-translate", "mlir-opt", "mlir-runner", "split-file"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.sxf_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Debian's python3 (with python3-numpy) is the one scripts are written for.
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else shutil.which("python3")
config.substitutions.append(("%python", python))
if python and subprocess.run([python, "-c", "import numpy"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("numpy")
