// POST /api/v1/convert: the signed webhook (Zapier, Make, n8n) that records a claim.
import express, { type RequestHandler } from 'express';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { decryptSecret } from '../../domain/keys.ts';
import { verifySignature } from '../../domain/signature.ts';
import { requirePlan, type Caller } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { failAuthentication, limitClientIp } from '../rateLimit.ts';
import { keyUsageOf } from '../../services/keyUsage.ts';
import { zConvertRequest } from '../../schemas/convert.ts';
import { recordClaim } from '../../services/claims.ts';
import { ok, useCase } from '../useCase.ts';

/**
 * The brand named by X-Brand-ID, proven by an HMAC made with one of its active secret keys (each integration may
 * sign with its own). A refusal counts against the client IP's failed-authentication budget.
 */
/**
 * A key's secret, or null when its sealed copy does not open with this server's master key (a key made by a CLI
 * that found another master key): that key cannot sign, the brand's other keys still can. Logged, never the key.
 */
function unsealed(deps: AppDeps, key: { id: number; sealed: string }): string | null {
  try {
    return decryptSecret(key.sealed, deps.masterKey);
  } catch {
    deps.logger.error({ key_id: key.id }, 'an API key\'s sealed copy does not open with this master key: it cannot verify /convert or SSO signatures');
    return null;
  }
}

/** A brand's active secret keys that can check a signature (their sealed copies opened), each with its id. */
export async function signingSecrets(deps: AppDeps, brandId: string): Promise<Array<{ id: number; secret: string }>> {
  return (await deps.q.brands.sealedSecrets(brandId)).flatMap((k) => {
    const secret = unsealed(deps, k);
    return secret === null ? [] : [{ id: k.id, secret }];
  });
}

function verifyWebhook(deps: AppDeps): RequestHandler {
  const usage = keyUsageOf(deps);
  return async (req, res, next) => {
    try {
      const brandId = req.get('X-Brand-ID')?.trim();
      if (!brandId) throw new ApiError(401, 'missing_brand_id', 'X-Brand-ID header is required');
      const brand = await deps.q.brands.getBrand(brandId);
      const usable = brand ? await signingSecrets(deps, brand.id) : [];
      if (!brand || usable.length === 0) throw new ApiError(401, 'invalid_signature', 'Unknown brand or signature');
      const signedBy = verifySignature(usable.map((k) => k.secret), req.rawBody ?? Buffer.alloc(0),
        req.get('X-AL-Signature'), req.get('X-AL-Timestamp'), deps.now().getTime());
      const keyId = usable[signedBy]!.id;
      usage.touch(keyId, deps.now());
      res.locals.caller = { brand, keyKind: 'secret', keyId } satisfies Caller;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return failAuthentication(deps, req, res, next, error);
      throw error;
    }
    next();
  };
}

export function convertRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  router.post('/convert', jsonBody(deps.config.bodyLimit), verifyWebhook(deps), ...limitClientIp(deps, 'convert'),
    requirePlan('premier', 'claims through /convert'),
    useCase(deps, 'convert', zConvertRequest, async (ctx, data) => {
      const claim = await recordClaim(ctx, {
        referralCode: data.referral_code,
        email: data.email,
        name: data.customer_name,
        type: 'referral',
        source: 'webhook',
        rawValueCents: data.value ?? 0,
        metadata: data.metadata,
      });
      return ok(201, {
        claim_id: claim.claim_id,
        referral_code: claim.referral_code,
        raw_value: claim.raw_value,
        claim_value: claim.claim_value,
        discount_applied: claim.discount_applied,
        created_at: claim.created_at,
      });
    }));
  return router;
}
