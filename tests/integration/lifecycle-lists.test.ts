/**
 * What the PDCA facts feed once they are projected: the `cards` columns after live edits (and their
 * repair on load), the follow-up lists, the inbox, the standards library with adoption across
 * teams, card guests, the card's history and the people pickers; server-side edits through the
 * live board and, with no sync server, through the stored document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard, readCardMove } from '../../src/lib/board/document';
import {
	cardDetailText,
	cycleText,
	giveInput,
	initCardDetail,
	readCardDetail,
	setAffected,
	setCardField,
	setCycleField,
	setStandardFields,
	setSupport,
	standardText
} from '../../src/lib/board/pdca';
import { getBoardAccess, getCardGuestAccess } from '../../src/lib/server/access';
import { editStoredBoardDocument } from '../../src/lib/server/board-edit';
import { listBoardPeople } from '../../src/lib/server/board-people';
import { listCardEvents } from '../../src/lib/server/card-events';
import { addCardGuest, removeCardGuest } from '../../src/lib/server/card-guests';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { listPersonalFollowUp, listTeamFollowUp } from '../../src/lib/server/follow-up';
import { giveGuestInput, readGuestCard } from '../../src/lib/server/guest-card';
import { adoptStandard, containsPattern, listStandards } from '../../src/lib/server/standards';
import { getBoardDocumentState } from '../../src/lib/server/projection/store';
import { CloseCode } from '../../src/lib/sync/protocol';
import { satisfyGates } from '../helpers/lifecycle';
import { seedBoard, seedTeam } from '../helpers/seed';
import { connectClient, connectRaw, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedPerson, seedSyncWorld, type SeededPerson, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';

const TODAY = '2026-11-27';
let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
/** A team of its own in the same organisation, with a board and a member. */
let otherTeam: { teamId: string; teamName: string; boardId: string; member: SeededPerson };
const clients: TestClient[] = [];

function client(boardId: string, token: string): TestClient {
	const c = connectClient(harness, boardId, { token });
	clients.push(c);
	return c;
}

function actor(person: SeededPerson) {
	return { id: person.id, organisationId: world.organisationId, isOrgAdmin: false };
}

async function row(boardId: string, cardId: string) {
	return database.db
		.selectFrom('cards')
		.selectAll()
		.select((eb) => [
			eb.cast<string | null>('follow_up', 'text').as('follow_up_text'),
			eb.cast<string | null>('standard_review_date', 'text').as('review_text')
		])
		.where('board_id', '=', boardId)
		.where('id', '=', cardId)
		.executeTakeFirstOrThrow();
}

const editor = () => ({ id: world.editor.id, name: 'Edit Ör' });

/** A new card on `boardId` made by the editor's client, with its PDCA structure. */
async function newCard(c: TestClient, title: string, beneficiary = 'Boende') {
	const id = createCard(c.doc, { title, beneficiary, userId: world.editor.id });
	initCardDetail(c.doc, id, editor());
	await waitFor(() => c.saved, `${title} saved`);
	return id;
}

/** Moves a card through the gates to `stage` (Plan … Act) with the facts it needs. */
async function advance(c: TestClient, id: string, stages: readonly string[]) {
	satisfyGates(c.doc, id);
	for (const stage of stages) {
		cardsMap(c.doc)
			.get(id)!
			.set('place', { stage, rank: 'a0', movedAt: Date.now(), movedBy: world.editor.id });
		await waitFor(() => c.saved, `to ${stage}`);
	}
	expect(readCardMove(c.doc, id)?.stage).toBe(stages.at(-1));
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	const teamName = 'Skolan';
	const teamId = await seedTeam(database.db, world.organisationId, teamName);
	otherTeam = {
		teamId,
		teamName,
		boardId: await seedBoard(database.db, teamId, 'Skolans tavla'),
		member: await seedPerson(database.db, world.organisationId, teamId, 'member', 'Lärare Lo')
	};
	harness = await startSyncHarness(database);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness.close();
	await database.close();
});

