// Command-line options of `collect` and `scan` (commander only: no AWS code is loaded here).
import { Option, type Command, type OptionValues } from "@commander-js/extra-typings";

export interface CollectCliOptions {
  regions?: string;
  allRegions?: boolean;
  since: string;
  concurrency: string;
  maxInFlight: string;
  roleArn: string[];
  accounts?: string;
  roleName?: string;
  externalId?: string;
  progress?: boolean;
  maxAttempts: string;
  requestTimeout: string;
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/** Options shared by collect and scan. */
export function addCollectOptions<Args extends unknown[], Opts extends OptionValues>(cmd: Command<Args, Opts>) {
  return cmd
    .option("--regions <list>", "comma-separated regions (default: the configured region, e.g. AWS_REGION)")
    .option("--all-regions", "every region enabled in each account (EC2 DescribeRegions)")
    .option("--since <window>", "SageMaker jobs changed within this window: 7d, 48h, 90m, 2w or an ISO date", "7d")
    .option("--concurrency <n>", "requests in flight per service, account and region", "8")
    .option("--max-in-flight <n>", "requests in flight in the whole collect, over every account, region and service", "64")
    .addOption(new Option("--role-arn <arn>", "assume this read-only role and collect its account (repeatable)").argParser(repeat).default([] as string[]))
    .option("--accounts <ids>", "comma-separated account ids; with --role-name, assume that role in each")
    .option("--role-name <name>", "role name to assume in each of --accounts")
    .option("--external-id <id>", "external id for every AssumeRole")
    .option("--progress", "print progress on stderr even when it is not a terminal")
    .option("--max-attempts <n>", "attempts per AWS request, first included (the SDK's adaptive retry)", "8")
    .option("--request-timeout <seconds>", "limit for each AWS request attempt, from the request to the last byte of the answer (at least 0.001)", "30");
}
