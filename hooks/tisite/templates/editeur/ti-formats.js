// How the web editor reads and writes the site's files (see ti-editeur.js, which registers one
// format per kind of file, as described by « formats » in config.json, from tisite/cms.py):
// - the modeline (« # yaml-language-server: $schema=… ») stays the first line (for the files of
//   a « files » collection, which share one format, told apart by the names of their fields);
// - keys follow the schema's order;
// - empty values are left out (the schema refuses an empty text: a cleared field is absent);
// - « - Nom » shorthands are shown as their « nom » field, and written back short when alone;
// - editor-only fields (the letter's number, which names the file) are not written;
// - values the build reads loosely (« Innovation », « non ») are shown and written canonical;
// - texts that YAML readers could take for something else are written in quotes.
// YAML is read and written by the npm library « yaml » (installed by `make editeur`).
import { Document, parse, visit } from "./yaml/index.js";

const LINE_WIDTH = 100;
const LONG_TEXT = 80; // longer texts are written folded (« >- »), as in the guide

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Empty texts, lists and objects are dropped; false and 0 are values.
function clean(value) {
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (isObject(value)) {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = clean(item);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  return value;
}

// Applies fn to every value found at a path such as « partenaires[] » or « calendrier.jalons[] ».
function mapPath(data, path, fn) {
  const steps = path.split(".");
  const walk = (node, index) => {
    if (!isObject(node)) return node;
    let key = steps[index];
    const each = key.endsWith("[]");
    if (each) key = key.slice(0, -2);
    if (!(key in node)) return node;
    const last = index === steps.length - 1;
    const apply = (v) => (last ? fn(v) : walk(v, index + 1));
    const value = node[key];
    const changed = each && Array.isArray(value) ? value.map(apply) : each ? value : apply(value);
    return { ...node, [key]: changed };
  };
  return walk(data, 0);
}

// The build accepts « Innovation » for « innovation » and « non » for false: the forms show
// the canonical value (a menu can't show another), and write it back.
const fold = (text) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[_-]/g, " ");
const FRENCH_BOOLEANS = { oui: true, vrai: true, non: false, faux: false };

function canonical(data, spec) {
  let out = data;
  for (const [path, values] of Object.entries(spec.choices)) {
    out = mapPath(out, path, (v) =>
      typeof v === "string" ? (values.find((c) => fold(c) === fold(v)) ?? v) : v,
    );
  }
  for (const path of spec.flags) {
    out = mapPath(out, path, (v) =>
      typeof v === "string" && fold(v) in FRENCH_BOOLEANS ? FRENCH_BOOLEANS[fold(v)] : v,
    );
  }
  for (const path of spec.texts) {
    out = mapPath(out, path, (v) => (typeof v === "number" ? String(v) : v));
  }
  return out;
}

function expand(data, shorthands) {
  return shorthands.reduce(
    (d, path) => mapPath(d, path, (v) => (typeof v === "string" ? { nom: v } : v)),
    data,
  );
}

function shorten(data, shorthands) {
  return shorthands.reduce(
    (d, path) =>
      mapPath(d, path, (v) =>
        isObject(v) && Object.keys(v).length === 1 && typeof v.nom === "string" ? v.nom : v,
      ),
    data,
  );
}

function ordered(data, keys) {
  const out = {};
  for (const key of keys) if (key in data) out[key] = data[key];
  for (const key of Object.keys(data)) if (!(key in out)) out[key] = data[key];
  return out;
}

function toYaml(data, modeline) {
  const doc = new Document(data);
  visit(doc, {
    Scalar(key, node) {
      if (key === "key" || typeof node.value !== "string") return;
      if (SEPARATORS.test(node.value) || AMBIGUOUS.test(node.value.trim())) {
        node.type = "QUOTE_DOUBLE";
      } else if (node.value.includes("\n")) node.type = "BLOCK_LITERAL";
      else if (node.value.length > LONG_TEXT) node.type = "BLOCK_FOLDED";
    },
  });
  const text = doc.toString({ lineWidth: LINE_WIDTH, minContentWidth: 40 });
  return modeline ? `# ${modeline}\n${text}` : text;
}

// as the build reads it (tisite/yamlio.py): the closing « --- » starts a line
const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)([\s\S]*)$/;
// texts that other YAML readers (YAML 1.1, the build's) take for numbers, dates or merge keys,
// and line separators that a block can't hold: written in double quotes
const AMBIGUOUS =
  /^(?:=|<<|~|[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-f_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9_]*\.?[0-9_]+(?:e[-+]?[0-9]+)?|\.inf|\.nan)|y|n|yes|no|on|off)$/i;
const SEPARATORS = /[\u0085\u2028\u2029]/;

export function format(spec) {
  return {
    fromFile(content) {
      let meta = content.replace(/^\uFEFF/, "");
      let body = "";
      if (spec.frontmatter) {
        const match = FRONT_MATTER.exec(meta);
        body = match ? match[2] : meta;
        meta = match ? match[1] || "" : "";
      }
      const data = canonical(expand(parse(meta) || {}, spec.shorthands), spec);
      return spec.frontmatter ? { ...data, body } : data;
    },
    toFile(data, sortedKeys = []) {
      const { body, ...meta } = data;
      for (const key of spec.editor_only) delete meta[key];
      const kept = shorten(clean(meta) || {}, spec.shorthands);
      const modeline = spec.modeline || (spec.modelines || {})[sortedKeys.join(",")];
      const yaml = toYaml(ordered(kept, sortedKeys), modeline);
      if (!spec.frontmatter) return yaml;
      const text = (body || "").replace(/\s+$/, "");
      return `---\n${yaml}---\n${text ? `${text}\n` : ""}`;
    },
  };
}
