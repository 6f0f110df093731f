/** Who reads flow reports (issue 10): managers and admins of a team, and organisation admins. */
import { roleAtLeast, type Role } from '../roles';

export function canReadFlowReports(role: Role | null | undefined): boolean {
	return roleAtLeast(role, 'manager');
}
