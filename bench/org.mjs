// The synthetic organisation of the benchmark, shared by bench/generate.mjs (which decides what
// is compliant) and bench/handwritten.mjs (which checks it). It mirrors bench/sagegate.config.yaml,
// the configuration sagegate gets; bench/run.mjs refuses to measure when the two disagree.

export const ORG = {
  tagPrefix: "acme-ml",
  company: "acme",
  teams: ["rc", "algo"],
  projects: [
    "rc-fraud-detection",
    "rc-anti-money-laundering",
    "rc-credit-scoring",
    "rc-chargeback-prediction",
    "rc-kyc-document-check",
    "rc-transaction-monitoring",
    "rc-merchant-risk",
    "rc-account-takeover",
    "rc-sanctions-screening",
    "rc-collections-forecast",
    "rc-loan-default",
    "rc-identity-graph",
    "algo-recommendation",
    "algo-search-ranking",
    "algo-demand-forecast",
    "algo-price-optimisation",
    "algo-churn-prediction",
    "algo-ad-ctr",
    "algo-query-understanding",
    "algo-image-tagging",
    "algo-review-summarisation",
    "algo-embedding-service",
    "algo-next-best-offer",
    "algo-inventory-planning",
  ],
  vpcIds: [],
  logRetentionDays: { processingJobs: 30, trainingJobs: 90, endpoints: 14, studio: 7 },
  ecr: { keepImages: 10 },
  profile: "baseline",
};

export const CONFIG_FILE = "bench/sagegate.config.yaml";

/** The eight rules whose outcome the generator knows per resource (its "answer"). */
export const ANSWER_RULES = ["ECR001", "ECR002", "ECR003", "KMS004", "LOG001", "MR001", "MR002", "SG009"];

/**
 * The failure-heavy shape's answer (issue 18): the eight, plus the rules its resources fail
 * several at a time — the purpose groups' flow tables (SG003–SG008), image tags (ECR004), and the
 * model versions' metadata and rejection reasons (MR003, MR004).
 */
export const FAILURE_HEAVY_ANSWER_RULES = [...ANSWER_RULES, "ECR004", "MR003", "MR004", "SG003", "SG004", "SG005", "SG006", "SG007", "SG008"].sort();

/** Snapshot shapes of bench/generate.mjs --shape. */
export const SHAPES = ["default", "failure-heavy"];

/** The five purpose-level security group names of the design (§2.1), i.e. SG009's scope. */
export const WORKLOAD_GROUPS = ["studio", "training", "processing", "inference", "vpc-endpoints"].map((p) => `${ORG.tagPrefix}-${p}`);