describe('the card projection’s PDCA columns', () => {
	it('follows the document’s edits and is repaired on load', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = await newCard(c, 'Frukosten dröjer');
		c.doc.transact(() => {
			setCardField(c.doc, id, { key: 'owner', value: { id: world.editor2.id, name: 'Edit Två' } });
			setCardField(c.doc, id, { key: 'followUp', value: '2026-11-20' });
			setCardField(c.doc, id, { key: 'due', value: '2027-01-31' });
			setCardField(c.doc, id, { key: 'labels', value: ['quality'] });
			setAffected(c.doc, id, { id: world.viewer.id, name: 'View Er' }, true);
			setAffected(c.doc, id, { id: otherTeam.member.id, name: 'Lärare Lo' }, true);
			giveInput(c.doc, id, {
				userId: world.viewer.id,
				name: 'View Er',
				cycle: 1,
				kind: 'agree',
				text: 'Bra',
				at: 1
			});
			setSupport(c.doc, id, {
				what: 'En extra nattsköterska',
				fromWhom: 'Avdelning 3',
				raisedBy: editor(),
				raisedAt: 1,
				resolvedAt: null
			});
		});
		await waitFor(() => c.saved, 'edited');
		expect(await row(board, id)).toMatchObject({
			proposer_id: world.editor.id,
			proposer_name: 'Edit Ör',
			owner_id: world.editor2.id,
			owner_name: 'Edit Två',
			follow_up_text: '2026-11-20',
			labels: ['quality'],
			affected_user_ids: [world.viewer.id, otherTeam.member.id].sort(),
			pending_input_user_ids: [otherTeam.member.id],
			support_what: 'En extra nattsköterska',
			support_from: 'Avdelning 3',
			support_raised_by: world.editor.id,
			support_open: true,
			decision: null
		});

		// A stale row (written by an older version, or lost) is repaired when the board loads again.
		await database.db
			.updateTable('cards')
			.set({ owner_id: null, owner_name: null, labels: [], follow_up: null })
			.where('board_id', '=', board)
			.where('id', '=', id)
			.execute();
		c.destroy();
		harness.restart();
		const again = client(board, world.editor.token);
		await waitFor(() => again.provider.synced, 'reloaded');
		await waitFor(async () => (await row(board, id)).owner_id === world.editor2.id, 'repaired');
		expect(await row(board, id)).toMatchObject({
			labels: ['quality'],
			follow_up_text: '2026-11-20'
		});
	});
});

