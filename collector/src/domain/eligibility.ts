// Whether a customer may take an advocate's referral discount, and why not.
import type { Advocate } from '../db/advocates.ts';

export type IneligibleReason = 'invalid_code' | 'inactive_code' | 'self_referral' | 'already_redeemed';

export const INELIGIBLE_MESSAGES: Record<IneligibleReason, string> = {
  invalid_code: 'This referral code does not exist.',
  inactive_code: 'This referral code is no longer active.',
  self_referral: 'Advocates cannot use their own referral code.',
  already_redeemed: 'This customer has already used a referral discount.',
};

/** Only an active advocate's active codes attribute: blocked or pending advocates and deactivated codes do not. */
export const attributes = (advocate: Advocate): boolean => advocate.status === 'active' && advocate.codeActive;

/** `email` is normalised; `alreadyConverted`: the customer has a converted referral with this brand. */
export function ineligibleReason(
  advocate: Advocate | undefined,
  email: string,
  alreadyConverted: boolean,
): IneligibleReason | null {
  if (!advocate) return 'invalid_code';
  if (!attributes(advocate)) return 'inactive_code';
  if (advocate.email === email) return 'self_referral';
  if (alreadyConverted) return 'already_redeemed';
  return null;
}
