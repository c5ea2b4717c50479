// Queries for feedback boards (migration 020): a brand's boards, the ideas advocates post in them, one vote per advocate
// and idea (its UNIQUE key), each idea's votes counted on its row so that the board's ideas by votes are an index walk.
import { FROM_START, keysetList, offsetTooDeep, WALK_BUDGET, type ListSql, type Slice } from './keyset.ts';
import { perEngine, type Conn } from './port.ts';

export const IDEA_STATUSES = ['open', 'planned', 'in_progress', 'done', 'declined'] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

export interface Board {
  id: number;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Idea {
  id: number;
  boardId: number;
  advocateId: number;
  title: string;
  body: string | null;
  status: IdeaStatus;
  voteCount: number;
  createdAt: string;
  updatedAt: string;
  statusChangedAt: string | null;
}

export interface Vote { id: number; ideaId: number; advocateId: number; createdAt: string }

/** A vote with its voter's name ('' for an erased advocate). */
export interface Voter extends Vote { name: string }

export interface IdeaFilter { boardId: number; status?: IdeaStatus | undefined }

/** Where a page by votes starts: below this (vote count, id), in that order; FROM_START for both: the most voted. */
export interface VotesSlice extends Slice { votes: number }

/** How many boards a brand may have: the list is answered whole. */
export const MAX_BOARDS = 100;

const BOARD_COLUMNS = 'id, name, description, created_at AS createdAt, updated_at AS updatedAt';
const IDEA_COLUMNS = `id, board_id AS boardId, advocate_id AS advocateId, title, body, status, vote_count AS voteCount,
  created_at AS createdAt, updated_at AS updatedAt, status_changed_at AS statusChangedAt`;
const VOTE_COLUMNS = 'id, idea_id AS ideaId, advocate_id AS advocateId, created_at AS createdAt';

/** A board's ideas newest first, maybe of one status: each on its index in id order (migration 020). */
const newestSql = (status: boolean) => perEngine((d): ListSql => {
  const from = d === 'sqlite' ? `feedback_ideas INDEXED BY ${status ? 'feedback_ideas_board_status' : 'feedback_ideas_board'}` : 'feedback_ideas';
  return {
    from,
    id: 'id',
    indexed: ['brand_id = @brandId', 'board_id = @boardId', ...(status ? ['status = @status'] : [])],
    residual: [],
    page: (where, order) => `SELECT ${IDEA_COLUMNS} FROM ${from} WHERE ${where} ORDER BY id ${order} LIMIT @limit OFFSET @offset`,
  };
});

/** The same ideas by votes, most first (ties: newest first), from below a (vote count, id): a walk of the votes index. */
const byVotesSql = (status: boolean) => perEngine((d) => `SELECT ${IDEA_COLUMNS}
  FROM feedback_ideas${d === 'sqlite' ? ` INDEXED BY ${status ? 'feedback_ideas_status_votes' : 'feedback_ideas_votes'}` : ''}
  WHERE brand_id = @brandId AND board_id = @boardId${status ? ' AND status = @status' : ''} AND (vote_count, id) < (@votes, @before)
  ORDER BY vote_count DESC, id DESC LIMIT @limit OFFSET @offset`);

export function createFeedbackQueries(db: Conn) {
  const boards = db.prepare(`SELECT ${BOARD_COLUMNS} FROM feedback_boards WHERE brand_id = ? ORDER BY id`);
  const board = db.prepare(`SELECT ${BOARD_COLUMNS} FROM feedback_boards WHERE brand_id = ? AND id = ?`);
  const boardCount = db.prepare('SELECT count(*) FROM feedback_boards WHERE brand_id = ?', { pluck: true });
  const insertBoard = db.prepare(
    `INSERT INTO feedback_boards (brand_id, name, description, created_at, updated_at) VALUES (@brandId, @name, @description, @now, @now)`);
  const idea = db.prepare(`SELECT ${IDEA_COLUMNS} FROM feedback_ideas WHERE brand_id = ? AND id = ?`);
  const insertIdea = db.prepare(
    `INSERT INTO feedback_ideas (brand_id, board_id, advocate_id, title, body, status, vote_count, created_at, updated_at)
     VALUES (@brandId, @boardId, @advocateId, @title, @body, 'open', 0, @now, @now)`);
  const setStatus = db.prepare(
    `UPDATE feedback_ideas SET status = @status, status_changed_at = @now, updated_at = @now WHERE brand_id = @brandId AND id = @id`);
  const vote = db.prepare(`SELECT ${VOTE_COLUMNS} FROM feedback_votes WHERE brand_id = ? AND idea_id = ? AND advocate_id = ?`);
  // The UNIQUE key decides, whatever runs at once: a repeat (or its concurrent twin) inserts nothing.
  const insertVote = db.prepare(
    `INSERT INTO feedback_votes (brand_id, idea_id, advocate_id, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (brand_id, idea_id, advocate_id) DO NOTHING`);
  const deleteVote = db.prepare('DELETE FROM feedback_votes WHERE brand_id = ? AND idea_id = ? AND advocate_id = ?');
  const countVote = db.prepare('UPDATE feedback_ideas SET vote_count = vote_count + ? WHERE brand_id = ? AND id = ?');
  const ideasOf = db.prepare('SELECT * FROM feedback_ideas WHERE brand_id = ? AND advocate_id = ? ORDER BY id');
  const votesOf = db.prepare('SELECT * FROM feedback_votes WHERE brand_id = ? AND advocate_id = ? ORDER BY id');
  const byVotes = { all: db.prepare(byVotesSql(false)), status: db.prepare(byVotesSql(true)) };
  // One idea's voters by advocate id, below the cursor's: a walk of the votes' UNIQUE key (brand_id, idea_id,
  // advocate_id), no sort however many voted; each voter's name by one seek on the advocates' primary key.
  const voters = db.prepare(`SELECT v.id, v.idea_id AS ideaId, v.advocate_id AS advocateId, v.created_at AS createdAt,
    coalesce((SELECT a.name FROM advocates a WHERE a.id = v.advocate_id AND a.brand_id = v.brand_id), '') AS name
    FROM feedback_votes v WHERE v.brand_id = @brandId AND v.idea_id = @ideaId AND v.advocate_id < @before
    ORDER BY v.advocate_id DESC LIMIT @limit OFFSET @offset`);
  const lists = keysetList<Idea>(db);
  const newest = { all: newestSql(false), status: newestSql(true) };

  const params = (brandId: string, f: IdeaFilter) => ({ brandId, boardId: f.boardId, ...(f.status ? { status: f.status } : {}) });
  const toBoard = (b: Board): Board => ({ ...b, id: Number(b.id) });
  const toIdea = (i: Idea): Idea => ({ ...i, id: Number(i.id), boardId: Number(i.boardId), advocateId: Number(i.advocateId), voteCount: Number(i.voteCount) });
  const toVote = (v: Vote): Vote => ({ ...v, id: Number(v.id), ideaId: Number(v.ideaId), advocateId: Number(v.advocateId) });
  const withoutBrand = (rows: Array<Record<string, unknown>>) => rows.map(({ brand_id: _brand, ...rest }) => rest);

  return {
    /** The brand's boards (at most MAX_BOARDS), oldest first. */
    boards: async (brandId: string): Promise<Board[]> => (await boards.all(brandId) as Board[]).map(toBoard),
    board: async (brandId: string, id: number): Promise<Board | undefined> => {
      const b = await board.get(brandId, id) as Board | undefined;
      return b && toBoard(b);
    },
    boardCount: async (brandId: string): Promise<number> => Number(await boardCount.get(brandId)),
    insertBoard: async (brandId: string, b: Pick<Board, 'name' | 'description'>, now: string): Promise<number> =>
      Number((await insertBoard.run({ brandId, ...b, now })).lastInsertRowid),

    idea: async (brandId: string, id: number): Promise<Idea | undefined> => {
      const i = await idea.get(brandId, id) as Idea | undefined;
      return i && toIdea(i);
    },
    insertIdea: async (brandId: string, i: Pick<Idea, 'boardId' | 'advocateId' | 'title' | 'body'>, now: string): Promise<number> =>
      Number((await insertIdea.run({ brandId, ...i, now })).lastInsertRowid),
    async setStatus(brandId: string, id: number, status: IdeaStatus, now: string): Promise<void> {
      await setStatus.run({ brandId, id, status, now });
    },

    /** A page of a board's ideas newest first (db/keyset.ts `page`). */
    newestPage: async (brandId: string, f: IdeaFilter, slice: Slice): Promise<Idea[]> =>
      (await lists.page(newest[f.status ? 'status' : 'all'], params(brandId, f), slice)).rows.map(toIdea),
    /** A page by votes, below `slice`'s (votes, before); an offset reads at most WALK_BUDGET rows (deeper: a 400 naming offset). */
    async votesPage(brandId: string, f: IdeaFilter, slice: VotesSlice): Promise<Idea[]> {
      if (slice.offset + slice.limit > WALK_BUDGET) throw offsetTooDeep();
      const rows = await byVotes[f.status ? 'status' : 'all'].all({
        ...params(brandId, f), votes: slice.votes, before: slice.before ?? FROM_START, limit: slice.limit, offset: slice.offset,
      }) as Idea[];
      return rows.map(toIdea);
    },
    /** A page of an idea's voters, highest advocate id first, below `slice.before` (an advocate id; cursor pages only). */
    voters: async (brandId: string, ideaId: number, slice: Pick<Slice, 'before' | 'limit'>): Promise<Voter[]> =>
      (await voters.all({ brandId, ideaId, before: slice.before ?? FROM_START, limit: slice.limit, offset: 0 }) as Voter[])
        .map((v) => ({ ...toVote(v), name: v.name })),
    /** How many ideas match (db/keyset.ts `total`). */
    total: (brandId: string, f: IdeaFilter): Promise<number> => lists.total(newest[f.status ? 'status' : 'all'], params(brandId, f)),

    vote: async (brandId: string, ideaId: number, advocateId: number): Promise<Vote | undefined> => {
      const v = await vote.get(brandId, ideaId, advocateId) as Vote | undefined;
      return v && toVote(v);
    },
    /** Records the advocate's vote and counts it on the idea; false (nothing changed) when the advocate had voted. */
    async addVote(brandId: string, ideaId: number, advocateId: number, now: string): Promise<boolean> {
      if ((await insertVote.run(brandId, ideaId, advocateId, now)).changes === 0) return false;
      await countVote.run(1, brandId, ideaId);
      return true;
    },
    /** Takes the advocate's vote back and off the idea's count; false when there was none. */
    async removeVote(brandId: string, ideaId: number, advocateId: number): Promise<boolean> {
      if ((await deleteVote.run(brandId, ideaId, advocateId)).changes === 0) return false;
      await countVote.run(-1, brandId, ideaId);
      return true;
    },

    /** An advocate's ideas and votes as stored (without brand_id): a person's export. */
    ideasOf: async (brandId: string, advocateId: number) => withoutBrand(await ideasOf.all(brandId, advocateId)),
    votesOf: async (brandId: string, advocateId: number) => withoutBrand(await votesOf.all(brandId, advocateId)),
  };
}
