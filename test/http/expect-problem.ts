import { expect } from 'vitest';
import { ProblemSchema } from '../../src/http/schemas/problem.js';
import type { ApiResponse } from './api-harness.js';

/** Asserts an RFC 9457 answer with this status and code; returns the problem. */
export function expectProblem(response: ApiResponse, status: number, code?: string) {
  const label = JSON.stringify(response.body).slice(0, 500);
  expect(response.status, label).toBe(status);
  if (code !== undefined) {
    expect(response.json.code, label).toBe(code);
  }
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  const problem = ProblemSchema.parse(response.body);
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^urn:journey-orchestrator:problem:[a-z-]+$/);
  expect(problem.title).not.toBe('');
  expect(problem.detail).not.toBe('');
  return problem;
}
