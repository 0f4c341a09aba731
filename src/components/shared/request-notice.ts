/**
 * Whether one of the resident's requests needs their attention: a reply they have not seen in
 * My requests, or an answer waiting for a rating. What they have seen is kept as a draft on the
 * client (per site), so the launcher can tell after a reload.
 */
import type { RequestDetail } from '../../client/protocol.js';
import type { IntakeClientApi } from '../../client/types.js';

export type RequestNotice = 'reply' | 'rating';

const SEEN_KEY = 'status:seen';
export type Seen = Record<string, number>;

/** Replies seen per reference. */
export async function loadSeen(client: IntakeClientApi): Promise<Seen> {
  const seen = await client.loadDraft<Seen>(SEEN_KEY).catch(() => undefined);
  return seen && typeof seen === 'object' ? seen : {};
}

/** Records that the resident saw a request's replies (called by My requests). */
export async function markRepliesSeen(client: IntakeClientApi, detail: RequestDetail): Promise<void> {
  const seen = await loadSeen(client);
  if ((seen[detail.reference] ?? 0) >= detail.replies.length) return;
  seen[detail.reference] = detail.replies.length;
  await client.saveDraft(SEEN_KEY, seen).catch(() => undefined);
}

/** What one request needs, given what was seen. */
export function noticeFor(detail: RequestDetail, seenReplies: number): RequestNotice | undefined {
  if (detail.replies.length > seenReplies) return 'reply';
  if (detail.awaitingFeedback) return 'rating';
  return undefined;
}

/** The most pressing notice over all known requests ('reply' before 'rating'), or undefined. */
export async function requestNotice(client: IntakeClientApi): Promise<RequestNotice | undefined> {
  const known = await client.knownRequests();
  if (known.length === 0) return undefined;
  const seen = await loadSeen(client);
  let result: RequestNotice | undefined;
  for (const request of known.slice(0, 10)) {
    const detail = await client.getRequest(request.reference).catch(() => undefined);
    if (!detail) continue;
    const notice = noticeFor(detail, seen[detail.reference] ?? 0);
    if (notice === 'reply') return 'reply';
    result ??= notice;
  }
  return result;
}
