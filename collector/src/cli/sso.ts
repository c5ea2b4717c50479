// referloop sso mapping ...: single sign-on's customer mappings (a site's customer id tied to an advocate), through
// the API's schemas and use cases, in one transaction on the database.
import { pageOf } from '../http/query.ts';
import { zCreateMappingRequest, zMappingListQuery } from '../schemas/sso.ts';
import { createMapping, deleteMapping, listMappings } from '../services/sso.ts';
import { parse, print, table, type BrandOpts } from './common.ts';
import { inBrand, readBrand } from './inBrand.ts';

const MAPPING_COLUMNS = ['id', 'advocate_id', 'external_customer_id', 'external_email', 'external_name', 'created_at'];

export async function mappingList(opts: BrandOpts & { advocate?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zMappingListQuery, { advocate_id: opts.advocate, limit: opts.limit, page: opts.page });
  const r = await readBrand(opts, (ctx) => listMappings(ctx, query.advocate_id, pageOf(query)));
  print(opts, r, table(r.mappings, MAPPING_COLUMNS));
}

export async function mappingAdd(opts: BrandOpts & { advocate: string; customer: string; email?: string; name?: string }): Promise<void> {
  const request = parse(zCreateMappingRequest, { advocate_id: opts.advocate, external_customer_id: opts.customer, external_email: opts.email, external_name: opts.name });
  const mapping = await inBrand(opts, (ctx) => createMapping(ctx, request));
  print(opts, { mapping }, table([mapping], MAPPING_COLUMNS));
}

export async function mappingRemove(opts: BrandOpts & { id: string }): Promise<void> {
  const r = await inBrand(opts, (ctx) => deleteMapping(ctx, Number(opts.id)));
  print(opts, r, `mapping ${r.id} deleted`);
}
