// Fitting text into a terminal: every human output of the CLI stays within 80 columns. Long
// reasons wrap at word boundaries under a hanging indent; colour codes take no room.

/** The width every text output fits in. */
export const COLUMNS = 80;

const ANSI = /\u001b\[[0-9;]*m/g;

/** Length as a terminal shows it: colour codes do not count. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}

/**
 * Room a text takes when checking it fits: its UTF-8 bytes, colour codes left out. Counting bytes
 * rather than characters keeps a line with arrows (→, ✔) within 80 by any measure, `awk` included.
 */
export function fitLength(text: string): number {
  return Buffer.byteLength(text.replace(ANSI, ""));
}

/** Split one long word into pieces of at most `width` visible characters (colour codes kept whole). */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let length = 0;
  for (const token of word.split(/(\u001b\[[0-9;]*m)/)) {
    if (token.startsWith("\u001b[")) {
      piece += token;
      continue;
    }
    for (const char of token) {
      if (length === width) {
        pieces.push(piece);
        piece = "";
        length = 0;
      }
      piece += char;
      length += 1;
    }
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

/**
 * Wrap `text` so each line fits `width`: the first line starts after `first` (already printed,
 * counted only), the following lines begin with `indent`. Returns the lines without `first`.
 */
export function wrapLines(text: string, width = COLUMNS, indent = "", first = ""): string[] {
  const lines: string[] = [];
  let line = "";
  let used = fitLength(first);
  const room = () => width - (lines.length === 0 ? fitLength(first) : fitLength(indent));
  const flush = () => {
    lines.push(line);
    line = "";
    used = fitLength(indent);
  };
  // Words keep the spaces before them (column padding survives); a break drops them.
  const tokens = text.split(/( +)/);
  for (let i = 0; i < tokens.length; i += 2) {
    const word = tokens[i] ?? "";
    const space = i === 0 ? "" : (tokens[i - 1] ?? "");
    if (word === "") continue;
    const length = fitLength(word);
    if (line !== "" && used + space.length + length > width) flush();
    if (line === "" && length > room()) {
      const pieces = breakWord(word, Math.max(1, room()));
      for (const piece of pieces.slice(0, -1)) {
        line = piece;
        flush();
      }
      line = pieces[pieces.length - 1] ?? "";
      used += fitLength(line);
      continue;
    }
    const gap = line === "" ? "" : space;
    line = `${line}${gap}${word}`;
    used += gap.length + length;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`));
}

/** `text` on lines of at most `width`, continuation lines indented by `indent`. */
export function wrap(text: string, indent = "", width = COLUMNS): string[] {
  const lead = /^ */.exec(text)?.[0] ?? "";
  const [head = "", ...rest] = wrapLines(text.slice(lead.length), width, indent, lead);
  return [`${lead}${head}`, ...rest];
}

/** Shorten to `width` visible characters with an ellipsis (for one-line summaries). */
export function shorten(text: string, width: number): string {
  const plain = text.replace(ANSI, "");
  if (plain.length <= width) return text;
  return `${plain.slice(0, Math.max(0, width - 1))}…`;
}

/** "graph-visualization-f8wcvtgg8k-42pl5" → "graph-visuali…8k-42pl5": both ends stay readable. */
export function shortenMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  const tail = Math.floor((width - 1) / 3);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/**
 * A table whose last column wraps under itself so every line fits `width`. Cells may carry colour.
 * The other columns are as wide as their widest cell; when the last column would get too little
 * room, column `shrink` (plain text, such as a pod name) is shortened in the middle to make room.
 */
export function table(header: string[], rows: string[][], width = COLUMNS, gap = "  ", shrink?: number): string[] {
  if (shrink !== undefined) rows = shrinkColumn(header, rows, width, gap, shrink);
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const pad = (cell: string, i: number) => cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell)));
  const render = (cells: string[]): string[] => {
    const lead = cells.slice(0, -1).map(pad).join(gap);
    const prefix = cells.length > 1 ? `${lead}${gap}` : "";
    const last = cells[cells.length - 1] ?? "";
    // A last column with almost no room left starts on its own line instead.
    if (width - visibleLength(prefix) < 12) return [prefix.trimEnd(), ...wrap(last, "    ", width).map((l, i) => (i === 0 ? `    ${l}` : l))];
    const hang = " ".repeat(visibleLength(prefix));
    const lines = wrapLines(last, width, hang, prefix);
    return [`${prefix}${lines[0] ?? ""}`.trimEnd(), ...lines.slice(1)];
  };
  return [...render(header), ...rows.flatMap(render)];
}

function shrinkColumn(header: string[], rows: string[][], width: number, gap: string, shrink: number): string[][] {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const last = widths.length - 1;
  const wanted = widths.slice(0, last).reduce((sum, w) => sum + w + gap.length, 0) + (widths[last] ?? 0);
  const over = wanted - width;
  const current = widths[shrink] ?? 0;
  // The ellipsis is one column but three bytes, and lines are fitted by bytes.
  const target = current - over - 2;
  if (over <= 0 || target < visibleLength(header[shrink] ?? "")) return rows;
  return rows.map((row) => row.map((cell, i) => (i === shrink ? shortenMiddle(cell, target) : cell)));
}
