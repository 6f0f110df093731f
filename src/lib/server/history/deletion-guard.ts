/**
 * The server's judgement of one update that deletes cards (issue 13, "guard against mass
 * deletion"): one person's single edit must not be able to empty a board. Pure: the sync server
 * (server/sync/board-room.ts, through server/sync/deletion-watch.ts) applies the verdict by putting
 * the cards back, the way a refused stage change is undone.
 *
 * A handful is fine (people tidy up); more than MAX_CARDS, or more than MAX_SHARE of a board once
 * at least MIN_FOR_SHARE cards go, needs a manager. Small boards are judged by the count alone
 * below MIN_FOR_SHARE, so deleting one card of three is not "33 %".
 */
import { roleAtLeast, type Role } from '../../roles';

export const MASS_DELETION = {
	maxCards: 10,
	maxShare: 0.2,
	minForShare: 5
} as const;

export type DeletionVerdict =
	{ kind: 'allow' } | { kind: 'refuse'; deleted: number; limit: number };

/** `senderRole` null = the server itself (a restore, an import), which is trusted. */
export function judgeDeletion(input: {
	deleted: number;
	cardsBefore: number;
	senderRole: Role | null;
}): DeletionVerdict {
	const { deleted, cardsBefore, senderRole } = input;
	if (deleted === 0 || senderRole === null || roleAtLeast(senderRole, 'manager')) {
		return { kind: 'allow' };
	}
	const byShare =
		deleted >= MASS_DELETION.minForShare &&
		cardsBefore > 0 &&
		deleted / cardsBefore > MASS_DELETION.maxShare;
	if (deleted > MASS_DELETION.maxCards || byShare) {
		const limit = Math.min(
			MASS_DELETION.maxCards,
			Math.max(MASS_DELETION.minForShare - 1, Math.floor(cardsBefore * MASS_DELETION.maxShare))
		);
		return { kind: 'refuse', deleted, limit };
	}
	return { kind: 'allow' };
}
