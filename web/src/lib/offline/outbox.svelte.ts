/**
 * Filing exactly once over a connection that drops. A filing is first written to the outbox
 * (IndexedDB) with its idempotency key, then sent: the server draft is created with the dossier's
 * own UUID, the files not yet on the server are uploaded, and `submitDossier` is called with the
 * key. Every step can be repeated: a taken UUID is our own draft (`CONFLICT`), an uploaded file is
 * remembered, and the key makes the server answer the first receipt again. Sending runs under a Web
 * Lock, so two tabs never send the same item at once; it starts when the app opens, when the
 * browser comes back online, and right after a filing is queued.
 */
import {
  AttachDocumentDocument,
  CreateDraftDocument,
  SubmitDossierDocument,
} from '../api/generated/graphql';
import { ApiError, request, upload } from '../api/client';
import { session } from '../session.svelte';
import { db, type Draft, type OutboxItem } from './db';

export const outbox = $state<{ items: OutboxItem[]; progress: Record<string, number> }>({
  items: [],
  progress: {},
});

const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('motcua-outbox');
channel?.addEventListener('message', () => void refresh());

async function refresh(): Promise<void> {
  outbox.items = await (await db()).getAll('outbox');
}

async function put(item: OutboxItem): Promise<void> {
  await (await db()).put('outbox', item);
  channel?.postMessage('changed');
  await refresh();
}

/** Moves a finished draft to the outbox (one transaction) and starts sending it. */
export async function enqueue(draft: Draft): Promise<string> {
  const key = crypto.randomUUID();
  const item: OutboxItem = {
    ...JSON.parse(JSON.stringify({ ...draft, files: [] })),
    files: draft.files,
    key,
    state: 'queued',
    attempts: 0,
    queuedAt: Date.now(),
  };
  const d = await db();
  const tx = d.transaction(['outbox', 'drafts'], 'readwrite');
  await Promise.all([
    tx.objectStore('outbox').put(item),
    tx.objectStore('drafts').delete([draft.owner, draft.procedureCode]),
    tx.done,
  ]);
  channel?.postMessage('changed');
  await refresh();
  void flush();
  return key;
}

/** Sends what waits; safe to call any number of times from any number of tabs. */
export async function flush(): Promise<void> {
  if (typeof navigator === 'undefined' || !navigator.onLine) {
    await refresh();
    return;
  }
  const run = async () => {
    const d = await db();
    for (const item of await d.getAll('outbox')) {
      // Only the signed-in account's own filings: never another account's on a shared phone.
      if (item.owner === session.account?.id && (item.state === 'queued' || item.state === 'sending')) {
        try {
          await send(item);
        } catch (e) {
          // Retried later: the network, the rate limit, or a session to sign in again.
          if (e instanceof ApiError && ['NETWORK', 'RATE_LIMITED', 'UNAUTHENTICATED'].includes(e.code)) break;
          item.state = 'rejected';
          item.problems = [{ path: [], code: e instanceof ApiError ? e.code : 'ERROR', message: String((e as Error).message) }];
          await put(item);
        }
      }
    }
  };
  if (navigator.locks) await navigator.locks.request('motcua-outbox', run);
  else await run();
  await refresh();
}

/** Creates the server draft with the device's UUID; a `CONFLICT` is this device's earlier attempt. */
export async function ensureServerDraft(procedureCode: string, dossierUuid: string): Promise<void> {
  try {
    const r = await request(CreateDraftDocument, { procedureCode, dossierId: dossierUuid });
    const e = r.createDraft.userErrors[0];
    if (e) throw new ApiError(e.code, e.message);
  } catch (e) {
    // The UUID is this device's own: taken means an earlier attempt created the draft.
    if (!(e instanceof ApiError && e.code === 'CONFLICT')) throw e;
  }
}

async function send(item: OutboxItem): Promise<void> {
  item.state = 'sending';
  item.attempts += 1;
  await put(item);
  if (!item.onServer) {
    await ensureServerDraft(item.procedureCode, item.dossierUuid);
    item.onServer = true;
    await put(item);
  }
  for (const file of item.files) {
    if (file.attachmentId) continue;
    const r = await upload(item.dossierUuid, file.componentId, file.blob, file.name, (f) => {
      outbox.progress[file.localId] = f;
    });
    if (!r.attachment) {
      item.state = 'rejected';
      item.problems = r.userErrors;
      await put(item);
      return;
    }
    file.attachmentId = r.attachment.id;
    await put(item);
  }
  for (const reused of item.reused) {
    if (reused.attachmentId) continue;
    const r = await request(AttachDocumentDocument, {
      dossierId: item.dossierUuid,
      componentId: reused.componentId,
      documentId: reused.documentId,
    });
    if (!r.attachDocument.attachment) {
      item.state = 'rejected';
      item.problems = r.attachDocument.userErrors;
      await put(item);
      return;
    }
    reused.attachmentId = r.attachDocument.attachment.id;
    await put(item);
  }
  const r = await request(SubmitDossierDocument, {
    input: { dossierId: item.dossierUuid, procedureCode: item.procedureCode, formData: item.data },
    key: item.key,
  });
  const receipt = r.submitDossier.receipt;
  if (receipt) {
    item.state = 'sent';
    item.receipt = {
      dossierId: receipt.dossierId,
      code: receipt.code,
      submittedAt: receipt.submittedAt,
      feeTotal: receipt.feeTotal,
      expectedDueAt: receipt.expectedDueAt,
    };
    item.files = item.files.map((f) => ({ ...f, blob: new Blob() }));
  } else {
    item.state = 'rejected';
    item.problems = r.submitDossier.userErrors;
  }
  await put(item);
}

/** Forgets a sent or rejected item (the receipt is on the server). */
export async function forget(key: string): Promise<void> {
  await (await db()).delete('outbox', key);
  channel?.postMessage('changed');
  await refresh();
}

export async function item(key: string): Promise<OutboxItem | undefined> {
  return (await db()).get('outbox', key);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => void flush());
}
