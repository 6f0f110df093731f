/**
 * Roles per team, shared by client and server. Order matters: each role can do all that the
 * roles after it can. An organisation admin has every right in every team.
 */
export const ROLES = ['admin', 'manager', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` has at least the rights of `needed`. */
export function roleAtLeast(role: Role | null | undefined, needed: Role): boolean {
	if (!role) return false;
	return ROLES.indexOf(role) <= ROLES.indexOf(needed);
}

/** Members and above may change a board's content; viewers only watch. */
export function canEditBoard(role: Role | null | undefined): boolean {
	return roleAtLeast(role, 'member');
}

/** Managers and above may create boards for their team. */
export function canCreateBoards(role: Role | null | undefined): boolean {
	return roleAtLeast(role, 'manager');
}

/** Only a team's admins (and org admins, who are admin everywhere) manage its people and invites. */
export function canManageMembers(role: Role | null | undefined): boolean {
	return roleAtLeast(role, 'admin');
}
