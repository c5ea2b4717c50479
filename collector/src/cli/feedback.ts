// referloop board ... and idea ...: feedback boards and the status of their ideas, through the API's schemas and use
// cases, in one transaction on the database.
import { pageOf } from '../http/query.ts';
import { zCreateBoardRequest, zIdeaListQuery, zIdeaStatusRequest } from '../schemas/feedback.ts';
import { createBoard, listBoards, listIdeas, setIdeaStatus } from '../services/feedback.ts';
import { parse, print, table, type BrandOpts } from './common.ts';
import { inBrand, readBrand } from './inBrand.ts';

const BOARD_COLUMNS = ['id', 'name', 'description', 'created_at'];
const IDEA_COLUMNS = ['id', 'status', 'vote_count', 'title', 'advocate_id', 'created_at'];

export async function boardList(opts: BrandOpts): Promise<void> {
  const boards = await readBrand(opts, (ctx) => listBoards(ctx));
  print(opts, { boards }, table(boards, BOARD_COLUMNS));
}

export async function boardCreate(opts: BrandOpts & { name?: string; description?: string }): Promise<void> {
  const request = parse(zCreateBoardRequest, { name: opts.name, description: opts.description });
  const board = await inBrand(opts, (ctx) => createBoard(ctx, request));
  print(opts, { board }, table([board], BOARD_COLUMNS));
}

export async function ideaList(opts: BrandOpts & { board: string; status?: string; sort?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zIdeaListQuery, { status: opts.status, sort: opts.sort, limit: opts.limit, page: opts.page });
  const r = await readBrand(opts, (ctx) => listIdeas(ctx, Number(opts.board), { status: query.status, sort: query.sort ?? 'newest' }, pageOf({ ...query, cursor: undefined })));
  print(opts, r, table(r.ideas, IDEA_COLUMNS));
}

export async function ideaStatus(opts: BrandOpts & { id: string; status: string }): Promise<void> {
  const { status } = parse(zIdeaStatusRequest, { status: opts.status });
  const idea = await inBrand(opts, (ctx) => setIdeaStatus(ctx, Number(opts.id), status));
  print(opts, { idea }, table([idea], IDEA_COLUMNS));
}
