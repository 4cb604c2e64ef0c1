import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHomeDir } from '@smithy/core/config';
import type { RegionLookup } from '../types';

/** Files larger than this are not read for a region (a config file is a few kilobytes). */
const MAX_FILE_BYTES = 1024 * 1024;

/** A path of `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, with `~/` expanded as the SDK does. */
const expandHome = (path: string): string =>
  path.startsWith('~/') ? join(getHomeDir(), path.slice(2)) : path;

/**
 * The `region` of `profile` in one shared file, read as the SDK's INI loader reads it: `[default]`
 * or `[profile NAME]` in the config file, `[NAME]` in the credentials file; indented lines are
 * sub-properties and not the profile's own. `undefined` when the file, the profile or the key is
 * missing.
 */
const regionInFile = (
  file: string,
  profile: string,
  kind: 'config' | 'credentials',
): string | undefined => {
  let text: string;
  try {
    const buffer = readFileSync(file);
    if (buffer.byteLength > MAX_FILE_BYTES) return undefined;
    text = buffer.toString('utf8');
  } catch {
    return undefined;
  }
  let current: string | undefined;
  let region: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header !== null) {
      const name = (header[1] as string).trim();
      const profileName = /^profile\s+(.+)$/.exec(name)?.[1]?.trim();
      current = kind === 'credentials' ? name : name === 'default' ? name : profileName;
      continue;
    }
    if (current !== profile || /^\s/.test(line)) continue;
    const entry = /^region\s*=\s*(.*)$/.exec(trimmed);
    if (entry !== null) region = (entry[1] as string).trim() || undefined;
  }
  return region;
};

/**
 * Where the SDK looks for a client's region, in its order: the session's own region, then
 * `AWS_REGION`, then the `region` of the profile (the session's `profile_name`, else
 * `AWS_PROFILE`, else `default`) in the shared config file, then in the credentials file. Read
 * synchronously, at each call (the files are small and only region-less sessions read them).
 */
export function findRegion(
  sessionRegion: string | undefined,
  sessionProfile: string | undefined,
  env: Record<string, string | undefined> = process.env,
): RegionLookup {
  const looked: string[] = ['the session (region_name)'];
  if (sessionRegion !== undefined && sessionRegion !== '') {
    return { region: sessionRegion, source: 'the session (region_name)', looked };
  }
  looked.push('AWS_REGION');
  const fromEnv = env.AWS_REGION;
  if (fromEnv !== undefined && fromEnv !== '')
    return { region: fromEnv, source: 'AWS_REGION', looked };
  const profile = sessionProfile ?? (env.AWS_PROFILE || 'default');
  const files: [string, 'config' | 'credentials'][] = [
    [expandHome(env.AWS_CONFIG_FILE ?? join(getHomeDir(), '.aws', 'config')), 'config'],
    [
      expandHome(env.AWS_SHARED_CREDENTIALS_FILE ?? join(getHomeDir(), '.aws', 'credentials')),
      'credentials',
    ],
  ];
  for (const [file, kind] of files) {
    const where = `region of profile "${profile}" in ${file}`;
    looked.push(where);
    const region = regionInFile(file, profile, kind);
    if (region !== undefined) return { region, source: where, looked };
  }
  return { region: undefined, source: undefined, looked };
}
