/**
 * The people a card can name (owner, people affected, @mentions): the board's team first, then
 * the rest of the organisation, from `GET /api/boards/[boardId]/people`. Fetched once per board
 * page, when a card is first opened; the panel still works without it (the owner picker then
 * offers the person themself).
 */
import type { BoardPersonDto } from '$lib/types';
import { FetchBackoff } from '$lib/board/client/fetch-backoff';

export type PeopleStatus = 'idle' | 'loading' | 'ready' | 'failed';

function parsePeople(body: unknown): BoardPersonDto[] {
	if (typeof body !== 'object' || body === null || !('people' in body)) return [];
	const people = (body as { people: unknown }).people;
	if (!Array.isArray(people)) return [];
	return people.flatMap((value): BoardPersonDto[] => {
		if (typeof value !== 'object' || value === null) return [];
		const p = value as Record<string, unknown>;
		if (typeof p.id !== 'string' || typeof p.name !== 'string' || !p.id) return [];
		return [
			{
				id: p.id,
				name: p.name,
				teamName: typeof p.teamName === 'string' ? p.teamName : null,
				isTeamMember: p.isTeamMember === true
			}
		];
	});
}

export class BoardPeople {
	readonly boardId: string;
	people = $state.raw<BoardPersonDto[]>([]);
	status = $state<PeopleStatus>('idle');
	readonly #backoff = new FetchBackoff();

	constructor(boardId: string) {
		this.boardId = boardId;
	}

	get teamMembers(): BoardPersonDto[] {
		return this.people.filter((p) => p.isTeamMember);
	}

	/**
	 * Starts the fetch once (again after a failure, but never while offline and only after the
	 * back-off's pause: asking again at once is how a panel once sent hundreds a second).
	 */
	load(): void {
		if (this.status === 'loading' || this.status === 'ready') return;
		if (!this.#backoff.mayTry()) {
			this.status = 'failed';
			return;
		}
		this.status = 'loading';
		fetch(`/api/boards/${encodeURIComponent(this.boardId)}/people`, {
			headers: { accept: 'application/json' }
		})
			.then(async (response) => {
				if (!response.ok) throw new Error(`people: ${response.status}`);
				this.people = parsePeople(await response.json());
				this.#backoff.succeeded();
				this.status = 'ready';
			})
			.catch(() => {
				// Offline or not allowed: pickers fall back to what the card already names.
				this.#backoff.failed();
				this.status = 'failed';
			});
	}

	/** Lets someone from another team see and answer this one card (or takes that away). */
	async setGuest(cardId: string, userId: string, guest: boolean): Promise<boolean> {
		try {
			const response = await fetch(
				`/api/boards/${encodeURIComponent(this.boardId)}/cards/${encodeURIComponent(cardId)}/guests`,
				{
					method: guest ? 'POST' : 'DELETE',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ userId })
				}
			);
			return response.ok;
		} catch {
			return false;
		}
	}
}
