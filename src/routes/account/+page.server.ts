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
import { changePasswordWithThrottle } from '$lib/server/password-attempts';
import { getDeviceCookie } from '$lib/server/trusted-device-cookie';
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
		const result = await changePasswordWithThrottle(
			runtime.database.db,
			{
				userId: user.id,
				email: user.email,
				currentPassword: parsed.data.currentPassword,
				newPassword: parsed.data.newPassword,
				keepSessionId: session.id
			},
			{
				throttle: signInThrottle,
				address: event.getClientAddress(),
				deviceToken: getDeviceCookie(event)
			}
		);
		if (!result.ok) {
			if (result.reason === 'throttled') {
				return failForm(429, {
					message: m.auth_throttled({ minutes: minutesToWait(result.retryAfterMs) })
				});
			}
			runtime.log.warn({ userId: user.id }, 'password change refused: wrong current password');
			return failForm(400, { errors: { currentPassword: m.account_wrong_password() } });
		}
		// Board sockets of the ended sessions close now (4401), not at the next periodic check.
		await notifyAccessChanged({ userId: user.id });
		runtime.log.info({ userId: user.id }, 'password changed; other sessions ended');
		return { passwordChanged: true };
	}
};
