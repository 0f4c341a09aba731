// Writes the pass/fail counts of a web-test-runner run to .tmp/wtr-summary-<label>.json, because
// web-test-runner's own closing line carries colour codes that CI cannot read.
import { mkdirSync, writeFileSync } from 'node:fs';

function count(suite, acc, file, path = []) {
  for (const t of suite.tests ?? []) {
    if (t.skipped) acc.skipped++;
    else if (t.passed) acc.passed++;
    else {
      acc.failed++;
      // Names and first error line, so the closing summary (the tail CI keeps) says what broke.
      acc.failures.push(`${file}: ${[...path, t.name].join(' › ')}${t.error?.message ? ` — ${t.error.message.split('\n')[0]}` : ''}`);
    }
  }
  for (const s of suite.suites ?? []) count(s, acc, file, [...path, s.name]);
  return acc;
}

/** A WebDriver request to the browser that got no answer (the session's clean-up, not a test). */
const CLEAN_UP_HICCUP = /^WebDriverError: Request failed with error code UND_ERR_(HEADERS|BODY)_TIMEOUT when running "url"/;

export function summaryReporter({ label }) {
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0, fileErrors: 0, failures: [], notes: [] };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, acc, session.testFile.replace(process.cwd() + '/', ''));
        // A file that failed to load or threw outside a test counts as one failure — except where
        // every test in it ran and passed and what failed is only the runner's clean-up after it:
        // WebKitGTK's driver once took over 300 s to open about:blank after status-duplicates'
        // tests had all passed, on a loaded machine (the WebDriver call timed out; the next files
        // ran as usual). That is noted, with the file, and not counted against the code.
        const errors = session.errors ?? [];
        const ran = session.testResults ? count(session.testResults, { passed: 0, failed: 0, skipped: 0, failures: [] }, '') : null;
        if (!session.passed && errors.length > 0 && ran && ran.passed > 0 && ran.failed === 0 && errors.every((e) => CLEAN_UP_HICCUP.test(e?.message ?? ''))) {
          acc.notes.push(`${session.testFile}: all ${ran.passed} tests passed; the browser's clean-up after them failed (${errors[0].message.split('\n')[0]})`);
          continue;
        }
        if (!session.passed && errors.length > 0) {
          acc.fileErrors++;
          acc.failures.push(`${session.testFile}: ${session.errors[0]?.message?.split('\n')[0] ?? 'failed to run'}`);
        }
      }
      mkdirSync('.tmp', { recursive: true });
      writeFileSync(`.tmp/wtr-summary-${label}.json`, JSON.stringify(acc));
    },
  };
}
