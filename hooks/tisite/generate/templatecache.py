"""Compiled templates, kept on disk between processes and in memory between the builds of one
process (``ti serve``, the tests: see tisite.memo).

Jinja compiles each template of a new environment again; every build makes new environments
(ours and the engine's), so a process that builds again used to compile some fifty templates
each time (about a third of a small site's build).

The code Jinja makes depends on the template's text and on the environment's compile-time
settings, and on more than names: while compiling, Jinja calls a filter or a test whose
arguments are constants, and ``finalize`` on constant output, and writes the result into the
code; it reads some policies (``truncate.leeway``, ``ext.i18n.trimmed``) too. So the key in
memory holds the filter, test and finalize functions themselves (never a name for them) and
the policies. On disk, where functions are not objects any more, a function is named by its
module and name, when these name that very function (defined in the module, not made by a
function with values of its own: then the environment's code is kept in memory only), and the
key holds the code this process loaded (``diskcache.loaded_digest``: our modules, and the
versions of Jinja, MkDocs and Material). A kept code is never another text's, setting's or
function's. The files on disk that no build used for 30 days are removed (pipeline.publish).

In memory, the template's file is not in the key: the same text under the same name in another
folder (a copy of the project, as the tests make for each build; a project moved) has the same
code. Only the code's own file name differs, which Jinja gives the template (its ``filename``,
and the file of a template's line in a traceback): it is set to the template's own file
(``_placed``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Hashable
from pathlib import Path
from types import BuiltinFunctionType, CodeType, FunctionType
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

from tisite.memo import Recent
from tisite.publish.diskcache import loaded_digest

_COMPILED: Recent[CodeType] = Recent()  # by template, text and settings (tisite.memo)


def _functions(table: dict[str, Any]) -> tuple[tuple[str, Any, str], ...]:
    # each function itself, and what it asks to be passed (context, environment…), from which
    # the compiler writes its call; an unknown name is refused when compiling
    return tuple(
        sorted(
            ((name, f, str(getattr(f, "jinja_pass_arg", ""))) for name, f in table.items()),
            key=lambda entry: entry[0],
        )
    )


def _frozen(value: Any) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return repr(value)  # (a policy's dictionary of options)
    return value  # type: ignore[no-any-return]


def compile_settings(env: Environment, name: str) -> Hashable:
    """What, besides a template's text, shapes the code Jinja compiles it to in ``env``."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    finalize = env.finalize
    return (
        type(env),  # (a sandbox compiles otherwise)
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        getattr(env, "newstyle_gettext", None),
        env.optimized,
        env.is_async,
        bool(autoescape),
        None if finalize is None else (finalize, str(getattr(finalize, "jinja_pass_arg", ""))),
        env.code_generator_class,
        _functions(env.filters),
        _functions(env.tests),
        tuple(sorted((key, _frozen(value)) for key, value in env.policies.items())),
    )


class _Unnamed(Exception):
    """A function that its module and name do not describe."""


def _described(value: Any) -> Any:
    """``value`` (settings) as text for a key on disk: functions and classes by their names."""
    if isinstance(value, tuple):
        return [_described(item) for item in value]
    if isinstance(value, type | FunctionType | BuiltinFunctionType):
        module, qualname = value.__module__, getattr(value, "__qualname__", "")
        if _named(module, qualname) is not value:  # made in a function: values of its own
            raise _Unnamed
        return f"{module}.{qualname}"
    if callable(value):
        raise _Unnamed  # (a partial, a bound method, an object: values of their own)
    return repr(value)


def _named(module: str, qualname: str) -> Any:
    """What ``module.qualname`` names (a function defined in a module, or in a class of it)."""
    found: Any = sys.modules.get(module)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found


def _placed(code: CodeType, filename: str) -> CodeType:
    """``code`` (a template's module, its functions and blocks inside) named after ``filename``."""
    if code.co_filename == filename:
        return code
    consts = tuple(_placed(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def disk_key(key: str, settings: Hashable) -> str | None:
    """The name on disk of a template's code (Jinja's ``key``: name and file), or None when
    the settings hold a function that a name does not describe."""
    try:
        described = repr(_described(settings))
    except _Unnamed:
        return None
    text = f"{key}|{described}|{loaded_digest()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache: ``directory`` on disk (none: memory only), and the code of the
    templates this process compiled or read, by key (see the module)."""

    PATTERN = "__jinja2_%s.cache"  # (Jinja's own; the build prunes those unused for long)

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.disk = None
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            self.disk = FileSystemBytecodeCache(str(directory), self.PATTERN)

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = Bucket(
            environment, self.get_cache_key(name, filename), self.get_source_checksum(source)
        )
        settings = compile_settings(environment, name)
        disk, named = self.disk, None
        if disk is not None and (named := disk_key(bucket.key, settings)) is None:
            disk = None  # (a function a name does not describe: memory only)

        def compiled() -> CodeType:
            on_disk = Bucket(environment, named or "", bucket.checksum)
            if disk is not None:
                disk.load_bytecode(on_disk)  # (left empty when absent or for another text)
                if on_disk.code is not None:
                    return on_disk.code
            code = environment.compile(source, name, filename)
            if disk is not None:
                on_disk.code = code
                disk.dump_bytecode(on_disk)
            return code

        try:
            kept = (name, bucket.checksum, settings)  # not the file (see the module)
            hash(kept)
        except TypeError:  # a function that cannot be a key (Jinja accepts one): kept nowhere
            bucket.code = environment.compile(source, name, filename)
            return bucket
        # (Jinja names a template without a file « <template> »)
        bucket.code = _placed(_COMPILED.get(kept, compiled), filename or "<template>")
        if disk is not None and self.directory is not None:
            kept_file = self.directory / (self.PATTERN % named)
            try:  # used (from the disk or from memory): kept by the build's prune_older
                os.utime(kept_file)
            except FileNotFoundError:  # compiled for another folder's copy: on this disk too
                with contextlib.suppress(OSError):
                    on_disk = Bucket(environment, named or "", bucket.checksum)
                    on_disk.code = bucket.code
                    disk.dump_bytecode(on_disk)
            except OSError:
                pass
        return bucket
