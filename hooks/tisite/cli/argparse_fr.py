"""``ti``'s command line in French: help, usage and errors.

argparse marks every sentence it prints for gettext (``_('usage: ')``…) and looks the
translation up when it prints it. ``CATALOGUE`` is the French translation of those sentences
(their gettext identifiers, as in a .po file); ``french()`` hands it to argparse while ``ti``
builds its parser and reads its arguments, then gives argparse back its own. ``FrenchParser``
adds what a catalogue can't: French quotes and a close match for a wrong choice or option, the
fix (``ti <commande> --help``) and exit code 1.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

# argparse's sentences (Python 3.11 to 3.13) and their French. The test suite checks that every
# sentence of the running Python's argparse is here.
CATALOGUE: dict[str, str] = {
    "usage: ": "Utilisation : ",
    "%(heading)s:": "%(heading)s:",  # FrenchHelpFormatter puts the space before the colon
    " (default: %(default)s)": " (par défaut : %(default)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s : avertissement : %(message)s\n",
    "positional arguments": "arguments",
    "options": "options",
    "subcommands": "commandes",
    "show this help message and exit": "affiche cette aide",
    "show program's version number and exit": "affiche la version du programme",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "il manque : %s",
    "one of the arguments %s is required": "indiquez l'un de ces arguments : %s",
    "not allowed with argument %s": "ne va pas avec %s",
    "ignored explicit argument %r": "cette option ne prend pas de valeur (reçu « %s »)",
    "expected one argument": "il manque sa valeur",
    "expected at most one argument": "prend au plus une valeur",
    "expected at least one argument": "il manque au moins une valeur",
    "expected %s argument": "attend %s valeur",
    "expected %s arguments": "attend %s valeurs",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë « %(option)s » : écrivez-la en entier (%(matches)s)"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur refusée (reçu « %(value)s »)",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix inconnu (reçu « %(value)s ») : choisissez parmi %(choices)s"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue (reçu « %(parser_name)s ») : commandes possibles %(choices)s"
    ),
    'argument "-" with mode %r': "argument « - » avec le mode %r",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "option '%(option)s' is deprecated": "l'option « %(option)s » est abandonnée",
    "argument '%(argument_name)s' is deprecated": (
        "l'argument « %(argument_name)s » est abandonné"
    ),
    "command '%(parser_name)s' is deprecated": "la commande « %(parser_name)s » est abandonnée",
    # mistakes in the parser's own code (never met by someone typing a command)
    "%r is not callable": "%r n'est pas une fonction",
    "'required' is an invalid argument for positionals": (
        "« required » ne s'applique pas à un argument positionnel"
    ),
    ".__call__() not defined": ".__call__() n'est pas défini",
    "cannot have multiple subparser arguments": "un seul groupe de commandes est possible",
    "cannot merge actions - two groups are named %r": (
        "fusion impossible : deux groupes s'appellent %r"
    ),
    "conflicting option string: %s": "option en double : %s",
    "conflicting option strings: %s": "options en double : %s",
    "conflicting subparser alias: %s": "alias de commande en double : %s",
    "conflicting subparser: %s": "commande en double : %s",
    "dest= is required for options like %r": "dest= est obligatoire pour une option comme %r",
    "invalid conflict_resolution value: %r": "valeur de conflict_resolution refusée : %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "option %(option)r refusée : elle doit commencer par l'un des caractères %(prefix_chars)r"
    ),
    "mutually exclusive arguments must be optional": (
        "des arguments exclusifs l'un de l'autre doivent être des options"
    ),
}


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


@contextmanager
def french() -> Iterator[None]:
    """argparse speaks French inside this block (building a parser, reading arguments)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def quoted(values: Sequence[object]) -> str:
    return ", ".join(f"« {v} »" for v in values)


class FrenchHelpFormatter(argparse.HelpFormatter):
    """French typography in the help: a space before the colon of a heading."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading} " if heading else heading)


class FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors say the fix and end with exit code 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        super().__init__(*args, **kwargs)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A wrong choice: the close match first, then every choice, in French quotes."""
        if action.choices is None or value in action.choices:
            return
        choices = [str(c) for c in action.choices]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        command = isinstance(action.choices, dict)  # the command of ``ti``
        listed = f"{'commandes' if command else 'choix'} possibles : {quoted(choices)}"
        if close:
            listed = f"vouliez-vous dire « {close[0]} » ? {listed[0].upper()}{listed[1:]}"
        unknown = "commande inconnue" if command else "choix inconnu"
        raise argparse.ArgumentError(action, f"{unknown} (reçu « {value} ») : {listed}")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self._unknown(parsed, extras)
        return parsed

    def _unknown(self, parsed: argparse.Namespace, extras: list[str]) -> NoReturn:
        """Unknown options: the close match among the options of the command that was typed."""
        command: argparse.ArgumentParser = self
        for action in self._actions:
            if isinstance(action.choices, dict) and getattr(parsed, action.dest, None):
                command = action.choices[getattr(parsed, action.dest)]
        options = [o for a in command._actions for o in a.option_strings]
        lines = []
        after_unknown = False
        for extra in extras:
            if not extra.startswith("-") and after_unknown:
                after_unknown = False  # the value of the unknown option: not said twice
                continue
            after_unknown = extra.startswith("-")
            if extra.startswith("-"):
                name = extra.split("=", 1)[0]
                close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
                hint = f" : vouliez-vous dire « {close[0]} » ?" if close else ""
                lines.append(f"option inconnue « {extra} »{hint}")
            else:
                lines.append(f"argument en trop « {extra} »")
        command.error(" ; ".join(lines))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        listed = "des commandes" if self._subparsers is not None else "de ses options"
        self.exit(
            1,
            f"{self.prog} : erreur : {message}\n"
            f"Corrigez la commande ; la liste {listed} : {self.prog} --help\n",
        )
