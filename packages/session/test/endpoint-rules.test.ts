import { afterEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../src/Session';
import { isEndpointConfigError } from '../src/errors';

const VPCE_EC2 = 'https://vpce-0a1b.ec2.us-east-1.vpce.amazonaws.com';
const SQS_EAST = 'https://vpce-1.sqs.us-east-1.vpce.amazonaws.com';
const SQS_WEST = 'https://vpce-2.sqs.us-west-2.vpce.amazonaws.com';
const LOCAL = 'http://127.0.0.1:4566';

const session = (extra: object = {}, region: string | null = 'us-east-1') =>
  new Session({
    aws_access_key_id: 'AKIDEXAMPLE',
    aws_secret_access_key: 'SECRETFIXTURE-example',
    ...(region ? { region_name: region } : {}),
    ...extra,
  });

describe('clientConfig: the endpoint rules of SPEC 3.1', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('rule 1: no entry for the service gives the default endpoint and the session region', () => {
    const s = session({ ServiceEndpoints: { ec2: VPCE_EC2 } });
    expect(s.clientConfig('sqs')).toEqual({ region: 'us-east-1' });
    expect(s.clientConfig()).toEqual({ region: 'us-east-1' });
  });

  it('rule 1: no region on the session and none given gives the default', () => {
    const s = session(
      { ServiceEndpoints: { ec2: VPCE_EC2, sqs: { 'us-east-1': SQS_EAST } } },
      null,
    );
    expect(s.clientConfig('ec2')).toEqual({});
    expect(s.clientConfig('sqs')).toEqual({});
    expect(s.clientConfig('ec2', 'us-east-1')).toEqual({ region: 'us-east-1', endpoint: VPCE_EC2 });
  });

  it('rule 2: a region map gives its entry for the region, else the default', () => {
    const s = session({
      ServiceEndpoints: { sqs: { 'us-east-1': SQS_EAST, 'us-west-2': SQS_WEST } },
    });
    expect(s.clientConfig('sqs')).toEqual({ region: 'us-east-1', endpoint: SQS_EAST });
    expect(s.clientConfig('sqs', 'us-west-2')).toEqual({ region: 'us-west-2', endpoint: SQS_WEST });
    expect(s.clientConfig('sqs', 'eu-west-1')).toEqual({ region: 'eu-west-1' });
  });

  it('rule 3: a URL whose host names a known region is used only in that region', () => {
    const s = session({ ServiceEndpoints: { ec2: VPCE_EC2 } });
    expect(s.clientConfig('ec2', 'us-east-1').endpoint).toBe(VPCE_EC2);
    expect(s.clientConfig('ec2', 'eu-west-1')).toEqual({ region: 'eu-west-1' });
    // a map entry that names another region is refused the same way
    const m = session({ ServiceEndpoints: { sqs: { 'eu-west-1': SQS_EAST } } });
    expect(m.clientConfig('sqs', 'eu-west-1')).toEqual({ region: 'eu-west-1' });
  });

  it('rule 3: a URL whose host names no region applies to every region', () => {
    const s = session({ ServiceEndpoints: { ec2: 'https://proxy.example.com' } });
    expect(s.clientConfig('ec2', 'eu-west-1').endpoint).toBe('https://proxy.example.com');
    expect(s.clientConfig('ec2', 'ap-southeast-2').endpoint).toBe('https://proxy.example.com');
  });

  it('rule 3: known regions come from the SDK partition data (other partitions too)', () => {
    const s = session({
      ServiceEndpoints: {
        ec2: 'https://ec2.cn-north-1.amazonaws.com.cn',
        sts: 'https://sts.us-gov-west-1.amazonaws.com',
      },
    });
    expect(s.clientConfig('ec2', 'cn-north-1').endpoint).toBe(
      'https://ec2.cn-north-1.amazonaws.com.cn',
    );
    expect(s.clientConfig('ec2', 'us-east-1').endpoint).toBeUndefined();
    expect(s.clientConfig('sts', 'us-east-1').endpoint).toBeUndefined();
    // a label that only looks like a region is not one
    const t = session({ ServiceEndpoints: { ec2: 'https://xx-nowhere-9.example.com' } });
    expect(t.clientConfig('ec2', 'us-east-1').endpoint).toBe('https://xx-nowhere-9.example.com');
  });

  it("rule 4: '*' applies to every region whatever its host names; a named region wins over it", () => {
    const s = session({
      ServiceEndpoints: {
        sqs: { '*': 'http://sqs.us-east-1.localhost.localstack.cloud:4566', 'us-west-2': SQS_WEST },
      },
    });
    expect(s.clientConfig('sqs', 'eu-west-1').endpoint).toBe(
      'http://sqs.us-east-1.localhost.localstack.cloud:4566',
    );
    expect(s.clientConfig('sqs', 'us-west-2').endpoint).toBe(SQS_WEST);
  });

  it('rule 4: EndpointUrl applies to every service and region; a service entry wins over it', () => {
    const s = session({ EndpointUrl: LOCAL, ServiceEndpoints: { ec2: VPCE_EC2 } });
    expect(s.clientConfig('sts', 'eu-west-1').endpoint).toBe(LOCAL);
    expect(s.clientConfig('ec2', 'us-east-1').endpoint).toBe(VPCE_EC2);
    // the ec2 URL names us-east-1: elsewhere, the next rule (EndpointUrl) applies
    expect(s.clientConfig('ec2', 'eu-west-1').endpoint).toBe(LOCAL);
    expect(session({ EndpointUrl: LOCAL }, null).clientConfig('iam')).toEqual({ endpoint: LOCAL });
  });

  it('honours AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL, both below the configuration', () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://global.example:1');
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'http://logs.example:2');
    const s = session();
    expect(s.clientConfig('sts').endpoint).toBe('http://global.example:1');
    expect(s.clientConfig('cloudwatch-logs').endpoint).toBe('http://logs.example:2');
    expect(s.clientConfig('CloudWatchLogs').endpoint).toBe('http://logs.example:2');
    expect(session({ EndpointUrl: LOCAL }).clientConfig('cloudwatchlogs').endpoint).toBe(LOCAL);
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'true');
    expect(s.clientConfig('sts').endpoint).toBeUndefined();
  });

  it('matches service names whatever their case and punctuation', () => {
    const s = session({ ServiceEndpoints: { EC2: 'https://proxy.example.com' } });
    expect(s.clientConfig('ec2').endpoint).toBe('https://proxy.example.com');
  });

  it('refuses URLs that are not http(s) or that carry a user or password, without repeating them', () => {
    const secretish = 'https://user:SECRETFIXTURE-hunter2@proxy.example.com';
    for (const [params, where] of [
      [{ EndpointUrl: 'ftp://proxy.example.com' }, 'EndpointUrl'],
      [{ ServiceEndpoints: { ec2: secretish } }, 'ServiceEndpoints.ec2'],
      [
        { ServiceEndpoints: { sqs: { 'us-east-1': 'not a url' } } },
        'ServiceEndpoints.sqs.us-east-1',
      ],
      [{ ServiceEndpoints: { sqs: 42 } }, 'ServiceEndpoints.sqs'],
    ] as const) {
      let error: unknown;
      try {
        session(params);
      } catch (e) {
        error = e;
      }
      expect(isEndpointConfigError(error)).toBe(true);
      expect((error as Error).message).toContain(where);
      expect((error as Error).message).not.toContain('SECRETFIXTURE-hunter2');
    }
    vi.stubEnv('AWS_ENDPOINT_URL_STS', 'file:///etc/passwd');
    expect(() => session().clientConfig('sts')).toThrow(/AWS_ENDPOINT_URL_STS: protocol file:/);
  });
});
