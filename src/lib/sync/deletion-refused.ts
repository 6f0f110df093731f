/**
 * The "your mass deletion was undone" message (MessageType.deletionRefused): the undo itself
 * arrives as a normal sync update; this only says why, so the client can tell its person.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from './protocol';

export interface DeletionRefusal {
	deleted: number;
	limit: number;
}

export function encodeDeletionRefused(refusal: DeletionRefusal): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.deletionRefused);
	encoding.writeVarUint(encoder, refusal.deleted);
	encoding.writeVarUint(encoder, refusal.limit);
	return encoding.toUint8Array(encoder);
}

/** Client side: the payload after the type; null when it is not one we understand. */
export function readDeletionRefused(decoder: decoding.Decoder): DeletionRefusal | null {
	try {
		return { deleted: decoding.readVarUint(decoder), limit: decoding.readVarUint(decoder) };
	} catch {
		return null;
	}
}
