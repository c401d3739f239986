/**
 * The motcua core in WebAssembly, loaded on first use (a form, a file check) so that the first
 * page does not carry it. Every rule the portal shows — form checks, the fee quote, the due date,
 * the file sniffer — comes from here, the same code the server runs.
 */
import type * as Motcua from 'motcua/web';
import type * as MotcuaForm from 'motcua/form/web';

export type Core = typeof Motcua;
/** The form package: the core's form engine alone, half the full module (wasm-client/src/lib.rs). */
export type FormEngine = typeof MotcuaForm;

/**
 * A wasm package initialised once and kept for the page's life. A load that failed is forgotten,
 * so that the next use tries again: a module whose download was cut off on a flaky connection is
 * fetched again (browsers that keep a failed `import()` of the glue itself repeat that failure
 * until the page is reloaded).
 */
function once<T extends { default: () => Promise<unknown> }>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load()
      .then(async (m) => {
        await m.default();
        return m;
      })
      .catch((e: unknown) => {
        loading = null;
        throw e;
      });
    return loading;
  };
}

/** Every rule of the core. */
export const loadCore: () => Promise<Core> = once(() => import('motcua/web'));

/**
 * The form engine alone, for a page whose citizen types into a form: it is ready after half the
 * download and half the compile of the full core, which such a page loads afterwards for its
 * other rules (fees, the due date, files).
 */
export const loadFormEngine: () => Promise<FormEngine> = once(() => import('motcua/form/web'));

/**
 * Starts loading the form engine when the citizen is about to open a form (points at, touches or
 * focuses the link to it), so that its download and compile overlap the navigation.
 */
export function warmFormEngine(): void {
  loadFormEngine().catch(() => undefined);
}

/** The error the core throws: a stable code and a Vietnamese message. */
export interface CoreError {
  code: string;
  message: string;
  messageEn?: string;
}

export function coreError(e: unknown): CoreError {
  const err = e as { code?: string; message?: string; messageEn?: string };
  return { code: err.code ?? 'ERROR', message: err.message ?? String(e), messageEn: err.messageEn };
}

/**
 * Whether a chosen file may be uploaded, as the server will judge it first: its size (before its
 * bytes are read), then its content. Answers the MIME type, or the core's message in `lang`.
 */
export async function checkUpload(
  file: File,
  lang: 'vi' | 'en',
): Promise<{ ok: true; mime: string } | { ok: false; code: string; message: string }> {
  const core = await loadCore();
  try {
    core.checkFileSize(file.size);
    const { mime } = core.checkFile(new Uint8Array(await file.arrayBuffer()), file.name);
    return { ok: true, mime };
  } catch (e) {
    const err = coreError(e);
    return { ok: false, code: err.code, message: lang === 'en' && err.messageEn ? err.messageEn : err.message };
  }
}
