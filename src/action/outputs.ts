// Step outputs for $GITHUB_OUTPUT, written with the heredoc delimiter syntax so any value is safe.
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';

/** `name<<delimiter`, the value, `delimiter`: the form GitHub documents for multi-line values. */
export function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new TypeError(`Output \`${name}\`: the value contains the delimiter ${delimiter}`);
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** Appends outputs to the file named by GITHUB_OUTPUT. */
export async function writeOutputs(file: string, outputs: Record<string, string>): Promise<void> {
  const text = Object.entries(outputs)
    .map(([name, value]) => formatOutput(name, value))
    .join('');
  await appendFile(file, text, 'utf8');
}
