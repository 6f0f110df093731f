/**
 * The board history page's data and decisions (SvelteKit glue stays in the route): who may do
 * what there, and the DTOs. Everyone who sees the board sees its versions, previews and trash;
 * managers restore versions and name them; trash entries follow trash.ts's rule.
 */
import type { Kysely } from 'kysely';
import { roleAtLeast, type Role } from '../../roles';
import type { Database } from '../db/schema';
import { listTrash, mayRestoreFromTrash } from '../trash';
import { listVersions, previewVersion, type VersionKind } from './versions';

export interface VersionDto {
	id: string;
	kind: VersionKind;
	name: string | null;
	createdAt: string;
	activeNames: string[];
	cardsChanged: number;
	cardCount: number;
}

export interface TrashDto {
	id: string;
	title: string;
	deletedAt: string;
	deletedByName: string | null;
	mayRestore: boolean;
}

export interface PreviewDto {
	versionId: string;
	createdAt: string;
	cards: { id: string; title: string; stage: string; beneficiary: string }[];
}

export const mayManageHistory = (role: Role) => roleAtLeast(role, 'manager');

export async function loadHistoryPage(
	db: Kysely<Database>,
	input: { boardId: string; userId: string; role: Role; previewId: string | null }
): Promise<{ versions: VersionDto[]; trash: TrashDto[]; preview: PreviewDto | null }> {
	const versions = (await listVersions(db, input.boardId)).map((v) => ({
		id: v.id,
		kind: v.kind,
		name: v.name,
		createdAt: v.createdAt.toISOString(),
		activeNames: v.activeNames,
		cardsChanged: v.cardsChanged,
		cardCount: v.cardCount
	}));
	const trash = (await listTrash(db, input.boardId)).map((entry) => ({
		id: entry.id,
		title: entry.title,
		deletedAt: entry.deletedAt.toISOString(),
		deletedByName: entry.deletedByName,
		mayRestore: mayRestoreFromTrash(input.role, input.userId, entry.deletedById)
	}));
	let preview: PreviewDto | null = null;
	const shown = versions.find((v) => v.id === input.previewId);
	if (shown) {
		const cards = await previewVersion(db, input.boardId, shown.id);
		if (cards) {
			preview = {
				versionId: shown.id,
				createdAt: shown.createdAt,
				cards: cards.map((c) => ({
					id: c.id,
					title: c.title,
					stage: c.stage,
					beneficiary: c.beneficiary
				}))
			};
		}
	}
	return { versions, trash, preview };
}
