// Finds the largest demo form of the catalogue (by leaf fields), and the median the benchmarks
// report; shared by the benchmarks.
import { readdirSync, readFileSync } from "node:fs";

function leafFields(schema, defs) {
  if (schema && typeof schema.$ref === "string") return leafFields(defs[schema.$ref.replace("#/$defs/", "")], defs);
  if (schema && schema.properties) return Object.values(schema.properties).reduce((n, p) => n + leafFields(p, defs), 0);
  if (schema && schema.items) return leafFields(schema.items, defs);
  return 1;
}

export function largestForm() {
  const dir = new URL("../../catalog/procedures/", import.meta.url);
  let best = null;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const entry = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
    const fields = leafFields(entry.form.schema, entry.form.schema.$defs || {});
    if (!best || fields > best.fields) best = { entry, fields };
  }
  return best;
}

// ajv gets the JSON Schema part; the Vietnamese identifier formats become shape-only regexes (less
// work than the checksums and prefix tables the wasm path runs).
export const AJV_FORMATS = {
  "vn-cccd": /^\d{12}$/,
  "vn-cmnd": /^\d{9}$/,
  "vn-mst": /^\d{10}(-?\d{3})?$|^\d{12}$/,
  "vn-phone": /^(\+84|84|0)[\d .-]{8,13}$/,
  "vn-email": /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
};

/** The middle value (the upper one of an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
