// Where a resource was declared in code: a CloudFormation template or CDK assembly, a Terraform
// file, a SageMaker pipeline definition. Planned resources always carry one; live resources carry
// one when a stack or a Terraform state maps them to their declaration. Rules never read it:
// reports do (JSON `resource.source`, `file:line` in the table and Markdown, SARIF locations).
export interface SourceLocation {
  /** Path relative to the repository root (or as given), forward slashes. */
  file: string;
  /** 1-based line of the declaration: the logical id, the `resource "TYPE" "NAME"` block, the step. */
  line: number;
  /** Last line of the declaration, when known. */
  endLine?: number;
  /** CloudFormation logical id. */
  logicalId?: string;
  /** Terraform resource address, with module path and index (`module.ml.aws_security_group.training[0]`). */
  address?: string;
  /** CDK construct path (`aws:cdk:path` metadata). */
  cdkPath?: string;
  /** CloudFormation stack name or CDK stack artifact id. */
  stack?: string;
}
