/**
 * The import page's side of the import protocol (src/routes/teams/[teamId]/import/run): the
 * preview's shape, and the NDJSON progress stream read line by line as it arrives.
 */
export interface ImportPreview {
	format: string;
	boardName: string;
	total: number;
	cards: { title: string; stage: string; beneficiary: string; dates: string[] }[];
	problems: string[];
	problemCount: number;
}

interface Handlers {
	progress(value: { done: number; total: number }): void;
	done(value: { boardId: string; boardName: string; cards: number }): void;
	error(message: string): void;
}

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null;

function handleLine(line: string, handlers: Handlers): void {
	if (line.trim() === '') return;
	const value: unknown = JSON.parse(line);
	if (!isObj(value)) return;
	const { progress, done, error } = value;
	if (isObj(progress) && typeof progress.done === 'number' && typeof progress.total === 'number') {
		handlers.progress({ done: progress.done, total: progress.total });
	} else if (
		isObj(done) &&
		typeof done.boardId === 'string' &&
		typeof done.boardName === 'string' &&
		typeof done.cards === 'number'
	) {
		handlers.done({ boardId: done.boardId, boardName: done.boardName, cards: done.cards });
	} else if (typeof error === 'string') {
		handlers.error(error);
	}
}

export async function readImportResponse(response: Response, handlers: Handlers): Promise<void> {
	const contentType = response.headers.get('content-type') ?? '';
	if (!contentType.includes('ndjson')) {
		const result: unknown = await response.json();
		if (isObj(result) && typeof result.message === 'string') handlers.error(result.message);
		else throw new Error(`import failed (${response.status})`);
		return;
	}
	if (!response.body) throw new Error('no body');
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffered = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		buffered += value;
		const lines = buffered.split('\n');
		buffered = lines.pop() ?? '';
		for (const line of lines) handleLine(line, handlers);
	}
	handleLine(buffered, handlers);
}
