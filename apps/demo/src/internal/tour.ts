/**
 * `cs-aws tour` (what `pnpm demo` runs): four commands against the embedded endpoint, each
 * introduced by a few lines, sharing one endpoint and one set of targets.
 */

import { EXIT } from '../CliContext';
import type { CliContext } from '../CliContext';
import { parseCommandLine } from '../parseCommandLine';
import type { CommandLine } from '../parseCommandLine';
import { SAMPLE_THROTTLE } from '../startEmbeddedEndpoint';
import { load, runCommand } from './execute';

interface Step {
  readonly args: readonly string[];
  readonly intro: string;
  /** Lines printed after the step, from the endpoint's counters. */
  readonly outro?: (context: TourCounters) => string;
}

interface TourCounters {
  readonly throttled: number;
  readonly describeInstances: number;
  /** The requests of acme-prod in us-east-1, and the time from its first to its last. */
  readonly prodPages: number;
  readonly prodSpanMs: number;
}

const STEPS: readonly Step[] = [
  {
    args: ['targets', '--resolve'],
    intro:
      'The account × region targets the bundled configuration resolves to (without --resolve, cs-aws\n' +
      'targets is a plan read from the configuration alone, with no AWS call). Its Organization source\n' +
      'lists the five member accounts of the sample organisation, in two OUs, through the management\n' +
      'account (the only calls of this step); acme-legacy is suspended, so every command reports it\n' +
      'skipped and never calls it. The others are reached through a two-hop role chain (user demo →\n' +
      'Auditor → OrganizationAccountAccessRole), assumed when first needed, in four regions.',
  },
  {
    args: ['whoami'],
    intro:
      'sts:GetCallerIdentity on every target, 16 at once. af-south-1 is an opt-in region that only\n' +
      'acme-staging has enabled: the other three accounts fail there, and the summary groups the\n' +
      'failures by class with what to do (exit status 1).',
  },
  {
    args: ['call', 'ec2', 'DescribeInstances', '--paginate', '--ignore', 'AuthFailure'],
    intro:
      'ec2:DescribeInstances on every target, every page, the af-south-1 failures turned into skips\n' +
      'with --ignore AuthFailure (exit status 0: skips are allowed).',
  },
  {
    args: [
      'call',
      'ec2',
      'DescribeInstances',
      '--paginate',
      '--input',
      '{"MaxResults":5}',
      '--ignore',
      'AuthFailure',
    ],
    intro:
      `The same in pages of 5 (acme-prod has 40 instances in us-east-1: 8 pages). The endpoint throttles\n` +
      `ec2:DescribeInstances above ${SAMPLE_THROTTLE.requestsPerSecond} requests/s per account and region; the configuration's\n` +
      'RateLimitOperationSpec (ec2:DescribeInstances: 2 per second) paces every page, and every retry,\n' +
      'under it, so the throttle never fires.',
    outro: (c) =>
      `The endpoint saw ${c.describeInstances} DescribeInstances requests and throttled ${c.throttled} of them; acme-prod's ${c.prodPages} pages\n` +
      `in us-east-1 reached it over ${(c.prodSpanMs / 1000).toFixed(1)}s, 2 per second.`,
  },
];

const rule = (context: CliContext): string =>
  '─'.repeat(Math.min(100, context.stdout.columns ?? 100));

/**
 * Runs the tour.
 *
 * @param options - the tour's own command line (`--concurrency`, `--verbose`, `--quiet` apply)
 * @param context - streams and cancellation
 * @returns 0 when every step ran (a step's expected failures do not count), 130 when interrupted
 * @internal
 */
export async function runTour(options: CommandLine, context: CliContext): Promise<number> {
  const started = performance.now();
  const loaded = await load(options, context);
  const embedded = loaded.embedded;
  if (embedded === undefined) throw new Error('the tour runs on the embedded endpoint only');
  // The EC2 client package takes seconds to load: start it while the first steps run.
  import('@aws-sdk/client-ec2').catch(() => undefined);
  const out = (text: string): void => void context.stdout.write(`${text}\n`);
  try {
    out(rule(context));
    out(`cs-aws tour: the embedded local AWS endpoint at ${embedded.aws.url} serves a sample`);
    out(
      'organisation; no AWS account is used. Each step is a cs-aws command you can run yourself.',
    );
    for (const [index, step] of STEPS.entries()) {
      const command = parseCommandLine([
        ...step.args,
        '--concurrency',
        String(options.concurrency),
        ...(options.quiet ? ['--quiet'] : []),
        ...(options.verbose ? ['--verbose'] : []),
      ]);
      out(rule(context));
      out(
        `${index + 1}/${STEPS.length}  cs-aws ${step.args.map((a) => (a.includes('"') ? `'${a}'` : a)).join(' ')}`,
      );
      out('');
      out(step.intro);
      out('');
      embedded.aws.resetStats();
      const code = await runCommand(command, context, loaded);
      if (code === EXIT.interrupted) return code;
      if (step.outro !== undefined) {
        const stats = embedded.aws.stats;
        const prod = stats.log.filter(
          (e) =>
            e.operation === SAMPLE_THROTTLE.operation &&
            e.account === '222222222222' &&
            e.region === 'us-east-1',
        );
        out('');
        out(
          step.outro({
            throttled: stats.throttled,
            describeInstances: stats.byOperation[`ec2:${SAMPLE_THROTTLE.operation}`] ?? 0,
            prodPages: prod.length,
            prodSpanMs: prod.length > 1 ? (prod.at(-1)?.time ?? 0) - (prod[0]?.time ?? 0) : 0,
          }),
        );
      }
    }
    out(rule(context));
    out(
      `Tour done in ${((performance.now() - started) / 1000).toFixed(1)}s. Next: pnpm cs-aws --help, and pnpm cs-aws --config your.yaml with a`,
    );
    out('configuration in the format of cs.aws_account (see packages/config).');
    return EXIT.ok;
  } finally {
    await embedded.close();
  }
}
