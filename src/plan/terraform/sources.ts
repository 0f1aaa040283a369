// Where a Terraform resource is declared: the `.tf` file and lines of its `resource "TYPE"
// "NAME" { … }` block, in the directory of its module. The root module is the --tf-root
// directory (default: the working directory, then the plan file's directory); a child module's
// directory is its call's local `source` (`./modules/ml`) relative to the parent's. Registry and
// Git sources are not followed (their code is not the repository's): those resources, and any
// block not found, are located at their entry in the plan JSON instead.
import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { TemplateError } from "../../errors.js";
import { MAX_DOCUMENT_BYTES, readTextFile } from "../../io/files.js";
import { isRecord } from "../cfn/resolve.js";
import type { ModuleStep } from "./address.js";

export interface BlockLocation {
  /** Path of the file on disk. */
  path: string;
  line: number;
  endLine: number;
  /** The block's text, for what the configuration representation leaves out. */
  text: string;
}

interface Block {
  keyword: string;
  labels: string[];
  line: number;
  endLine: number;
  start: number;
  end: number;
}

export class TerraformSources {
  private readonly files = new Map<string, { text: string; resources: Map<string, Block> } | null>();
  private readonly dirs = new Map<string, string[]>();

  constructor(
    /** Candidate root module directories, in order. */
    private readonly roots: readonly string[],
    private readonly configuration: Record<string, unknown>,
  ) {}

  locate(steps: readonly ModuleStep[], type: string, name: string): BlockLocation | undefined {
    for (const root of this.roots) {
      const dir = this.moduleDir(root, steps);
      if (dir === undefined) continue;
      for (const file of this.tfFiles(dir)) {
        const parsed = this.parse(file);
        const b = parsed?.resources.get(`${type}\u0000${name}`);
        if (b && parsed) return { path: file, line: b.line, endLine: b.endLine, text: parsed.text.slice(b.start, b.end) };
      }
    }
    return undefined;
  }

  private moduleDir(root: string, steps: readonly ModuleStep[]): string | undefined {
    let dir = resolve(root);
    let module: unknown = this.configuration.root_module;
    for (const s of steps) {
      const calls = isRecord(module) ? module.module_calls : undefined;
      const call = isRecord(calls) ? calls[s.name] : undefined;
      if (!isRecord(call)) return undefined;
      const source = typeof call.source === "string" ? call.source : typeof call.resolved_source === "string" ? call.resolved_source : undefined;
      if (source === undefined || !(source.startsWith("./") || source.startsWith("../")) || isAbsolute(source)) return undefined;
      dir = resolve(dir, source);
      module = call.module;
    }
    return dir;
  }

  private tfFiles(dir: string): string[] {
    let list = this.dirs.get(dir);
    if (list) return list;
    try {
      list = readdirSync(dir)
        .filter((f) => f.endsWith(".tf"))
        .sort()
        .map((f) => join(dir, f))
        .filter((f) => statSync(f).isFile());
    } catch {
      list = [];
    }
    this.dirs.set(dir, list);
    return list;
  }

  private parse(file: string): { text: string; resources: Map<string, Block> } | null {
    if (this.files.has(file)) return this.files.get(file)!;
    let parsed: { text: string; resources: Map<string, Block> } | null;
    try {
      const text = readTextFile(file, (m, f, p) => new TemplateError(m, f, p), MAX_DOCUMENT_BYTES);
      const resources = new Map<string, Block>();
      for (const b of topLevelBlocks(text))
        if (b.keyword === "resource" && b.labels.length === 2 && !resources.has(`${b.labels[0]}\u0000${b.labels[1]}`))
          resources.set(`${b.labels[0]}\u0000${b.labels[1]}`, b);
      parsed = { text, resources };
    } catch {
      parsed = null; // an unreadable file locates nothing; the plan line stands in
    }
    this.files.set(file, parsed);
    return parsed;
  }
}

/**
 * The top-level blocks of an HCL file (`keyword "label" … { … }`) with their lines, skipping
 * strings (with `${…}` interpolations), heredocs and comments when matching braces.
 */
export function topLevelBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let line = 1;
  let i = 0;
  let depth = 0;
  let header: string[] = [];
  let headerLine = 0;
  let headerStart = 0;
  let blockStart: { keyword: string; labels: string[]; line: number; start: number } | undefined;
  const n = text.length;
  const advance = (to: number) => {
    for (let k = i; k < to && k < n; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
      if (depth === 0) header = [];
      continue;
    }
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      const e = text.indexOf("\n", i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const e = text.indexOf("*/", i + 2);
      advance(e < 0 ? n : e + 2);
      continue;
    }
    if (c === '"') {
      const start = i;
      advance(skipString(text, i + 1));
      if (depth === 0) {
        if (header.length === 0) [headerLine, headerStart] = [line, start];
        header.push(text.slice(start + 1, i - 1));
      }
      continue;
    }
    if (c === "<" && text[i + 1] === "<") {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        advance(skipHeredoc(text, i + m[0].length, m[1]!));
        continue;
      }
    }
    if (c === "{") {
      if (depth === 0 && header.length > 0) blockStart = { keyword: header[0]!, labels: header.slice(1), line: headerLine, start: headerStart };
      depth++;
      i++;
      continue;
    }
    if (c === "}") {
      depth = Math.max(0, depth - 1);
      i++;
      if (depth === 0 && blockStart) {
        blocks.push({ ...blockStart, endLine: line, end: i });
        blockStart = undefined;
        header = [];
      }
      continue;
    }
    if (depth === 0 && /[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256))!;
      if (header.length === 0) [headerLine, headerStart] = [line, i];
      header.push(m[0]);
      i += m[0].length;
      continue;
    }
    if (depth === 0 && c === "=") header = []; // an attribute, not a block
    i++;
  }
  return blocks;
}

/** The offset after a string's closing quote; `${…}` inside may hold quotes and braces of its own. */
function skipString(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if ((c === "$" || c === "%") && text[i + 1] === "{") i = skipTemplate(text, i + 2);
    else if (c === "\n")
      return i; // unterminated: stop at the line end
    else i++;
  }
  return i;
}

function skipTemplate(text: string, i: number): number {
  let depth = 1;
  while (i < text.length && depth > 0) {
    const c = text[i];
    if (c === '"') i = skipString(text, i + 1);
    else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      i++;
    }
  }
  return i;
}

function skipHeredoc(text: string, i: number, marker: string): number {
  const re = new RegExp(`^[ \\t]*${marker}[ \\t]*$`, "m");
  const rest = text.slice(i);
  const m = re.exec(rest);
  return m ? i + m.index + m[0].length : text.length;
}
