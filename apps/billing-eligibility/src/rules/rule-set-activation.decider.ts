import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { RuleSetActivated, RuleSetActivationEvent } from './rule-set-activation.events';

export type ActivateRuleSet = Command<
  'ActivateRuleSet',
  {
    readonly ruleSetId: string;
    readonly version: string;
    readonly publishedAt: string;
    /** Already checked by the loader's validation (dates, sources, no overlap within the set). */
    readonly document: unknown;
    readonly signedOff: RuleSetActivated['data']['signedOff'];
    /** Versions shipped as files: a version id is never reused. */
    readonly shipped: readonly { readonly ruleSetId: string; readonly version: string; readonly publishedAt: string }[];
  }
>;

/** JSON with sorted keys: a stored document (PostgreSQL jsonb reorders keys) compares equal to the one sent again. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export type RuleSetActivationState = {
  readonly status: 'catalog';
  readonly versions: readonly { readonly ruleSetId: string; readonly version: string; readonly publishedAt: string; readonly document: string }[];
};

export class RuleSetVersionTakenError extends DomainError {
  readonly code = 'RULES.VERSION_TAKEN';
  override readonly kind = 'conflict' as const;
}

export class RuleSetOutOfOrderError extends DomainError {
  readonly code = 'RULES.PUBLISHED_OUT_OF_ORDER';
  override readonly kind = 'rule' as const;
}

export const ruleSetActivationDecider: Decider<ActivateRuleSet, RuleSetActivationEvent, RuleSetActivationState> = {
  initialState: () => ({ status: 'catalog', versions: [] }),

  decide(command, state) {
    switch (command.type) {
      case 'ActivateRuleSet': {
        const { ruleSetId, version, publishedAt, document, signedOff, shipped } = command.data;
        const same = state.versions.find((v) => v.ruleSetId === ruleSetId && v.version === version);
        // The same document again is a retry: nothing new.
        if (same !== undefined && same.document === canonical(document)) return [];
        if (same !== undefined || shipped.some((v) => v.ruleSetId === ruleSetId && v.version === version)) {
          throw new RuleSetVersionTakenError(`version: ${ruleSetId} ${version} exists already; give the new rules a new version`);
        }
        // Answers "as of T" take the latest version published by T: a later version must not be published earlier.
        const latest = [...shipped, ...state.versions].filter((v) => v.ruleSetId === ruleSetId).map((v) => v.publishedAt).sort().at(-1);
        if (latest !== undefined && publishedAt < latest) {
          throw new RuleSetOutOfOrderError(`publishedAt: ${ruleSetId} ${version} is published ${publishedAt}, before the latest version (${latest})`);
        }
        return [{ type: 'RuleSetActivated', data: { ruleSetId, version, publishedAt, document, signedOff } }];
      }
      default: {
        const _exhaustive: never = command.type;
        return assertNever(_exhaustive, 'rule-set command');
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RuleSetActivated': {
        const { ruleSetId, version, publishedAt, document } = event.data;
        return { status: 'catalog', versions: [...state.versions, { ruleSetId, version, publishedAt, document: canonical(document) }] };
      }
      default: {
        const _exhaustive: never = event.type;
        return assertNever(_exhaustive, 'rule-set event');
      }
    }
  },
};
