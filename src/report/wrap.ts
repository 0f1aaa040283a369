// Text that fits a terminal: prose wrapped at word boundaries (words longer than the width, such
// as ids, broken inside), and shell commands wrapped so that pasting the lines runs exactly the
// command: breaks between words end in " \", and a word too long for a line is continued with
// "\" + newline (quotes closed and reopened around the break), the shell's line continuation.

// East Asian wide and fullwidth characters take two columns in a terminal (the design's quotes).
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Terminal columns a string takes. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const c of text) n += WIDE.test(c) ? 2 : 1;
  return n;
}

/** Lines of at most `width` columns; `\n` in the text starts a new line. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((x) => x.length > 0)) {
      if (line.length > 0 && line.length + 1 + word.length <= w && displayWidth(line) + 1 + displayWidth(word) <= w) {
        line += " " + word;
        continue;
      }
      if (line.length > 0) lines.push(line);
      line = word;
      // A string longer than the width is wider than it too: measure only what could fit (linear in the word).
      while (line.length > w || displayWidth(line) > w) {
        const cut = breakPoint(line, w);
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Where to break a word wider than the line: after the last - / : _ . that fits, else at the width (in UTF-16 units). */
function breakPoint(word: string, width: number): number {
  let fits = 0;
  let columns = 0;
  for (const c of word) {
    const cw = WIDE.test(c) ? 2 : 1;
    if (columns + cw > width) break;
    columns += cw;
    fits += c.length;
  }
  for (let i = fits; i > fits / 2; i--) if ("-/:_.".includes(word[i - 1]!)) return i;
  return Math.max(1, fits);
}

type Quote = "'" | '"' | undefined;

/** Splits a command into its words at unquoted blanks, keeping each word's quoting as written. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: Quote;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === undefined && (c === " " || c === "\t")) {
      if (word.length > 0) words.push(word);
      word = "";
      continue;
    }
    word += c;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\" && i + 1 < command.length) {
      word += command[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
  }
  if (word.length > 0) words.push(word);
  return words;
}

/**
 * The command as lines of at most `width` characters (when `width` leaves room for at least a
 * few characters a line): the first line indented by `indent`, continuation lines by
 * `indent + 2`, and pieces of a word that did not fit at column 0 (an indent there would
 * split the word in two).
 */
export function wrapCommand(command: string, width: number, indent = 0): string[] {
  const lines: string[] = [];
  let line = " ".repeat(indent);
  let lineHasWord = false;
  const next = " ".repeat(indent + 2);
  for (const word of shellWords(command)) {
    const sep = lineHasWord ? " " : "";
    // Room for " \" at the end of every line but the last.
    if (line.length + sep.length + word.length + 2 <= width || (!lineHasWord && line.length + word.length <= width)) {
      line += sep + word;
      lineHasWord = true;
      continue;
    }
    if (lineHasWord && next.length + word.length + 2 <= width) {
      lines.push(line + " \\");
      line = next + word;
      continue;
    }
    // Whole at column 0 rather than broken: an unindented continuation line is still the same command.
    if (lineHasWord && word.length + 2 <= width) {
      lines.push(line + " \\");
      line = word;
      continue;
    }
    // The word does not fit on a line of its own: break it across lines.
    if (lineHasWord) {
      lines.push(line + " \\");
      line = next;
    }
    const pieces = splitWord(word, width - line.length - 2, width - 2);
    for (let i = 0; i < pieces.length - 1; i++) {
      lines.push((i === 0 ? line : "") + pieces[i]! + "\\");
    }
    line = pieces[pieces.length - 1]!;
    lineHasWord = true;
  }
  lines.push(line);
  return lines;
}

/**
 * Cuts one shell word into pieces that, joined with backslash-newline, mean the same word: the
 * first piece at most `first` characters, the others at most `rest`. Inside single quotes the
 * quote is closed before the break and reopened after it; a break never falls after a backslash,
 * and falls after a comma when one is near the end of the line (JSON and shorthand read better).
 */
function splitWord(word: string, first: number, rest: number): string[] {
  // state[i]: the quoting in force before character i; breakable[i]: a break may go before i.
  const state: Quote[] = [];
  const breakable: boolean[] = [];
  let quote: Quote;
  let afterBackslash = false;
  // A <placeholder> stays on one line, so the reader sees what to fill in.
  let placeholderEnd = -1;
  for (let i = 0; i < word.length; i++) {
    state.push(quote);
    breakable.push(i > 0 && !afterBackslash && i > placeholderEnd);
    if (i > placeholderEnd && word[i] === "<") {
      const m = /^<[a-z][a-z0-9-]*>/.exec(word.slice(i));
      if (m) placeholderEnd = i + m[0].length - 1;
    }
    const c = word[i]!;
    if (afterBackslash) afterBackslash = false;
    else if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\") afterBackslash = true;
    else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
  }
  const pieces: string[] = [];
  let start = 0;
  let limit = Math.max(8, first);
  while (word.length - start + (state[start] === "'" && start > 0 ? 1 : 0) > limit) {
    const reopen = start > 0 && state[start] === "'" ? "'" : "";
    let best = -1;
    let comma = -1;
    let separator = -1;
    for (let b = start + 1; b < word.length; b++) {
      if (!breakable[b]) continue;
      const length = reopen.length + (b - start) + (state[b] === "'" ? 1 : 0);
      if (length > limit) break;
      best = b;
      if (length >= limit * 0.6 && word[b - 1] === ",") comma = b;
      if (length >= limit * 0.6 && "/:-=".includes(word[b - 1]!)) separator = b;
    }
    if (best < 0) break;
    const cut = comma > 0 ? comma : separator > 0 ? separator : best;
    pieces.push(reopen + word.slice(start, cut) + (state[cut] === "'" ? "'" : ""));
    start = cut;
    limit = Math.max(8, rest);
  }
  pieces.push((start > 0 && state[start] === "'" ? "'" : "") + word.slice(start));
  return pieces;
}
