// The package version, read once from the package.json beside src/ and dist/
import { readFileSync } from 'node:fs';

/** spillway's version, from package.json beside src/ and dist/. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
