"""Builds opaudit's Python module through the project's own CMake build (the
module links the same static libraries as the CLI, so there is one build
description, CMakeLists.txt). Metadata is in pyproject.toml.

`pip install --no-build-isolation .` configures build/pip/ with this
interpreter, builds the opaudit_python target and copies the module into the
wheel. Set OPAUDIT_CMAKE_ARGS for extra configure arguments.
"""
import os
import pathlib
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = ROOT / "build" / "pip"
        cfg = ["cmake", "-S", str(ROOT), "-B", str(build), f"-DPython_EXECUTABLE={sys.executable}",
               "-DCMAKE_BUILD_TYPE=Release"]
        if shutil.which("ninja"):
            cfg += ["-G", "Ninja"]
        if shutil.which("ccache"):
            cfg += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
        cfg += shlex.split(os.environ.get("OPAUDIT_CMAKE_ARGS", ""))
        subprocess.run(cfg, check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "opaudit_python"], check=True)
        built = sorted((build / "python" / "opaudit").glob("_core*.so"))
        if not built:
            sys.exit("setup.py: the CMake build made no module; is python3-pybind11 installed?")
        dest = pathlib.Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], dest)


setup(ext_modules=[Extension("opaudit._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
