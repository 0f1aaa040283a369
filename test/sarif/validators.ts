// The two SARIF validators the tests hold sagegate's output to (see README.md here): the SARIF
// Multitool with the GitHub ingestion rules switched on, and ajv against the OASIS schema, plus
// the GitHub code scanning constraints neither of them checks.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Ajv, type ValidateFunction } from "ajv";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { tempDir } from "../helpers.js";

const HERE = import.meta.dirname;
export const SCHEMA_FILE = join(HERE, "sarif-schema-2.1.0.json");
export const MULTITOOL_CONFIG = join(HERE, "gh-ingestion-rules.config.xml");

const require = createRequire(import.meta.url);

export interface MultitoolReport {
  errors: number;
  warnings: number;
  notes: number;
  /** "SARIF1001 runs[0]…: message" lines for errors and warnings, to show when a test fails. */
  problems: string[];
  ruleIds: string[];
}

/**
 * Runs `Sarif.Multitool validate` (the binary itself: the npm bin wrapper goes through a shell
 * that splits "Sarif;Ghas" at the ";") and counts its findings in the output log, because it
 * exits 0 whatever it finds.
 */
export function multitool(file: string): MultitoolReport {
  const binary = require("@microsoft/sarif-multitool") as string;
  const dir = tempDir();
  const out = join(dir, "multitool.sarif");
  // Its console lists every note: far beyond spawnSync's output buffer on large logs, so it goes to a file.
  const consoleFile = join(dir, "multitool.console");
  const fd = openSync(consoleFile, "w");
  let r;
  try {
    r = spawnSync(
      binary,
      [
        "validate",
        file,
        "--config",
        MULTITOOL_CONFIG,
        "--rule-kind",
        "Sarif;Ghas",
        "--level",
        "Error;Warning;Note",
        "--max-file-size-in-kb",
        "1048576",
        "--output",
        out,
        "--log",
        "ForceOverwrite",
      ],
      { stdio: ["ignore", fd, fd], env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" }, timeout: 300_000 },
    );
  } finally {
    closeSync(fd);
  }
  const output = readFileSync(consoleFile, "utf8");
  if (r.status !== 0 || /ERR999|UnhandledEngineException/.test(output) || !existsSync(out)) {
    throw new Error(`the multitool failed (exit ${r.status ?? r.signal}): ${output.slice(-4000)}`);
  }
  const log = JSON.parse(readFileSync(out, "utf8")) as {
    runs: Array<{ results?: Array<{ level?: string; ruleId?: string; message?: { text?: string }; locations?: unknown }> }>;
  };
  const report: MultitoolReport = { errors: 0, warnings: 0, notes: 0, problems: [], ruleIds: [] };
  for (const run of log.runs) {
    for (const res of run.results ?? []) {
      const level = res.level ?? "warning";
      if (level === "error") report.errors++;
      else if (level === "warning") report.warnings++;
      else report.notes++;
      report.ruleIds.push(res.ruleId ?? "?");
      if (level === "error" || level === "warning") report.problems.push(`${level} ${res.ruleId}: ${res.message?.text ?? JSON.stringify(res)}`);
    }
  }
  return report;
}

// The packages are CommonJS with a default export; under ESM the class sits on `.default`.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as typeof Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction | undefined;

/** Schema errors of a SARIF log against the OASIS SARIF 2.1.0 Errata 01 schema (draft-04). */
export function schemaErrors(log: unknown): string[] {
  if (!compiled) {
    // strictRequired is off: an anyOf branch of the schema requires "index" without declaring it.
    const ajv = new AjvDraft04({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
  }
  if (compiled(log)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message} ${JSON.stringify(e.params)}`);
}

/** GitHub code scanning ingestion constraints that neither the schema nor the Multitool checks. */
export function githubProblems(raw: string): string[] {
  const log = JSON.parse(raw);
  const problems: string[] = [];
  const bad = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (typeof log.$schema !== "string") bad("/$schema", "missing");
  const runs: any[] = Array.isArray(log.runs) ? log.runs : [];
  if (runs.length === 0 || runs.length > 20) bad("/runs", `${runs.length} runs (GitHub takes 1 to 20)`);
  runs.forEach((run, ri) => {
    const driver = run.tool?.driver;
    if (typeof driver?.name !== "string" || driver.name === "") bad(`/runs/${ri}/tool/driver/name`, "missing");
    const rules: any[] = Array.isArray(driver?.rules) ? driver.rules : [];
    if (!Array.isArray(driver?.rules)) bad(`/runs/${ri}/tool/driver/rules`, "missing");
    if (rules.length > 25_000) bad(`/runs/${ri}/tool/driver/rules`, "more than 25,000 rules");
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const p = `/runs/${ri}/tool/driver/rules/${i}`;
      if (ids.has(rule.id)) bad(`${p}/id`, `duplicate ${rule.id}`);
      ids.add(rule.id);
      for (const k of ["shortDescription", "fullDescription"]) {
        const t = rule[k]?.text;
        if (typeof t !== "string" || t === "" || t.length > 1024) bad(`${p}/${k}/text`, "missing, empty or longer than 1024");
      }
      if (typeof rule.help?.text !== "string" || rule.help.text === "") bad(`${p}/help/text`, "missing");
      if (typeof rule.name === "string" && rule.name.length > 255) bad(`${p}/name`, "longer than 255");
      const tags = rule.properties?.tags ?? [];
      if (tags.length > 20) bad(`${p}/properties/tags`, "more than 20 tags");
      const sev = rule.properties?.["security-severity"];
      if (sev !== undefined && (typeof sev !== "string" || !/^\d+(\.\d+)?$/.test(sev) || !(Number(sev) > 0 && Number(sev) <= 10)))
        bad(`${p}/properties/security-severity`, `${JSON.stringify(sev)} is not a score string in (0, 10]`);
    });
    if (!Array.isArray(run.results)) bad(`/runs/${ri}/results`, "missing");
    const results: any[] = Array.isArray(run.results) ? run.results : [];
    if (results.length > 25_000) bad(`/runs/${ri}/results`, `${results.length} results; GitHub rejects more than 25,000`);
    const identities = new Set<string>();
    results.forEach((res, i) => {
      const p = `/runs/${ri}/results/${i}`;
      if (!ids.has(res.ruleId)) bad(`${p}/ruleId`, `${res.ruleId} is not a rule of the run`);
      if (typeof res.message?.text !== "string" || res.message.text === "") bad(`${p}/message/text`, "missing");
      const loc = res.locations?.[0]?.physicalLocation;
      const uri = loc?.artifactLocation?.uri;
      if (typeof uri !== "string" || uri === "") bad(`${p}/locations/0`, "no artifactLocation.uri");
      else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || uri.startsWith("/")) bad(`${p}/locations/0`, `${uri} is not repository-relative`);
      else if (/\s/.test(uri)) bad(`${p}/locations/0`, `${uri} contains whitespace`);
      if (!(Number.isInteger(loc?.region?.startLine) && loc.region.startLine >= 1)) bad(`${p}/locations/0`, "no region.startLine");
      if ((res.locations?.length ?? 0) > 1000) bad(`${p}/locations`, "more than 1,000 locations");
      // A result on a resource path (aws/…, no file of the checkout) carries sagegate's primaryLocationLineHash;
      // one on a declaration (a template, a .tf file in the checkout) must not, since upload-sarif hashes that
      // line itself and warns of an inconsistent fingerprint: it carries sagegate/v1 instead.
      const onResource = typeof uri === "string" && uri.startsWith("aws/");
      const lineHash = res.partialFingerprints?.primaryLocationLineHash;
      const own = res.partialFingerprints?.["sagegate/v1"];
      if (onResource && (typeof lineHash !== "string" || lineHash === "")) bad(`${p}/partialFingerprints`, "no primaryLocationLineHash");
      if (!onResource && lineHash !== undefined)
        bad(`${p}/partialFingerprints`, "primaryLocationLineHash on a file of the checkout: upload-sarif recomputes it and warns");
      if (!onResource && (typeof own !== "string" || own === "")) bad(`${p}/partialFingerprints`, "no sagegate/v1 fingerprint on a declaration");
      const fp = onResource ? lineHash : `${own}|${loc?.region?.startLine}`;
      const identity = `${res.ruleId}|${uri}|${fp}`;
      if (identities.has(identity)) bad(p, `same rule, path and fingerprint as an earlier result: GitHub would merge them`);
      identities.add(identity);
    });
  });
  const gz = gzipSync(Buffer.from(raw, "utf8")).length;
  if (gz > 10 * 1000 * 1000) bad("file", `gzip-compressed size ${gz} is above GitHub's 10 MB limit`);
  return problems;
}

export interface Validation {
  multitool: MultitoolReport;
  schema: string[];
  github: string[];
}

/** Both validators (and GitHub's constraints) on one file. */
export function validateSarifFile(file: string): Validation {
  const raw = readFileSync(file, "utf8");
  return { multitool: multitool(file), schema: schemaErrors(JSON.parse(raw)), github: githubProblems(raw) };
}

/** Writes a SARIF log to a temp file and validates it (for deliberately broken logs). */
export function validateSarifLog(log: unknown): Validation {
  const file = join(tempDir(), "log.sarif");
  writeFileSync(file, JSON.stringify(log, null, 2));
  return validateSarifFile(file);
}
