/**
 * The text of `cs-aws --help`, and of each command's own help (`cs-aws help call`).
 */
import { SERVED_OPERATIONS } from '@cs/aws-local';

/** What the embedded endpoint serves, one service a line, from @cs/aws-local's own table. */
const served = Object.entries(SERVED_OPERATIONS)
  .map(([service, operations]) => `  ${service.padEnd(15)}${operations.join(', ')}`)
  .join('\n');

import type { HelpTopic } from '../parseCommandLine';

const SELECTION = `Selecting targets:
  -c, --config FILE      the configuration (default: ./cs-aws.yaml when present; else the embedded
                         local AWS endpoint with a sample organisation and its bundled configuration)
  -a, --app KEY          the top-level key holding the RegionalAccountSet (default: the only one)
      --profile NAME     the AWS profile of the sessions that name no credentials (as AWS_PROFILE)
      --accounts LIST    keep these accounts: ids, names, aliases or globs (prod-*), comma-separated
      --regions LIST     keep these regions: names or globs (eu-*), comma-separated
                         (a pattern that matches no target is an error naming it)`;

const RUNNING = `Running:
  -n, --concurrency N    targets run at once (default: 16)
      --timeout DURATION a time limit per target, as 30s or 2m (past it the target fails)
      --max-attempts N   the SDK's attempts per call, retries included (default: the configuration's)
      --fail-fast        stop at the first failed target
      --tolerance N      stop once more than N targets failed (a count, or a fraction such as 0.1)
      --ignore RULE      report matching failures as skipped: an error class (access-denied,
                         explicit-deny, region-not-enabled, invalid-credentials, expired-credentials,
                         throttled, not-found, network, aborted, account-not-active, other) or an
                         error code (AuthFailure); repeat it or separate rules with commas
      --queue URL        call, whoami, exec: submit the run to the workers of this Redis
                         (redis://H:P) and collect its results as they finish; the workers read
                         the same --config (exec: workers started with --allow-exec only)`;

const OUTPUT = `Output:
  -o, --output FORMAT    table (default), json (one document at the end), ndjson (one line per
                         target as it completes, then a summary line) or csv (a row per target, or
                         per item when --query gives a list)
      --query EXPR       a JMESPath expression applied to each target's result, as
                         'Reservations[].Instances[].{id: InstanceId, type: InstanceType}'
      --output-dir DIR   also write each target's result to DIR/ACCOUNT/REGION.json, and the
                         summary to DIR/summary.json
      --resume           with --output-dir: skip the targets that already succeeded there
      --report FILE      also write a self-contained HTML report of the run (whoami, call, exec): a
                         grid of accounts × regions, failures by class, where the time went
      --report-values    include every target's value in the report, not only small ones
  -q, --quiet            no progress bar and no notes on stderr
  -v, --verbose          every failed target and message in full, and the endpoint's counters`;

const EXIT_STATUS = `Exit status: 0 every target succeeded (skips allowed), 1 some failed, 2 bad configuration or usage,
130 interrupted (Ctrl-C: running calls are aborted, the results so far are printed).`;

/** The help text. @internal */
export const USAGE = `cs-aws: run AWS calls across many accounts and regions, rate-limited and in parallel.

Usage:
  cs-aws targets [--resolve]          the account/region targets the configuration resolves to
                                      (offline; --resolve adds account ids and aliases)
  cs-aws whoami                       account id, alias and ARN of each target
  cs-aws call <service> <Operation>   the operation on every target, as: cs-aws call ec2 DescribeInstances
         [--input JSON] [--paginate]  its input (a JSON object); read every page
  cs-aws exec [options] -- COMMAND [ARGS...]
                                      run a program once per target, with the target's credentials
                                      and region in its environment
  cs-aws tour                         a short scripted tour against the embedded local endpoint
  cs-aws worker --queue redis://H:P   take jobs of queued runs (BullMQ), --concurrency at a time;
         [--allow-exec]               Ctrl-C or SIGTERM stops it after its running targets;
                                      --allow-exec: also run the programs of exec --queue runs
  cs-aws runs list|show ID|resume ID|cancel ID --queue redis://H:P
                                      the queued runs; collect the rest of one; cancel one
  cs-aws help [COMMAND]               this text, or a command's own help (cs-aws help call)
  cs-aws --version

${SELECTION}

${RUNNING}

${OUTPUT}

  -h, --help             this text (after a command: that command's help)
  -V, --version          the version

${EXIT_STATUS}

The embedded local AWS endpoint (@cs/aws-local: no --config and no ./cs-aws.yaml) serves these
operations, and no others:
${served}
`;

/** Each command's own help. @internal */
export const COMMAND_HELP: Readonly<Record<HelpTopic, string>> = {
  targets: `cs-aws targets [options]

The account × region targets the configuration resolves to, as a plan: no AWS call is made.
Accounts reached through a role show the account id of the role's ARN; accounts listed from AWS
Organizations show the organisation entry, since listing its members needs calls.

  --resolve              list the organisation's members and read every account's id and alias
                         (AWS calls: Organizations, STS, IAM)

${SELECTION}

${OUTPUT}

${EXIT_STATUS}
`,
  whoami: `cs-aws whoami [options]

The account id, alias and ARN of each target (STS GetCallerIdentity in each account and region).

${SELECTION}

${RUNNING}

${OUTPUT}

${EXIT_STATUS}
`,
  call: `cs-aws call <service> <Operation> [--input JSON] [--paginate] [options]

Calls one operation on every target, for any service whose @aws-sdk/client-<service> package is
installed where cs-aws runs (the service is its id: ec2, sts, iam, s3, organizations, ...). A
global service (iam, organizations, route-53, cloudfront, ...) is called once per account, at its
partition's global region, not once per region.

  -i, --input JSON       the operation's input, a JSON object (default: {})
  -p, --paginate         read every page and merge them (lists concatenated)

${SELECTION}

${RUNNING}

${OUTPUT}

Example:
  cs-aws call ec2 DescribeInstances --paginate --regions 'eu-*' \\
    --query 'Reservations[].Instances[].{id: InstanceId, type: InstanceType}' --output csv

${EXIT_STATUS}
`,
  exec: `cs-aws exec [options] -- COMMAND [ARGS...]

Runs a program once per target, under the same concurrency, timeout and failure rules as call. Its
environment holds the target's credentials and region: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL (when one is configured),
CS_AWS_ACCOUNT_ID and CS_AWS_ACCOUNT_ALIAS; the parent's own AWS_* variables are removed.
Credentials reach the program through its environment only, never its command line or a file.
Its exit status decides the target (0 succeeded, else failed), and its output (up to 1 MiB of each
stream) is the target's result. With --queue the program runs on the workers started with
cs-aws worker --allow-exec (the others refuse it), with credentials from their own configuration,
and up to 64 KiB of each stream comes back.

${SELECTION}

${RUNNING}

${OUTPUT}

Example:
  cs-aws exec --regions us-east-1 --output-dir out -- sh -c 'echo "$CS_AWS_ACCOUNT_ID $AWS_REGION"'

${EXIT_STATUS}
`,
  tour: `cs-aws tour [--concurrency N] [--quiet] [--verbose]

A short scripted tour: targets, whoami and two calls against the embedded local AWS endpoint, with
a sample organisation. It needs no configuration and no AWS account.

${EXIT_STATUS}
`,
};
