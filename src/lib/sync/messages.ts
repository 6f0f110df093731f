/**
 * The sync protocol's messages as data: decoding what a client sends into a discriminated union,
 * and encoding what the server sends. Shared by server and client (framework-free).
 *
 * Wire format (y-websocket's): varuint message type, then the type's payload.
 *   sync (0)            varuint sync step (0 = SyncStep1 state vector, 1 = SyncStep2 update,
 *                       2 = Update), then varUint8Array
 *   awareness (1)       varUint8Array awareness update
 *   query awareness (3) nothing
 *   persisted (100)     varuint count (see MessageType.persisted)
 *   access (101)        varstring role, varuint canEdit
 *   move refused (102)  varstring card id, varstring reason, varuint n, n × varstring missing code
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MISSING, type Missing } from '../board/lifecycle';
import { isRole, type Role } from '../roles';
import { MessageType } from './protocol';

/** y-websocket's "send me everyone's awareness" request; not part of MessageType (never answered by clients). */
export const QUERY_AWARENESS = 3;

export const SyncStep = {
	step1: syncProtocol.messageYjsSyncStep1,
	step2: syncProtocol.messageYjsSyncStep2,
	update: syncProtocol.messageYjsUpdate
} as const;

/** Everything a client may send. Anything else is a protocol violation. */
export type ClientMessage =
	| { kind: 'sync-step1'; stateVector: Uint8Array }
	/** The client's answer to the server's SyncStep1: what the server lacks (offline edits). */
	| { kind: 'sync-step2'; update: Uint8Array }
	/** A live edit, sent as it happens. */
	| { kind: 'sync-update'; update: Uint8Array }
	| { kind: 'awareness'; update: Uint8Array }
	| { kind: 'query-awareness' };

export type DecodedClientMessage =
	| { ok: true; message: ClientMessage }
	| { ok: false; problem: 'empty' | 'unknown-type' | 'malformed' | 'trailing-bytes' };

/**
 * Decodes one client frame. Never throws: a truncated or garbled frame is `malformed`, a type we
 * do not serve is `unknown-type`. Payload bytes are views into `bytes` (no copy).
 */
export function decodeClientMessage(bytes: Uint8Array): DecodedClientMessage {
	if (bytes.byteLength === 0) return { ok: false, problem: 'empty' };
	try {
		const decoder = decoding.createDecoder(bytes);
		const type = decoding.readVarUint(decoder);
		let message: ClientMessage;
		if (type === MessageType.sync) {
			const step = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (step === SyncStep.step1) message = { kind: 'sync-step1', stateVector: payload };
			else if (step === SyncStep.step2) message = { kind: 'sync-step2', update: payload };
			else if (step === SyncStep.update) message = { kind: 'sync-update', update: payload };
			else return { ok: false, problem: 'unknown-type' };
		} else if (type === MessageType.awareness) {
			message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
		} else if (type === QUERY_AWARENESS) {
			message = { kind: 'query-awareness' };
		} else {
			return { ok: false, problem: 'unknown-type' };
		}
		if (decoding.hasContent(decoder)) return { ok: false, problem: 'trailing-bytes' };
		return { ok: true, message };
	} catch {
		// lib0 throws on reads past the end and on oversized varints.
		return { ok: false, problem: 'malformed' };
	}
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/** Throws if `stateVector` is not a valid encoded state vector (the caller treats that as malformed). */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	syncProtocol.writeSyncStep2(encoder, doc, stateVector);
	return encoding.toUint8Array(encoder);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, awarenessUpdate);
	return encoding.toUint8Array(encoder);
}

/**
 * The smallest message a stock client accepts without effect: an awareness update with zero
 * entries. The server sends it to idle connections so the client's 30 s "no message" watchdog
 * never fires on a quiet board.
 */
export const KEEPALIVE_MESSAGE: Uint8Array = encodeAwarenessMessage(new Uint8Array([0]));

export function encodePersisted(count: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.persisted);
	encoding.writeVarUint(encoder, count);
	return encoding.toUint8Array(encoder);
}

/** Client side: reads a persisted message's payload (the decoder is past the message type). */
export function readPersisted(decoder: decoding.Decoder): number {
	return decoding.readVarUint(decoder);
}

export function encodeAccess(role: Role, canEdit: boolean): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.access);
	encoding.writeVarString(encoder, role);
	encoding.writeVarUint(encoder, canEdit ? 1 : 0);
	return encoding.toUint8Array(encoder);
}

/** Client side: reads an access message's payload; null when it is not one we understand. */
export function readAccess(decoder: decoding.Decoder): { role: Role; canEdit: boolean } | null {
	try {
		const role = decoding.readVarString(decoder);
		const canEdit = decoding.readVarUint(decoder) === 1;
		return isRole(role) ? { role, canEdit } : null;
	} catch {
		return null;
	}
}

/**
 * Why the server undid a move: a stage gate misses something (`missing`), a reason to pass it came
 * from someone below manager (`not_allowed`), or the column's hard WIP limit was already reached
 * by moves the server took first (`hard_limit`, e.g. a move made offline arriving late).
 */
export const MOVE_REFUSAL_REASONS = ['missing', 'not_allowed', 'hard_limit'] as const;
export type MoveRefusalReason = (typeof MOVE_REFUSAL_REASONS)[number];

export interface MoveRefusal {
	cardId: string;
	reason: MoveRefusalReason;
	missing: Missing[];
}

export function encodeMoveRefused(
	cardId: string,
	reason: MoveRefusalReason,
	missing: readonly Missing[]
): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.moveRefused);
	encoding.writeVarString(encoder, cardId);
	encoding.writeVarString(encoder, reason);
	encoding.writeVarUint(encoder, missing.length);
	for (const code of missing) encoding.writeVarString(encoder, code);
	return encoding.toUint8Array(encoder);
}

/** Client side: reads a move-refused payload; null when it is not one we understand. */
export function readMoveRefused(decoder: decoding.Decoder): MoveRefusal | null {
	try {
		const cardId = decoding.readVarString(decoder);
		const reason = decoding.readVarString(decoder);
		const count = decoding.readVarUint(decoder);
		const why = MOVE_REFUSAL_REASONS.find((r) => r === reason);
		if (!why || count > MISSING.length) return null;
		const missing: Missing[] = [];
		for (let i = 0; i < count; i++) {
			const code = decoding.readVarString(decoder);
			const known = MISSING.find((m) => m === code);
			if (!known) return null;
			missing.push(known);
		}
		return { cardId, reason: why, missing };
	} catch {
		return null;
	}
}
