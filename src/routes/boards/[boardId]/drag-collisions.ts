/**
 * Which column or card a dragged card is over. dnd-kit's default takes the pointer, else any
 * overlap of the dragged card's shape — so a card held by its grip, whose body hangs over the next
 * column, was dropped there instead of where the finger or mouse was ("a drop on Do landed in
 * Plan"). Here:
 * - a column is a target only while the pointer (or the keyboard's position) is inside it, all
 *   its height, empty or not;
 * - a card is a target when the pointer is on it, or when the dragged shape overlaps it within
 *   the pointer's own column (that keeps the order stable in the gaps between cards).
 */
import { CollisionPriority, CollisionType, type CollisionDetector } from '@dnd-kit/abstract';

function distance(a: { x: number; y: number }, b: { x: number; y: number }): number {
	return Math.max(1, Math.hypot(a.x - b.x, a.y - b.y));
}

export const columnCollision: CollisionDetector = ({ dragOperation, droppable }) => {
	const pointer = dragOperation.position.current;
	const shape = droppable.shape;
	if (!pointer || !shape || !shape.containsPoint(pointer)) return null;
	return {
		id: droppable.id,
		value: 1 / distance(shape.center, pointer),
		type: CollisionType.PointerIntersection,
		priority: CollisionPriority.Low
	};
};

export const cardCollision: CollisionDetector = ({ dragOperation, droppable }) => {
	const pointer = dragOperation.position.current;
	const shape = droppable.shape;
	if (!pointer || !shape) return null;
	if (shape.containsPoint(pointer)) {
		return {
			id: droppable.id,
			value: 1 / distance(shape.center, pointer),
			type: CollisionType.PointerIntersection,
			priority: CollisionPriority.High
		};
	}
	const box = shape.boundingRectangle;
	const dragged = dragOperation.shape?.current;
	if (!dragged || pointer.x < box.left || pointer.x > box.right) return null;
	const overlap = dragged.intersectionArea(shape);
	if (!overlap) return null;
	const ratio = overlap / (dragged.area + shape.area - overlap);
	return {
		id: droppable.id,
		value: ratio / distance(shape.center, pointer),
		type: CollisionType.ShapeIntersection,
		priority: CollisionPriority.Normal
	};
};