describe('follow-up lists and the inbox', () => {
	it('lists overdue cards, cards without a date, open support and standards to review', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const overdue = await newCard(c, 'Försenad uppföljning');
		const fine = await newCard(c, 'I tid');
		const undated = await newCard(c, 'Utan datum');
		const standard = await newCard(c, 'Frukost 7.30');
		c.doc.transact(() => {
			setCardField(c.doc, overdue, { key: 'followUp', value: '2026-11-26' });
			setCardField(c.doc, overdue, { key: 'owner', value: editor() });
			setCardField(c.doc, fine, { key: 'followUp', value: TODAY });
			setSupport(c.doc, fine, {
				what: 'Ett beslut om budget',
				fromWhom: '',
				raisedBy: editor(),
				raisedAt: 1,
				resolvedAt: null
			});
		});
		await advance(c, undated, ['plan']);
		await advance(c, standard, ['plan', 'do', 'check', 'act']);
		setCycleField(c.doc, standard, 1, {
			key: 'decision',
			value: {
				kind: 'adopt',
				reasons: 'Det fungerar',
				by: editor(),
				at: 1,
				decidedAnyway: null,
				inputs: []
			}
		});
		await waitFor(() => c.saved, 'decided');
		await advance(c, standard, ['standard']);
		setStandardFields(c.doc, standard, { reviewDate: '2026-06-01', effectiveDate: '2026-01-01' });
		await waitFor(() => c.saved, 'standard saved');

		const list = await listTeamFollowUp(database.db, actor(world.editor), world.teamId, TODAY);
		const onThisBoard = <T extends { boardId: string }>(items: T[]) =>
			items.filter((i) => i.boardId === board);
		expect(onThisBoard(list.overdue).map((card) => card.cardId)).toEqual([overdue]);
		expect(onThisBoard(list.overdue)[0]).toMatchObject({
			followUp: '2026-11-26',
			ownerName: 'Edit Ör',
			href: `/boards/${board}?card=${overdue}`
		});
		expect(onThisBoard(list.noFollowUp).map((card) => card.cardId)).toEqual([undated]);
		expect(onThisBoard(list.support)).toMatchObject([
			{ cardId: fine, what: 'Ett beslut om budget' }
		]);
		expect(onThisBoard(list.standardsToReview)).toMatchObject([
			{ cardId: standard, reviewDate: '2026-06-01', reviewOverdue: true }
		]);

		const mine = await listPersonalFollowUp(database.db, actor(world.editor), TODAY);
		expect(onThisBoard(mine.overdue).map((card) => card.cardId)).toEqual([overdue]);
		expect(onThisBoard(mine.support).map((card) => card.cardId)).toEqual([fine]);
		const theirs = await listPersonalFollowUp(database.db, actor(world.editor2), TODAY);
		expect(onThisBoard(theirs.overdue)).toEqual([]);
	});

	it('asks people affected for input from Check on, across teams, until they answer', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = await newCard(c, 'Gemensam skolskjuts');
		setAffected(c.doc, id, { id: otherTeam.member.id, name: 'Lärare Lo' }, true);
		await waitFor(() => c.saved, 'affected');
		const waiting = async () =>
			(
				await listPersonalFollowUp(database.db, actor(otherTeam.member), TODAY)
			).waitingForInput.filter((card) => card.boardId === board);
		expect(await waiting()).toEqual([]); // still in Proposed: not asked yet
		await advance(c, id, ['plan', 'do', 'check']);
		expect(await waiting()).toMatchObject([
			{ cardId: id, href: `/cards/${board}/${id}`, teamName: expect.any(String) }
		]);
		giveInput(c.doc, id, {
			userId: otherTeam.member.id,
			name: 'Lärare Lo',
			cycle: 1,
			kind: 'suggestion',
			text: 'Börja en kvart senare',
			at: 2
		});
		await waitFor(() => c.saved, 'answered');
		expect(await waiting()).toEqual([]);
	});
});

