/**
 * What the widget keeps for the rest of the visit to a site (sessionStorage: this tab, until it
 * closes): whether the panel is open and which tab it shows. Storage can be blocked (privacy
 * settings): then the widget still works, it just forgets.
 */
export function readSession(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value` under `key`, or removes the key for `null`. */
export function writeSession(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Blocked: see above.
  }
}
