// The incident journal: JSON lines under <state dir>/incidents/<id>.jsonl, mode 0600, never a secret value.
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { userStateDir } from '../user-dirs.js';

/** What happened to a step: intent is written before a change, done after it succeeded. */
export type JournalEvent = 'intent' | 'done' | 'failed' | 'info';

export interface JournalEntry {
  at: string;
  incident: string;
  step: string;
  event: JournalEvent;
  data?: Record<string, unknown>;
  error?: string;
}

/**
 * The journal directory: the `--journal-dir` given, else `$XDG_STATE_HOME/spillway/incidents`.
 * NOTE: never a folder of the current directory: a journal planted in a scanned repository would decide what is rotated.
 */
export function journalDir(env: Record<string, string | undefined>, override?: string): string {
  return override ?? join(userStateDir(env), 'incidents');
}

/** Refuses a journal file another user could have written: a symlink, not a regular file, not ours, or writable by others. */
function checkJournalFile(file: string): void {
  let st;
  try {
    st = lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`${file}: cannot read the journal (${(err as NodeJS.ErrnoException).code})`);
  }
  const why = st.isSymbolicLink()
    ? 'is a symlink'
    : !st.isFile()
      ? 'is not a regular file'
      : process.getuid && st.uid !== process.getuid()
        ? 'belongs to another user'
        : st.mode & 0o022
          ? 'is writable by other users'
          : undefined;
  if (why) throw new Error(`${file}: the journal ${why}: refusing to trust it (move it away to start afresh)`);
}

/** An append-only, fsync'd journal of one incident. */
export class Journal {
  readonly id: string;
  readonly file: string;
  readonly #entries: JournalEntry[];
  readonly #now: () => Date;

  private constructor(id: string, file: string, entries: JournalEntry[], now: () => Date) {
    this.id = id;
    this.file = file;
    this.#entries = entries;
    this.#now = now;
  }

  /** Opens (without creating) the journal of incident `id` in `dir`. A torn last line (crash mid-write) is ignored. */
  static open(dir: string, id: string, now: () => Date = () => new Date()): Journal {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new TypeError(`incident id: "${id}" is not a valid id`);
    const file = join(dir, `${id}.jsonl`);
    checkJournalFile(file);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file}: cannot read the journal (${(err as NodeJS.ErrnoException).code})`);
    }
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        continue;
      }
    }
    return new Journal(id, file, entries, now);
  }

  get exists(): boolean {
    return this.#entries.length > 0;
  }

  entries(): readonly JournalEntry[] {
    return this.#entries;
  }

  /** The last entry of `step`, if any. */
  last(step: string): JournalEntry | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i--) if (this.#entries[i]!.step === step) return this.#entries[i];
    return undefined;
  }

  /** The `done` entry of `step`, if the step completed. */
  done(step: string): JournalEntry | undefined {
    return this.#entries.find((e) => e.step === step && e.event === 'done');
  }

  /** The last intent of `step` when no done follows it. */
  pendingIntent(step: string): JournalEntry | undefined {
    if (this.done(step)) return undefined;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const e = this.#entries[i]!;
      if (e.step === step && e.event === 'intent') return e;
    }
    return undefined;
  }

  /** Appends one line and fsyncs it before returning: a step is recorded before the next one starts. */
  append(step: string, event: JournalEvent, data?: Record<string, unknown>, error?: string): JournalEntry {
    const entry: JournalEntry = { at: this.#now().toISOString(), incident: this.id, step, event };
    if (data) entry.data = data;
    if (error) entry.error = error;
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const fd = openSync(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#entries.push(entry);
    return entry;
  }
}
