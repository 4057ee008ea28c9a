"""The local preview's error page: when the content becomes invalid during ``ti serve``, every
address of the preview shows the problems in French, and the page reloads by itself once the
files are fixed. Never published: ``ti build`` stops on the same problems."""

from __future__ import annotations

import html

# MkDocs' live-reload protocol: /livereload/<epoch>/<id> answers at once with the current
# version when it is newer than <epoch>, else when a build finishes. The error page is served
# as MkDocs' 404 page, which gets no live-reload script of its own: it carries this one.
_RELOAD = """
(function () {
  var epoch = null;
  function poll() {
    var request = new XMLHttpRequest();
    request.onloadend = function () {
      var seen = parseFloat(request.responseText);
      if (request.status === 200 && !isNaN(seen)) {
        if (epoch === null) epoch = seen;
        else if (seen > epoch) { location.reload(); return; }
      }
      setTimeout(poll, request.status === 200 ? 0 : 1000);
    };
    request.open("GET", "/livereload/" + (epoch === null ? 0 : epoch) + "/" + Date.now());
    request.send();
  }
  poll();
})();
"""


def preview_error_page(report: str) -> str:
    """A standalone page (no theme: the site could not be built) listing ``report``'s lines."""
    lines = [line for line in report.splitlines() if line.strip()]
    # the report's last line (« … puis relancez ») is for the terminal: the preview needs
    # no relaunch
    problems = [line for line in lines if ": " in line and not line[0].isdigit()]
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    footer = ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Contenu à corriger — aperçu local</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #1e1e1e; line-height: 1.5; }}
h1 {{ color: #c9191e; font-size: 1.5rem; }}
li {{ margin: 0.5rem 0; }}
code {{ white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.9rem; }}
.attente {{ color: #595959; }}
</style>
</head>
<body>
<main>
<h1>Le site ne peut pas être construit : contenu à corriger</h1>
<p>L'aperçu montre cette page tant que les problèmes ci-dessous ne sont pas corrigés. Chaque
ligne indique le fichier, la ligne, le champ et quoi faire.</p>
<ul>
{items}
</ul>
{footer}
<p class="attente" role="status">Enregistrez la correction : cette page se recharge d'elle-même
dès que le site se construit.</p>
</main>
<script>{_RELOAD}</script>
</body>
</html>
"""
