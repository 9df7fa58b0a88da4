import { describe, expect, it } from 'vitest';
import type { Readiness, SignOffLink } from '../../src/web/api/control-types.js';
import { SIGN_OFF_LINK_LABELS } from '../../src/web/model/labels.js';
import {
  criterionName,
  linkFor,
  linkOutcome,
  linkStatusNow,
  mayRevoke,
} from '../../src/web/model/sign-off-links.js';

const NOW = Date.parse('2026-01-02T00:00:00Z');

const link = (extra: Partial<SignOffLink> = {}): SignOffLink => ({
  linkId: 'AAAAAAAAAAAAAAAAAAAAAA',
  journeyId: 'j-1',
  stage: 'sandbox',
  stageEnteredAt: '2026-01-01T00:00:00Z',
  criterion: 'demo_approved',
  approverName: 'Carol',
  note: null,
  status: 'open',
  decision: null,
  usedAt: null,
  issuedBy: 'otto',
  issuedAt: '2026-01-01T10:00:00Z',
  expiresAt: '2026-01-03T00:00:00Z',
  revokedBy: null,
  revokedAt: null,
  revokeReason: null,
  ...extra,
});

describe('sign-off links', () => {
  it('count an open link past its expiry as expired, as the API would now', () => {
    expect(linkStatusNow(link(), NOW)).toBe('open');
    expect(linkStatusNow(link({ expiresAt: '2026-01-01T23:59:59Z' }), NOW)).toBe('expired');
    // Any other status is the API's word, also past the expiry.
    expect(linkStatusNow(link({ status: 'revoked', expiresAt: '2026-01-01T00:00:00Z' }), NOW)).toBe(
      'revoked',
    );
  });

  it('offer revoking an open link to operators and admins only', () => {
    expect(mayRevoke(link(), 'operator', NOW)).toBe(true);
    expect(mayRevoke(link(), 'admin', NOW)).toBe(true);
    expect(mayRevoke(link(), 'viewer', NOW)).toBe(false);
    for (const status of ['used', 'revoked', 'expired', 'stale'] as const) {
      expect(mayRevoke(link({ status }), 'admin', NOW)).toBe(false);
    }
    expect(mayRevoke(link({ expiresAt: '2026-01-01T00:00:00Z' }), 'admin', NOW)).toBe(false);
  });

  it('say what became of a link, with when and why', () => {
    expect(linkOutcome(link(), NOW)).toEqual({
      text: 'Works until used, expires in 1d',
      at: null,
      reason: null,
    });
    expect(
      linkOutcome(
        link({ status: 'used', decision: 'rejected', usedAt: '2026-01-01T12:00:00Z' }),
        NOW,
      ),
    ).toEqual({ text: 'Rejected by the client', at: '2026-01-01T12:00:00Z', reason: null });
    expect(linkOutcome(link({ status: 'used', usedAt: '2026-01-01T12:00:00Z' }), NOW).text).toBe(
      'Used, but no decision was recorded',
    );
    expect(
      linkOutcome(
        link({
          status: 'revoked',
          revokedBy: 'ada',
          revokedAt: '2026-01-01T13:00:00Z',
          revokeReason: 'Wrong address',
        }),
        NOW,
      ),
    ).toEqual({ text: 'Revoked by ada', at: '2026-01-01T13:00:00Z', reason: 'Wrong address' });
    expect(linkOutcome(link({ expiresAt: '2026-01-01T20:00:00Z' }), NOW)).toEqual({
      text: 'Expired',
      at: '2026-01-01T20:00:00Z',
      reason: null,
    });
    expect(linkOutcome(link({ status: 'stale', stage: 'pilot' }), NOW).text).toBe(
      'Void: the journey left that pilot visit',
    );
  });

  it('name whom a link is for and its criterion', () => {
    expect(linkFor(link())).toBe('Carol');
    expect(linkFor(link({ approverName: null }))).toBe('the client');
    const readiness = {
      criteria: [{ criterionId: 'demo_approved', description: 'Demo approved by client' }],
    } as unknown as Readiness;
    expect(criterionName('demo_approved', readiness)).toBe('Demo approved by client');
    expect(criterionName('pilot_signed_off', readiness)).toBe('Pilot signed off');
    expect(criterionName('demo_approved', null)).toBe('Demo approved');
  });

  it('label every status with a symbol and a word', () => {
    for (const label of Object.values(SIGN_OFF_LINK_LABELS)) {
      expect(label.symbol).not.toBe('');
      expect(label.text).toMatch(/^[A-Z][a-z]+$/);
    }
  });
});
