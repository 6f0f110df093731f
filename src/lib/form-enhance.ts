/**
 * Progressive enhancement for forms: submit without a page load, then move keyboard focus to
 * what needs attention (the first invalid field, else the form's alert), as a page load would
 * have put the reader at the top. Without JavaScript the same forms post normally.
 */
import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';

export const enhanceWithFocus: SubmitFunction = () => {
	return async ({ update, result, formElement }) => {
		await update();
		if (result.type !== 'failure' && result.type !== 'error') return;
		await tick();
		const target =
			formElement.querySelector<HTMLElement>('[aria-invalid="true"]') ??
			document.querySelector<HTMLElement>('[data-form-alert]');
		target?.focus();
	};
};
