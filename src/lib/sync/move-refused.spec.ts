import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { encodeMoveRefused, readMoveRefused } from './messages';
import { MessageType } from './protocol';

/** The payload after the message type, as a client's handler receives it. */
function payloadOf(message: Uint8Array): decoding.Decoder {
	const decoder = decoding.createDecoder(message);
	expect(decoding.readVarUint(decoder)).toBe(MessageType.moveRefused);
	return decoder;
}

describe('move refused message', () => {
	it('carries the card, the reason and what is missing', () => {
		const message = encodeMoveRefused('card-1', 'missing', ['problem', 'goal']);
		expect(readMoveRefused(payloadOf(message))).toEqual({
			cardId: 'card-1',
			reason: 'missing',
			missing: ['problem', 'goal']
		});
		expect(readMoveRefused(payloadOf(encodeMoveRefused('c', 'not_allowed', [])))).toEqual({
			cardId: 'c',
			reason: 'not_allowed',
			missing: []
		});
		expect(readMoveRefused(payloadOf(encodeMoveRefused('c', 'hard_limit', [])))).toEqual({
			cardId: 'c',
			reason: 'hard_limit',
			missing: []
		});
	});

	it('reads a truncated or unknown payload as nothing', () => {
		const unknownCode = encoding.createEncoder();
		encoding.writeVarString(unknownCode, 'c');
		encoding.writeVarString(unknownCode, 'missing');
		encoding.writeVarUint(unknownCode, 1);
		encoding.writeVarString(unknownCode, 'a_reason_from_the_future');
		expect(readMoveRefused(decoding.createDecoder(encoding.toUint8Array(unknownCode)))).toBeNull();
		const unknownReason = encoding.createEncoder();
		encoding.writeVarString(unknownReason, 'c');
		encoding.writeVarString(unknownReason, 'because');
		encoding.writeVarUint(unknownReason, 0);
		expect(
			readMoveRefused(decoding.createDecoder(encoding.toUint8Array(unknownReason)))
		).toBeNull();
		const truncated = encodeMoveRefused('card-1', 'missing', ['problem']).slice(0, 6);
		expect(readMoveRefused(payloadOf(truncated))).toBeNull();
	});
});
