import { error, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { failForm, idField, keepValues, nameField, parseForm } from '$lib/server/forms';
import { requireOrgAdmin } from '$lib/server/guards';
import {
	getOrganisationSettings,
	normaliseDomain,
	updateOpenSignup
} from '$lib/server/organisation';
import { createTeam, listOrganisationTeams } from '$lib/server/team';
import type { OrganisationSettingsDto } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const CreateTeamForm = v.object({ name: nameField });

const DOMAIN_PATTERN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const OpenSignupForm = v.object({
	domain: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.transform(normaliseDomain),
		v.check(
			(d) => d === '' || DOMAIN_PATTERN.test(d),
			() => m.admin_domain_invalid()
		)
	),
	// '' (no team chosen) or an id: anything else, a NUL say, must not reach a query.
	teamId: v.optional(
		v.union([v.literal(''), idField], () => m.form_error_choose()),
		''
	)
});

/** Org admins: teams and organisation settings. */
export const load: PageServerLoad = async (event) => {
	const user = requireOrgAdmin(event);
	const db = event.locals.runtime.database.db;
	const [settings, teams] = await Promise.all([
		getOrganisationSettings(db, user.organisationId),
		listOrganisationTeams(db, user.organisationId)
	]);
	if (!settings) error(404, m.error_not_found());
	return {
		organisation: {
			name: settings.name,
			openSignupDomain: settings.openSignupDomain,
			openSignupTeamId: settings.openSignupTeamId
		} satisfies OrganisationSettingsDto,
		teams
	};
};

export const actions: Actions = {
	createTeam: async (event) => {
		const user = requireOrgAdmin(event);
		const formData = await event.request.formData();
		const values = keepValues(formData, ['name']);
		const parsed = parseForm(CreateTeamForm, formData);
		if (!parsed.ok) return failForm(400, { action: 'createTeam', errors: parsed.errors, values });
		const result = await createTeam(event.locals.runtime.database.db, {
			organisationId: user.organisationId,
			name: parsed.data.name,
			creatorId: user.id
		});
		if (!result.ok) {
			return failForm(400, {
				action: 'createTeam',
				errors: { name: m.admin_team_name_taken() },
				values
			});
		}
		event.locals.runtime.log.info({ teamId: result.teamId, by: user.id }, 'team created');
		redirect(303, `/teams/${result.teamId}`);
	},

	openSignup: async (event) => {
		const user = requireOrgAdmin(event);
		const formData = await event.request.formData();
		const values = keepValues(formData, ['domain', 'teamId']);
		const parsed = parseForm(OpenSignupForm, formData);
		if (!parsed.ok) return failForm(400, { action: 'openSignup', errors: parsed.errors, values });
		const { domain, teamId } = parsed.data;
		if (domain && !teamId) {
			return failForm(400, {
				action: 'openSignup',
				errors: { teamId: m.admin_signup_team_required() },
				values
			});
		}
		const result = await updateOpenSignup(
			event.locals.runtime.database.db,
			user.organisationId,
			domain ? { domain, teamId } : null
		);
		if (!result.ok) {
			return failForm(400, {
				action: 'openSignup',
				errors: { teamId: m.form_error_choose() },
				values
			});
		}
		event.locals.runtime.log.info({ open: domain !== '', by: user.id }, 'open sign-up changed');
		return {
			action: 'openSignup',
			done: domain ? m.admin_signup_opened({ domain }) : m.admin_signup_closed()
		};
	}
};
