// Credentials never leave sagegate. AWS error messages are kept (they say what was denied and
// why), but some echo what was sent: SignatureDoesNotMatch answers carry the canonical request,
// whose signed headers include the session token. Everything sagegate records or prints from an
// AWS error goes through redact() first. No AWS SDK import: evaluate must not load it.

const REDACTED = "[redacted]";

/**
 * Credential values this process holds (the environment's, assumed roles'): removed wherever
 * they appear, longest first (a short secret inside a longer one must not split it).
 */
let known: string[] = [];
/** All known values as one alternation, longest first: one pass, so "[redacted]" is never searched again. */
let knownPattern: RegExp | undefined;

/**
 * Registers a secret value to be redacted from every AWS message, whatever its length: a short
 * test or emulator credential ("test", "tok7x") is redacted too, at the price of redacting the
 * same letters where they are not the secret.
 */
export function registerSecret(value: string | undefined): void {
  if (typeof value !== "string" || value.length === 0 || known.includes(value)) return;
  known = [...known, value].sort((a, b) => b.length - a.length);
  knownPattern = new RegExp(known.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "g");
}

/** The credentials of the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). */
export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): void {
  registerSecret(env.AWS_ACCESS_KEY_ID);
  registerSecret(env.AWS_SECRET_ACCESS_KEY);
  registerSecret(env.AWS_SESSION_TOKEN);
  registerSecret(env.AWS_SECURITY_TOKEN);
}

// Header or field name, separator, value: the value goes.
const NAMED: RegExp[] = [
  /(x-amz-security-token|x-amz-signature|x-amz-credential|aws_session_token|aws_security_token|aws_secret_access_key|secretaccesskey|sessiontoken)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi,
  /(authorization)(["']?\s*[:=]\s*["']?)[^\n"']*/gi,
  /(credential|signature)(=)[^\s,&"']+/gi,
];
// Access key ids: long-term (AKIA) and temporary (ASIA).
const KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g;

/** `text` without credentials: known values, named credential fields and headers, access key ids. */
export function redact(text: string): string {
  let out = text;
  if (knownPattern) out = out.replace(knownPattern, REDACTED);
  for (const re of NAMED) out = out.replace(re, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  return out.replace(KEY_ID, REDACTED);
}
