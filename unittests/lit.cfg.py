# -*- Python -*-
# Runs the GoogleTest binaries under unittests/ as lit tests, one lit test
# per gtest case, so the suite reports a single set of counts.
import os

import lit.formats

config.name = "SXF-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.sxf_obj_root, "unittests", "bin")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
