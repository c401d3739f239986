/**
 * The GraphQL client: typed operations (generated from ../schema.graphql) over `fetch`, the
 * session's bearer token, one transparent refresh when the access token has expired, and errors
 * that keep the API's stable codes. Multipart uploads go through XMLHttpRequest, the one browser
 * API that reports upload progress.
 */
import { UploadAttachmentDocument, type TypedDocumentString, type UploadAttachmentMutation } from './generated/graphql';
import { ApiError } from './error';
import { locale } from '../i18n.svelte';
import { accessToken, refreshSession, signOutLocally } from '../session.svelte';

export { ApiError };

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const ENDPOINT = '/graphql';

function headers(token: string | null): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    'accept-language': locale.lang,
  };
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

async function post<T>(body: string, token: string | null): Promise<GraphQLResponse<T>> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, { method: 'POST', headers: headers(token), body });
  } catch {
    throw new ApiError('NETWORK', 'network');
  }
  try {
    return (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(response.status >= 500 ? 'NETWORK' : 'BAD_RESPONSE', `HTTP ${response.status}`);
  }
}

function firstError<T>(r: GraphQLResponse<T>): ApiError | null {
  const e = r.errors?.[0];
  return e ? new ApiError(e.extensions?.code ?? 'ERROR', e.message) : null;
}

/**
 * Sends with the session's access token; when the answer says the token expired, refreshes once
 * (across tabs, see session.svelte.ts) and sends again. The one place that retry lives, for
 * operations, uploads and file downloads alike.
 */
async function withSession<A>(send: (token: string | null) => Promise<A>, expired: (answer: A) => boolean): Promise<A> {
  const token = accessToken();
  const answer = await send(token);
  if (!token || !expired(answer)) return answer;
  const fresh = await refreshSession();
  if (!fresh) {
    signOutLocally();
    return answer;
  }
  return send(fresh);
}

const unauthenticated = <T>(r: GraphQLResponse<T> | null): boolean => r?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';

/** Runs one operation; signed in when a session exists. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
): Promise<TResult> {
  const body = JSON.stringify({ query: document.toString(), variables: variables ?? {} });
  const result = await withSession((token) => post<TResult>(body, token), unauthenticated);
  const error = firstError(result);
  if (error) throw error;
  if (!result.data) throw new ApiError('BAD_RESPONSE', 'empty response');
  return result.data;
}

/** What an upload answers (the `uploadAttachment` payload). */
export type UploadResult = UploadAttachmentMutation['uploadAttachment'];

function sendUpload(
  token: string | null,
  dossierId: string,
  componentId: string,
  file: Blob,
  fileName: string,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: GraphQLResponse<UploadAttachmentMutation> | null }> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: UploadAttachmentDocument.toString(), variables: { dossierId, componentId, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, fileName);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', ENDPOINT);
    xhr.setRequestHeader('x-motcua-upload', '1');
    xhr.setRequestHeader('accept-language', locale.lang);
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText) as GraphQLResponse<UploadAttachmentMutation>;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 'network'));
    xhr.ontimeout = () => reject(new ApiError('NETWORK', 'timeout'));
    xhr.send(form);
  });
}

/** Uploads one file to a dossier, reporting progress from 0 to 1. */
export async function upload(
  dossierId: string,
  componentId: string,
  file: Blob,
  fileName: string,
  onProgress: (fraction: number) => void = () => {},
): Promise<UploadResult> {
  const answer = await withSession(
    (token) => sendUpload(token, dossierId, componentId, file, fileName, onProgress),
    (a) => unauthenticated(a.body),
  );
  const error = answer.body ? firstError(answer.body) : null;
  if (error) throw error;
  const data = answer.body?.data?.uploadAttachment;
  if (!data) throw new ApiError(answer.status >= 500 ? 'NETWORK' : 'BAD_RESPONSE', `HTTP ${answer.status}`);
  return data;
}

/** A protected file (a form PDF, an attachment), fetched with the session's token. */
export async function fetchFile(path: string): Promise<Blob> {
  const response = await withSession(
    (t) =>
      fetch(path, { headers: t ? { authorization: `Bearer ${t}` } : {} }).catch(() => {
        throw new ApiError('NETWORK', 'network');
      }),
    (r) => r.status === 401,
  );
  if (!response.ok) throw new ApiError(response.status === 404 ? 'NOT_FOUND' : 'ERROR', `HTTP ${response.status}`);
  return response.blob();
}

/** Fetches a protected file and saves it under `fileName`. */
export async function download(path: string, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await fetchFile(path));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
