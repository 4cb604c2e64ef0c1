import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../src/Session';

// Read once per process (this file runs in a module graph of its own): set before any client.
const saved = { ...process.env };
beforeAll(() => {
  process.env.AWS_USE_FIPS_ENDPOINT = 'true';
  process.env.AWS_SDK_UA_APP_ID = 'cs-aws-test-app';
});
afterAll(() => {
  process.env = saved;
});

const newSession = (region: string) =>
  new Session({
    aws_access_key_id: 'AKIDEXAMPLE',
    aws_secret_access_key: 'SECRETFIXTURE-example',
    region_name: region,
  });

describe('settings every client reads from the environment and config files', () => {
  it('are read once per process and shared by the clients of every session, with the values the SDK finds', async () => {
    const one = newSession('eu-west-1').client(STSClient);
    expect(await one.config.useFipsEndpoint()).toBe(true);
    expect(await one.config.userAgentAppId()).toBe('cs-aws-test-app');
    expect(await one.config.useDualstackEndpoint()).toBe(false);
    // Read once: a client built after the environment changed still has the first reading (each
    // SDK client reads once too, when it is built; here the whole process shares that reading).
    process.env.AWS_USE_FIPS_ENDPOINT = 'false';
    const two = newSession('us-east-2').createClient(STSClient);
    expect(await two.config.useFipsEndpoint()).toBe(true);
    expect(await two.config.userAgentAppId()).toBe('cs-aws-test-app');
    // The request goes where the shared reading says: the FIPS endpoint of STS.
    const hosts: string[] = [];
    const recording = newSession('us-east-2').createClient(STSClient, {
      requestHandler: {
        handle: (request: { hostname: string }) => {
          hosts.push(request.hostname);
          return Promise.reject(new Error('recorded'));
        },
      },
      maxAttempts: 1,
    });
    await expect(recording.send(new GetCallerIdentityCommand({}))).rejects.toThrow('recorded');
    expect(hosts).toEqual(['sts-fips.us-east-2.amazonaws.com']);
    recording.destroy();
    two.destroy();
  });

  it('are a client’s own when it names a profile of its own (its files differ)', async () => {
    process.env.AWS_USE_FIPS_ENDPOINT = 'false';
    const session = newSession('eu-west-1');
    const own = session.createClient(STSClient, { profile: 'other' });
    // Its own reading, made now: the environment says false.
    expect(await own.config.useFipsEndpoint()).toBe(false);
    expect(await session.client(STSClient).config.useFipsEndpoint()).toBe(true);
    own.destroy();
  });

  it('give way to a value in the client options', async () => {
    const client = newSession('eu-west-1').createClient(STSClient, { useFipsEndpoint: false });
    expect(await client.config.useFipsEndpoint()).toBe(false);
    client.destroy();
  });
});
