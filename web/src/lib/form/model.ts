/**
 * How a form definition is laid out on screen (catalog/README.md): its fields in `order`, nested
 * under their groups, repeating groups (`/members/*`) with one block per element. This is layout
 * only. What is valid, visible, required or computed is asked of the core on every change
 * (`Form.validate` in the wasm package); nothing here evaluates a rule.
 */

export interface Text {
  vi: string;
  en: string;
}

export interface FieldDef {
  label: Text;
  help?: Text;
  widget?: string;
  order?: number;
  placeholder?: Text;
  options?: Record<string, Text>;
  readonly?: boolean;
}

export interface FormDefinition {
  form: string;
  version: string;
  title: Text;
  schema: Schema;
  fields: Record<string, FieldDef>;
}

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  $ref?: string;
  $defs?: Record<string, Schema>;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string;
}

/** The kind of value an input holds, as the schema types it. */
export type ValueKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface Node {
  /** The declared pointer, `*` for each element of a repeating group. */
  pointer: string;
  def: FieldDef;
  schema: Schema;
  kind: ValueKind;
  /** Whether the schema of its parent object requires it. */
  schemaRequired: boolean;
  children: Node[];
}

function resolve(root: Schema, s: Schema | undefined): Schema {
  let node = s ?? {};
  for (let guard = 0; node.$ref && guard < 16; guard += 1) {
    const name = node.$ref.replace(/^#\/\$defs\//, '');
    node = root.$defs?.[name] ?? {};
  }
  return node;
}

function kindOf(s: Schema): ValueKind {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'integer' || t === 'number' || t === 'boolean' || t === 'object' || t === 'array') return t;
  return 'string';
}

/** The schema of a declared pointer, and whether its parent requires it. */
function schemaAt(root: Schema, pointer: string): { schema: Schema; required: boolean } {
  let node = resolve(root, root);
  let required = false;
  for (const seg of pointer.split('/').slice(1)) {
    if (seg === '*') {
      node = resolve(root, node.items);
      required = false;
    } else {
      required = node.required?.includes(seg) ?? false;
      node = resolve(root, node.properties?.[seg]);
    }
  }
  return { schema: node, required };
}

function isPrefix(parent: string, child: string): boolean {
  return child.startsWith(`${parent}/`);
}

/** The fields of a definition as a tree in display order. */
export function layout(def: FormDefinition): Node[] {
  const entries = Object.entries(def.fields).sort(
    ([a, x], [b, y]) => (x.order ?? 0) - (y.order ?? 0) || a.localeCompare(b),
  );
  const nodes = new Map<string, Node>();
  for (const [pointer, fd] of entries) {
    const { schema, required } = schemaAt(def.schema, pointer);
    nodes.set(pointer, { pointer, def: fd, schema, kind: kindOf(schema), schemaRequired: required, children: [] });
  }
  const roots: Node[] = [];
  for (const [pointer] of entries) {
    const node = nodes.get(pointer)!;
    let parent: Node | undefined;
    for (const other of nodes.values()) {
      if (isPrefix(other.pointer, pointer) && (!parent || other.pointer.length > parent.pointer.length)) parent = other;
    }
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** `/members/*\/name` with indices `[2]` → `/members/2/name`. */
export function concrete(pointer: string, indices: number[]): string {
  let i = 0;
  return pointer.replace(/\*/g, () => String(indices[i++] ?? 0));
}

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value at a concrete pointer. */
export function getAt(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const seg of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[unescape(seg)];
  }
  return node;
}

/** Sets (or with `undefined` removes) the value at a concrete pointer, creating parents. */
export function setAt(data: Record<string, unknown>, pointer: string, value: unknown): void {
  const segs = pointer.split('/').slice(1).map(unescape);
  let node: Record<string, unknown> | unknown[] = data;
  for (const [i, seg] of segs.entries()) {
    const last = i === segs.length - 1;
    const key = Array.isArray(node) ? Number(seg) : seg;
    const container = node as Record<string | number, unknown>;
    if (last) {
      if (value === undefined) {
        if (Array.isArray(node)) container[key] = null;
        else delete container[key];
      } else container[key] = value;
      return;
    }
    let next = container[key];
    if (next === null || typeof next !== 'object') {
      next = /^\d+$/.test(segs[i + 1] ?? '') ? [] : {};
      container[key] = next;
    }
    node = next as Record<string, unknown> | unknown[];
  }
}

/** Whether `pointer` is `ancestor` or inside it. */
export function within(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/** The JSON Pointer's segments, as the API's `userErrors.path` gives them after `formData`. */
export function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map(unescape);
}
