// The printed summary of a CredData run: figures only, never a value or a snippet.

const pct = (x) => `${(x * 100).toFixed(1)}%`.padStart(6);
const num = (x, w = 6) => String(x).padStart(w);

function row(name, m) {
  return `${name.padEnd(22)}${num(m.items)}${num(m.tp)}${num(m.fp)}  ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)}`;
}
const HEADER = `${''.padEnd(22)}${num('items')}${num('TP')}${num('FP')}  ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'F1'.padStart(6)}`;

/** Prints totals for both views, the headline per category and per confidence, and the noisiest rules. */
export function printSummary(s, print) {
  print(`\nspillway ${s.spillway} on CredData ${s.labels.slice(0, 8)}: ${s.corpus.repositories} repositories, ${s.corpus.files} files;` +
    ` scan ${s.scanSeconds.toFixed(1)} s at load ${s.loadAverage}; args: ${s.scanArgs.join(' ') || '(default)'}`);
  print(HEADER);
  print(row('headline (no UUID-only)', s.headline.total));
  print(row('with UUID-only items', s.withUuid.total));
  print(`unlabelled finding lines: ${s.headline.total.unlabelledLines}`);
  print('\nif only findings at or above a confidence were kept (headline view):');
  for (const [c, m] of Object.entries(s.byMinConfidence.headline)) print(row(`  >= ${c}`, m));
  print('\nper category (with UUID-only items; a row may have several):');
  print(HEADER);
  for (const [c, m] of Object.entries(s.withUuid.byCategory).sort(([, a], [, b]) => b.items - a.items)) if (m.items > 0 || m.fp > 0) print(row(c, m));
  print('\nper file type (headline, the 15 with most items):');
  print(HEADER);
  for (const [t, m] of Object.entries(s.headline.byFileType).sort(([, a], [, b]) => b.items - a.items).slice(0, 15)) print(row(t, m));
  print('\nrules by false-positive lines (headline):');
  print(`${''.padEnd(40)}${num('TP')}${num('FP')}${num('unlab.')}`);
  for (const [id, c] of Object.entries(s.headline.byRule).sort(([, a], [, b]) => b.fp - a.fp || b.tp - a.tp).slice(0, 20)) {
    print(`${id.padEnd(40)}${num(c.tp)}${num(c.fp)}${num(c.unlabelled)}`);
  }
}
