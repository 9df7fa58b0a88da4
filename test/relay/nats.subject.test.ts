import { describe, expect, it } from 'vitest';
import { cloudEventType } from '../../src/relay/cloud-event.js';
import { natsOutlet } from '../../src/relay/nats-outlet.js';
import {
  DEFAULT_SUBJECT_TEMPLATE,
  domainEventType,
  parseSubjectTemplate,
  subjectProblem,
} from '../../src/relay/nats-subject.js';

describe('NATS subject templates', () => {
  it('renders {type} and names the subjects a stream must listen on', () => {
    const byDefault = parseSubjectTemplate(DEFAULT_SUBJECT_TEMPLATE);
    expect(byDefault.render('StagePromoted')).toBe('journeys.events.StagePromoted');
    expect(byDefault.streamSubject).toBe('journeys.events.>');
    expect(parseSubjectTemplate('acme.{type}.v1').streamSubject).toBe('acme.>');
    expect(parseSubjectTemplate('acme.journeys').render('JourneyStarted')).toBe('acme.journeys');
    expect(parseSubjectTemplate('acme.journeys').streamSubject).toBe('acme.journeys');
    expect(parseSubjectTemplate('{type}.acme').streamSubject).toBeNull();
  });

  it('refuses unknown placeholders and templates that give no legal subject', () => {
    expect(() => parseSubjectTemplate('journeys.{clientId}')).toThrow(
      'unknown placeholder {clientId} (known: {type})',
    );
    expect(() => parseSubjectTemplate('journeys.*.{type}')).toThrow('wildcards');
    expect(() => parseSubjectTemplate('journeys.>')).toThrow('wildcards');
    expect(() => parseSubjectTemplate('journeys events.{type}')).toThrow('spaces');
    expect(() => parseSubjectTemplate('journeys..{type}')).toThrow('empty token');
    expect(() => parseSubjectTemplate('.{type}')).toThrow('empty token');
    expect(subjectProblem('')).toBe('a subject cannot be empty');
    expect(subjectProblem('journeys.events.StagePromoted')).toBeNull();
  });

  it('finds the domain type inside the CloudEvents type, whatever its version', () => {
    expect(domainEventType(cloudEventType('RollbackInitiated'))).toBe('RollbackInitiated');
    expect(domainEventType('journey-orchestrator.StagePromoted.v2')).toBe('StagePromoted');
  });

  it('an outlet refuses a bad template, and ensureStream without a literal prefix, when built', () => {
    const base = { name: 'n', servers: '127.0.0.1:4222', stream: 'S' };
    expect(() => natsOutlet({ ...base, subject: 'a.{stage}' })).toThrow('unknown placeholder');
    expect(() => natsOutlet({ ...base, subject: '{type}.a', ensureStream: true })).toThrow(
      'ensureStream needs a subject that starts with a literal token',
    );
  });
});
