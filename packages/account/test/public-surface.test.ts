import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "Account",
        "AccountError",
        "accountFactory",
        "clearAccountFactory",
        "isAccountError",
      ]
    `);
  });
});
