/**
 * The text of `cs-aws --help`.
 */

/** The help text. @internal */
export const USAGE = `cs-aws: run AWS calls across many accounts and regions, rate-limited and in parallel.

Usage:
  cs-aws targets                      the account/region targets the configuration resolves to
  cs-aws whoami                       account id, alias and ARN of each target
  cs-aws call <service> <Operation>   the operation on every target, as: cs-aws call ec2 DescribeInstances
         [--input JSON] [--paginate]  its input (a JSON object); read every page
  cs-aws tour                         a short scripted tour against the embedded local endpoint
  cs-aws worker --queue redis://H:P   take jobs of queued runs (BullMQ), --concurrency at a time;
                                      Ctrl-C or SIGTERM stops it after its running targets
  cs-aws runs list|show ID|resume ID|cancel ID --queue redis://H:P
                                      the queued runs; collect the rest of one; cancel one
  cs-aws --help | --version

Options:
  -c, --config FILE      the configuration (default: ./cs-aws.yaml when present; else the embedded
                         local AWS endpoint with a sample organisation and its bundled configuration)
  -a, --app KEY          the top-level key holding the RegionalAccountSet (default: the only one)
  -n, --concurrency N    targets run at once (default: 16)
  -o, --output FORMAT    table (default), json (one document at the end) or ndjson (one line per
                         target as it completes, then a summary line)
      --fail-fast        stop at the first failed target
      --tolerance N      stop once more than N targets failed (a count, or a fraction such as 0.1)
      --ignore RULE      report matching failures as skipped: an error class (access-denied,
                         explicit-deny, region-not-enabled, invalid-credentials, expired-credentials,
                         throttled, not-found, network, account-not-active, other) or an error code
                         (AuthFailure); repeat it or separate rules with commas
      --queue URL        call, whoami: submit the run to the workers of this Redis (redis://H:P)
                         and collect its results as they finish; the workers read the same --config
  -q, --quiet            no progress bar and no notes on stderr
  -v, --verbose          every failed target and message in full, and the endpoint's counters
  -h, --help             this text
  -V, --version          the version

Exit status: 0 every target succeeded (skips allowed), 1 some failed, 2 bad configuration or usage,
130 interrupted (Ctrl-C: running calls are aborted, the results so far are printed).
`;
