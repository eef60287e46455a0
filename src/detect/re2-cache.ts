// One compiled RE2 per pattern and flags in this thread: the config check and the detector share it.
import RE2 from 're2';

const compiled = new Map<string, RE2>();

/**
 * `new RE2(pattern, flags)`, compiled once per thread: validating a rule file compiles every pattern,
 * and compiling the catalogue again for the detector doubled a small scan's start-up. Throws as RE2 does.
 * NOTE: a global regex is shared; every user sets `lastIndex` before matching and matches synchronously.
 */
export function re2(pattern: string, flags = ''): RE2 {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = new RE2(pattern, flags);
    compiled.set(key, re);
  }
  return re;
}
