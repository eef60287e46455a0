// Unpacks a zip while counting what comes out, so an archive that inflates a thousandfold (a zip bomb) stops at a cap.
import { Unzip, UnzipInflate } from 'fflate';

/** Input fed to the inflater at a time: deflate expands at most ~1032x, so one step yields a few MiB at most. */
const STEP = 4096;

export interface Unzipped {
  /** Each file's bytes, in archive order; the one cut short holds what was unpacked before the cap. */
  files: Record<string, Uint8Array>;
  /** Why the archive could not be read (entirely or from some point on). */
  error?: string;
  /** The file being unpacked when the cap was reached (later files are not unpacked). */
  cut?: string;
}

/** Unpacks `zip`, stopping once `maxBytes` have come out; what was unpacked before is kept, to be scanned. */
export function unzipCapped(zip: Uint8Array, maxBytes: number): Unzipped {
  const isZip = zip.length >= 4 && zip[0] === 0x50 && zip[1] === 0x4b && (zip[2] === 3 || zip[2] === 5);
  if (!isZip) return { files: {}, error: 'no zip signature' };
  const parts = new Map<string, Uint8Array[]>();
  let total = 0;
  let cut: string | undefined;
  let error: string | undefined;
  const unzip = new Unzip((file) => {
    if (cut !== undefined) return;
    const chunks: Uint8Array[] = [];
    parts.set(file.name, chunks);
    file.ondata = (err, data) => {
      if (err) error ??= err.message;
      if (err || cut !== undefined) return;
      const room = maxBytes - total;
      chunks.push(data.length > room ? data.subarray(0, room) : data);
      total += Math.min(data.length, room);
      if (data.length > room || total >= maxBytes) cut = file.name;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < zip.length && cut === undefined && error === undefined; at += STEP) unzip.push(zip.subarray(at, at + STEP), at + STEP >= zip.length);
  } catch (err) {
    error = (err as Error).message;
  }
  const files: Record<string, Uint8Array> = {};
  for (const [name, chunks] of parts) files[name] = Buffer.concat(chunks);
  return { files, ...(error === undefined ? {} : { error }), ...(cut === undefined ? {} : { cut }) };
}
