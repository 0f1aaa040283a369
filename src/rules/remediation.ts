// A finding's fix: the rule's remediation text and AWS CLI command with the placeholders filled
// in. One function for every report (table, Markdown, JSON) and, without a resource, for a rule's
// help (SARIF, rule pages, `rules show`), where only what the configuration says is filled.
//
// What fills what:
//   {tagPrefix}, {company}, {ecr.keepImages}, …   the configuration (as in rule conditions)
//   {team}-{project}, <team>-<project>            the configured project, when it is known: the
//                                                 only one configured, the subject of a rule over
//                                                 projects (MR005), or the one the resource's id names
//   {team}, <team>                                that project's team (or the only team configured)
//   <name> declared in remediation.fill           the resource's own values ($id, $arn, $accountId,
//                                                 $region) or its failure's evidence (evidence.KEY,
//                                                 $ipPermissions): one command per failure
// Anything else in <…> is left for the reader. Values put into the command are quoted for the
// shell where they land (bare, inside '…' or inside "…"), so a resource name can never become
// shell code when the command is pasted.
import type { Config } from "../config/config.js";
import type { SourceLocation } from "../resources/source.js";
import type { RuleDefinition } from "./types.js";

/** The resource a finding is about and its failures' evidence. */
export interface FixTarget {
  resource: { type: string; id: string; arn: string; accountId: string; region: string; source?: SourceLocation };
  evidence: ReadonlyArray<Record<string, unknown>>;
}

export interface Fix {
  text: string;
  /** One command per distinct failure (a single one when the command does not depend on the evidence). */
  commands: string[];
}

/** At most this many commands per finding; the evidence lists every failure. */
export const MAX_COMMANDS = 10;

const TOKEN = /\{team\}-\{project\}|<team>-<project>|\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\}|<([a-z][a-z0-9-]*)>/g;

type Resolve = (token: Token) => string | undefined;
type Token = { kind: "project" } | { kind: "config"; name: string } | { kind: "fill"; name: string };

/**
 * The fix for one finding; without a target, the rule's fix with the configuration's values only.
 * For a resource declared in code the text starts with where to fix it, unless `placed` is false
 * (the table names the place beside each finding's number instead).
 */
export function fixFor(def: RuleDefinition, config: Partial<Config> | undefined, target?: FixTarget, placed = true): Fix {
  const project = config ? projectOf(def, config, target) : undefined;
  const team = config ? teamOf(def, config, project, target) : undefined;
  const fill = def.remediation.fill ?? {};
  const common = (token: Token, item?: Record<string, unknown>): string | undefined => {
    if (token.kind === "project") return project;
    if (token.kind === "config") return token.name === "team" ? team : config ? configValue(config, token.name) : undefined;
    if (token.name === "team") return team;
    const source = fill[token.name];
    return source === undefined || !target ? undefined : fillValue(source, target, item);
  };
  const text = substitute(def.remediation.text, (t) => (t.kind === "fill" && dependsOnEvidence(fill[t.name]) ? undefined : common(t)), false);
  // Declared in code (sagegate plan): the fix goes into the declaration, not into the account,
  // where the next deploy would undo it; no CLI command.
  const source = target?.resource.source;
  if (source) return { text: placed ? `Fix it in ${declarationText(source)}: ${text}` : text, commands: [] };
  const cli = def.remediation.cli;
  const perFailure = target !== undefined && target.evidence.length > 0 && Object.values(fill).some(dependsOnEvidence);
  if (!perFailure) return { text, commands: [substitute(cli, (t) => common(t), true)] };
  const commands: string[] = [];
  for (const item of target.evidence) {
    const command = substitute(cli, (t) => common(t, item), true);
    if (!commands.includes(command)) commands.push(command);
    if (commands.length === MAX_COMMANDS) break;
  }
  return { text, commands };
}

/** "templates/ml.yaml:42 (TrainingSG)", "network.tf:10 (module.ml.aws_security_group.training[0])". */
export function declarationText(source: SourceLocation): string {
  const name = source.logicalId ?? source.address;
  return `${source.file}:${source.line}${name !== undefined ? ` (${name})` : ""}`;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

function dependsOnEvidence(source: string | undefined): boolean {
  return source !== undefined && (source.startsWith("evidence.") || source === "$ipPermissions");
}

function configValue(config: Partial<Config>, name: string): string | undefined {
  let v: unknown = config;
  for (const part of name.split(".")) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  if (Array.isArray(v)) return v.length > 0 ? v.join(", ") : undefined;
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

/**
 * The configured project a finding belongs to, when it can be known: the subject of a rule over
 * projects, the only project configured, or the longest configured project the resource's id
 * names as whole hyphen-separated words (acme-sm-rc-fraud-detection/inference → rc-fraud-detection).
 */
export function projectOf(def: RuleDefinition, config: Partial<Config>, target?: FixTarget): string | undefined {
  const projects = config.projects ?? [];
  if (target && def.subjects?.fromConfig === "projects") return target.resource.id;
  if (projects.length === 1) return projects[0];
  if (!target) return undefined;
  let best: string | undefined;
  const id = target.resource.id.toLowerCase();
  for (const p of projects) if (namesWord(id, p.toLowerCase()) && (best === undefined || p.length > best.length)) best = p;
  return best;
}

function teamOf(def: RuleDefinition, config: Partial<Config>, project: string | undefined, target?: FixTarget): string | undefined {
  const teams = config.teams ?? [];
  if (target && def.subjects?.fromConfig === "teams") return target.resource.id;
  if (project !== undefined) {
    let best: string | undefined;
    for (const t of teams) if (project.startsWith(t + "-") && (best === undefined || t.length > best.length)) best = t;
    if (best !== undefined) return best;
  }
  return teams.length === 1 && project === undefined ? teams[0] : undefined;
}

/** Whether lower-case `text` holds lower-case `word` as whole hyphen-separated words. */
function namesWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!isWordChar(text.charCodeAt(i - 1)) && !isWordChar(text.charCodeAt(i + word.length))) return true;
  }
  return false;
}

