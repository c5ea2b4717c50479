// Which code a device should hold after following a referral link, by the brand's attribution model.
import type { Advocate } from '../db/advocates.ts';
import { attributes } from './eligibility.ts';

export interface CodeDecision {
  /** the advocate this visit counts for, and whose code the device holds afterwards */
  attributed: Advocate;
  storeCode: boolean;
  clearExisting: boolean;
}

/**
 * first_touch: a valid (existing, active) code already on the device is kept, store_code false.
 * last_touch: the code of the link just followed replaces it.
 * An existing code that is unknown or inactive is cleared either way.
 */
export function decideCodeStorage(
  model: 'first_touch' | 'last_touch',
  followed: Advocate,
  existing: Advocate | undefined | null,
  existingGiven: boolean,
): CodeDecision {
  const existingValid = !!existing && attributes(existing);
  if (existingGiven && !existingValid) return { attributed: followed, storeCode: true, clearExisting: true };
  if (!existingValid || existing.id === followed.id || model === 'last_touch') {
    return { attributed: followed, storeCode: true, clearExisting: false };
  }
  return { attributed: existing, storeCode: false, clearExisting: false };
}
