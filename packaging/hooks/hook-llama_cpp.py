"""llama-cpp-python loads libllama and the libggml backends with ctypes, which PyInstaller's
import analysis cannot see: collect them into llama_cpp/lib, where llama_cpp looks."""

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("llama_cpp")
# its OpenAI server (fastapi, uvicorn, …) is not part of the app
excludedimports = ["llama_cpp.server"]
