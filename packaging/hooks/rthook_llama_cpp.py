"""Runtime hook: point llama_cpp at the bundled libraries before anything imports it.

llama_cpp finds its libraries next to its own __file__, which in a one-folder bundle is
sys._MEIPASS/llama_cpp/lib; LLAMA_CPP_LIB_PATH makes that explicit (and wins over a stale
value inherited from a developer's shell). On Windows, add the folder to the DLL search
path, before Qt's DLLs load, so the ggml backends find each other; the OpenMP runtime
(vcomp140.dll) lands in _internal, found through the bootloader's own DLL directory.
"""

import os
import sys

_lib = os.path.join(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)), "llama_cpp", "lib")
os.environ["LLAMA_CPP_LIB_PATH"] = _lib
if sys.platform == "win32" and os.path.isdir(_lib):
    os.add_dll_directory(_lib)
    os.add_dll_directory(os.path.dirname(sys.executable))
