import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { decideTeamPermission, getBoardAccess, listTeamsFor } from '../../src/lib/server/access';
import { createBoard, listBoardsOfTeams, renameBoard } from '../../src/lib/server/board';
import {
	addTeamMember,
	createTeam,
	getMemberRole,
	listOrganisationTeams,
	listTeamMembers,
	removeTeamMember,
	setTeamMemberRole
} from '../../src/lib/server/team';
import { canCreateBoards, canManageMembers } from '../../src/lib/roles';
import { openTestDatabase } from '../helpers/test-database';
import { seedMember, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';

let database: OpenDatabase;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database.close();
});

describe('teams', () => {
	it('creates a team with its creator as admin, and refuses a duplicate name in any case', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const admin = await seedUser(db, org, { isOrgAdmin: true });
		const created = await createTeam(db, {
			organisationId: org,
			name: ' Hemtjänsten Norr ',
			creatorId: admin.id
		});
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		expect(await getMemberRole(db, created.teamId, admin.id)).toBe('admin');

		const again = await createTeam(db, {
			organisationId: org,
			name: 'hemtjänsten norr',
			creatorId: admin.id
		});
		expect(again).toEqual({ ok: false, reason: 'name_taken' });
		const teams = await listOrganisationTeams(db, org);
		expect(teams).toEqual([{ id: created.teamId, name: 'Hemtjänsten Norr', memberCount: 1 }]);

		// Another organisation may use the same name.
		const otherOrg = await seedOrganisation(db, 'Grannkommunen');
		expect(
			(
				await createTeam(db, {
					organisationId: otherOrg,
					name: 'Hemtjänsten Norr',
					creatorId: null
				})
			).ok
		).toBe(true);
	});

	it('adds, re-roles and removes members; adding someone twice keeps their role', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const team = await seedTeam(db, org);
		const gustav = await seedUser(db, org, { name: 'Gustav' });
		expect(await addTeamMember(db, team, gustav.id, 'viewer')).toBe('added');
		expect(await addTeamMember(db, team, gustav.id, 'admin')).toBe('already_member');
		expect(await getMemberRole(db, team, gustav.id)).toBe('viewer');

		expect(await setTeamMemberRole(db, team, gustav.id, 'manager')).toEqual({ ok: true });
		expect((await listTeamMembers(db, team)).map((m) => [m.name, m.role])).toEqual([
			['Gustav', 'manager']
		]);
		const stranger = await seedUser(db, org);
		expect(await setTeamMemberRole(db, team, stranger.id, 'admin')).toEqual({
			ok: false,
			reason: 'not_member'
		});
		expect(await getMemberRole(db, team, stranger.id)).toBeNull();

		expect(await removeTeamMember(db, team, gustav.id)).toEqual({ ok: true });
		expect(await removeTeamMember(db, team, gustav.id)).toEqual({
			ok: false,
			reason: 'not_member'
		});
		expect(await listTeamMembers(db, team)).toEqual([]);
	});
});

describe('permissions per role', () => {
	it('answers 404 outside the team, 403 for a role too low, and access otherwise', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const teamA = await seedTeam(db, org, 'A');
		const teamB = await seedTeam(db, org, 'B');
		const viewer = await seedUser(db, org);
		const manager = await seedUser(db, org);
		const orgAdmin = await seedUser(db, org, { isOrgAdmin: true });
		await seedMember(db, teamA, viewer.id, 'viewer');
		await seedMember(db, teamA, manager.id, 'manager');

		expect(await decideTeamPermission(db, viewer, teamB, () => true)).toEqual({
			ok: false,
			status: 404
		});
		expect(await decideTeamPermission(db, viewer, 'team_nope', () => true)).toEqual({
			ok: false,
			status: 404
		});
		expect(await decideTeamPermission(db, viewer, teamA, canCreateBoards)).toEqual({
			ok: false,
			status: 403
		});
		expect(await decideTeamPermission(db, manager, teamA, canManageMembers)).toEqual({
			ok: false,
			status: 403
		});
		const managerBoards = await decideTeamPermission(db, manager, teamA, canCreateBoards);
		expect(managerBoards.ok && managerBoards.access.role).toBe('manager');
		const adminMembers = await decideTeamPermission(db, orgAdmin, teamB, canManageMembers);
		expect(adminMembers.ok && adminMembers.access.role).toBe('admin');
		// People see only their own teams; an org admin sees all of them.
		expect((await listTeamsFor(db, viewer)).map((t) => t.teamName)).toEqual(['A']);
		expect((await listTeamsFor(db, orgAdmin)).map((t) => t.teamName)).toEqual(['A', 'B']);
	});
});

describe('boards', () => {
	it('creates, lists per team and renames boards; access follows the team', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const teamA = await seedTeam(db, org);
		const teamB = await seedTeam(db, org);
		const member = await seedUser(db, org);
		await seedMember(db, teamA, member.id, 'member');
		const { boardId } = await createBoard(db, { teamId: teamA, name: '  Förbättringar  ' });
		const { boardId: otherBoard } = await createBoard(db, { teamId: teamB, name: 'B-tavlan' });
		expect(boardId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

		expect(await listBoardsOfTeams(db, [teamA])).toEqual([
			{ id: boardId, name: 'Förbättringar', teamId: teamA }
		]);
		expect(await listBoardsOfTeams(db, [])).toEqual([]);
		expect((await getBoardAccess(db, member, boardId))?.role).toBe('member');
		expect(await getBoardAccess(db, member, otherBoard)).toBeNull();

		expect(await renameBoard(db, boardId, 'Idéer')).toEqual({ ok: true });
		expect((await getBoardAccess(db, member, boardId))?.boardName).toBe('Idéer');
		expect(await renameBoard(db, 'brd_missing', 'x')).toEqual({ ok: false, reason: 'not_found' });
	});
});
