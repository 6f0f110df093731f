/**
 * Pointer and keyboard sensors for cards, given to each sortable (dnd-kit 0.3.2 ignores the
 * provider's sensors for items that mount with it).
 *
 * - Mouse on the grip: drags at once. Mouse elsewhere on the card (the title included): drags
 *   after 5 px of movement, so a click still opens the card — no time threshold, because a
 *   slow click at a stand-up is still a click.
 * - Touch: hold 250 ms, so a swipe still scrolls the column or the board.
 * - Keyboard: Space/Enter on the grip button picks the card up.
 */
import { KeyboardSensor, PointerActivationConstraints, PointerSensor } from '@dnd-kit/dom';

/** Elements inside a card that start a drag although they are buttons (the title). */
export const DRAG_SURFACE_ATTRIBUTE = 'data-drag-surface';

const INTERACTIVE = 'button, a, input, textarea, select, [role="menuitem"], [contenteditable]';

export const cardSensors = [
	PointerSensor.configure({
		activatorElements: (source) => [source.element, source.handle],
		activationConstraints(event, source) {
			if (event.pointerType === 'touch') {
				return [new PointerActivationConstraints.Delay({ value: 250, tolerance: 5 })];
			}
			const target = event.target;
			if (source.handle && target instanceof Node && source.handle.contains(target))
				return undefined;
			return [new PointerActivationConstraints.Distance({ value: 5 })];
		},
		preventActivation(event, source) {
			const target = event.target;
			if (!(target instanceof Element)) return false;
			if (source.handle?.contains(target)) return false;
			if (target.closest(`[${DRAG_SURFACE_ATTRIBUTE}]`)) return false;
			return target.closest(INTERACTIVE) !== null;
		}
	}),
	KeyboardSensor
];
