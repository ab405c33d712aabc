import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_COMMAND, API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types.ts';

describe('generated client types (web/src/generated/api.ts)', () => {
  it('match what the current server generates', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const current = await renderApiTypes();
    // A plain boolean first so the failure says what to do rather than printing a 10,000-line diff.
    const fresh = committed === current;
    expect(
      fresh,
      `web/src/generated/api.ts is stale: the server's routes changed. Run \`${API_TYPES_COMMAND}\` and commit the file.`,
    ).toBe(true);
  }, 60_000);

  it('describe the routes the admin app calls, with their response shapes', () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(committed).toContain('"/api/v1/identity/users"');
    expect(committed).toContain('"/api/v1/identity/session"');
  });
});
