import { expect, it } from 'vitest';
import * as api from '../src/index';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "FixtureError",
      "LocalAwsError",
      "SERVED_OPERATIONS",
      "isFixtureError",
      "isLocalAwsError",
      "isServedOperation",
      "startLocalAws",
    ]
  `);
});
