import { domainError, type DomainError } from '../errors.js';
import { addMillis, formatDuration, millisBetween, type Instant, type Millis } from '../time.js';
import type { Actor } from './events.js';
import type { Stage } from './stage.js';

/**
 * The controls that hold promotions back whatever the exit criteria say: a paused journey, a
 * fleet-wide stop (stop the line), freeze windows and a stage's minimum soak time. The journey
 * knows its own pause and when it entered the stage; everything else is a fact the application
 * passes in the command (the stop and the freezes live outside the journey, the soak time in
 * the playbook), so the decision stays pure.
 */

/** Who paused a journey, when and why; nothing new starts for it until it is resumed. */
export interface JourneyPause {
  readonly pausedBy: Actor;
  readonly reason: string;
  readonly at: Instant;
}

/** An admin stopped every promotion of the fleet (e.g. during an incident). */
export interface PromotionStop {
  readonly stoppedBy: Actor;
  readonly reason: string;
  readonly at: Instant;
}

/** Where a freeze window is defined: the journey's playbook, or the fleet-wide list. */
export type FreezeScope = 'playbook' | 'global';

/** A freeze window in force at the time of the command, and when it ends. */
export interface ActiveFreeze {
  readonly freezeId: string;
  readonly scope: FreezeScope;
  readonly description?: string;
  readonly from: Instant;
  readonly until: Instant;
}

/** An admin's promotion during a freeze, recorded on the promotion itself. */
export interface FreezeOverride {
  readonly reason: string;
  readonly overriddenBy: Actor;
  /** The freezes that were in force and were overridden. */
  readonly freezes: readonly ActiveFreeze[];
}

/** What the application knows about the controls when it asks for a promotion. */
export interface PromotionControls {
  /** The fleet-wide stop in force, if any. */
  readonly promotionStop?: PromotionStop | null;
  /** Freeze windows in force now (playbook and global). */
  readonly freezes?: readonly ActiveFreeze[];
  /** An admin overrides the freezes for this one promotion (the role is checked by the caller). */
  readonly overrideFreeze?: { readonly reason: string; readonly overriddenBy: Actor };
  /** The current stage's minimum soak time (from the playbook); none when absent. */
  readonly soakTime?: Millis;
}

interface ControlledJourney {
  readonly journeyId: string;
  readonly stage: Stage;
  readonly stageEnteredAt: Instant;
  readonly pause?: JourneyPause | null;
}

/**
 * Refuses a promotion (or completion) that a control holds back, or returns the freeze
 * override to record. Order: the journey's pause, the fleet stop, then freezes.
 */
export function checkControls(
  state: ControlledJourney,
  controls: PromotionControls | undefined,
): DomainError | { readonly freezeOverride?: FreezeOverride } {
  const pause = state.pause ?? null;
  if (pause !== null) {
    return domainError(
      'JOURNEY_PAUSED',
      `Journey ${state.journeyId} was paused by ${pause.pausedBy} at ${pause.at} (${pause.reason}); resume it first.`,
      { journeyId: state.journeyId, ...pause },
    );
  }
  const stop = controls?.promotionStop ?? null;
  if (stop !== null) {
    return domainError(
      'PROMOTIONS_PAUSED',
      `Promotions are stopped fleet-wide by ${stop.stoppedBy} since ${stop.at} (${stop.reason}).`,
      { journeyId: state.journeyId, ...stop },
    );
  }
  const freezes = controls?.freezes ?? [];
  let freezeOverride: FreezeOverride | undefined;
  if (freezes.length > 0) {
    const override = controls?.overrideFreeze;
    if (override === undefined) {
      const until = freezes.map((f) => f.until).reduce((a, b) => (a > b ? a : b));
      return domainError(
        'FREEZE_IN_FORCE',
        `No promotion starts during a freeze: ${freezes.map(describeFreeze).join('; ')}.`,
        { journeyId: state.journeyId, freezes, until },
      );
    }
    freezeOverride = { ...override, freezes };
  }
  return freezeOverride === undefined ? {} : { freezeOverride };
}

/** Refuses a promotion before the stage has soaked for `soakTime` since it was entered. */
export function checkSoak(
  state: ControlledJourney,
  soakTime: Millis | undefined,
  at: Instant,
): DomainError | undefined {
  const required = soakTime ?? 0;
  const soaked = millisBetween(state.stageEnteredAt, at);
  if (required <= 0 || soaked >= required) {
    return undefined;
  }
  const endsAt = addMillis(state.stageEnteredAt, required);
  const remainingMs = required - soaked;
  return domainError(
    'SOAK_TIME_NOT_ELAPSED',
    `Journey ${state.journeyId} must soak in ${state.stage} for ${formatDuration(required)}: ${formatDuration(remainingMs)} remain (until ${endsAt}).`,
    {
      journeyId: state.journeyId,
      stage: state.stage,
      soakTime: required,
      enteredAt: state.stageEnteredAt,
      endsAt,
      remainingMs,
    },
  );
}

function describeFreeze(freeze: ActiveFreeze): string {
  const about = freeze.description === undefined ? '' : ` (${freeze.description})`;
  return `${freeze.scope} freeze "${freeze.freezeId}"${about} until ${freeze.until}`;
}
