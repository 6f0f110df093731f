import { error, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import {
	emailField,
	failForm,
	keepValues,
	nameField,
	newPasswordField,
	parseForm,
	passwordProblem
} from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { acceptInvite, findInvite, signUpWithInvite, type InviteProblem } from '$lib/server/invite';
import { getMemberRole } from '$lib/server/team';
import { createSession } from '$lib/server/session';
import { setSessionCookie } from '$lib/server/session-cookie';
import { trustDevice } from '$lib/server/trusted-device';
import { setDeviceCookie } from '$lib/server/trusted-device-cookie';
import type { Actions, PageServerLoad } from './$types';

const SignUpForm = v.object({ name: nameField, email: emailField, password: newPasswordField });

function problemMessage(problem: InviteProblem): string {
	switch (problem) {
		case 'expired':
			return m.invite_expired();
		case 'revoked':
			return m.invite_revoked();
		case 'used_up':
			return m.invite_used_up();
		case 'not_found':
			return m.invite_not_found();
	}
}

/**
 * An invite link. Signed in: a button to join (joining is a POST, never a side effect of opening
 * a link). Signed out: a short sign-up form that lands the person in the team.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const db = locals.runtime.database.db;
	const lookup = await findInvite(db, params.token);
	const team = lookup.ok ? lookup.invite : lookup.team;
	const { user } = locals;
	// A member re-opening their (now used) link is told they are in, whatever the link's state.
	if (user && team && team.organisationId === user.organisationId) {
		if ((await getMemberRole(db, team.teamId, user.id)) !== null) {
			return {
				invite: null,
				alreadyMember: { teamId: team.teamId, teamName: team.teamName },
				problem: null
			};
		}
	}
	if (!lookup.ok || (user && lookup.invite.organisationId !== user.organisationId)) {
		return {
			invite: null,
			alreadyMember: null,
			problem: problemMessage(lookup.ok ? 'not_found' : lookup.reason)
		};
	}
	const { teamId, teamName, role } = lookup.invite;
	return { invite: { teamId, teamName, role }, alreadyMember: null, problem: null };
};

export const actions: Actions = {
	join: async (event) => {
		const { user } = requireUser(event);
		const { runtime } = event.locals;
		const result = await acceptInvite(runtime.database.db, event.params.token, user);
		if (!result.ok) return failForm(410, { message: problemMessage(result.reason) });
		if (result.outcome === 'already_member') {
			return { joinedAlready: { teamId: result.teamId, teamName: result.teamName } };
		}
		runtime.log.info({ userId: user.id, teamId: result.teamId }, 'joined team by invite');
		redirect(303, `/teams/${result.teamId}?welcome=1`);
	},

	signup: async (event) => {
		const { locals, params } = event;
		if (locals.user) error(400, m.invite_signed_in_already());
		const db = locals.runtime.database.db;
		const formData = await event.request.formData();
		const values = keepValues(formData, ['name', 'email']);
		const parsed = parseForm(SignUpForm, formData);
		if (!parsed.ok) return failForm(400, { errors: parsed.errors, values });
		const weak = passwordProblem(parsed.data.password, parsed.data.email);
		if (weak) return failForm(400, { errors: { password: weak }, values });

		const result = await signUpWithInvite(db, params.token, {
			...parsed.data,
			locale: getLocale()
		});
		if (!result.ok) {
			if (result.reason === 'email_taken') {
				return failForm(400, { errors: { email: m.invite_email_taken() }, values });
			}
			return failForm(410, { message: problemMessage(result.reason), values });
		}
		locals.runtime.log.info(
			{ userId: result.userId, teamId: result.teamId },
			'signed up by invite'
		);
		const { token, session } = await createSession(db, result.userId);
		setSessionCookie(event, token, session.expiresAt);
		// The browser that made the account knows its password: failures elsewhere never lock it out.
		setDeviceCookie(event, await trustDevice(db, result.userId, null));
		redirect(303, `/teams/${result.teamId}?welcome=1`);
	}
};
