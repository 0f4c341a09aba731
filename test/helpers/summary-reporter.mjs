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

export function summaryReporter({ label }) {
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0, fileErrors: 0, failures: [] };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, acc, session.testFile.replace(process.cwd() + '/', ''));
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) {
          acc.fileErrors++;
          acc.failures.push(`${session.testFile}: ${session.errors[0]?.message?.split('\n')[0] ?? 'failed to run'}`);
        }
      }
      mkdirSync('.tmp', { recursive: true });
      writeFileSync(`.tmp/wtr-summary-${label}.json`, JSON.stringify(acc));
    },
  };
}
