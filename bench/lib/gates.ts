/**
 * The correctness gates every run checks (BENCHMARKS.md): replicas converge, no card twice, no
 * viewer change applied, projection equals document. A broken gate never stops the run; it is
 * recorded and printed loudly at the end (and the run exits non-zero).
 */
import * as Y from 'yjs';
import { readCards } from '../../src/lib/board/document';
import { boardDigest } from './board';

export interface GateResult {
	scenario: string;
	peer: string;
	gate: 'converge' | 'no-duplicate' | 'viewer-read-only' | 'projection';
	ok: boolean;
	detail: string;
}

export const gateResults: GateResult[] = [];

export function recordGate(result: GateResult): GateResult {
	gateResults.push(result);
	if (!result.ok) {
		process.stdout.write(
			`\n!!! GATE BROKEN: ${result.scenario} ${result.peer} ${result.gate}: ${result.detail}\n\n`
		);
	}
	return result;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** Equal state vectors, equal encoded state and equal visible content across all replicas. */
export function checkConvergence(docs: readonly Y.Doc[]): { ok: boolean; detail: string } {
	if (docs.length < 2) return { ok: true, detail: `${docs.length} replica` };
	const [first, ...rest] = docs as [Y.Doc, ...Y.Doc[]];
	const vector = Y.encodeStateVector(first);
	const state = Y.encodeStateAsUpdate(first);
	const digest = boardDigest(first);
	let vectorDiffers = 0;
	let stateDiffers = 0;
	let contentDiffers = 0;
	for (const doc of rest) {
		if (!equalBytes(vector, Y.encodeStateVector(doc))) vectorDiffers++;
		if (!equalBytes(state, Y.encodeStateAsUpdate(doc))) stateDiffers++;
		if (digest !== boardDigest(doc)) contentDiffers++;
	}
	const ok = vectorDiffers === 0 && stateDiffers === 0 && contentDiffers === 0;
	return {
		ok,
		detail: ok
			? `${docs.length} replicas equal`
			: `of ${docs.length} replicas, ${vectorDiffers} differ in state vector, ${stateDiffers} in encoded state, ${contentDiffers} in content`
	};
}

/** Every card id once, and as many cards as expected. */
export function checkNoDuplicate(doc: Y.Doc, expected: number): { ok: boolean; detail: string } {
	const ids = readCards(doc).map((card) => card.id);
	const unique = new Set(ids).size;
	const ok = unique === ids.length && ids.length === expected;
	return { ok, detail: `${ids.length} cards, ${unique} distinct, ${expected} expected` };
}
