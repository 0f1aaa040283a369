// Human-facing text in the reader's language: one message catalogue (en.ts, and zh-CN.ts with
// exactly its keys), looked up by key with named placeholders. Machine-facing values (rule ids,
// statuses, JSON keys, evidence, fingerprints, exit codes) never go through here.
//
// Template syntax: `{name}` is a parameter; `{n|one|other}` picks `one` when the number n is 1 and
// `other` otherwise, `#` in either standing for n ("{n|# rule|# rules}"). Parameters may be Texts
// (below), rendered in the same language, so sentences nest ("variant A: Model m: …").
//
// The engine words its failures before it knows whether they end up in the message (the run's
// language) or in the evidence (always English, so evidence stays the same in every language):
// a failure's reason is a Text, a function of the language, rendered where it is used.
import { EN, type MessageKey } from "./en.js";
import { ZH_CN } from "./zh-CN.js";

export type { MessageKey } from "./en.js";

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = "en";

export const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en: EN, "zh-CN": ZH_CN };

/** A sentence not yet rendered: the same words in each language. */
export type Text = (lang: Lang) => string;
/**
 * Words that reach a reader: a Text, or a plain string that reads the same in every language (a
 * path, an id, or English from code that has no translation yet — it stays English in zh-CN).
 */
export type Words = string | Text;
export type Param = number | Words;
export type Params = Readonly<Record<string, Param>>;

export function isLang(value: unknown): value is Lang {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

type Part = string | { name: string; one?: string; other?: string };

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?:\|([^|{}]*)\|([^{}]*))?\}/g;
const parsed = new Map<string, Part[]>();

function parse(template: string): Part[] {
  let parts = parsed.get(template);
  if (parts) return parts;
  parts = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(m[2] !== undefined ? { name: m[1]!, one: m[2], other: m[3]! } : { name: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  parsed.set(template, parts);
  return parts;
}

/** The parameter names a template uses (the catalogue test compares them across languages). */
export function placeholdersOf(template: string): string[] {
  return [...new Set(parse(template).flatMap((p) => (typeof p === "string" ? [] : [p.name])))].sort();
}

function render(param: Param, lang: Lang): string {
  return typeof param === "function" ? param(lang) : String(param);
}

/** Fills a template; a parameter it names and `params` lacks is a bug, never silent text. */
export function format(template: string, params: Params, lang: Lang): string {
  let out = "";
  for (const part of parse(template)) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const value = params[part.name];
    if (value === undefined) throw new Error(`message parameter {${part.name}} missing in "${template}"`);
    if (part.one === undefined) out += render(value, lang);
    else {
      const n = typeof value === "number" ? value : Number(render(value, lang));
      out += (n === 1 ? part.one : part.other!).replace(/#/g, String(n));
    }
  }
  return out;
}

/** Words in `lang`. */
export function say(words: Words, lang: Lang): string {
  return typeof words === "string" ? words : words(lang);
}

/** The catalogue's text for `key` in `lang`. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return format(CATALOGUES[lang][key], params, lang);
}

/** The catalogue's text for `key`, rendered later in whatever language is asked. */
export function text(key: MessageKey, params: Params = {}): Text {
  return (lang) => t(lang, key, params);
}

/** A value that reads the same in every language (an id, a path, a number). */
export function same(value: string): Text {
  return () => value;
}

/** Text written in the rule files: the English, and the Chinese when the rule has it. */
export function localized(en: string, zh: string | undefined): Text {
  return zh === undefined ? () => en : (lang) => (lang === "zh-CN" ? zh : en);
}

/** Texts joined with the catalogue's separator `separator` ("; ", " and ", …). */
export function joined(parts: readonly Words[], separator: MessageKey): Text {
  return (lang) => parts.map((p) => say(p, lang)).join(t(lang, separator));
}

/** The language a run writes in: --lang, else the configuration's `language`, else English. */
export function languageOf(config: { language?: Lang } | undefined): Lang {
  return config?.language ?? DEFAULT_LANG;
}
