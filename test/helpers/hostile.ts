// Hostile test inputs written to disk: a file whose second line is a huge
// JSON note (100 MB by default), written in 1 MiB pieces so the test itself
// never holds the line in memory.
import { closeSync, openSync, writeSync } from 'node:fs';

/** A valid header line, no actors. */
export const EMPTY_HEADER = '{"type":"header","format":"supernode-trace","version":1,"clock":"ms","actors":[]}';

/**
 * Writes `first`, then a note line with `mib` MiB of text, then `last`, to
 * `file`; returns the length of the long line in characters.
 */
export function writeHugeLine(file: string, first = EMPTY_HEADER, last = '{"type":"note","t":1,"text":"after"}', mib = 100): number {
  const open = '{"type":"note","t":0,"text":"';
  const fd = openSync(file, 'w');
  writeSync(fd, `${first}\n${open}`);
  const piece = Buffer.alloc(1024 * 1024, 'z');
  for (let i = 0; i < mib; i++) writeSync(fd, piece);
  writeSync(fd, `"}\n${last}\n`);
  closeSync(fd);
  return open.length + mib * piece.length + 2;
}
