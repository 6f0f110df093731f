import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { canManageMembers } from '$lib/roles';
import { failForm, idField, parseForm, roleField } from '$lib/server/forms';
import { notifyAccessChanged } from '$lib/server/sync/access-changes';
import { requireTeamPermission } from '$lib/server/guards';
import {
	createInvite,
	INVITE_MAX_USES,
	INVITE_VALID_DAYS,
	listOpenInvites,
	revokeInvite
} from '$lib/server/invite';
import { listTeamMembers, removeTeamMember, setTeamMemberRole } from '$lib/server/team';
import type { OpenInviteDto, TeamMemberDto } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const MemberForm = v.object({ userId: idField });
const ChangeRoleForm = v.object({ userId: idField, role: roleField });
const RevokeForm = v.object({ inviteId: idField });
const InviteForm = v.object({
	role: roleField,
	validForDays: v.pipe(
		v.string(() => m.form_error_choose()),
		v.transform(Number),
		v.picklist(INVITE_VALID_DAYS, () => m.form_error_choose())
	),
	maxUses: v.pipe(
		v.string(() => m.form_error_required()),
		v.trim(),
		v.regex(/^\d{1,4}$/, () => m.form_error_number({ min: 1, max: INVITE_MAX_USES })),
		v.transform(Number),
		v.minValue(1, () => m.form_error_number({ min: 1, max: INVITE_MAX_USES })),
		v.maxValue(INVITE_MAX_USES, () => m.form_error_number({ min: 1, max: INVITE_MAX_USES }))
	)
});

/** A team's people and invite links: team admins (and org admins) only. */
export const load: PageServerLoad = async (event) => {
	const { access, user } = await requireTeamPermission(
		event,
		event.params.teamId,
		canManageMembers
	);
	const db = event.locals.runtime.database.db;
	const [members, invites] = await Promise.all([
		listTeamMembers(db, access.teamId),
		listOpenInvites(db, access.teamId)
	]);
	return {
		team: { id: access.teamId, name: access.teamName },
		currentUserId: user.id,
		members: members.map((r): TeamMemberDto => ({ ...r })),
		invites: invites.map((i): OpenInviteDto => ({
			id: i.id,
			role: i.role,
			expiresAt: i.expiresAt.toISOString(),
			maxUses: i.maxUses,
			useCount: i.useCount,
			createdByName: i.createdByName
		})),
		validDays: [...INVITE_VALID_DAYS],
		maxUsesLimit: INVITE_MAX_USES
	};
};

export const actions: Actions = {
	changeRole: async (event) => {
		const { access, user } = await requireTeamPermission(
			event,
			event.params.teamId,
			canManageMembers
		);
		const parsed = parseForm(ChangeRoleForm, await event.request.formData());
		if (!parsed.ok) return failForm(400, { action: 'changeRole', message: m.form_error_generic() });
		// Changing one's own role could lock the team out of its own admin page by mistake.
		if (parsed.data.userId === user.id) {
			return failForm(400, { action: 'changeRole', message: m.members_not_yourself() });
		}
		const db = event.locals.runtime.database.db;
		const result = await setTeamMemberRole(db, access.teamId, parsed.data.userId, parsed.data.role);
		if (!result.ok) return failForm(404, { action: 'changeRole', message: m.members_not_member() });
		// Open board sockets follow at once: a demoted editor reconnects as a viewer.
		await notifyAccessChanged({ userId: parsed.data.userId, teamId: access.teamId });
		event.locals.runtime.log.info(
			{ teamId: access.teamId, userId: parsed.data.userId, role: parsed.data.role, by: user.id },
			'member role changed'
		);
		return { action: 'changeRole', done: m.members_role_changed() };
	},

	remove: async (event) => {
		const { access, user } = await requireTeamPermission(
			event,
			event.params.teamId,
			canManageMembers
		);
		const parsed = parseForm(MemberForm, await event.request.formData());
		if (!parsed.ok) return failForm(400, { action: 'remove', message: m.form_error_generic() });
		if (parsed.data.userId === user.id) {
			return failForm(400, { action: 'remove', message: m.members_not_yourself() });
		}
		const db = event.locals.runtime.database.db;
		const result = await removeTeamMember(db, access.teamId, parsed.data.userId);
		if (!result.ok) return failForm(404, { action: 'remove', message: m.members_not_member() });
		await notifyAccessChanged({ userId: parsed.data.userId, teamId: access.teamId });
		event.locals.runtime.log.info(
			{ teamId: access.teamId, userId: parsed.data.userId, by: user.id },
			'member removed'
		);
		return { action: 'remove', done: m.members_removed() };
	},

	createInvite: async (event) => {
		const { access, user } = await requireTeamPermission(
			event,
			event.params.teamId,
			canManageMembers
		);
		const parsed = parseForm(InviteForm, await event.request.formData());
		if (!parsed.ok) return failForm(400, { action: 'createInvite', errors: parsed.errors });
		const { token, inviteId, expiresAt } = await createInvite(event.locals.runtime.database.db, {
			organisationId: user.organisationId,
			teamId: access.teamId,
			role: parsed.data.role,
			createdBy: user.id,
			validForDays: parsed.data.validForDays,
			maxUses: parsed.data.maxUses
		});
		event.locals.runtime.log.info(
			{ teamId: access.teamId, inviteId, role: parsed.data.role, by: user.id },
			'invite created'
		);
		// The link is shown this once; only its hash is kept.
		return {
			action: 'createInvite',
			inviteLink: `${event.url.origin}/invite/${token}`,
			inviteRole: parsed.data.role,
			inviteExpiresAt: expiresAt.toISOString()
		};
	},

	revokeInvite: async (event) => {
		const { access, user } = await requireTeamPermission(
			event,
			event.params.teamId,
			canManageMembers
		);
		const parsed = parseForm(RevokeForm, await event.request.formData());
		if (!parsed.ok)
			return failForm(400, { action: 'revokeInvite', message: m.form_error_generic() });
		const result = await revokeInvite(
			event.locals.runtime.database.db,
			access.teamId,
			parsed.data.inviteId
		);
		if (!result.ok)
			return failForm(404, { action: 'revokeInvite', message: m.members_invite_not_found() });
		event.locals.runtime.log.info(
			{ teamId: access.teamId, inviteId: parsed.data.inviteId, by: user.id },
			'invite revoked'
		);
		return { action: 'revokeInvite', done: m.members_invite_revoked() };
	}
};
