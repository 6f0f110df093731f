/**
 * The organisation: made once, by the first person on a fresh install, who becomes its org admin.
 * After that people join through invite links, or by open sign-up for one email domain when an
 * org admin allows it.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/schema';
import { newId } from './id';
import { hashPassword } from './password';
import { insertUser, type NewAccount } from './user';

export async function organisationExists(db: Kysely<Database>): Promise<boolean> {
	const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
	return row !== undefined;
}

export type SetUpOrganisationResult =
	| { ok: true; organisationId: string; userId: string }
	| { ok: false; reason: 'already_set_up' | 'email_taken' };

/** The first account: creates the organisation and its first org admin, or refuses if one exists. */
export async function setUpOrganisation(
	db: Kysely<Database>,
	input: { organisationName: string; account: NewAccount }
): Promise<SetUpOrganisationResult> {
	if (await organisationExists(db)) return { ok: false, reason: 'already_set_up' };
	const passwordHash = await hashPassword(input.account.password);
	return db
		.transaction()
		.execute(async (trx): Promise<SetUpOrganisationResult> => {
			// Two people submitting /setup at the same moment: the lock makes the second one wait and
			// then see the first one's organisation, so there is never a second organisation.
			await sql`lock table organisations in share row exclusive mode`.execute(trx);
			if (await organisationExists(trx)) return { ok: false, reason: 'already_set_up' };
			const organisationId = newId('org');
			await trx
				.insertInto('organisations')
				.values({
					id: organisationId,
					name: input.organisationName.trim(),
					open_signup_domain: null,
					open_signup_team_id: null
				})
				.execute();
			const created = await insertUser(trx, {
				organisationId,
				name: input.account.name,
				email: input.account.email,
				passwordHash,
				isOrgAdmin: true,
				locale: input.account.locale
			});
			if (!created.ok) {
				// Cannot happen on a fresh install, but if it does the organisation must not stay behind.
				throw new RollbackSetup(created.reason);
			}
			return { ok: true, organisationId, userId: created.userId };
		})
		.catch((error: unknown) => {
			if (error instanceof RollbackSetup) return { ok: false, reason: error.reason } as const;
			throw error;
		});
}

class RollbackSetup extends Error {
	constructor(readonly reason: 'email_taken') {
		super(reason);
	}
}

export interface OrganisationSettings {
	id: string;
	name: string;
	openSignupDomain: string | null;
	openSignupTeamId: string | null;
}

export async function getOrganisationSettings(
	db: Kysely<Database>,
	organisationId: string
): Promise<OrganisationSettings | null> {
	const row = await db
		.selectFrom('organisations')
		.select(['id', 'name', 'open_signup_domain', 'open_signup_team_id'])
		.where('id', '=', organisationId)
		.executeTakeFirst();
	if (!row) return null;
	return {
		id: row.id,
		name: row.name,
		openSignupDomain: row.open_signup_domain,
		openSignupTeamId: row.open_signup_team_id
	};
}

/** Email domains are compared in lower case, without a leading "@". */
export function normaliseDomain(domain: string): string {
	return domain.trim().toLowerCase().replace(/^@/, '');
}

export type UpdateOpenSignupResult = { ok: true } | { ok: false; reason: 'unknown_team' };

/** Opens sign-up for `domain` into `teamId` (a team of this organisation), or closes it (null). */
export async function updateOpenSignup(
	db: Kysely<Database>,
	organisationId: string,
	settings: { domain: string; teamId: string } | null
): Promise<UpdateOpenSignupResult> {
	if (settings) {
		const team = await db
			.selectFrom('teams')
			.select('id')
			.where('id', '=', settings.teamId)
			.where('organisation_id', '=', organisationId)
			.executeTakeFirst();
		if (!team) return { ok: false, reason: 'unknown_team' };
	}
	await db
		.updateTable('organisations')
		.set({
			open_signup_domain: settings ? normaliseDomain(settings.domain) : null,
			open_signup_team_id: settings ? settings.teamId : null
		})
		.where('id', '=', organisationId)
		.execute();
	return { ok: true };
}

/**
 * Where a person with an email at `domain` may sign up by themselves, if anywhere. Open sign-up
 * needs both a domain and a team: when the team is deleted, the foreign key clears it and sign-up
 * is closed.
 */
export async function findOpenSignup(
	db: Kysely<Database>,
	domain: string
): Promise<{ organisationId: string; teamId: string } | null> {
	if (!domain) return null;
	const row = await db
		.selectFrom('organisations')
		.innerJoin('teams', 'teams.id', 'organisations.open_signup_team_id')
		.select(['organisations.id as organisation_id', 'teams.id as team_id'])
		.where('organisations.open_signup_domain', '=', normaliseDomain(domain))
		.whereRef('teams.organisation_id', '=', 'organisations.id')
		.executeTakeFirst();
	return row ? { organisationId: row.organisation_id, teamId: row.team_id } : null;
}

/** Is open sign-up switched on at all? (The sign-up page says so before asking for details.) */
export async function isOpenSignupEnabled(db: Kysely<Database>): Promise<boolean> {
	const row = await db
		.selectFrom('organisations')
		.select('id')
		.where('open_signup_domain', 'is not', null)
		.where('open_signup_team_id', 'is not', null)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}
