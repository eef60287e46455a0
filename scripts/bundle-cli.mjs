// Bundles the CLI (src/cli/bin.ts and everything it imports) into dist/cli/bin.js plus lazily loaded chunks in
// dist/bundle/, so that a command loads a few files instead of resolving and reading 150 modules. Called by
// scripts/build.mjs after tsc; dist/'s per-module files stay for the library, the worker threads and the tests.
import { rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const MARK = '__spillway_module_url__:';
const PLACEHOLDER = new RegExp(`"${MARK}([^"]+)"`, 'g');

/**
 * Native addons, and the clients only remediation, audit, logs and image use (CommonJS, large): loaded from
 * node_modules when a command needs them.
 */
const EXTERNAL = [/^re2$/, /^@kubernetes\//, /^@octokit\//, /^tar-stream$/];

/** Where `id` lives once built: src/x/y.ts is compiled to dist/x/y.js; a package file stays where it is. */
function builtLocation(id) {
  const src = join(root, 'src') + sep;
  return id.startsWith(src) ? join(dist, id.slice(src.length).replace(/\.ts$/, '.js')) : id;
}

/**
 * Code finds its data (package.json, rules/, the parsed catalogue, the worker's entry, a package's locales) from
 * its own import.meta.url. Each module keeps the URL it has unbundled: the placeholder becomes a URL relative
 * to the chunk it ends up in.
 */
const moduleUrls = {
  name: 'spillway-module-urls',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    return { code: code.replaceAll('import.meta.url', JSON.stringify(`${MARK}${builtLocation(id)}`)), map: null };
  },
  renderChunk(code, chunk) {
    if (!code.includes(MARK)) return null;
    const from = dirname(join(dist, chunk.fileName));
    return code.replace(PLACEHOLDER, (_, target) => `new URL(${JSON.stringify(relative(from, target).split(sep).join('/'))}, import.meta.url).href`);
  },
};

/**
 * yargs imports cliui (the help layout) and string-width at start, and string-width builds an Intl.Segmenter and
 * Unicode regexes when it loads: a sixth of a pre-commit scan's CPU, for help text a scan never prints. yargs
 * gets stand-ins that load the real modules (bundled, evaluated on first call) when help is rendered.
 */
const LAZY = ['cliui', 'string-width'];
const lazyHelpModules = {
  name: 'spillway-lazy-help-modules',
  resolveId(source, importer) {
    return LAZY.includes(source) && /[/\\]yargs[/\\]lib[/\\]platform-shims[/\\]/.test(importer ?? '') ? `\0lazy:${source}` : null;
  },
  load(id) {
    if (!id.startsWith('\0lazy:')) return null;
    // require() of an ES module gives its namespace, or the function itself when it exports "module.exports" (cliui).
    const name = JSON.stringify(id.slice('\0lazy:'.length));
    return `export default function lazy(...args) { const m = require(${name}); return (typeof m === 'function' ? m : m.default)(...args); }\n`;
  },
};

/** Writes dist/cli/bin.js and dist/bundle/ (emptied first: chunk names carry a hash). */
export async function bundleCli() {
  rmSync(join(dist, 'bundle'), { recursive: true, force: true });
  await build({
    input: join(root, 'src/cli/bin.ts'),
    platform: 'node',
    external: EXTERNAL,
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    plugins: [moduleUrls, lazyHelpModules],
    logLevel: 'warn',
    output: {
      dir: dist,
      format: 'esm',
      entryFileNames: 'cli/bin.js',
      chunkFileNames: 'bundle/[name]-[hash].js',
      // The entry stays small: it enables the compile cache before the chunks are compiled.
      codeSplitting: true,
    },
  });
}
