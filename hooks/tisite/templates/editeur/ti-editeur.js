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

// Decap's French, completed: the words its « fr » locale leaves in English (« Media », the
// names read by screen readers…), and the guide's words for what a chef de projet clicks
// (docs/contribuer, « Publier depuis le navigateur »): « Images », « Téléverser une image ».
const FRENCH = {
  app: { header: { media: "Images" } },
  auth: { loginWithForgejo: "Se connecter avec Forgejo" },
  collection: {
    collectionTop: {
      viewAsGrid: "Afficher en grille",
      viewAsList: "Afficher en liste",
    },
    entries: { unpublishedHeader: "Modifications non publiées" },
  },
  editor: {
    editorControl: { field: { widgetLabel: "Champ %{widgetLabel}" } },
    editorControlPane: {
      i18n: {
        copyFromLocale: "Reprendre d'une autre langue",
        copyFromLocaleConfirm:
          "Reprendre le contenu en %{locale} ?\nTout le contenu actuel sera remplacé.",
      },
    },
    editorInterface: { toggleNotes: "Afficher ou masquer les notes" },
    editorNotesPane: {
      title: "Notes",
      addNote: "Ajouter une note",
      addPlaceholder: "Écrire une note…",
      cancel: "Annuler",
      confirmDelete: "Supprimer cette note ?",
      delete: "Supprimer",
      edit: "Modifier",
      editPlaceholder: "Modifier la note…",
      emptyState: "Aucune note pour l'instant.",
      resolve: "Marquer comme traitée",
      unresolve: "Rouvrir",
      save: "Enregistrer",
      shortcut: "Astuce : Ctrl+Entrée ajoute la note",
    },
    editorToolbar: {
      statusInfoTooltipDraft:
        "Brouillon : pour le faire relire, passez-le à « En cours de révision ».",
      statusInfoTooltipInReview:
        "En cours de révision : rien d'autre à faire ; vous pouvez encore le modifier.",
    },
    editorWidgets: {
      datetime: { setToNow: "Mettre « %{fieldLabel} » à maintenant" },
      file: {
        addMore: "Ajouter des fichiers",
        chooseMultiple: "Choisir des fichiers",
        removeAll: "Retirer tous les fichiers",
      },
      image: {
        addMore: "Ajouter des images",
        chooseMultiple: "Choisir des images",
        removeAll: "Retirer toutes les images",
      },
      markdown: {
        strikethrough: "Barré",
        toggleMode: { markdown: "Passer en Markdown", rich: "Passer en texte enrichi" },
      },
      object: { collapse: "Replier", expand: "Déplier" },
    },
  },
  mediaLibrary: {
    mediaLibraryModal: { upload: "Téléverser une image", close: "Fermer" },
  },
  ui: {
    settingsDropdown: { account: "Menu du compte" },
    toast: {
      onFailToAuth: "Connexion impossible : %{details}",
      noteAdded: "Note ajoutée",
      noteDeleted: "Note supprimée",
      noteReopened: "Note rouverte",
      noteResolved: "Note traitée",
      noteUpdated: "Note modifiée",
      onFailToAddNote: "La note n'a pas pu être ajoutée : %{details}",
      onFailToDeleteNote: "La note n'a pas pu être supprimée : %{details}",
      onFailToToggleNote: "La note n'a pas pu être changée : %{details}",
      onFailToUpdateNote: "La note n'a pas pu être modifiée : %{details}",
    },
  },
  workflow: {
    workflow: { dateFormat: "D MMMM" },
    workflowCard: { lastChangeNoAuthor: "Modifié le %{date}" },
  },
};

export function merged(base, own) {
  const out = { ...base };
  for (const [key, value] of Object.entries(own)) {
    out[key] =
      value && typeof value === "object" ? merged(base?.[key] || {}, value) : value;
  }
  return out;
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
  window.CMS.registerLocale("fr", merged(window.CMS.getLocale("fr"), FRENCH));
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
