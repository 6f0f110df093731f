/**
 * One card for people outside its team (DESIGN.md §2.8): a read view built from the stored board
 * document, and the input they give on it, written through the live board. Access is decided by
 * the caller (access.ts getCardGuestAccess).
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import {
	currentCycle,
	giveInput,
	readCardDetail,
	type CardDetail,
	type InputKind
} from '../board/pdca';
import type { Stage } from '../board/stages';
import type { GuestCardDto } from '../types';
import type { CardGuestAccess } from './access';
import { editBoardDocument } from './board-edit';
import type { Database } from './db/schema';
import { getBoardDocumentState } from './projection/store';

/** Input is asked for while the card is still open: not once it became a standard or ended. */
const INPUT_CLOSED_STAGES: readonly Stage[] = ['standard', 'declined'];

export function isInputClosed(stage: Stage): boolean {
	return INPUT_CLOSED_STAGES.includes(stage);
}

async function readStoredCard(
	db: Kysely<Database>,
	boardId: string,
	cardId: string
): Promise<CardDetail | null> {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, await getBoardDocumentState(db, boardId));
		return readCardDetail(doc, cardId);
	} finally {
		doc.destroy();
	}
}

export async function readGuestCard(
	db: Kysely<Database>,
	access: CardGuestAccess,
	viewerId: string
): Promise<GuestCardDto | null> {
	const detail = await readStoredCard(db, access.boardId, access.cardId);
	if (!detail) return null;
	const cycle = currentCycle(detail);
	const answered = new Set(
		detail.inputs.filter((i) => i.cycle === detail.cycle).map((i) => i.userId)
	);
	const mine = detail.inputs.find((i) => i.cycle === detail.cycle && i.userId === viewerId);
	const decision = cycle.decision?.reasons.trim() ? cycle.decision : null;
	const inputClosed = isInputClosed(detail.stage);
	return {
		boardId: access.boardId,
		cardId: access.cardId,
		teamName: access.teamName,
		title: detail.title,
		beneficiary: detail.beneficiary,
		stage: detail.stage,
		cycle: detail.cycle,
		problem: detail.problem,
		idea: detail.idea,
		proposerName: detail.proposer?.name ?? null,
		ownerName: detail.owner?.name ?? null,
		why: cycle.why,
		target: cycle.target,
		measure: cycle.measure,
		dialogueQuestion: cycle.dialogue?.question ?? null,
		result: cycle.result,
		learned: cycle.learned,
		decision: decision ? { kind: decision.kind, reasons: decision.reasons } : null,
		standardText: detail.standard?.text ?? null,
		affected: detail.affected.map((p) => ({ name: p.name, answered: answered.has(p.id) })),
		myInput: mine ? { kind: mine.kind, text: mine.text } : null,
		canGiveInput: access.canGiveInput && !inputClosed,
		inputClosed
	};
}

export type GuestInputResult = { ok: true } | { ok: false; reason: 'no_card' | 'closed' };

/** The person's input on the card's current cycle (giving it again replaces it). */
export async function giveGuestInput(
	db: Kysely<Database>,
	access: CardGuestAccess,
	person: { id: string; name: string },
	input: { kind: InputKind; text: string },
	now = Date.now()
): Promise<GuestInputResult> {
	const edit = await editBoardDocument(
		db,
		access.boardId,
		{ userId: person.id },
		(doc): GuestInputResult => {
			const detail = readCardDetail(doc, access.cardId);
			if (!detail) return { ok: false, reason: 'no_card' };
			if (isInputClosed(detail.stage)) return { ok: false, reason: 'closed' };
			giveInput(doc, access.cardId, {
				userId: person.id,
				name: person.name,
				cycle: detail.cycle,
				kind: input.kind,
				text: input.text,
				at: now
			});
			return { ok: true };
		}
	);
	return edit.ok ? edit.value : { ok: false, reason: 'no_card' };
}
