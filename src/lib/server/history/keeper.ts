/**
 * What the sync server tells the history lane while a board is live (server/sync/board-room.ts
 * calls it in a few marked lines): cards a connection deleted go to the trash, and a version point
 * is kept at the first change of each hour of activity and at each compaction. Writes happen off
 * the room's path (fire and log): a failed history write must never hold back or fail an edit.
 */
import type { Kysely } from 'kysely';
import type { CardNode } from '../../board/card-copy';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { recordTrash } from '../trash';
import type { FoldedState } from '../projection/fold-worker';
import { pruneVersions, recordVersion } from './versions';

/** One hour of activity per point. */
export const VERSION_INTERVAL_MS = 3_600_000;

export interface BoardKeeper {
	/** True when the coming change opens a new hour: the room then passes the board before it. */
	due(boardId: string): boolean;
	/**
	 * After a change: `before` (when due: the board as it was, folded off the room's loop when
	 * called) becomes a point with the activity since the last one.
	 */
	changed(
		boardId: string,
		userId: string | null,
		cardsChanged: number,
		before: (() => Promise<FoldedState>) | null
	): void;
	compacted(boardId: string, point: FoldedState): void;
	cardsDeleted(
		boardId: string,
		userId: string | null,
		cards: readonly { id: string; copy: CardNode }[]
	): void;
	/** Resolves once every write started so far has finished (tests, shutdown). */
	settled(): Promise<void>;
}

interface Activity {
	lastPointAt: number | null;
	users: Set<string>;
	cardsChanged: number;
}

export function createBoardKeeper(
	db: Kysely<Database>,
	log: Logger,
	now: () => number = Date.now
): BoardKeeper {
	const boards = new Map<string, Activity>();
	const pending = new Set<Promise<unknown>>();
	const activity = (boardId: string): Activity => {
		let entry = boards.get(boardId);
		if (!entry) {
			entry = { lastPointAt: null, users: new Set(), cardsChanged: 0 };
			boards.set(boardId, entry);
		}
		return entry;
	};
	const track = (boardId: string, what: string, work: Promise<unknown>) => {
		const handled = work.catch((error: unknown) => {
			log.error({ err: error, board: boardId }, `history: ${what} failed`);
		});
		pending.add(handled);
		void handled.finally(() => pending.delete(handled));
	};
	return {
		due(boardId) {
			const { lastPointAt } = activity(boardId);
			return lastPointAt === null || now() - lastPointAt >= VERSION_INTERVAL_MS;
		},
		changed(boardId, userId, cardsChanged, before) {
			const entry = activity(boardId);
			if (before) {
				const point = {
					boardId,
					kind: 'hourly' as const,
					activeUserIds: [...entry.users],
					cardsChanged: entry.cardsChanged
				};
				entry.lastPointAt = now();
				entry.users = new Set();
				entry.cardsChanged = 0;
				track(
					boardId,
					'hourly version',
					before()
						.then((board) => recordVersion(db, { ...board, ...point }))
						.then(() => pruneVersions(db, boardId, now()))
				);
			}
			if (userId) entry.users.add(userId);
			entry.cardsChanged += cardsChanged;
		},
		compacted(boardId, point) {
			const entry = activity(boardId);
			track(
				boardId,
				'compaction version',
				recordVersion(db, {
					...point,
					boardId,
					kind: 'compaction',
					activeUserIds: [...entry.users],
					cardsChanged: entry.cardsChanged
				})
			);
		},
		cardsDeleted(boardId, userId, cards) {
			track(boardId, 'trash', recordTrash(db, boardId, userId, cards));
		},
		async settled() {
			while (pending.size > 0) await Promise.all([...pending]);
		}
	};
}