describe('the standards library', () => {
	it('finds standards across the organisation and adopts one onto another team’s board', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = await newCard(c, 'Nyckelfri hemtjänst', 'Boende i hemtjänsten');
		await advance(c, id, ['plan', 'do', 'check', 'act']);
		setCycleField(c.doc, id, 1, {
			key: 'decision',
			value: {
				kind: 'adopt',
				reasons: 'Sparar tid',
				by: editor(),
				at: 1,
				decidedAnyway: null,
				inputs: []
			}
		});
		await advance(c, id, ['standard']);
		// The Standard gate needed a text and a review date (satisfyGates wrote placeholders): the
		// real text, and a review date passed already.
		const text = standardText(c.doc, id)!;
		c.doc.transact(() => {
			text.delete(0, text.length);
			text.insert(0, 'Digitala lås på alla dörrar, 100% av besöken');
		});
		setStandardFields(c.doc, id, { reviewDate: '2026-11-01' });
		await waitFor(() => c.saved, 'standard text');

		const teacher = { ...actor(otherTeam.member), name: 'Lärare Lo' };
		const byText = await listStandards(database.db, teacher, { search: 'lås', today: TODAY });
		expect(byText.map((s) => s.cardId)).toContain(id);
		// %, _ and \ are literal: "100%" matches, "1_0" does not match "100".
		expect(
			(await listStandards(database.db, teacher, { search: '100%', today: TODAY })).map(
				(s) => s.cardId
			)
		).toContain(id);
		expect(await listStandards(database.db, teacher, { search: '1_0', today: TODAY })).toEqual([]);
		expect(containsPattern('a%b_c\\')).toBe('%a\\%b\\_c\\\\%');
		const teamOnly = await listStandards(database.db, teacher, {
			teamId: otherTeam.teamId,
			today: TODAY
		});
		expect(teamOnly).toEqual([]);
		expect(byText.find((s) => s.cardId === id)).toMatchObject({
			title: 'Nyckelfri hemtjänst',
			beneficiary: 'Boende i hemtjänsten',
			reviewOverdue: true,
			// A reader from another team opens the standard's own view.
			href: `/cards/${board}/${id}`
		});

		// Someone watching the target board sees the adopted card arrive live.
		const watcher = client(otherTeam.boardId, otherTeam.member.token);
		await waitFor(() => watcher.provider.synced, 'watcher synced');
		expect(
			await adoptStandard(database.db, teacher, {
				sourceBoardId: board,
				sourceCardId: id,
				targetBoardId: board
			})
		).toEqual({ ok: false, reason: 'no_board' }); // not the teacher's board
		const adopted = await adoptStandard(database.db, teacher, {
			sourceBoardId: board,
			sourceCardId: id,
			targetBoardId: otherTeam.boardId
		});
		expect(adopted).toMatchObject({ ok: true, boardId: otherTeam.boardId });
		const newId = adopted.ok ? adopted.cardId : '';
		await waitFor(() => readCardDetail(watcher.doc, newId) !== null, 'arrives live');
		expect(readCardDetail(watcher.doc, newId)).toMatchObject({
			title: 'Nyckelfri hemtjänst',
			beneficiary: 'Boende i hemtjänsten',
			stage: 'proposed',
			problem: 'Digitala lås på alla dörrar, 100% av besöken',
			proposer: { id: otherTeam.member.id, name: 'Lärare Lo' },
			adoptedFrom: { boardId: board, cardId: id, title: 'Nyckelfri hemtjänst' }
		});
		expect(await row(otherTeam.boardId, newId)).toMatchObject({
			stage: 'proposed',
			proposer_id: otherTeam.member.id,
			adopted_from_board_id: board,
			adopted_from_card_id: id
		});
		expect(await listCardEvents(database.db, otherTeam.boardId, newId)).toMatchObject([
			{ fromStage: null, toStage: 'proposed', byName: 'Lärare Lo', cycle: 1, overrideReason: null }
		]);
		// Nobody may adopt what is not a standard.
		const notStandard = await newCard(c, 'Bara ett förslag');
		expect(
			await adoptStandard(database.db, teacher, {
				sourceBoardId: board,
				sourceCardId: notStandard,
				targetBoardId: otherTeam.boardId
			})
		).toEqual({ ok: false, reason: 'no_standard' });
	});

	it('edits a stored board directly when no sync server runs, with its event and row', async () => {
		const board = await seedBoard(database.db, otherTeam.teamId);
		const outcome = await editStoredBoardDocument(
			database.db,
			board,
			{ userId: otherTeam.member.id },
			(doc) => {
				const id = createCard(doc, { title: 'Utan server', userId: otherTeam.member.id });
				cardDetailText(doc, id, 'problem')!.insert(0, 'Skrivet direkt');
				return id;
			}
		);
		expect(outcome.ok).toBe(true);
		const id = outcome.ok ? outcome.value : '';
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await getBoardDocumentState(database.db, board));
		expect(readCardDetail(doc, id)).toMatchObject({
			title: 'Utan server',
			problem: 'Skrivet direkt'
		});
		expect(await row(board, id)).toMatchObject({ stage: 'proposed', title: 'Utan server' });
		expect(await listCardEvents(database.db, board, id)).toMatchObject([
			{ toStage: 'proposed', byName: 'Lärare Lo' }
		]);
		expect(
			await editStoredBoardDocument(database.db, 'brd_missing', { userId: null }, () => 1)
		).toEqual({ ok: false, reason: 'no_board' });
	});
});

