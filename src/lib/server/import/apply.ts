/**
 * Writes an import plan (plan.ts) as a NEW board of the team, in one transaction: the document as
 * one update, a stage event per imported stage date with its original time (so lead times and
 * history start where they really started), and the projection. A version of the empty board is
 * kept first, so the whole import is undone by restoring it from the board's history (one change,
 * like any restore). Nothing is stored unless everything is. Framework-free.
 */
import type { Kysely } from 'kysely';
import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { cardsMap, createCard, readCard } from '../../board/document';
import { cycleAfterMove } from '../../board/lifecycle';
import { cardDetailText, initCardDetail, readCardSummary, setCardField } from '../../board/pdca';
import type { Stage } from '../../board/stages';
import type { Database } from '../db/schema';
import { recordVersion } from '../history/versions';
import { newId } from '../id';
import { refreshFlowSummaries } from '../analytics/flow-summaries';
import { writeBatch } from '../projection/store';
import { projectRow, type ProjectedRow } from '../projection/facts';
import type { StageEvent } from '../projection/stage-events';
import type { ImportCard, ImportPlan } from './plan';

export interface ImportedBoard {
	boardId: string;
	cards: number;
	events: number;
	undoVersionId: string;
}

/** The card's events: its stage dates in order, ending in the stage it is in now. */
function eventsOf(card: ImportCard, cardId: string, userId: string, now: number) {
	const created = card.createdAt ?? card.stageDates[0]?.at ?? now;
	const steps: { stage: Stage; at: number }[] = [];
	for (const step of card.stageDates) {
		const at = Math.min(Math.max(step.at, created), now);
		if (steps.at(-1)?.stage !== step.stage) steps.push({ stage: step.stage, at });
	}
	if (steps.length === 0 || steps.at(-1)!.stage !== card.stage) {
		steps.push({ stage: card.stage, at: Math.max(steps.at(-1)?.at ?? created, created) });
	}
	const events: StageEvent[] = [];
	let cycle = 1;
	let from: Stage | null = null;
	for (const step of steps) {
		if (from) cycle = cycleAfterMove(cycle, from, step.stage);
		events.push({
			cardId,
			fromStage: from,
			toStage: step.stage,
			at: step.at,
			byUserId: userId,
			cycle
		});
		from = step.stage;
	}
	return { events, cycle, created, enteredAt: steps.at(-1)!.at };
}

export async function applyImport(
	db: Kysely<Database>,
	input: {
		teamId: string;
		user: { id: string; name: string };
		plan: ImportPlan;
		boardName: string;
		now?: number;
		/** Called as cards are built (done, total), to drive a progress bar. */
		onProgress?: (done: number, total: number) => void | Promise<void>;
	}
): Promise<ImportedBoard> {
	const now = input.now ?? Date.now();
	const { plan, user } = input;
	const doc = new Y.Doc();
	try {
		const emptyState = Y.encodeStateAsUpdate(doc);
		const events: StageEvent[] = [];
		const upserts: ProjectedRow[] = [];
		const total = plan.cards.length;
		// Each column ranked at once, in file order (placing cards one by one reads the column each time).
		const ranks = new Map<Stage, string[]>();
		for (const stage of new Set(plan.cards.map((card) => card.stage))) {
			const count = plan.cards.filter((card) => card.stage === stage).length;
			ranks.set(stage, generateNKeysBetween(null, null, count));
		}
		const used = new Map<Stage, number>();
		for (const [index, card] of plan.cards.entries()) {
			const at = used.get(card.stage) ?? 0;
			used.set(card.stage, at + 1);
			const id = crypto.randomUUID();
			const history = eventsOf(card, id, user.id, now);
			doc.transact(() => {
				createCard(doc, {
					id,
					title: card.title,
					beneficiary: card.beneficiary,
					stage: card.stage,
					rank: ranks.get(card.stage)![at]!,
					userId: user.id,
					now: history.created
				});
				initCardDetail(doc, id, user);
				if (card.problem) cardDetailText(doc, id, 'problem')?.insert(0, card.problem);
				if (card.labels.length > 0) setCardField(doc, id, { key: 'labels', value: card.labels });
				const map = cardsMap(doc).get(id)!;
				map.set('cycle', history.cycle);
				map.set('place', { ...(map.get('place') as object), movedAt: history.enteredAt });
			});
			events.push(...history.events);
			upserts.push(
				projectRow({
					card: readCard(id, cardsMap(doc).get(id))!,
					summary: readCardSummary(doc, id),
					stageEnteredAt: history.enteredAt,
					now
				})
			);
			if ((index + 1) % 100 === 0 || index + 1 === total)
				await input.onProgress?.(index + 1, total);
		}
		const state = Y.encodeStateAsUpdate(doc);
		const boardId = newId('brd');
		const undoVersionId = await db.transaction().execute(async (trx) => {
			await trx
				.insertInto('boards')
				.values({ id: boardId, team_id: input.teamId, name: input.boardName })
				.execute();
			await writeBatch(trx, { boardId, update: state, events, upserts, deletedCardIds: [] });
			// The new board's first report should not have to fold 10,000 histories.
			await refreshFlowSummaries(trx, [boardId]);
			return recordVersion(trx, {
				boardId,
				kind: 'restore',
				createdBy: user.id,
				activeUserIds: [user.id],
				cardsChanged: total,
				state: emptyState,
				cardCount: 0
			});
		});
		return { boardId, cards: total, events: events.length, undoVersionId };
	} finally {
		doc.destroy();
	}
}
