// New secret values: random with the old value's length and character classes, from a command, or from stdin.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { Secret } from '../secret.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** The character classes of a value: each class is an alphabet the new value draws from and must use. */
export function characterClasses(value: string): string[] {
  if (/^[0-9a-f]+$/.test(value) && /[a-f]/.test(value) && /[0-9]/.test(value)) return [DIGITS, 'abcdef'];
  if (/^[0-9A-F]+$/.test(value) && /[A-F]/.test(value) && /[0-9]/.test(value)) return [DIGITS, 'ABCDEF'];
  const classes: string[] = [];
  if (/[a-z]/.test(value)) classes.push(LOWER);
  if (/[A-Z]/.test(value)) classes.push(UPPER);
  if (/[0-9]/.test(value)) classes.push(DIGITS);
  const symbols = [...new Set(value.replace(/[A-Za-z0-9]/g, ''))].join('');
  if (symbols) classes.push(symbols);
  return classes.length > 0 ? classes : [LOWER, UPPER, DIGITS];
}

/**
 * A random value of the same length as `old`, drawn with crypto.randomInt from the old value's classes,
 * using each class at least once when the length allows, and never equal to `old`.
 */
export function generateLike(old: Secret): Secret {
  const length = Math.max(old.length, 1);
  const classes = characterClasses(old.reveal());
  const alphabet = classes.join('');
  for (;;) {
    let value = '';
    for (let i = 0; i < length; i++) value += alphabet[randomInt(alphabet.length)];
    const complete = length < classes.length || classes.every((c) => [...value].some((ch) => c.includes(ch)));
    if (complete && !old.equals(value)) return new Secret(value);
  }
}

function clean(buffer: Buffer, what: string): Secret {
  const value = buffer.toString('utf8').replace(/\r?\n$/, '');
  if (value.length === 0) throw new Error(`${what} gave an empty value`);
  if (value.includes('\n')) throw new Error(`${what} gave more than one line`);
  return new Secret(value);
}

/** Runs the user's `--generator` command with `sh -c` and takes its stdout (one line) as the new value. */
export function valueFromCommand(command: string, env: Record<string, string | undefined>): Promise<Secret> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', (err) => reject(new Error(`--generator: cannot run (${err.message})`)));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`--generator: the command exited with code ${code}`));
      else {
        try {
          resolve(clean(Buffer.concat(out), '--generator'));
        } catch (err) {
          reject(err);
        }
      }
    });
  });
}

/** A terminal stdin: its echo can be turned off. */
type TtyStream = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** Reads one line typed at a terminal in raw mode, so the terminal never echoes it; Ctrl-C aborts. */
function readHidden(tty: TtyStream, prompt: (text: string) => void): Promise<Buffer> {
  prompt('New value (input hidden, Enter to finish): ');
  tty.setRawMode!(true);
  let typed = '';
  return new Promise<Buffer>((resolve, reject) => {
    const finish = (err?: Error) => {
      tty.removeListener('data', onData);
      tty.setRawMode!(false);
      tty.pause();
      prompt('\n');
      if (err) reject(err);
      else resolve(Buffer.from(typed));
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new Error('--value-stdin: cancelled (Ctrl-C)'));
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    tty.on('data', onData);
    tty.resume();
  });
}

/**
 * Reads the new value from stdin (`--value-stdin`): one line, the trailing newline dropped. At a terminal the line is
 * read with echo off after `prompt` (on stderr), so the value never shows on screen.
 */
export async function valueFromStdin(stream: NodeJS.ReadableStream | undefined, prompt: (text: string) => void = () => {}): Promise<Secret> {
  if (!stream) throw new Error('--value-stdin: no stdin');
  const tty = stream as TtyStream;
  if (tty.isTTY && typeof tty.setRawMode === 'function') return clean(await readHidden(tty, prompt), '--value-stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return clean(Buffer.concat(chunks), '--value-stdin');
}
