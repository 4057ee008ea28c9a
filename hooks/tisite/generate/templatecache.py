"""Compiled templates, kept on disk between processes and in memory between the builds of one
process (``ti serve``, the tests: see tisite.memo).

Jinja compiles each template of a new environment again; every build makes new environments
(ours and the engine's), so a process that builds again used to compile some fifty templates
each time (about a third of a small site's build). The code Jinja makes depends on the
template's text and on the environment's compile-time settings only: both are in the key, so
a kept code is never another text's or another setting's.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

from tisite.memo import Recent

_COMPILED: Recent[CodeType] = Recent()  # by template, text and settings (tisite.memo)


def _passed(table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    # the compiler writes a filter's or a test's call from its name and from what it asks to
    # be passed (context, environment…): an unknown name is refused when compiling
    return tuple(sorted((name, str(getattr(f, "jinja_pass_arg", ""))) for name, f in table.items()))


def compile_settings(env: Environment, name: str) -> Hashable:
    """What, besides a template's text, shapes the code Jinja compiles it to in ``env``."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    finalize = env.finalize
    return (
        type(env).__module__,
        type(env).__qualname__,
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
        None if finalize is None else str(getattr(finalize, "jinja_pass_arg", "")),
        env.code_generator_class,
        _passed(env.filters),
        _passed(env.tests),
    )


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache: ``directory`` on disk (none: memory only), and the code of the
    templates this process compiled or read, by key (see the module)."""

    def __init__(self, directory: Path | None) -> None:
        self.disk = None
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            self.disk = FileSystemBytecodeCache(str(directory))

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = Bucket(
            environment, self.get_cache_key(name, filename), self.get_source_checksum(source)
        )

        def compiled() -> CodeType:
            if self.disk is not None:
                self.disk.load_bytecode(bucket)  # (left empty when absent or for another text)
            if bucket.code is None:
                bucket.code = environment.compile(source, name, filename)
                if self.disk is not None:
                    self.disk.dump_bytecode(bucket)
            return bucket.code

        key = (bucket.key, bucket.checksum, compile_settings(environment, name))
        bucket.code = _COMPILED.get(key, compiled)
        return bucket
