/** What a field needs from the core's latest answer to render itself. */
export interface FieldState {
  /** Messages by concrete pointer, in the current language. */
  messages: Map<string, { code: string; text: string }[]>;
  hidden: readonly string[];
  required: Set<string>;
  computed: Readonly<Record<string, unknown>>;
  /** Show every message (after a filing attempt), not only those of touched fields. */
  showAll: boolean;
  touched: Set<string>;
}

/** The core's violations grouped by pointer, with the message in `lang`. */
export function messagesByPath(
  v: {
    violations: readonly { path: string; code: string }[];
    messages: readonly { vi: string; en: string }[];
  } | null,
  lang: 'vi' | 'en',
): Map<string, { code: string; text: string }[]> {
  const map = new Map<string, { code: string; text: string }[]>();
  v?.violations.forEach((x, i) => {
    const m = v.messages[i];
    const text = m ? (lang === 'en' ? m.en : m.vi) : x.code;
    map.set(x.path, [...(map.get(x.path) ?? []), { code: x.code, text }]);
  });
  return map;
}

/** An HTML id for a concrete pointer. */
export function fieldId(pointer: string): string {
  return `f${pointer.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}
