/**
 * The board's local copies in IndexedDB (y-indexeddb), one database per user and board, so that
 * two people sharing a computer never see each other's boards. Browser only.
 *
 * Cleared on sign-out (`clearLocalBoardData`), and per board when access is lost or the board is
 * gone (`clearBoardLocalData`). Open boards are told first (an event), because IndexedDB will not
 * delete a database while a connection to it is open.
 */
import { clearCachedPages } from '../../offline-pages';

export const LOCAL_DATABASE_PREFIX = 'tillit:';
/** Fallback list of database names, for browsers without indexedDB.databases(). */
const REGISTRY_KEY = 'tillit:board-databases';
/** Dispatched on window before deleting; an open board closes its copy (detail: name or null = all). */
export const CLEAR_LOCAL_DATA_EVENT = 'tillit:clear-local-data';

export function boardDatabaseName(userId: string, boardId: string): string {
	return `${LOCAL_DATABASE_PREFIX}${userId}:${boardId}`;
}

function readRegistry(): string[] {
	try {
		const raw = localStorage.getItem(REGISTRY_KEY);
		const parsed: unknown = raw ? JSON.parse(raw) : [];
		return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
	} catch {
		return [];
	}
}

function writeRegistry(names: string[]): void {
	try {
		if (names.length === 0) localStorage.removeItem(REGISTRY_KEY);
		else localStorage.setItem(REGISTRY_KEY, JSON.stringify(names));
	} catch {
		// Storage may be disabled (private mode); indexedDB.databases() still finds the copies.
	}
}

/** Remembers that a local copy exists, so sign-out can find it even without indexedDB.databases(). */
export function registerBoardDatabase(name: string): void {
	const names = readRegistry();
	if (!names.includes(name)) writeRegistry([...names, name]);
}

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = () => resolve();
		request.onerror = () => resolve();
		// Blocked: a connection is still open somewhere (another tab). The deletion is queued and
		// completes when it closes; waiting for that could hang sign-out, so do not.
		request.onblocked = () => resolve();
	});
}

async function localDatabaseNames(): Promise<string[]> {
	const names = new Set(readRegistry());
	if (typeof indexedDB.databases === 'function') {
		try {
			for (const info of await indexedDB.databases()) {
				if (info.name?.startsWith(LOCAL_DATABASE_PREFIX)) names.add(info.name);
			}
		} catch {
			// Fall back to the registry alone.
		}
	}
	return [...names];
}

function announceClearing(name: string | null): void {
	window.dispatchEvent(new CustomEvent<string | null>(CLEAR_LOCAL_DATA_EVENT, { detail: name }));
}

/** Deletes every board's local copy in this browser, and the pages cached offline (sign-out). */
export async function clearLocalBoardData(): Promise<void> {
	await clearCachedPages();
	if (typeof indexedDB === 'undefined') return;
	announceClearing(null);
	const names = await localDatabaseNames();
	await Promise.all(names.map(deleteDatabase));
	writeRegistry([]);
}

/** Deletes one board's local copy for one user (access lost, board deleted). */
export async function clearBoardLocalData(userId: string, boardId: string): Promise<void> {
	if (typeof indexedDB === 'undefined') return;
	const name = boardDatabaseName(userId, boardId);
	announceClearing(name);
	await deleteDatabase(name);
	writeRegistry(readRegistry().filter((n) => n !== name));
}
