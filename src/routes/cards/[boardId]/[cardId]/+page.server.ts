import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { INPUT_KINDS } from '$lib/board/pdca';
import { boardCardHref } from '$lib/links';
import { m } from '$lib/paraglide/messages';
import { getBoardAccess, getCardGuestAccess } from '$lib/server/access';
import { failForm, keepValues, parseForm, textField } from '$lib/server/forms';
import { giveGuestInput, readGuestCard } from '$lib/server/guest-card';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import type { Actions, PageServerLoad } from './$types';

const INPUT_TEXT_MAX = 5000;

/**
 * One card for someone outside its team: a guest, a person it names as affected, or (read-only)
 * anyone in the organisation when the card is a standard. Team members go to the board instead;
 * everyone else gets 404, so the card cannot be shown to exist.
 */
async function requireCardReader(event: RequestEvent<{ boardId: string; cardId: string }>) {
	const { user } = requireUser(event);
	const { boardId, cardId } = event.params;
	if (!isWellFormedId(boardId) || !isWellFormedId(cardId)) error(404, m.error_not_found());
	const db = event.locals.runtime.database.db;
	if (await getBoardAccess(db, user, boardId)) redirect(303, boardCardHref(boardId, cardId));
	const access = await getCardGuestAccess(db, user, boardId, cardId);
	if (!access) error(404, m.error_not_found());
	return { user, access, db };
}

export const load: PageServerLoad = async (event) => {
	const { user, access, db } = await requireCardReader(event);
	const card = await readGuestCard(db, access, user.id);
	if (!card) error(404, m.error_not_found());
	return { card, via: access.via };
};

const InputForm = v.pipe(
	v.object({
		kind: v.picklist(INPUT_KINDS, () => m.form_error_choose()),
		text: textField('multiline', INPUT_TEXT_MAX, { optional: true })
	}),
	// Agreeing needs no words; concerns and suggestions do.
	v.forward(
		v.check(
			(input) => input.kind === 'agree' || input.text.length > 0,
			() => m.pdca_input_error_text_required()
		),
		['text']
	)
);

export const actions: Actions = {
	input: async (event) => {
		const { user, access, db } = await requireCardReader(event);
		if (!access.canGiveInput) error(403, m.error_forbidden());
		const formData = await event.request.formData();
		const parsed = parseForm(InputForm, formData);
		if (!parsed.ok) {
			return failForm(400, {
				errors: parsed.errors,
				values: keepValues(formData, ['kind', 'text'])
			});
		}
		const result = await giveGuestInput(db, access, { id: user.id, name: user.name }, parsed.data);
		if (!result.ok) {
			return failForm(result.reason === 'closed' ? 409 : 404, {
				message: result.reason === 'closed' ? m.pdca_input_closed() : m.pdca_input_error_card_gone()
			});
		}
		event.locals.runtime.log.info(
			{ boardId: access.boardId, cardId: access.cardId, userId: user.id, via: access.via },
			'input given on a card from outside its team'
		);
		return { saved: true };
	}
};
