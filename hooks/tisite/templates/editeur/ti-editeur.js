// The site's web editor: Decap CMS with the configuration generated from the content schema
// (config.json, written by the build: see tisite/cms.py) and our file formats (ti-formats.js).
import { format } from "./ti-formats.js";

// Fields the schema requires together (« dependentRequired », an image and its alt text):
// refused before the save, with the fields' French labels, rather than by the CI afterwards.
function checkTogether(entry, decap, formats) {
  const collection = decap.collections.find((c) => c.name === entry.get("collection"));
  const spec = formats[collection?.format];
  if (!spec) return;
  const data = entry.get("data").toJS();
  const present = (v) => v !== undefined && v !== null && String(v).trim() !== "";
  for (const [field, others] of Object.entries(spec.together)) {
    if (!present(data[field])) continue;
    const missing = others.filter((other) => !present(data[other]));
    if (missing.length) {
      const names = missing.map((m) => `« ${spec.labels[m]} »`).join(", ");
      throw new Error(`${names} est obligatoire avec « ${spec.labels[field]} »`);
    }
  }
}

async function start() {
  // framed by another page, the editor could be clicked without the user seeing it
  if (window.top !== window.self) throw new Error("l'éditeur ne s'ouvre pas dans un cadre");
  const response = await fetch("config.json", { cache: "no-cache" });
  if (!response.ok) throw new Error(`config.json : ${response.status}`);
  const { decap, formats } = await response.json();
  for (const [name, spec] of Object.entries(formats)) {
    window.CMS.registerCustomFormat(name, spec.extension, format(spec));
  }
  window.CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => checkTogether(entry, decap, formats),
  });
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
