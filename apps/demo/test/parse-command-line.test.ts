import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/parseCommandLine';

describe('parseCommandLine', () => {
  it('gives the defaults', () => {
    expect(parseCommandLine(['whoami'])).toMatchObject({
      command: 'whoami',
      concurrency: 16,
      output: 'table',
      failFast: false,
      tolerance: undefined,
      ignore: [],
      quiet: false,
      verbose: false,
      config: undefined,
      app: undefined,
    });
  });

  it('reads call with its input, pagination and every option', () => {
    expect(
      parseCommandLine([
        'call',
        'ec2',
        'describe_instances',
        '-i',
        '{"MaxResults":5}',
        '-p',
        '-c',
        'x.yaml',
        '-a',
        'App',
        '-n',
        '4',
        '-o',
        'ndjson',
        '--tolerance',
        '0.25',
        '--ignore',
        'throttled,AuthFailure',
        '--ignore',
        'not-found',
        '--fail-fast',
        '-q',
      ]),
    ).toMatchObject({
      command: 'call',
      service: 'ec2',
      operation: 'describe_instances',
      input: { MaxResults: 5 },
      paginate: true,
      config: 'x.yaml',
      app: 'App',
      concurrency: 4,
      output: 'ndjson',
      tolerance: 0.25,
      ignore: [{ class: 'throttled' }, { code: 'AuthFailure' }, { class: 'not-found' }],
      failFast: true,
      quiet: true,
    });
  });

  it('takes --help and --version before anything else, and help with no arguments', () => {
    expect(parseCommandLine(['whoami', '--help']).command).toBe('help');
    expect(parseCommandLine(['-V']).command).toBe('version');
    expect(parseCommandLine([]).command).toBe('help');
  });

  it('accepts a whole-number tolerance and refuses a negative one', () => {
    expect(parseCommandLine(['targets', '--tolerance', '3']).tolerance).toBe(3);
    expect(() => parseCommandLine(['targets', '--tolerance=-1'])).toThrow(/--tolerance must be/);
    expect(() => parseCommandLine(['targets', '--ignore', ','])).toThrow(/--ignore needs/);
  });
});
