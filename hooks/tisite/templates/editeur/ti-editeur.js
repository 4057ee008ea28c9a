// The site's web editor: Decap CMS with the configuration generated from the content schema
// (config.json, written by the build: see tisite/cms.py) and our file formats (ti-formats.js).
import { format } from "./ti-formats.js";

async function start() {
  // framed by another page, the editor could be clicked without the user seeing it
  if (window.top !== window.self) throw new Error("l'éditeur ne s'ouvre pas dans un cadre");
  const response = await fetch("config.json", { cache: "no-cache" });
  if (!response.ok) throw new Error(`config.json : ${response.status}`);
  const { decap, formats } = await response.json();
  for (const [name, spec] of Object.entries(formats)) {
    window.CMS.registerCustomFormat(name, spec.extension, format(spec));
  }
  window.CMS.init({ config: decap });
}

// Names Decap leaves out (axe: frame-title, aria-input-field-name): the preview frame and the
// Markdown text boxes get one, in French.
function nameUnnamed() {
  const preview = document.getElementById("preview-pane");
  if (preview && !preview.title) preview.title = "Aperçu de la page";
  for (const box of document.querySelectorAll('[role="textbox"]:not([aria-label])')) {
    const field = box.closest('[aria-label$=" field"]')?.previousElementSibling;
    box.setAttribute("aria-label", field?.textContent?.trim() || "Texte en Markdown");
  }
}
new MutationObserver(nameUnnamed).observe(document.documentElement, {
  childList: true,
  subtree: true,
});

start().catch((error) => {
  const message = document.createElement("p");
  message.className = "ti-editeur-sans-js";
  message.textContent =
    "L'éditeur n'a pas pu démarrer (" + error.message + ") : rechargez la page ; si le " +
    "problème continue, signalez-le à l'équipe du site.";
  document.body.append(message);
});
