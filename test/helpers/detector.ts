// The built-in catalogue compiled once per test file, with a fixed fingerprint key.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createDetector, type Detector } from '../../src/detect/detector.js';

export const TEST_FINGERPRINT_KEY = Buffer.from('spillway-test-fingerprint-key');
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let cached: Promise<Detector> | undefined;

/** The detector of the built-in rules (no user config). Throws if the catalogue has errors. */
export function builtinDetector(): Promise<Detector> {
  cached ??= (async () => {
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    const { detector, problems } = createDetector(config, { fingerprintKey: TEST_FINGERPRINT_KEY });
    const errors = [...config.problems, ...problems].filter((p) => p.level === 'error');
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    return detector;
  })();
  return cached;
}
