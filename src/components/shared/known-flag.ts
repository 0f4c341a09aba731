/**
 * A one-line mark that this browser filed requests on a site, so the launcher checks for replies
 * only for residents who have any (no client, no network before that).
 */
const FLAG_PREFIX = 'intake-widgets:requests:';

/** Marks a site as having requests filed from this browser. */
export function flagKnownRequests(site: string): void {
  try {
    localStorage.setItem(`${FLAG_PREFIX}${site}`, '1');
  } catch {
    // Blocked storage: the launcher simply will not check on its own.
  }
}

export function hasKnownRequests(site: string): boolean {
  try {
    return localStorage.getItem(`${FLAG_PREFIX}${site}`) === '1';
  } catch {
    return false;
  }
}