describe('people of other teams on one card', () => {
	it('lets a guest read the card and give input, and nothing else of the board', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = await newCard(c, 'Samarbete med skolan');
		cycleText(c.doc, id, 1, 'why')!.insert(0, 'Eleverna kommer sent');
		await waitFor(() => c.saved, 'planned');
		const guest = otherTeam.member;
		const boardOf = { id: board, teamId: world.teamId, organisationId: world.organisationId };

		expect(await getCardGuestAccess(database.db, actor(guest), board, id)).toBeNull();
		expect(
			await addCardGuest(database.db, {
				board: boardOf,
				cardId: id,
				userId: world.editor2.id,
				addedBy: world.editor.id
			})
		).toEqual({ ok: false, reason: 'team_member' });
		expect(
			await addCardGuest(database.db, {
				board: boardOf,
				cardId: 'no-such-card',
				userId: guest.id,
				addedBy: world.editor.id
			})
		).toEqual({ ok: false, reason: 'no_card' });
		expect(
			await addCardGuest(database.db, {
				board: boardOf,
				cardId: id,
				userId: guest.id,
				addedBy: world.editor.id
			})
		).toEqual({ ok: true, added: true });

		const access = await getCardGuestAccess(database.db, actor(guest), board, id);
		expect(access).toMatchObject({ via: 'guest', canGiveInput: true, teamId: world.teamId });
		// Not the board: no page (the board page answers 404 on null) and no websocket.
		expect(await getBoardAccess(database.db, actor(guest), board)).toBeNull();
		const socket = connectRaw(harness, board, { token: guest.token });
		expect(await socket.closed).toBe(CloseCode.forbidden);

		const view = await readGuestCard(database.db, access!, guest.id);
		expect(view).toMatchObject({
			title: 'Samarbete med skolan',
			why: 'Eleverna kommer sent',
			myInput: null
		});
		expect(
			await giveGuestInput(
				database.db,
				access!,
				{ id: guest.id, name: 'Lärare Lo' },
				{
					kind: 'concerns',
					text: 'Bussen går 7.40'
				}
			)
		).toEqual({ ok: true });
		// The team sees it live on the board.
		await waitFor(
			() => readCardDetail(c.doc, id)!.inputs.some((i) => i.userId === guest.id),
			'input arrives on the board'
		);
		expect(readCardDetail(c.doc, id)!.inputs.find((i) => i.userId === guest.id)).toMatchObject({
			kind: 'concerns',
			text: 'Bussen går 7.40',
			cycle: 1,
			name: 'Lärare Lo'
		});
		expect((await readGuestCard(database.db, access!, guest.id))?.myInput).toEqual({
			kind: 'concerns',
			text: 'Bussen går 7.40'
		});

		expect(
			await removeCardGuest(database.db, { boardId: board, cardId: id, userId: guest.id })
		).toEqual({ removed: true });
		expect(await getCardGuestAccess(database.db, actor(guest), board, id)).toBeNull();
	});

	it('lists the board’s people, team first, and the card’s history', async () => {
		const people = await listBoardPeople(database.db, {
			teamId: world.teamId,
			teamName: 'Hemtjänsten',
			organisationId: world.organisationId
		});
		const firstOutsider = people.findIndex((p) => !p.isTeamMember);
		expect(firstOutsider).toBeGreaterThan(0);
		expect(people.slice(firstOutsider).every((p) => !p.isTeamMember)).toBe(true);
		expect(people.find((p) => p.id === world.editor.id)).toMatchObject({
			teamName: 'Hemtjänsten',
			isTeamMember: true
		});
		expect(people.find((p) => p.id === otherTeam.member.id)).toEqual({
			id: otherTeam.member.id,
			name: 'Lärare Lo',
			teamName: 'Skolan',
			isTeamMember: false
		});
		expect(people.find((p) => p.id === world.outsider.id)).toMatchObject({ teamName: null });
	});
});
