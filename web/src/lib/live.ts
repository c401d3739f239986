/**
 * Live changes of the signed-in applicant's dossiers over `/graphql/ws` (`graphql-transport-ws`
 * through `graphql-ws`): the token goes in `connection_init`, the client reconnects by itself
 * after a drop, and a closed session (4401/4403) asks for a fresh token on the next attempt.
 */
import { createClient, type Client } from 'graphql-ws';
import { MyDossierChangesDocument, type MyDossierChangesSubscription } from './api/generated/graphql';
import { accessToken, refreshSession } from './session.svelte';

let client: Client | null = null;

function connect(): Client {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/ws`;
  return createClient({
    url,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    connectionParams: async () => {
      const token = accessToken() ?? (await refreshSession().catch(() => null));
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    on: {
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        if (code === 4401 || code === 4403) void refreshSession().catch(() => null);
      },
    },
  });
}

export type DossierChange = MyDossierChangesSubscription['myDossierChanges'];

/** Calls `onChange` for every change of the applicant's dossiers; returns the unsubscriber. */
export function watchMyDossiers(onChange: (change: DossierChange) => void): () => void {
  client ??= connect();
  return client.subscribe<MyDossierChangesSubscription>(
    { query: MyDossierChangesDocument.toString() },
    {
      next: (r) => {
        if (r.data) onChange(r.data.myDossierChanges);
      },
      error: () => {},
      complete: () => {},
    },
  );
}

/** Ends the connection (sign-out). */
export function disconnect(): void {
  void client?.dispose();
  client = null;
}
