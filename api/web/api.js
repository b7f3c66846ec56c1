// The explorer's only way to the server: same-origin GETs of the documented API
// (docs/openapi.yaml), signed when an auditor is signed in and the resource is private.
// Errors arrive as RFC 9457 problem documents and are thrown as ApiError.
import { SignRequest } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.reason = problem?.reason || '';
  }
}

// Who is signed in: {signer, account (the ledger's record)} or null. Set by app.js.
export const session = { signer: null, account: null };

// GET `target` ("/v1/...?..."); `signed` adds the RFC 9421 headers when someone is signed in.
// `as`: 'json' (default), 'text' (strict UTF-8) or 'bytes'.
export async function get(target, { signed = false, as = 'json' } = {}) {
  const headers = {};
  if (signed && session.signer) {
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q);
    Object.assign(headers, await SignRequest('GET', path, query, '', session.signer));
  }
  const res = await fetch(target, { headers, cache: 'no-store', credentials: 'omit' });
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      // not a problem document
    }
    throw new ApiError(res.status, problem);
  }
  if (as === 'bytes') return new Uint8Array(await res.arrayBuffer());
  if (as === 'text')
    return new TextDecoder('utf-8', { fatal: true }).decode(await res.arrayBuffer());
  return res.json();
}

// Every park: /v1/parks is paged by id (`next` names the last id of a page that has more).
export async function getAllParks() {
  const parks = [];
  for (let after = ''; ; ) {
    const from = after ? `&after=${encodeURIComponent(after)}` : '';
    const page = await get(`/v1/parks?limit=1000${from}`);
    parks.push(...page.parks);
    if (!page.next) return parks;
    after = page.next;
  }
}

// A private resource: null (not requested) when nobody is signed in.
export async function getPrivate(target) {
  if (!session.signer) return null;
  return get(target, { signed: true });
}
