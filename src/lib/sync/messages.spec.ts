import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	decodeClientMessage,
	encodeAccess,
	encodePersisted,
	encodeSyncStep1,
	encodeSyncUpdate,
	KEEPALIVE_MESSAGE,
	QUERY_AWARENESS,
	readAccess,
	readPersisted
} from './messages';
import { MessageType } from './protocol';

function frame(...parts: ((e: encoding.Encoder) => void)[]): Uint8Array {
	const encoder = encoding.createEncoder();
	for (const part of parts) part(encoder);
	return encoding.toUint8Array(encoder);
}

describe('decodeClientMessage', () => {
	it('decodes the messages a stock client sends', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('k', 1);
		expect(decodeClientMessage(encodeSyncStep1(doc))).toMatchObject({
			ok: true,
			message: { kind: 'sync-step1' }
		});
		const update = Y.encodeStateAsUpdate(doc);
		const decoded = decodeClientMessage(encodeSyncUpdate(update));
		expect(
			decoded.ok && decoded.message.kind === 'sync-update' && [...decoded.message.update]
		).toEqual([...update]);
		const step2 = frame(
			(e) => encoding.writeVarUint(e, MessageType.sync),
			(e) => encoding.writeVarUint(e, 1),
			(e) => encoding.writeVarUint8Array(e, update)
		);
		expect(decodeClientMessage(step2)).toMatchObject({ ok: true, message: { kind: 'sync-step2' } });
		expect(decodeClientMessage(KEEPALIVE_MESSAGE)).toMatchObject({
			ok: true,
			message: { kind: 'awareness' }
		});
		expect(decodeClientMessage(new Uint8Array([QUERY_AWARENESS]))).toEqual({
			ok: true,
			message: { kind: 'query-awareness' }
		});
	});

	it('rejects empty, unknown, truncated and padded frames without throwing', () => {
		expect(decodeClientMessage(new Uint8Array())).toEqual({ ok: false, problem: 'empty' });
		expect(decodeClientMessage(new Uint8Array([42]))).toEqual({
			ok: false,
			problem: 'unknown-type'
		});
		expect(decodeClientMessage(new Uint8Array([MessageType.persisted, 1]))).toEqual({
			ok: false,
			problem: 'unknown-type'
		});
		expect(decodeClientMessage(new Uint8Array([0, 7, 0]))).toEqual({
			ok: false,
			problem: 'unknown-type'
		});
		expect(decodeClientMessage(new Uint8Array([0, 2, 50, 1]))).toEqual({
			ok: false,
			problem: 'malformed'
		});
		expect(
			decodeClientMessage(
				new Uint8Array([0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
			)
		).toEqual({
			ok: false,
			problem: 'malformed'
		});
		expect(decodeClientMessage(new Uint8Array([1, 1, 0, 9]))).toEqual({
			ok: false,
			problem: 'trailing-bytes'
		});
	});
});

describe('server messages', () => {
	it('round-trips persisted and access', () => {
		const persisted = decoding.createDecoder(encodePersisted(300));
		expect(decoding.readVarUint(persisted)).toBe(MessageType.persisted);
		expect(readPersisted(persisted)).toBe(300);
		const access = decoding.createDecoder(encodeAccess('viewer', false));
		expect(decoding.readVarUint(access)).toBe(MessageType.access);
		expect(readAccess(access)).toEqual({ role: 'viewer', canEdit: false });
		expect(readAccess(decoding.createDecoder(new Uint8Array([3, 65, 66, 67, 1])))).toBeNull();
	});
});
