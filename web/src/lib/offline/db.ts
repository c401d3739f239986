/**
 * What the portal keeps on the device (IndexedDB through `idb`): the procedures the user opened
 * (so that their forms work offline), the province's calendar adjustments, drafts (one per
 * procedure, with the chosen files), and the outbox of filings waiting for the network.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ProcedureQuery } from '../api/generated/graphql';

export type ProcedureDetail = ProcedureQuery['procedure'];
export type CalendarAdjustment = ProcedureQuery['calendarAdjustments'][number];

/** A file chosen for a component, kept until it reaches the server. */
export interface LocalFile {
  localId: string;
  componentId: string;
  name: string;
  mime: string;
  size: number;
  blob: Blob;
  /** The server's attachment id once uploaded. */
  attachmentId?: string;
}

/** A reused document (already on the server), attached by id. */
export interface ReusedFile {
  componentId: string;
  documentId: string;
  name: string;
  attachmentId?: string;
}

export interface Draft {
  procedureCode: string;
  /** The dossier's UUID, made on the device or by `createDraft`. */
  dossierUuid: string;
  /** Whether the server holds the draft (needed before uploading to it). */
  onServer: boolean;
  /** Whose draft it is (account id): another account on the same phone never sees it. */
  owner: string;
  data: Record<string, unknown>;
  files: LocalFile[];
  reused: ReusedFile[];
  updatedAt: number;
}

export interface Receipt {
  dossierId: string;
  code: string;
  submittedAt: string;
  feeTotal: number;
  expectedDueAt: string;
}

/** A filing waiting for (or sent over) the network, keyed by its idempotency key. */
export interface OutboxItem extends Draft {
  key: string;
  state: 'queued' | 'sending' | 'sent' | 'rejected';
  receipt?: Receipt;
  /** The API's userErrors when it refused the filing (shown on the form). */
  problems?: { path: string[]; code: string; message: string }[];
  attempts: number;
  queuedAt: number;
}

interface Schema extends DBSchema {
  procedures: { key: string; value: { code: string; detail: ProcedureDetail; savedAt: number } };
  meta: { key: string; value: unknown };
  drafts: { key: [string, string]; value: Draft };
  outbox: { key: string; value: OutboxItem; indexes: { byOwner: string } };
}

let opened: Promise<IDBPDatabase<Schema>> | null = null;

export function db(): Promise<IDBPDatabase<Schema>> {
  opened ??= openDB<Schema>('motcua', 1, {
    upgrade(d) {
      d.createObjectStore('procedures', { keyPath: 'code' });
      d.createObjectStore('meta');
      d.createObjectStore('drafts', { keyPath: ['owner', 'procedureCode'] });
      d.createObjectStore('outbox', { keyPath: 'key' }).createIndex('byOwner', 'owner');
    },
  });
  return opened;
}

export async function saveProcedure(detail: ProcedureDetail, adjustments: CalendarAdjustment[]): Promise<void> {
  const d = await db();
  await d.put('procedures', { code: detail.code, detail, savedAt: Date.now() });
  await d.put('meta', adjustments, 'calendarAdjustments');
}

export async function savedProcedure(
  code: string,
): Promise<{ detail: ProcedureDetail; adjustments: CalendarAdjustment[] } | null> {
  const d = await db();
  const row = await d.get('procedures', code);
  if (!row) return null;
  const adjustments = ((await d.get('meta', 'calendarAdjustments')) as CalendarAdjustment[] | undefined) ?? [];
  return { detail: row.detail, adjustments };
}

export async function savedProcedures(): Promise<ProcedureDetail[]> {
  return (await (await db()).getAll('procedures')).map((r) => r.detail);
}

export async function loadDraft(owner: string, procedureCode: string): Promise<Draft | undefined> {
  return (await db()).get('drafts', [owner, procedureCode]);
}

export async function saveDraft(draft: Draft): Promise<void> {
  await (await db()).put('drafts', { ...draft, data: plain(draft.data), updatedAt: Date.now() });
}

export async function dropDraft(owner: string, procedureCode: string): Promise<void> {
  await (await db()).delete('drafts', [owner, procedureCode]);
}

/** A plain copy (Svelte state proxies cannot be stored by IndexedDB's structured clone). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
