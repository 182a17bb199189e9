// Finds the line and column of a JSON pointer (`/schedule/2/at`) in the text
// of a JSON document, so that a scenario error names its place in the file.
// A minimal scanner, not a parser: it assumes the text is valid JSON (it is
// only called after JSON.parse succeeded).

/** Line and column (1-based) of `pointer` in `text`; the document start when not found. */
export function locate(text: string, pointer: string): { line: number; column: number } {
  const path = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const skipString = () => { i++; while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1; i++; };
  const readString = (): string => { const start = i; skipString(); return JSON.parse(text.slice(start, i)); };
  // Skips one value starting at i (after whitespace).
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') { skipString(); return; }
    if (c === '{' || c === '[') {
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') { skipString(); continue; }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') { depth--; if (depth === 0) { i++; return; } }
        i++;
      }
      return;
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  };
  ws();
  for (const seg of path) {
    ws();
    if (text[i] === '{') {
      i++;
      let found = false;
      for (;;) {
        ws();
        if (text[i] !== '"') break;
        const key = readString();
        ws(); i++; // ':'
        if (key === seg) { found = true; break; }
        skipValue(); ws();
        if (text[i] === ',') i++;
      }
      if (!found) break;
    } else if (text[i] === '[') {
      i++;
      const n = Number(seg);
      for (let k = 0; k < n; k++) { skipValue(); ws(); if (text[i] === ',') i++; }
    } else break;
  }
  ws();
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
