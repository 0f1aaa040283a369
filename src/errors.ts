// Typed user errors. Each one prints as a single line naming the file and the place
// (line:column or a JSON pointer) and maps to a process exit code. Anything that is
// not a SagegateError is a bug in sagegate and prints a stack trace.

export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  incomplete: 3,
  /** A bug in sagegate: the error that is not a SagegateError, printed with its stack. */
  internalError: 70,
  interrupted: 130,
  terminated: 143,
} as const;

export interface Place {
  /** 1-based line, when the input is text we could locate. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** JSON pointer or dotted path inside the document. */
  pointer?: string;
}

export abstract class SagegateError extends Error {
  abstract readonly kind: string;
  readonly exitCode: number = ExitCode.badInput;

  constructor(
    message: string,
    readonly file?: string,
    readonly place?: Place,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** One line: `file:line:col: pointer: message`. */
  format(): string {
    const where: string[] = [];
    if (this.file !== undefined) {
      let loc = this.file;
      if (this.place?.line !== undefined) {
        loc += `:${this.place.line}`;
        if (this.place.column !== undefined) loc += `:${this.place.column}`;
      }
      where.push(loc);
    }
    if (this.place?.pointer) where.push(this.place.pointer);
    return where.length > 0 ? `${where.join(": ")}: ${this.message}` : this.message;
  }
}

/** Bad command-line usage: unknown option, missing argument, conflicting flags. */
export class UsageError extends SagegateError {
  readonly kind = "usage";
}
/** sagegate.config.yaml (or --config) is unreadable or invalid. */
export class ConfigError extends SagegateError {
  readonly kind = "config";
}
/** A snapshot file is unreadable, not JSON, or does not match schemas/snapshot.schema.json. */
export class SnapshotError extends SagegateError {
  readonly kind = "snapshot";
}
/** A rule, definitions or rule-test file is invalid. */
export class RuleError extends SagegateError {
  readonly kind = "rule";
}
/** A waivers file is invalid. */
export class WaiverError extends SagegateError {
  readonly kind = "waivers";
}
/** A baseline report is invalid. */
export class BaselineError extends SagegateError {
  readonly kind = "baseline";
}
/** A CloudFormation template, CDK cloud assembly, Terraform plan, pipeline definition or parameters file is unreadable or invalid (sagegate plan). */
export class TemplateError extends SagegateError {
  readonly kind = "template";
}
/** A report or snapshot path that cannot be written (a directory, under a regular file, no permission). */
export class OutputError extends SagegateError {
  readonly kind = "output";
}
/** An AWS call that makes the whole command impossible (no credentials, STS failure). */
export class AwsError extends SagegateError {
  readonly kind = "aws";
}

export function isSagegateError(err: unknown): err is SagegateError {
  return err instanceof SagegateError;
}
