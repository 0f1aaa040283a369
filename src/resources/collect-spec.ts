// The shape of a resource type's `collect` declaration (src/resources/catalog.ts). Declarations
// are plain data: the collector (src/collect/) interprets them with the AWS SDK v3 clients, so
// adding a resource type is adding a declaration, not writing a collector. Nothing here imports
// the SDK, which keeps `evaluate` free of it.

/**
 * Input parameters of a call: `from` maps an input parameter to the field of the resource (or
 * list item) whose value it takes; `fixed` holds constant parameters.
 */
export interface CallInput {
  from?: Readonly<Record<string, string>>;
  fixed?: Readonly<Record<string, unknown>>;
}

/** An AWS error that is an answer, matched by code (err.name) and optionally by message. */
export interface ErrorMatch {
  code: string;
  /** Regular expression (case-insensitive) the message must match, for codes AWS also uses otherwise (SageMaker ValidationException). */
  message?: string;
}

/**
 * What AWS always returns, declared per call so that an answer without it is recognised as
 * not an AWS answer (`MalformedResponse`: an HTTP 200 with an empty body, `{}`, an HTML page
 * from a proxy) and recorded as an error, never read as "none exists". The SDK deserializes
 * such bodies into an output with every member missing.
 */
export interface Returns {
  /**
   * Members every successful answer has: of each list item (paged calls; the item's id field is
   * always required), or of the output below `outputKey` (describe and detail calls).
   */
  returns?: readonly string[];
}

/**
 * A paginated call: the SDK paginator (`paginate<Operation>`) walks the tokens. Every page of a
 * successful answer has its `itemsKey` list, empty or not.
 */
export interface PagedCall extends CallInput, Returns {
  /** API operation, e.g. DescribeSecurityGroups (the SDK command is `<operation>Command`). */
  operation: string;
  /** Output member holding the page's items. */
  itemsKey: string;
  /** Page size written into the operation's limit field (MaxResults, maxResults, Limit, limit). */
  pageSize: number;
}

/** A call made once per resource whose output is merged into the stored object. */
export interface DescribeCall extends CallInput, Returns {
  operation: string;
  /** Output member holding the object (DescribeKey → KeyMetadata), always present; absent = the whole output. */
  outputKey?: string;
  /** Answers meaning the resource was deleted since it was listed: it is left out, no error. */
  gone?: readonly ErrorMatch[];
}

/** A second call adding one field to each resource. */
export type DetailCall = SingleDetail | PagedDetail | RegionJoinDetail;

interface DetailBase {
  /** Field of the stored object that receives the data (rules reading it need this call: catalog operationsForField). */
  field: string;
  /** "None exists" answers: the field stays absent and nothing is recorded as an error. */
  absent?: readonly ErrorMatch[];
  /** Answers meaning the resource was deleted since it was listed: it is left out, no error. */
  gone?: readonly ErrorMatch[];
}

/** One call per resource; the field is one output member (or the whole output). */
export interface SingleDetail extends DetailBase, CallInput, Returns {
  kind: "single";
  operation: string;
  /** Output member that becomes the field, always present in a successful answer; absent = the whole output without $metadata. */
  outputKey?: string;
}

/** A paginated call per resource; the field is the concatenated items, each optionally described. */
export interface PagedDetail extends DetailBase, PagedCall {
  kind: "paged";
  /** Replace each listed item by this call's output (model packages: list per group, then describe). */
  describeEach?: DescribeCall;
  /** Item fields that order the list, so two collects write the same bytes. */
  sortBy?: readonly string[];
}

/** One paginated call per region whose items are distributed to resources (KMS aliases → keys). */
export interface RegionJoinDetail extends DetailBase, PagedCall {
  kind: "region-join";
  /** Item field holding the resource's id (ListAliases TargetKeyId → KeyId). */
  joinOn: string;
  /** Items whose field starts with this prefix are left out (alias/aws/*: AWS-managed). */
  skipPrefix?: { field: string; prefix: string };
  sortBy?: readonly string[];
}

export interface CollectSpec {
  /** The list call; its items are the resources (or their summaries when `describe` is set). */
  list: PagedCall & {
    /** Input parameter that receives the start of the --since window (a Date). */
    sinceParam?: string;
  };
  /** One call per listed item giving the object's own fields. When it fails, the list summary is kept. */
  describe?: DescribeCall;
  /** Resources left out of the snapshot (after describe): AWS-managed KMS keys. */
  skip?: ReadonlyArray<{ field: string; equals: unknown }>;
  /** Calls that add fields; all run concurrently within the service's bound. */
  details?: readonly DetailCall[];
}
