// Self sign-up (issue 14) as a visitor does it: a campaign that takes sign-ups (PATCH /campaigns/:id {signup}), its
// public page /portal/join/BRAND/CAMPAIGN, and its form posted as a browser posts it (from the page itself: no
// cross-site Origin; an X-Forwarded-For when told, for a collector that trusts a proxy hop).
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from './collector.ts';

export interface JoinAnswer { status: number; text: string; headers: Headers }

export const joinPathOf = (brand: TestBrand, campaignId: number): string => `/portal/join/${brand.brand_id}/${campaignId}`;

/** A new campaign of `brand` (default the collector's) with `signup` (closed, approval, open): its id. */
export async function signUpCampaign(c: TestCollector, signup: string, opts: { brand?: TestBrand; name?: string } = {}): Promise<number> {
  const res = await c.call('POST', '/api/v1/campaigns', { name: opts.name ?? `Sign-ups ${signup}`, signup }, { brand: opts.brand });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.campaign.id as number;
}

/** POSTs the join form at `path` with `form`. */
export async function postJoin(c: TestCollector, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<JoinAnswer> {
  const res = await fetch(c.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Signs up to `campaignId` of `brand` (default the collector's) as `form` says; asserts the page answered 200. */
export async function joinCampaign(c: TestCollector, campaignId: number, form: { name: string; email: string }, brand: TestBrand = c.brand): Promise<JoinAnswer> {
  const answer = await postJoin(c, joinPathOf(brand, campaignId), form);
  assert.equal(answer.status, 200, answer.text.slice(0, 500));
  return answer;
}
