// Build step (after tsc): compiles every JSON Schema validator ahead of time and bundles the
// rule catalogue, so a run starts without Ajv's compiler or the YAML parser. Both outputs land
// in dist/generated/ and are used only when they match the sources (see rules/bundle.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import standaloneModule from "ajv/dist/standalone/index.js";
import { createAjv, SCHEMA_IDS, standaloneName } from "../io/schema.js";
import { RESOURCE_TYPES } from "../resources/catalog.js";
import { buildBundle } from "../rules/bundle.js";

// ajv ships CommonJS: under NodeNext the default import is the module object.
type StandaloneCode = (ajv: unknown, refs: Record<string, string>) => string;
const standaloneCode = ((standaloneModule as unknown as { default?: StandaloneCode }).default ?? standaloneModule) as unknown as StandaloneCode;
const OUT = fileURLToPath(new URL("../generated/", import.meta.url));

function validatorsModule(): string {
  const ajv = createAjv({ source: true });
  const keys: string[] = [...Object.values(SCHEMA_IDS)];
  for (const t of RESOURCE_TYPES) keys.push(`${SCHEMA_IDS.snapshot}#/definitions/${t.schemaDefinition}`);
  for (const key of keys) if (!ajv.getSchema(key)) throw new Error(`cannot compile ${key}`);
  const mapping = Object.fromEntries(keys.map((k) => [standaloneName(k), k]));
  // Ajv's ESM output still calls require() for its runtime helpers and formats.
  const code = standaloneCode(ajv, mapping).replace(/^"use strict";/, "");
  return `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${code}`;
}

mkdirSync(OUT, { recursive: true });
writeFileSync(OUT + "validators.js", validatorsModule());
writeFileSync(OUT + "catalogue.json", JSON.stringify(buildBundle()));
process.stdout.write("build: precompiled validators and rule catalogue written to dist/generated/\n");
