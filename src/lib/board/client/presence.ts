/**
 * Presence: who is on the board and which card each person is editing, carried by Yjs awareness.
 * Remote awareness states are untrusted input: they are read through `readPeers`, which drops
 * anything malformed.
 */

/** Avatar colours, each dark enough for white initials (contrast ≥ 4.5:1); names are always shown too. */
export const PRESENCE_COLOURS = [
	'#1f5fa8',
	'#a33b20',
	'#2e7031',
	'#6a3d9a',
	'#8a4b00',
	'#00697a',
	'#a8255f',
	'#4e5d6c'
] as const;

export function colourForUser(userId: string): string {
	let hash = 0;
	for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
	return PRESENCE_COLOURS[hash % PRESENCE_COLOURS.length]!;
}

export function initialsOf(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	if (parts.length === 0) return '?';
	const first = Array.from(parts[0]!)[0] ?? '';
	const last = parts.length > 1 ? (Array.from(parts[parts.length - 1]!)[0] ?? '') : '';
	return (first + last).toUpperCase();
}

export interface PresenceState {
	user: { id: string; name: string; colour: string };
	/** The card this person has open for editing, if any. */
	editing: string | null;
	/** Where this person's stand-up walk is (routes/boards/[boardId]/standup/walk.ts). */
	[STANDUP_WALK_FIELD]?: { cardId: string; seq: number };
}

/** The presence field that carries the stand-up walk's position. */
export const STANDUP_WALK_FIELD = 'standupWalk';

export interface Peer {
	clientId: number;
	userId: string;
	name: string;
	colour: string;
	editing: string | null;
	isSelf: boolean;
}

const COLOUR_PATTERN = /^#[0-9a-f]{6}$/i;

function readState(value: unknown): PresenceState | null {
	if (typeof value !== 'object' || value === null) return null;
	const { user, editing } = value as Record<string, unknown>;
	if (typeof user !== 'object' || user === null) return null;
	const { id, name, colour } = user as Record<string, unknown>;
	if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
	if (typeof name !== 'string') return null;
	return {
		user: {
			id,
			name: name.slice(0, 100),
			colour: typeof colour === 'string' && COLOUR_PATTERN.test(colour) ? colour : colourForUser(id)
		},
		editing: typeof editing === 'string' && editing.length <= 100 ? editing : null
	};
}

/** Everyone present, one entry per connection, sorted by name (self first). */
export function readPeers(states: ReadonlyMap<number, unknown>, selfClientId: number): Peer[] {
	const peers: Peer[] = [];
	for (const [clientId, raw] of states) {
		const state = readState(raw);
		if (!state) continue;
		peers.push({
			clientId,
			userId: state.user.id,
			name: state.user.name,
			colour: state.user.colour,
			editing: state.editing,
			isSelf: clientId === selfClientId
		});
	}
	return peers.sort(
		(a, b) =>
			Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId
	);
}

/** One entry per person (a person may have the board open in two tabs). */
export function uniquePeople(peers: readonly Peer[]): Peer[] {
	const seen = new Set<string>();
	return peers.filter((peer) => {
		if (seen.has(peer.userId)) return false;
		seen.add(peer.userId);
		return true;
	});
}

/** Card id → the other people editing it (each person once). */
export function editorsByCard(peers: readonly Peer[]): Map<string, Peer[]> {
	const byCard = new Map<string, Peer[]>();
	for (const peer of peers) {
		if (peer.isSelf || !peer.editing) continue;
		const list = byCard.get(peer.editing) ?? [];
		if (!list.some((p) => p.userId === peer.userId)) list.push(peer);
		byCard.set(peer.editing, list);
	}
	return byCard;
}
