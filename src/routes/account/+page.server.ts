import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import {
	currentPasswordField,
	failForm,
	newPasswordField,
	parseForm,
	passwordProblem
} from '$lib/server/forms';
import { notifyAccessChanged } from '$lib/server/sync/access-changes';
import { requireUser } from '$lib/server/guards';
import { minutesToWait, signInThrottle } from '$lib/server/rate-limit';
import { changeUserPassword } from '$lib/server/user';
import type { Actions, PageServerLoad } from './$types';

const ChangePasswordForm = v.object({
	currentPassword: currentPasswordField,
	newPassword: newPasswordField
});

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return {};
};

export const actions: Actions = {
	changePassword: async (event) => {
		const { user, session } = requireUser(event);
		const { runtime } = event.locals;
		const parsed = parseForm(ChangePasswordForm, await event.request.formData());
		if (!parsed.ok) return failForm(400, { errors: parsed.errors });
		const weak = passwordProblem(parsed.data.newPassword, user.email);
		if (weak) return failForm(400, { errors: { newPassword: weak } });

		// Checking the current password is a password guess like any other: the same throttle.
		const address = event.getClientAddress();
		const decision = signInThrottle.check(user.email, address);
		if (!decision.allowed) {
			return failForm(429, {
				message: m.auth_throttled({ minutes: minutesToWait(decision.retryAfterMs) })
			});
		}
		const result = await changeUserPassword(runtime.database.db, {
			userId: user.id,
			currentPassword: parsed.data.currentPassword,
			newPassword: parsed.data.newPassword,
			keepSessionId: session.id
		});
		if (!result.ok) {
			signInThrottle.recordFailure(user.email, address);
			runtime.log.warn({ userId: user.id }, 'password change refused: wrong current password');
			return failForm(400, { errors: { currentPassword: m.account_wrong_password() } });
		}
		signInThrottle.recordSuccess(user.email);
		// Board sockets of the ended sessions close now (4401), not at the next periodic check.
		await notifyAccessChanged({ userId: user.id });
		runtime.log.info({ userId: user.id }, 'password changed; other sessions ended');
		return { passwordChanged: true };
	}
};
