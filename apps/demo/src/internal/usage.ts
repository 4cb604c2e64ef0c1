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
  -q, --quiet            no progress bar and no notes on stderr
  -v, --verbose          every failed target and message in full, and the endpoint's counters
      --report FILE      also write a self-contained HTML report of the run (whoami, call): a grid
                         of accounts × regions, failures by class, where the time went
      --report-values    include every target's value in the report, not only small ones
  -h, --help             this text
  -V, --version          the version

Exit status: 0 every target succeeded (skips allowed), 1 some failed, 2 bad configuration or usage,
130 interrupted (Ctrl-C: running calls are aborted, the results so far are printed).
`;
