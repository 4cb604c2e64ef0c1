import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it, vi } from 'vitest';
import { Session } from '../src/Session';
import type { AwsClient, ClientClass } from '../src/types';

const newSession = (options = {}) =>
  new Session(
    {
      aws_access_key_id: 'AKIDEXAMPLE',
      aws_secret_access_key: 'SECRETFIXTURE-example',
      region_name: 'eu-west-1',
      ServiceEndpoints: { sts: { 'us-west-2': 'https://sts-proxy.us-west-2.example.com' } },
    },
    options,
  );

describe('client() and createClient()', () => {
  it('applies region, endpoint and the active credentials provider', async () => {
    const session = newSession();
    const west = session.client(STSClient, { region: 'us-west-2' });
    expect(await west.config.region()).toBe('us-west-2');
    const endpoint = await west.config.endpoint?.();
    expect(endpoint?.hostname).toBe('sts-proxy.us-west-2.example.com');
    expect((await west.config.credentials()).accessKeyId).toBe('AKIDEXAMPLE');
    expect(await session.client(STSClient).config.region()).toBe('eu-west-1');
  });

  it('caches per class, region, endpoint, layer and extra configuration', async () => {
    const session = newSession();
    const a = session.client(STSClient);
    expect(session.client(STSClient)).toBe(a);
    expect(session.client(STSClient, { region: 'eu-west-1' })).toBe(a);
    expect(session.client(STSClient, { region: 'us-west-2' })).not.toBe(a);
    expect(session.client(STSClient, { maxAttempts: 7 })).not.toBe(a);
    await session.assumeRole({ RoleArn: 'arn:aws:iam::222222222222:role/R' }, { deferred: true });
    const b = session.client(STSClient);
    expect(b).not.toBe(a);
    session.revert();
    expect(session.client(STSClient)).toBe(a);
  });

  it('is callable from generic code that only knows ClientClass<C>', async () => {
    const session = newSession();
    const make = <C extends AwsClient>(Class: ClientClass<C>, region: string): C =>
      session.client(Class, { region, maxAttempts: 2 });
    const client = make(STSClient as ClientClass<STSClient>, 'us-west-2');
    expect(await client.config.region()).toBe('us-west-2');
    expect(await client.config.maxAttempts()).toBe(2);
  });

  it('createClient is never cached', () => {
    const session = newSession();
    const a = session.createClient(STSClient);
    expect(session.createClient(STSClient)).not.toBe(a);
    expect(session.client(STSClient)).not.toBe(a);
    a.destroy();
  });

  it('bounds the cache: the least recently used client is destroyed', () => {
    const session = newSession({ clientCacheSize: 2 });
    const first = session.client(STSClient, { region: 'eu-west-1' });
    const spy = vi.spyOn(first, 'destroy');
    session.client(STSClient, { region: 'eu-west-2' });
    session.client(STSClient, { region: 'eu-west-3' });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(session.client(STSClient, { region: 'eu-west-1' })).not.toBe(first);
  });

  it('destroy() destroys every cached client', () => {
    const session = newSession();
    const a = session.client(STSClient);
    const spy = vi.spyOn(a, 'destroy');
    session.destroy();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(session.client(STSClient)).not.toBe(a);
  });
});
