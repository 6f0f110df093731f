/** Roles in the person's language, for selects and lists. */
import { m } from '$lib/paraglide/messages';
import { ROLES, type Role } from '$lib/roles';

export function roleLabel(role: Role): string {
	switch (role) {
		case 'admin':
			return m.role_admin();
		case 'manager':
			return m.role_manager();
		case 'member':
			return m.role_member();
		case 'viewer':
			return m.role_viewer();
	}
}

export function roleOptions(): { value: Role; label: string }[] {
	return ROLES.map((role) => ({ value: role, label: roleLabel(role) }));
}
