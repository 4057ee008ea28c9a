"""What the theme's own templates print that HTML does not allow, set right on every page
(finish stage, before the security policy).

- Material's base.html gives its state checkboxes (side menu, search) ``autocomplete="off"``,
  an attribute HTML allows on text fields only (the Nu Html Checker's error). Material wants
  Firefox not to restore a checked box when a visitor comes back to a page: assets/js/a11y.js
  closes the side menu when a page is shown, whatever the browser restored.
- Its table of contents has a ``<label for="__toc">`` title; the ``__toc`` checkbox it names
  exists only on the pages the navigation lists (not on an action, a letter, an index page):
  there the title is a plain block, which the theme styles the same (``.md-nav__title``).
- Its « Précédent » / « Suivant » links are named « Suivant: <title> » for screen readers:
  a no-break space goes before the colon, as everywhere else (tisite.finish.typography).

Every change is bound to the theme's exact markup: a page without it is left as it is.
"""

from __future__ import annotations

import re

_STATE_BOX = re.compile(
    r'(<input class="md-toggle" data-md-toggle="\w+" type="checkbox" id="__\w+")'
    r' autocomplete="off">'
)
_TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)
_TOC_BOX = 'id="__toc"'
_FOOTER_LINK = re.compile(
    r'(class="md-footer__link md-footer__link--(?:prev|next)" aria-label="[^":]*?) ?: '
)


def valid_theme_html(html: str) -> str:
    """``html`` (a whole page of the theme) with the theme's markup made valid and French."""
    html = _STATE_BOX.sub(r"\1>", html)
    html = _FOOTER_LINK.sub("\\1\u00a0: ", html)
    if _TOC_BOX not in html:
        html = _TOC_TITLE.sub(r'<div class="md-nav__title">\1</div>', html)
    return html
