import { adoptFromForm, loadStandardsPage } from '$lib/server/standards-page';
import type { Actions, PageServerLoad } from './$types';

/** Every team's standards, visible across the organisation (DESIGN.md §2.8). */
export const load: PageServerLoad = async (event) => loadStandardsPage(event);

export const actions: Actions = { adopt: adoptFromForm };
