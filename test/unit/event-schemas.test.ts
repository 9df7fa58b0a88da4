import { describe, expect, it } from 'vitest';
import {
  committedFingerprint,
  committedSchemaFiles,
  DATA_DIR,
  ENVELOPE_FILE,
  EVENT_TYPES,
  fingerprint,
  FINGERPRINT_FILE,
} from '../../scripts/event-schemas.js';

/**
 * The committed schemas in docs/events/ are up to date with the event types. Generating them
 * takes several seconds (TypeScript has to load), so this test compares a fingerprint instead:
 * `npm run schemas` records a SHA-256 of its inputs (the script, the domain files the event
 * types import, the tool versions) and of the files it wrote. Changing an event type, or a
 * schema by hand, changes the fingerprint. test/relay/event-schemas.conformance.test.ts
 * regenerates the schemas in full and compares them byte for byte.
 */
describe('the event schemas in docs/events/', () => {
  it('were generated from the current event types (else: run npm run schemas)', async () => {
    const files = await committedSchemaFiles();
    expect(
      await committedFingerprint(),
      `${FINGERPRINT_FILE} does not match the event types or the schemas: run npm run schemas`,
    ).toBe(await fingerprint(files));
  });

  it('are one envelope and one data schema per event type', async () => {
    const files = await committedSchemaFiles();
    expect([...files.keys()].sort()).toEqual(
      [ENVELOPE_FILE, ...EVENT_TYPES.map((type) => `${DATA_DIR}/${type}.schema.json`)].sort(),
    );
    for (const type of EVENT_TYPES) {
      const schema = JSON.parse(files.get(`${DATA_DIR}/${type}.schema.json`) ?? '{}') as {
        title?: string;
        properties?: { type?: { const?: string } };
      };
      expect(schema.title).toBe(type);
      expect(schema.properties?.type?.const).toBe(type);
    }
  });
});
