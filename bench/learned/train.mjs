// `npm run train:learned [-- --corpus DIR]`: trains the learned filter for generic candidates and the floor for weak
// ones, and writes their weights. With a CredData corpus (bench:creddata materialises it, default /tmp/creddata),
// every finding of a generic rule on a labelled line becomes one row of numbers (bench/learned/generic-features.csv,
// weak rules' findings bench/learned/weak-features.csv: fold, label, features; never a value or a character of one);
// without one, the committed tables are re-fitted. Then fit.mjs writes rules/learned/generic.json and weak.json.
// Deterministic: the same tables give the same weights (test/detect/learned.test.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fit, fitFloor, formatTable, parseTable } from './fit.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TABLE = join(root, 'bench/learned/generic-features.csv');
const MODEL = join(root, 'rules/learned/generic.json');
const WEAK_TABLE = join(root, 'bench/learned/weak-features.csv');
const WEAK_MODEL = join(root, 'rules/learned/weak.json');
const args = process.argv.slice(2);
const corpusAt = args.indexOf('--corpus');
const corpus = corpusAt >= 0 ? args[corpusAt + 1] : '/tmp/creddata';

if (existsSync(join(corpus, 'READY')) && !args.includes('--refit')) {
  const tables = await tablesFromCorpus(corpus);
  writeFileSync(TABLE, tables.generic);
  writeFileSync(WEAK_TABLE, tables.weak);
  console.log(`feature tables: ${TABLE}, ${WEAK_TABLE} (from ${corpus})`);
} else {
  console.log(`no corpus at ${corpus} (or --refit): re-fitting the committed table ${TABLE}`);
}
const model = fit(parseTable(readFileSync(TABLE, 'utf8')));
writeFileSync(MODEL, `${JSON.stringify(model, null, 2)}\n`);
console.log(`model: ${MODEL}`);
console.log(JSON.stringify(model.evaluation, null, 2));
const floor = fitFloor(parseTable(readFileSync(WEAK_TABLE, 'utf8')));
writeFileSync(WEAK_MODEL, `${JSON.stringify(floor, null, 2)}\n`);
console.log(`weak floor: ${WEAK_MODEL}`);
console.log(JSON.stringify(floor.evaluation, null, 2));

/**
 * One row per generic finding on a labelled line: label 1 on a T range, 0 on an F/X-only range; fold from the repo id.
 * Generic and weak findings go to separate tables. The detector has no weak floor, so every weak candidate is a row.
 */
async function tablesFromCorpus(dir) {
  const { loadConfig, createDetector, chunksForFile } = await import(join(root, 'dist/index.js'));
  const { candidateFeatures, FEATURE_NAMES } = await import(join(root, 'dist/detect/learned/features.js'));
  const { floorCandidate } = await import(join(root, 'dist/detect/confidence.js'));
  const config = await loadConfig({ root: '/nonexistent-spillway-root' });
  const { detector } = createDetector({ rules: config.rules, allowlists: config.allowlists }, { fingerprintKey: Buffer.alloc(32, 3) });
  const generic = new Set(detector.rules.filter((r) => r.tags.includes('generic') && !r.tags.includes('weak')).map((r) => r.id));
  const weak = new Set(detector.rules.filter((r) => r.tags.includes('weak')).map((r) => r.id));
  const files = new Map();
  for (const line of readFileSync(join(dir, 'labels.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const l = JSON.parse(line);
    const key = `${l.repoId}/${l.path}`;
    if (!files.has(key)) files.set(key, { repoId: l.repoId, path: l.path, labels: [] });
    files.get(key).labels.push(l);
  }
  const rows = { generic: [], weak: [] };
  for (const file of [...files.values()].sort((a, b) => (a.repoId + a.path < b.repoId + b.path ? -1 : 1))) {
    let text;
    try {
      text = readFileSync(join(dir, 'repos', file.repoId, file.path), 'utf8');
    } catch {
      continue;
    }
    const fold = parseInt(file.repoId.slice(0, 6), 16) % 5;
    for (const chunk of chunksForFile(file.path, text).chunks) {
      for (const f of detector.detect(chunk)) {
        const table = generic.has(f.ruleId) ? rows.generic : weak.has(f.ruleId) ? rows.weak : undefined;
        if (!table) continue;
        const on = file.labels.filter((l) => l.lineStart <= f.location.startLine && f.location.startLine <= l.lineEnd);
        if (on.length === 0) continue;
        const label = on.some((l) => l.truth === 'T') ? 1 : 0;
        const candidate = { secret: f.secret.reveal(), path: file.path, line: f.line.reveal(), ...(f.identifier ? { identifier: f.identifier } : {}), ...(f.place ? { place: f.place } : {}) };
        const x = candidateFeatures(table === rows.weak ? floorCandidate(candidate) : candidate);
        table.push({ fold, label, x });
      }
    }
  }
  return { generic: formatTable(FEATURE_NAMES, rows.generic), weak: formatTable(FEATURE_NAMES, rows.weak) };
}