/** [a-z0-9]; NaN (before the start, after the end) is not. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function fillValue(source: string, target: FixTarget, item: Record<string, unknown> | undefined): string | undefined {
  const r = target.resource;
  switch (source) {
    case "$id":
      return r.id;
    case "$arn":
      return r.arn;
    case "$accountId":
      return r.accountId;
    case "$region":
      return r.region;
    case "$ipPermissions":
      return item ? ipPermissions(item, r.id) : undefined;
  }
  if (!item) return undefined;
  const v = item[source.slice("evidence.".length)];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

/**
 * A security group permission from a permissions check's evidence, in the AWS CLI shorthand of
 * `--ip-permissions`: the failing entry (protocol, ports, source) of `only`/`none`, or the
 * missing row of `include` (whose self source is the group itself).
 */
export function ipPermissions(e: Record<string, unknown>, groupId: string): string | undefined {
  if (typeof e.protocol !== "string" || e.protocol === "any") return undefined;
  const protocol = e.protocol === "all" ? "-1" : e.protocol;
  const parts = [`IpProtocol=${protocol}`];
  const from = typeof e.fromPort === "number" ? e.fromPort : typeof e.port === "number" ? e.port : undefined;
  const to = typeof e.toPort === "number" ? e.toPort : typeof e.port === "number" ? e.port : undefined;
  if (from !== undefined && to !== undefined) parts.push(`FromPort=${from}`, `ToPort=${to}`);
  // The evidence gives null ports for "all ports"; AWS stores that as 0-65535 (TCP/UDP) or -1 (ICMP).
  else if (protocol === "tcp" || protocol === "udp") parts.push("FromPort=0", "ToPort=65535");
  else if (protocol === "icmp" || protocol === "icmpv6") parts.push("FromPort=-1", "ToPort=-1");
  const source = typeof e.source === "string" ? e.source : undefined;
  if (source === undefined) return undefined;
  if (source === "self") parts.push(`UserIdGroupPairs=[{GroupId=${groupId}}]`);
  else if (source === "vpcCidr") parts.push("IpRanges=[{CidrIp=<vpc-cidr>}]");
  else if (source === "any") return undefined;
  else if (e.sourceType === "ipv6" || (e.sourceType === undefined && source.includes(":"))) parts.push(`Ipv6Ranges=[{CidrIpv6=${source}}]`);
  else if (e.sourceType === "prefixList") parts.push(`PrefixListIds=[{PrefixListId=${source}}]`);
  else if (e.sourceType === "securityGroup") parts.push(`UserIdGroupPairs=[{GroupId=${source}}]`);
  else parts.push(`IpRanges=[{CidrIp=${source}}]`);
  return parts.join(",");
}

/** Replaces placeholders; in a shell command each value is quoted for the place it lands in. */
function substitute(template: string, resolve: Resolve, shell: boolean): string {
  const { literals, tokens } = compiledTemplate(template);
  let out = literals[0]!;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const value = resolve(t.token);
    out += (value === undefined ? t.raw : shell ? shellQuote(value, t.quote) : value) + literals[i + 1]!;
  }
  return out;
}

/**
 * A remediation text or command on one line, cut at its placeholders once (reports fill the same
 * few templates for every finding): literals[i] comes before tokens[i], the last literal after
 * the last token. Each token knows the shell quote it sits in, which depends on the literals only.
 */
interface CompiledTemplate {
  literals: string[];
  tokens: Array<{ token: Token; raw: string; quote: "'" | '"' | undefined }>;
}

const templates = new Map<string, CompiledTemplate>();

function compiledTemplate(template: string): CompiledTemplate {
  let compiled = templates.get(template);
  if (compiled) return compiled;
  const line = oneLine(template);
  compiled = { literals: [], tokens: [] };
  let last = 0;
  let quote: "'" | '"' | undefined;
  for (const m of line.matchAll(TOKEN)) {
    const between = line.slice(last, m.index);
    quote = quoteStateAfter(between, quote);
    compiled.literals.push(between);
    const token: Token = m[1] !== undefined ? { kind: "config", name: m[1] } : m[2] !== undefined ? { kind: "fill", name: m[2] } : { kind: "project" };
    compiled.tokens.push({ token, raw: m[0], quote });
    last = m.index + m[0].length;
  }
  compiled.literals.push(line.slice(last));
  templates.set(template, compiled);
  return compiled;
}

/** Tracks whether the shell is inside '…' or "…" after reading `text`. */
function quoteStateAfter(text: string, start: "'" | '"' | undefined): "'" | '"' | undefined {
  let quote = start;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\") i++;
    else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
  }
  return quote;
}

// Characters the shell never treats specially (no globs, braces, tilde, quotes or expansions).
const SAFE = /^[A-Za-z0-9_.,:/=@+%^-]+$/;

/** `value` as literal text at a place in a shell command that is bare, inside '…', or inside "…". */
export function shellQuote(value: string, quote: "'" | '"' | undefined): string {
  if (quote === "'") return value.replace(/'/g, `'\\''`);
  if (quote === '"') return value.replace(/[\\"$`]/g, "\\$&");
  return SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
