/** What a field needs from the core's latest answer to render itself. */
export interface FieldState {
  /** Messages by concrete pointer, in the current language. */
  messages: Map<string, { code: string; text: string }[]>;
  hidden: string[];
  required: Set<string>;
  computed: Record<string, unknown>;
  /** Show every message (after a filing attempt), not only those of touched fields. */
  showAll: boolean;
  touched: Set<string>;
}

/** An HTML id for a concrete pointer. */
export function fieldId(pointer: string): string {
  return `f${pointer.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}
