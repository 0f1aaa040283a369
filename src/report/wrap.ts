// Text that fits a terminal: prose wrapped at word boundaries (words longer than the width, such
// as ids, broken inside), and shell commands wrapped so that pasting the lines runs exactly the
// command: breaks between words end in " \", and a word too long for a line is continued with
// "\" + newline (quotes closed and reopened around the break), the shell's line continuation.

import stringWidth from "string-width";

// Terminal columns by Unicode's East Asian Width (string-width): CJK and fullwidth characters take
// two columns, combining marks and colour codes none. Plain ASCII, most of every report, is
// counted without it.
const ASCII = /^[\x20-\x7e]*$/;

/** Terminal columns a string takes. */
export function displayWidth(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

function charWidth(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 0x20 && code < 0x7f ? 1 : stringWidth(c);
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
      // Chinese runs on without spaces: fill the line with the start of the word, broken between characters.
      const room = w - displayWidth(line) - 1;
      if (line.length > 0 && room >= 4 && CJK.test(word)) {
        const cut = cjkBreak(word, room);
        if (cut > 0) {
          lines.push(line + " " + word.slice(0, cut));
          line = word.slice(cut);
          while (line.length > w || displayWidth(line) > w) {
            const at = breakPoint(line, w);
            lines.push(line.slice(0, at));
            line = line.slice(at);
          }
          continue;
        }
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

const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uff60]/;
// Not at the start of a line: closing punctuation stays with the character before it.
const NO_LINE_START = "，。；：、）」』！？”";
// Not at the end of a line: opening brackets and quotes stay with what they open.
const NO_LINE_END = "（「『“";

/** How much of a word (UTF-16 units) fits in `room` columns, cut only before a CJK character or after CJK punctuation; 0 when none does. */
function cjkBreak(word: string, room: number): number {
  let columns = 0;
  let best = 0;
  let i = 0;
  for (const c of word) {
    const cw = charWidth(c);
    if (columns + cw > room) break;
    columns += cw;
    i += c.length;
    const next = word[i];
    if (next !== undefined && !NO_LINE_START.includes(next) && !NO_LINE_END.includes(c) && (CJK.test(c) || CJK.test(next))) best = i;
  }
  return best;
}

// Chinese has no spaces between words: a line may break after its punctuation, as after - / : _ .
const BREAK_AFTER = "-/:_.，。；：、）」』";

/** Where to break a word wider than the line: after the last - / : _ . (or CJK punctuation) that fits, else at the width (in UTF-16 units). */
function breakPoint(word: string, width: number): number {
  let fits = 0;
  let columns = 0;
  for (const c of word) {
    const cw = charWidth(c);
    if (columns + cw > width) break;
    columns += cw;
    fits += c.length;
  }
  for (let i = fits; i > fits / 2; i--) if (BREAK_AFTER.includes(word[i - 1]!)) return i;
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
